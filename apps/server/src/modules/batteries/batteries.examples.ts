/**
 * Battery histories to start second life from, for tests, the examples and a simulator: a traction
 * pack (or a pack with modules) produced, installed in a vehicle and removed at end of life, with
 * valid GB/T 34014 codes and VINs. Every step goes through the ledger like any other event.
 */
import { randomInt } from 'node:crypto';
import { type BatteryCodeParts, formatBatteryCode, formatCascadeBatteryCode, makeVin } from '@carloop/codes';
import type { Db } from '../../db/database.ts';
import { registerAssets } from '../assets/index.ts';
import { appendEvents, localSubmitter } from '../ledger/index.ts';
import { localOperator } from '../parties/index.ts';

type Chemistry = 'NCM' | 'LFP';
const chemistryLetter: Record<Chemistry, BatteryCodeParts['chemistry']> = { NCM: 'NCM', LFP: 'LFP' };

const serial = () => randomInt(0, 10_000_000);

/** A fresh 24-character GB/T 34014 code. */
export function exampleBatteryCode(
  productType: 'pack' | 'module' | 'cell',
  chemistry: Chemistry = 'NCM',
): string {
  return formatBatteryCode({
    manufacturer: 'CAT',
    productType,
    chemistry: chemistryLetter[chemistry],
    specification: '01',
    traceability: 'T000001',
    production: { year: 2023, month: 6, day: 15 },
    serial: serial(),
  });
}

/** A fresh 19-character cascade-use code (GB/T 34014 §4.2). */
export function exampleCascadeCode(
  productType: 'pack' | 'module' = 'pack',
  chemistry: Chemistry = 'NCM',
): string {
  return formatCascadeBatteryCode({
    manufacturer: 'RPX',
    productType,
    cascadeProductType: productType,
    chemistry: chemistryLetter[chemistry],
    specification: 'S1',
    production: { year: 2031, month: 3, day: 1 },
    serial: serial(),
  });
}

export function exampleVin(): string {
  return makeVin('LFV2A21K', `PA${String(serial()).padStart(6, '0').slice(0, 6)}`);
}

export interface RemovedBattery {
  code: string;
  vin: string;
  modules: string[];
}

const event = (
  type: string,
  kind: string,
  id: string,
  occurredAt: string,
  payload: Record<string, unknown>,
) => ({
  type,
  subject: { kind, id },
  occurredAt,
  payload,
});

/**
 * A pack (with `modules` modules, if any) made in 2023, installed in a new vehicle and removed at
 * its end of life in 2030. Returns the codes; the pack and its modules are in state `removed`.
 */
export async function seedRemovedPack(
  db: Db,
  options: {
    chemistry?: Chemistry;
    energyKwh?: number;
    massKg?: number;
    modules?: number;
    manufacturerPartyId?: string;
  } = {},
): Promise<RemovedBattery> {
  const chemistry = options.chemistry ?? 'NCM';
  const energyKwh = options.energyKwh ?? 60;
  const massKg = options.massKg ?? 420;
  const code = exampleBatteryCode('pack', chemistry);
  const modules = Array.from({ length: options.modules ?? 0 }, () => exampleBatteryCode('module', chemistry));
  const vin = exampleVin();
  const maker = options.manufacturerPartyId ?? 'party:cell-maker-01';
  const moduleEnergy = modules.length > 0 ? energyKwh / modules.length : 0;
  const moduleMass = modules.length > 0 ? (massKg * 0.8) / modules.length : 0;
  await registerAssets(db, localOperator, [
    { kind: 'vehicle', vin, make: 'BYD', model: 'Han EV', modelYear: 2023, powertrain: 'bev' },
    { kind: 'battery-pack', code, chemistry, ratedCapacityKwh: energyKwh, massKg },
    ...modules.map((m) => ({
      kind: 'battery-module',
      code: m,
      chemistry,
      ratedCapacityKwh: moduleEnergy,
      massKg: moduleMass,
    })),
  ]);
  const produced = (at: string, kwh: number, kg: number) => ({
    manufacturerPartyId: maker,
    producedAt: at,
    chemistry,
    nominalEnergyKwh: kwh,
    massKg: kg,
    batteryStatus: 'original',
  });
  await appendEvents(db, localSubmitter, [
    event('vehicle.produced', 'vehicle', vin, '2023-06-20T02:00:00Z', {
      manufacturerPartyId: 'party:oem-01',
      producedAt: '2023-06-20T02:00:00Z',
      model: 'Han EV',
      modelYear: 2023,
      powertrain: 'bev',
    }),
    event(
      'battery.produced',
      'battery-pack',
      code,
      '2023-06-15T00:00:00Z',
      produced('2023-06-15T00:00:00Z', energyKwh, massKg),
    ),
    ...modules.flatMap((m) => [
      event(
        'battery.produced',
        'battery-module',
        m,
        '2023-06-10T00:00:00Z',
        produced('2023-06-10T00:00:00Z', moduleEnergy, moduleMass),
      ),
      event('battery.installed', 'battery-module', m, '2023-06-12T00:00:00Z', {
        host: { kind: 'battery-pack', id: code },
        installedAt: '2023-06-12T00:00:00Z',
      }),
    ]),
    event('battery.installed', 'battery-pack', code, '2023-06-20T03:00:00Z', {
      host: { kind: 'vehicle', id: vin },
      installedAt: '2023-06-20T03:00:00Z',
    }),
    event('battery.removed', 'battery-pack', code, '2030-05-06T02:00:00Z', {
      host: { kind: 'vehicle', id: vin },
      removedAt: '2030-05-06T02:00:00Z',
      reason: 'vehicle_end_of_life',
    }),
    ...modules.map((m) =>
      event('battery.removed', 'battery-module', m, '2030-05-08T02:00:00Z', {
        host: { kind: 'battery-pack', id: code },
        removedAt: '2030-05-08T02:00:00Z',
        reason: 'vehicle_end_of_life',
      }),
    ),
  ]);
  return { code, vin, modules };
}
