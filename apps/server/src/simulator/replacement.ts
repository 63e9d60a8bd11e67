/**
 * A traction pack replaced under warranty when its health falls below the warranty floor (Chinese
 * makers commonly warrant 70 % SOH for 8 years — ASSUMPTION, 72 % used so that the replacement comes
 * before the floor). The OEM, responsible for collecting the packs of its cars (MIIT 2018 traceability
 * rule Art. 10), registers and produces the new pack, records the swap (`battery.removed`,
 * `vehicle.battery_replaced`, `battery.installed`) and hands the old pack to the repurposer through
 * the batteries module — which then tests, grades and repurposes or recycles it.
 */
import { registerAssets } from '../modules/assets/index.ts';
import { handOverBattery } from '../modules/batteries/index.ts';
import { appendEvents } from '../modules/ledger/index.ts';
import { packFor, packProductionEvents, packRegistrations } from './fleet.ts';
import { refused } from './guarantees.ts';
import { schedulePackReceived } from './second-life.ts';
import { advanceOdometer, DAY_MS, iso, type SimVehicle, schedule, type World } from './world.ts';

export const WARRANTY_SOH_FLOOR = 0.72;

export function scheduleReplacement(world: World, v: SimVehicle, at: number): void {
  schedule(world, at, `replace-${v.n}-${at}`, async () => {
    if (v.status !== 'in_use' || !v.pack) return;
    try {
      await replacePack(world, v, at);
    } catch (error) {
      refused(world, error);
    }
    v.replacing = false;
  });
}

async function replacePack(world: World, v: SimVehicle, at: number): Promise<void> {
  const oem = world.cast.oems.get(v.spec.make)!;
  const old = v.pack!;
  const km = advanceOdometer(v, at);
  const fresh = packFor(world, v, at - 20 * DAY_MS, km);
  const registered = await registerAssets(world.db, oem.principal, packRegistrations(world, fresh));
  if (registered.rejected.length > 0)
    throw new Error(`simulator: pack registration refused: ${JSON.stringify(registered.rejected[0])}`);
  const when = iso(at);
  const vehicle = { kind: 'vehicle', id: v.vin };
  await appendEvents(world.db, oem, [
    ...packProductionEvents(world, fresh, oem),
    {
      type: 'battery.removed',
      subject: { kind: 'battery-pack', id: old.code },
      occurredAt: when,
      payload: { host: vehicle, removedAt: when, reason: 'replacement' },
    },
    {
      type: 'vehicle.battery_replaced',
      subject: vehicle,
      occurredAt: when,
      payload: {
        oldPackCode: old.code,
        newPackCode: fresh.code,
        replacedAt: when,
        reason: 'degradation',
        workshopPartyId: world.cast.dealers[v.dealer]!.principal.partyId,
        odometerKm: km,
      },
    },
    {
      type: 'battery.installed',
      subject: { kind: 'battery-pack', id: fresh.code },
      occurredAt: when,
      payload: { host: vehicle, installedAt: when },
    },
  ]);
  world.tally.serviceCalls += 2;
  v.pack = fresh;
  const handedAt = at + 7 * DAY_MS;
  await handOverBattery(world.db, oem, old.code, {
    fromPartyId: oem.principal.partyId,
    toPartyId: world.cast.repurposer.principal.partyId,
    handedOverAt: iso(handedAt),
    purpose: 'repurposing',
  });
  world.tally.serviceCalls++;
  schedulePackReceived(world, { ...v, odometerKm: km }, old, 'repurposer', handedAt);
}
