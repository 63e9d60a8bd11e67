/** Fixtures for the remarketing tests: a car on the road with the history a test needs. */
import type { Db } from '../src/db/database.ts';
import { registerAsset } from '../src/modules/assets/index.ts';
import { appendEvents, localSubmitter } from '../src/modules/ledger/index.ts';
import { localOperator } from '../src/modules/parties/index.ts';
import { createServices } from '../src/services.ts';
import { nextVin, vehicleInput } from './support/fixtures.ts';

export interface CarOptions {
  powertrain?: 'ice' | 'hev' | 'phev' | 'bev';
  useClass?: 'private' | 'taxi' | 'rental' | 'ride_hailing' | 'commercial';
  registeredAt?: string;
  modelYear?: number;
  odometerKm?: number;
  accident?: { structural?: boolean; flood?: boolean; fire?: boolean };
  curbMassKg?: number;
}

/** A registered car, produced, sold, registered and on the road (state in_use), with a reading. */
export async function carOnTheRoad(db: Db, options: CarOptions = {}): Promise<string> {
  const vin = nextVin();
  const powertrain = options.powertrain ?? 'bev';
  const modelYear = options.modelYear ?? 2023;
  const registeredAt = options.registeredAt ?? `${modelYear}-06-02T00:00:00.000Z`;
  await registerAsset(
    db,
    localOperator,
    { ...vehicleInput(vin), powertrain, modelYear },
    { hooks: createServices(db).assetHooks },
  );
  const ev = (type: string, occurredAt: string, payload: Record<string, unknown>) => ({
    type,
    subject: { kind: 'vehicle', id: vin },
    occurredAt,
    payload,
  });
  const produced = `${modelYear}-05-01T00:00:00.000Z`;
  const events = [
    ev('vehicle.produced', produced, {
      manufacturerPartyId: 'party:oem-byd',
      producedAt: produced,
      model: 'Seal',
      modelYear,
      powertrain,
      ...(options.curbMassKg ? { curbMassKg: options.curbMassKg } : {}),
    }),
    ev('vehicle.sold', registeredAt, {
      soldAt: registeredAt,
      sellerPartyId: 'party:dealer-01',
      buyerPartyId: 'customer:first-owner',
      price: { amountMinor: 25_980_000, currency: 'CNY' },
    }),
    ev('vehicle.registered', registeredAt, {
      registeredAt,
      region: 'CN-31',
      useClass: options.useClass ?? 'private',
    }),
    ev('vehicle.odometer_read', '2026-10-01T00:00:00.000Z', {
      odometerKm: options.odometerKm ?? 40_000,
      readAt: '2026-10-01T00:00:00.000Z',
      source: 'telematics',
    }),
  ];
  if (options.accident)
    events.push(
      ev('vehicle.accident_reported', '2025-07-01T00:00:00.000Z', {
        occurredAt: '2025-07-01T00:00:00.000Z',
        severity: 'moderate',
        structural: options.accident.structural ?? false,
        flood: options.accident.flood ?? false,
        fire: options.accident.fire ?? false,
      }),
    );
  await appendEvents(db, localSubmitter, events);
  return vin;
}

export const tradeIn = (vin: string, extra: Record<string, unknown> = {}) => ({
  vin,
  source: 'trade-in',
  acquisitionCost: '120000.00',
  currency: 'CNY',
  documents: ['registration_certificate', 'driving_licence', 'service_history'],
  keys: 2,
  stockedAt: '2026-11-01T02:00:00.000Z',
  ...extra,
});

/** A GB/T 30323 inspection: a few body defects, a dirty cabin, noisy brakes. */
export const lightInspection = {
  findings: [
    { item: 'B13', defect: 'HH', severity: 2 },
    { item: 'B02', defect: 'AX', severity: 1 },
    { item: 'C03', result: 'fail' },
    { item: 'R06', result: 'fail' },
  ],
};

/** Enough wear to sit at the bottom of grade 3, where reconditioning lifts the grade. */
export const worn = {
  findings: [
    { item: 'E01', result: 'fail' },
    { item: 'E02', result: 'fail' },
    { item: 'E09', result: 'fail' },
    { item: 'S05', result: 'fail' },
    { item: 'S06', result: 'fail' },
    { item: 'S08', result: 'fail' },
    { item: 'S09', result: 'fail' },
    { item: 'R01', result: 'fail' },
    { item: 'R03', result: 'fail' },
    { item: 'R04', result: 'fail' },
    { item: 'U01', result: 'fail' },
    { item: 'U02', result: 'fail' },
    { item: 'U06', result: 'fail' },
    { item: 'U07', result: 'fail' },
    { item: 'B13', defect: 'BX', severity: 3 },
    { item: 'B14', defect: 'BX', severity: 3 },
    { item: 'B01', defect: 'HH', severity: 4 },
  ],
};

export const structuralInspection = {
  findings: [{ item: 'B13', defect: 'BX', severity: 2 }],
  structural: [{ position: 'A_L', defect: 'SH' }],
};
