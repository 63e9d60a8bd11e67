/**
 * `runSimulation`: a seeded world driven month by month through the real services. The whole run is
 * wrapped in a seeded id source (event ids, salts, party ids) and a simulated clock, so the same seed
 * and size give the same world, down to the same ledger root.
 *
 * Each month: the cars sold that month are born (registration, production, sale, guarantee); every
 * car on the road drives (one ledger batch per submitter); then the module actions due that month run
 * in calendar order (guarantee ends and settlements, voided guarantees, end-of-life intakes and
 * dismantling, battery tests, grading, second life, recycling); finally the recycler closes the
 * month's batch. Everything is recorded at the month's close: `occurredAt` is when it happened,
 * `recordedAt` the simulated clock, which only moves forward.
 */
import type { Db } from '../db/database.ts';
import { countAssets } from '../modules/assets/index.ts';
import { currentCheckpoint } from '../modules/ledger/index.ts';
import { localOperator } from '../modules/parties/index.ts';
import {
  fitLearnedModel,
  registerModel,
  transactionsFrom,
  valuationConfig,
} from '../modules/valuation/index.ts';
import { withClock } from '../shared/clock.ts';
import { invalid } from '../shared/errors.ts';
import { seededIdSource, withIdSource } from '../shared/ids.ts';
import { scheduleEndOfLife } from './end-of-life.ts';
import { bringToLife, planFleet } from './fleet.ts';
import { scheduleAccidentExclusion, scheduleContractEnd } from './guarantees.ts';
import { marketHistory } from './market.ts';
import { createCast } from './parties.ts';
import { Random } from './random.ts';
import { scheduleReplacement } from './replacement.ts';
import { recoverMonth, schedulePackReceived } from './second-life.ts';
import { driveMonth } from './usage.ts';
import { scheduleUsedCar } from './used-cars.ts';
import { worldConfig } from './world.config.ts';
import { addMonths, iso, type SimVehicle, type World } from './world.ts';

export interface SimulationOptions {
  vehicles: number;
  years: number;
  seed: string;
  /** Last day of the world (exclusive), ISO date; default 2026-01-01 so a seed means one world. */
  end?: string;
  /** Market transactions the first valuation model is fitted on (default: scaled to the fleet). */
  marketTransactions?: number;
  onProgress?: (done: number, total: number, stage: string) => void;
}

export interface SimulationResult {
  vehicles: number;
  years: number;
  seed: string;
  from: string;
  to: string;
  events: number;
  seconds: number;
  rootHash: string;
  eventsPerSecond: number;
  serviceCalls: number;
  assets: Record<string, number>;
  vehicleStates: Record<string, number>;
  refusals: Record<string, number>;
  valuationModel: string;
}

const DEFAULT_END = '2026-01-01';

/** Run a world on an empty, migrated database. */
export async function runSimulation(db: Db, options: SimulationOptions): Promise<SimulationResult> {
  checkOptions(options);
  const existing = await countAssets(db, localOperator);
  if (existing.total > 0)
    throw invalid(
      'database_not_empty',
      `the database already holds ${existing.total} assets; simulate into an empty one`,
      [{ field: 'db', message: 'use a new SQLite file (--db) or an empty PostgreSQL database' }],
    );
  const end = Date.parse(`${options.end ?? DEFAULT_END}T00:00:00Z`);
  const start = addMonths(end, -Math.round(options.years * 12));
  const started = performance.now();
  const clock = { now: start - 30 * 86_400_000 };
  return withIdSource(seededIdSource(`carloop-sim:${options.seed}`), () =>
    withClock(
      () => iso(clock.now),
      async () => {
        const config = worldConfig();
        const random = new Random(options.seed);
        const cast = await createCast(
          db,
          options.seed,
          [...new Set(config.models.map((m) => m.make))],
          config.parties,
        );
        const world: World = {
          db,
          seed: options.seed,
          config,
          random,
          cast,
          start,
          end,
          vehicles: [],
          actions: [],
          now: clock.now,
          counters: { cascade: 0, battery: 0, buyer: 0 },
          tally: { serviceCalls: 0, refused: {} },
        };
        const progress = options.onProgress ?? (() => {});
        progress(0, 1, 'fitting the valuation model');
        const modelVersion = await fitMarketModel(world, options);
        world.vehicles = planFleet(world, options.vehicles);
        await runMonths(world, clock, progress);
        const checkpoint = await currentCheckpoint(db);
        const counts = await countAssets(db, localOperator);
        const seconds = (performance.now() - started) / 1000;
        return {
          vehicles: options.vehicles,
          years: options.years,
          seed: options.seed,
          from: iso(start),
          to: iso(end),
          events: checkpoint.size,
          seconds: Math.round(seconds * 100) / 100,
          rootHash: checkpoint.rootHash,
          eventsPerSecond: Math.round(checkpoint.size / seconds),
          serviceCalls: world.tally.serviceCalls,
          assets: Object.fromEntries(Object.entries(counts.byKind).map(([k, v]) => [k, v.total])),
          vehicleStates: counts.byKind.vehicle?.byState ?? {},
          refusals: world.tally.refused,
          valuationModel: modelVersion,
        };
      },
    ),
  );
}

