/**
 * The traction pack after the vehicle, through the batteries module: a GB/T 34015 residual-energy
 * test and rule-based grading at the receiver; a second-life (梯次利用) product with a new cascade
 * code, deployed in stationary storage for some years, then retired; everything else — and every
 * retired product — handed to the recycler, fed into a monthly hydrometallurgical batch, and the
 * batch's recovered element lots (Li, Ni, Co, Mn, Cu) recorded against it.
 */
import {
  batteryContent,
  deployBattery,
  gradeBatteryByRules,
  handOverBattery,
  intensityKeyOf,
  recordSohTest,
  recoverLot,
  recycleBattery,
  repurposeBatteries,
  retireBattery,
} from '../modules/batteries/index.ts';
import { refused } from './guarantees.ts';
import { cascadeCodeFor } from './identifiers.ts';
import type { Actor } from './parties.ts';
import { DAY_MS, iso, type SimPack, type SimVehicle, schedule, sohOf, type World, YEAR_MS } from './world.ts';

/** Packs recycled and not yet in a recovery: the recycler's open batch. */
export interface RecyclingLedger {
  batch: Array<{ batchId: string; code: string; chemistry: string; energyKwh: number; massKg: number }>;
}

const recyclingQueues = new WeakMap<World, RecyclingLedger>();
const queueOf = (world: World) => {
  let q = recyclingQueues.get(world);
  if (!q) {
    q = { batch: [] };
    recyclingQueues.set(world, q);
  }
  return q;
};

const call = (world: World) => world.tally.serviceCalls++;

/** The receiver tests and grades the pack, then repurposes it or passes it on for recycling. */
export function schedulePackReceived(
  world: World,
  v: SimVehicle,
  pack: SimPack,
  to: 'repurposer' | 'recycler',
  at: number,
): void {
  const odometerKm = v.odometerKm;
  schedule(world, at + 2 * DAY_MS, `pack-${pack.code}`, async () => {
    try {
      await testAndRoute(world, v, pack, odometerKm, to, at + 2 * DAY_MS);
    } catch (error) {
      refused(world, error);
    }
  });
}

async function testAndRoute(
  world: World,
  v: SimVehicle,
  pack: SimPack,
  odometerKm: number,
  to: 'repurposer' | 'recycler',
  at: number,
) {
  const holder = to === 'repurposer' ? world.cast.repurposer : world.cast.recycler;
  const soh = sohOf(pack, at, odometerKm);
  await recordSohTest(world.db, holder, pack.code, {
    testedAt: iso(at),
    testerPartyId: holder.principal.partyId,
    method: 'capacity_discharge',
    standard: 'GB/T 34015-2017',
    measuredEnergyKwh: Math.round(pack.energyKwh * soh * 1000) / 1000,
    resistanceSpreadPercent: Math.round(pack.spreadPercent * 10) / 10,
    ...(pack.safetyFinding ? { safetyFindings: [pack.safetyFinding] } : {}),
  });
  call(world);
  const grade = await gradeBatteryByRules(world.db, holder, pack.code, {
    gradedAt: iso(at + DAY_MS),
    graderPartyId: holder.principal.partyId,
  });
  call(world);
  const secondLife = grade.route !== 'recycle' && to === 'repurposer';
  if (!secondLife) {
    if (to === 'repurposer') await handToRecycler(world, world.cast.repurposer, pack.code, at + 3 * DAY_MS);
    await recycle(world, pack.code, pack, at + 10 * DAY_MS);
    return;
  }
  const r = world.random.fork(`second-life-${pack.code}`);
  const madeAt = at + 20 * DAY_MS;
  const newCode = cascadeCodeFor({
    maker: '7QM',
    chemistry: pack.chemistry,
    madeAt: iso(madeAt),
    serial: ++world.counters.cascade,
  });
  const application = grade.route === 'cascade_low_power' ? 'base_station_backup' : 'energy_storage';
  await repurposeBatteries(world.db, world.cast.repurposer, {
    newCode,
    sourceCodes: [pack.code],
    operatorPartyId: world.cast.repurposer.principal.partyId,
    application,
    repurposedAt: iso(madeAt),
  });
  call(world);
  const deployedAt = madeAt + 10 * DAY_MS;
  await deployBattery(world.db, world.cast.repurposer, newCode, {
    siteId: `site:storage-${(v.n % 7) + 1}`,
    operatorPartyId: world.cast.repurposer.principal.partyId,
    application,
    commissionedAt: iso(deployedAt),
    usableEnergyKwh: Math.round(pack.energyKwh * soh * 0.9 * 1000) / 1000,
  });
  call(world);
  const retireAt = deployedAt + r.uniform(...world.config.batteries.secondLifeYears) * YEAR_MS;
  schedule(world, retireAt, `retire-${pack.code}`, async () => {
    try {
      await retireBattery(world.db, world.cast.repurposer, newCode, {
        retiredAt: iso(retireAt),
        reason: 'end_of_service',
        sohPercent: Math.round(Math.max(40, soh * 100 - 3 * ((retireAt - deployedAt) / YEAR_MS))),
      });
      call(world);
      await handToRecycler(world, world.cast.repurposer, newCode, retireAt + 5 * DAY_MS);
      await recycle(world, newCode, pack, retireAt + 15 * DAY_MS);
    } catch (error) {
      refused(world, error);
    }
  });
}

async function handToRecycler(world: World, from: Actor, code: string, at: number) {
  await handOverBattery(world.db, from, code, {
    fromPartyId: from.principal.partyId,
    toPartyId: world.cast.recycler.principal.partyId,
    handedOverAt: iso(at),
    purpose: 'recycling',
  });
  call(world);
}

async function recycle(world: World, code: string, pack: SimPack, at: number) {
  await recycleBattery(world.db, world.cast.recycler, code, {
    recycledAt: iso(at),
    recyclerPartyId: world.cast.recycler.principal.partyId,
    process: world.config.batteries.recycleProcess,
    batchId: batchIdOf(at),
  });
  call(world);
  queueOf(world).batch.push({
    batchId: batchIdOf(at),
    code,
    chemistry: pack.chemistry,
    energyKwh: pack.energyKwh,
    massKg: pack.massKg,
  });
}

const batchIdOf = (at: number) => `RB-${iso(at).slice(0, 7).replace('-', '')}`;

/**
 * Close the month's recycling: one recovered lot per element for each batch fed this month, the
 * element mass the batch's packs held (batteries module content table) times the process yield.
 */
export async function recoverMonth(world: World, monthEnd: number): Promise<void> {
  const queue = queueOf(world);
  if (queue.batch.length === 0) return;
  // A batch is the month its packs were fed in; one fed after this month waits for its own month end.
  const closing = batchIdOf(monthEnd - DAY_MS);
  const byBatch = new Map<string, typeof queue.batch>();
  for (const item of queue.batch.filter((b) => b.batchId <= closing))
    byBatch.set(item.batchId, [...(byBatch.get(item.batchId) ?? []), item]);
  queue.batch = queue.batch.filter((b) => b.batchId > closing);
  for (const [batchId, items] of byBatch) {
    const totals = new Map<string, number>();
    for (const item of items) {
      const key = intensityKeyOf(item.chemistry);
      if (!key) continue;
      const content = batteryContent(item.code, key, item.energyKwh, item.massKg);
      for (const [element, c] of Object.entries(content.elements) as Array<[string, { expectedKg: number }]>)
        totals.set(element, (totals.get(element) ?? 0) + c.expectedKg);
    }
    for (const [element, yieldShare] of Object.entries(world.config.batteries.recoveryYield)) {
      const kg = Math.round((totals.get(element) ?? 0) * yieldShare * 1000) / 1000;
      if (kg <= 0) continue;
      const form = element === 'lithium' ? 'carbonate' : element === 'copper' ? 'metal' : 'sulfate';
      const fraction = { lithium: 0.18785, nickel: 0.2233, cobalt: 0.20965, manganese: 0.32506, copper: 1 }[
        element as 'lithium'
      ];
      try {
        await recoverLot(world.db, world.cast.recycler, {
          lotId: `lot-${batchId}-${element}`,
          material: element,
          form,
          massKg: Math.round((kg / fraction) * 1000) / 1000,
          elementMassKg: kg,
          process: 'hydrometallurgical',
          recyclerPartyId: world.cast.recycler.principal.partyId,
          recoveredAt: iso(monthEnd - 1000),
          batchId,
        });
        call(world);
      } catch (error) {
        refused(world, error);
      }
    }
  }
}