function checkOptions(o: SimulationOptions): void {
  const errors = [];
  if (!Number.isInteger(o.vehicles) || o.vehicles < 1 || o.vehicles > 1_000_000)
    errors.push({ field: 'vehicles', message: 'an integer 1–1,000,000' });
  if (!(o.years > 0 && o.years <= 30))
    errors.push({ field: 'years', message: 'a number of years, more than 0 and at most 30' });
  if (!o.seed) errors.push({ field: 'seed', message: 'a non-empty seed' });
  if (o.end !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(o.end))
    errors.push({ field: 'end', message: 'an ISO date' });
  if (errors.length > 0)
    throw invalid('invalid_simulation', errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
}

/** The market's past transactions → a learned model in the registry, active for CNY (what quotes use). */
async function fitMarketModel(world: World, options: SimulationOptions): Promise<string> {
  const n = options.marketTransactions ?? Math.min(8_000, Math.max(1_500, options.vehicles));
  const rows = marketHistory(world.random.fork('market'), world.config.models, n, world.start);
  const loaded = transactionsFrom({ transactions: rows });
  const artefact = fitLearnedModel(loaded.transactions, {
    sohTable: valuationConfig().batterySoh,
    createdAt: iso(world.start - 30 * 86_400_000),
    rowsRead: loaded.rows,
    rowsRejected: loaded.rejected.length,
  });
  await registerModel(world.db, world.cast.operator.principal, artefact, { activate: true });
  return artefact.modelVersion;
}

async function runMonths(
  world: World,
  clock: { now: number },
  progress: (done: number, total: number, stage: string) => void,
): Promise<void> {
  const calendarMonth = (ms: number) => new Date(ms).getUTCFullYear() * 12 + new Date(ms).getUTCMonth();
  const months = calendarMonth(world.end) - calendarMonth(world.start);
  const byMonth = new Map<number, SimVehicle[]>();
  const monthOf = (ms: number) => Math.max(0, calendarMonth(ms) - calendarMonth(world.start));
  for (const v of world.vehicles) {
    const m = Math.min(months - 1, monthOf(v.soldAt));
    byMonth.set(m, [...(byMonth.get(m) ?? []), v]);
  }
  const endOfLife = (v: SimVehicle, at: number) =>
    scheduleEndOfLife(world, v, at, {
      onPackHandedOver: (vehicle, pack, to, when) => schedulePackReceived(world, vehicle, pack, to, when),
    });
  const onStocked = (v: SimVehicle, at: number) =>
    scheduleUsedCar(world, v, at, (car, when) => {
      car.status = 'end_of_life';
      endOfLife(car, when);
    });
  const hooks = {
    onAccidentExclusion: (v: SimVehicle, at: number) => scheduleAccidentExclusion(world, v, at),
    onBatteryWorn: (v: SimVehicle, at: number) => scheduleReplacement(world, v, at),
    onEndOfLife: endOfLife,
  };
  for (let m = 0; m < months; m++) {
    const from = addMonths(world.start, m);
    const to = addMonths(world.start, m + 1);
    const tick = (at: number) => {
      clock.now = Math.max(clock.now + 1000, at);
      world.now = clock.now;
    };
    tick(to);
    const born = byMonth.get(m) ?? [];
    await bringToLife(world, born);
    for (const v of born) scheduleContractEnd(world, v, onStocked);
    await driveMonth(world, from, to, hooks);
    // Actions due this month, in calendar order (an action may schedule more, possibly this month).
    for (;;) {
      const due = world.actions.filter((a) => a.at < to);
      if (due.length === 0) break;
      world.actions = world.actions.filter((a) => a.at >= to);
      due.sort((a, b) => a.at - b.at || (a.key < b.key ? -1 : 1));
      for (const action of due) {
        tick(Math.max(to, action.at));
        await action.run();
      }
    }
    tick(to);
    await recoverMonth(world, to);
    progress(m + 1, months, 'simulating');
  }
}
