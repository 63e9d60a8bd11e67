/**
 * Ledger benchmark: batched ingest of realistic lifecycle events through `appendEvents`, beside a
 * baseline of plain SQLite inserts of the same rows (one SHA-256 each) in the same run, then
 * inclusion proofs generated from the database and verified against the signed checkpoint.
 *
 *   npm run bench:ledger -- [--events 200000] [--batch-size 2000] [--dialect sqlite|postgres]
 *                           [--db <path or postgres url>] [--keep] [--no-baseline] [--json]
 *                           [--proofs 100000] [--proof-batch 1024] [--proof-threads <cores>]
 *                           [--service-proofs 2000] [--sqlite-pragma <name=value> …] [--quiet]
 *
 * `--sqlite-pragma` is for experiments only; reported figures use the pragmas `openDatabase` sets.
 * Results and the workload are described in BENCHMARKS.md.
 *
 * Targets (the contract, on a 2-core machine): SQLite ≥ 40,000 events/s and ≥ 0.3 of the
 * baseline, the last million of 5,000,000 within 20 % of the first; PostgreSQL ≥ 15,000 events/s;
 * at 5,000,000 entries ≥ 20,000 proofs generated/s and ≥ 15,000 verified/s.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import { type Db, isPostgresUrl, openDatabase } from '../apps/server/src/db/database.ts';
import { registerAssets } from '../apps/server/src/modules/assets/index.ts';
import { appendEvents } from '../apps/server/src/modules/ledger/index.ts';
import { localOperator } from '../apps/server/src/modules/parties/index.ts';
import { type BatchTiming, openBaselineDatabase, runBaseline } from './baseline.ts';
import { EVENTS_PER_VEHICLE, eventBatches, vehicleRegistration, vinOf } from './fleet.ts';
import { machineInfo } from './machine.ts';
import { measureProofs } from './proofs.ts';

const targets = {
  sqlite: {
    eventsPerSec: 40_000,
    ratio: 0.3,
    lastToFirst: 0.8,
    proofsPerSec: 20_000,
    verifiesPerSec: 15_000,
  },
  postgres: { eventsPerSec: 15_000 },
};
const defaultPostgresUrl = 'postgres://postgres@127.0.0.1:5432/postgres';

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '200000' },
    'batch-size': { type: 'string', default: '2000' },
    dialect: { type: 'string' },
    db: { type: 'string' },
    proofs: { type: 'string' },
    'proof-batch': { type: 'string', default: '1024' },
    'service-proofs': { type: 'string', default: '2000' },
    'proof-threads': { type: 'string' },
    'no-baseline': { type: 'boolean', default: false },
    'sqlite-pragma': { type: 'string', multiple: true, default: [] },
    keep: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
  },
});

const count = (name: string, value: string | undefined): number => {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`--${name} must be a positive whole number`);
  return n;
};
const events = count('events', args.events);
const batchSize = count('batch-size', args['batch-size']);
const proofs = count('proofs', args.proofs ?? String(Math.min(100_000, Math.ceil(events / 4))));
const proofBatch = count('proof-batch', args['proof-batch']);
const serviceProofs = count('service-proofs', args['service-proofs']);
const dialect = args.db ? (isPostgresUrl(args.db) ? 'postgres' : 'sqlite') : (args.dialect ?? 'sqlite');
if (dialect !== 'sqlite' && dialect !== 'postgres') throw new Error('--dialect must be sqlite or postgres');

const log = (message: string) => {
  if (!args.quiet) process.stderr.write(`[bench] ${message}\n`);
};
const since = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e9;
const scratch = mkdtempSync(join(tmpdir(), 'carloop-bench-'));

/**
 * A fresh database for the run: a temp SQLite file, or a new database on the PostgreSQL server
 * (dropped afterwards unless --keep). A database rather than a schema: Kysely's migrator looks for
 * its lock table by name across every schema of a database.
 */
async function freshDatabase(): Promise<{ db: Db; url: string; location: string; drop(): Promise<void> }> {
  if (dialect === 'sqlite') {
    const path = args.db ?? join(scratch, 'ledger.db');
    const db = await openDatabase(path);
    // Experiments only: the reported numbers use the pragmas `openDatabase` sets.
    for (const pragma of args['sqlite-pragma']) await sql.raw(`PRAGMA ${pragma}`).execute(db.kysely);
    return { db, url: path, location: path, drop: () => db.close() };
  }
  const server = new URL(args.db ?? defaultPostgresUrl);
  const name = `carloop_bench_${randomBytes(4).toString('hex')}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: server.toString() });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  const db = await openDatabase(url.toString());
  return {
    db,
    url: url.toString(),
    location: db.location,
    async drop() {
      await db.close();
      if (!args.keep) await admin(`DROP DATABASE ${name}`);
    },
  };
}

/** Rate over the events of [from, to) of the run, from the batch timings (batches wholly inside). */
function rateOver(timings: BatchTiming[], from: number, to: number): number {
  let position = 0;
  let n = 0;
  let seconds = 0;
  for (const t of timings) {
    if (position >= from && position + t.events <= to) {
      n += t.events;
      seconds += t.seconds;
    }
    position += t.events;
  }
  return n / seconds;
}

const totalRate = (timings: BatchTiming[]) =>
  timings.reduce((n, t) => n + t.events, 0) / timings.reduce((s, t) => s + t.seconds, 0);

function percentileMs(timings: BatchTiming[], p: number): number {
  const sorted = timings.map((t) => t.seconds).sort((a, b) => a - b);
  return (sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0) * 1000;
}

function progress(label: string, every: number) {
  let next = every;
  const started = process.hrtime.bigint();
  return (done: number) => {
    if (done < next && done !== events) return;
    next += every;
    log(
      `${label}: ${done.toLocaleString('en')} / ${events.toLocaleString('en')} (${since(started).toFixed(1)} s)`,
    );
  };
}

async function main() {
  const wallStarted = process.hrtime.bigint();
  const vehicles = Math.ceil(events / EVENTS_PER_VEHICLE);
  const vins = Array.from({ length: vehicles }, (_, v) => vinOf(v));
  const stream = () => eventBatches({ vehicles, events, batchSize, vinFor: (v) => vins[v]! });
  const reportEvery = Math.max(batchSize, Math.round(events / 10 / batchSize) * batchSize);

  let baseline: BatchTiming[] = [];
  if (!args['no-baseline']) {
    log(`baseline: plain SQLite inserts of ${events.toLocaleString('en')} events`);
    const path = join(scratch, 'baseline.db');
    const database = await openBaselineDatabase(path);
    const report = progress('baseline', reportEvery);
    baseline = runBaseline(database, stream(), (_, done) => report(done));
    database.close();
    rmSync(path, { force: true });
    rmSync(`${path}-wal`, { force: true });
    rmSync(`${path}-shm`, { force: true });
  }

  const { db, url, location, drop } = await freshDatabase();
  log(`ledger on ${dialect}: ${location}`);
  const setupStarted = process.hrtime.bigint();
  for (let v = 0; v < vehicles; v += 5000) {
    const chunk = Array.from({ length: Math.min(5000, vehicles - v) }, (_, i) => vehicleRegistration(v + i));
    const { rejected } = await registerAssets(db, localOperator, chunk);
    if (rejected.length > 0) throw new Error(`registration rejected: ${JSON.stringify(rejected[0])}`);
  }
  const setupSeconds = since(setupStarted);
  log(
    `registered ${vehicles.toLocaleString('en')} vehicles in ${setupSeconds.toFixed(1)} s (setup, not timed)`,
  );

  const submitter = { principal: localOperator, keyId: 'bench' };
  const ingest: BatchTiming[] = [];
  const report = progress('ledger', reportEvery);
  let done = 0;
  let appendCpuMicros = 0;
  const loadAtStart = loadavg();
  for (const batch of stream()) {
    const started = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    const result = await appendEvents(db, submitter, batch);
    const used = process.cpuUsage(cpu);
    appendCpuMicros += used.user + used.system;
    ingest.push({ events: result.appended, seconds: since(started) });
    done += result.appended;
    report(done);
  }
  const loadAfterIngest = loadavg();

  log(
    `proofs: ${proofs.toLocaleString('en')} in batches of ${proofBatch}, ${serviceProofs} via proveInclusion`,
  );
  const proofResults = await measureProofs(db, url, {
    proofs,
    serviceProofs,
    batchSize: proofBatch,
    ...(args['proof-threads'] ? { threads: count('proof-threads', args['proof-threads']) } : {}),
  });
  const dbBytes = dialect === 'sqlite' ? fileBytes(location) : null;
  await drop();
  // The scratch directory holds the baseline's file and, by default, the ledger's SQLite file.
  const ledgerInScratch = dialect === 'sqlite' && !args.db;
  if (!(ledgerInScratch && args.keep)) rmSync(scratch, { recursive: true, force: true });

  const slice = Math.min(1_000_000, Math.floor(events / 5));
  const eventsPerSec = totalRate(ingest);
  const baselinePerSec = baseline.length > 0 ? totalRate(baseline) : null;
  const firstSlicePerSec = rateOver(ingest, 0, slice);
  const lastSlicePerSec = rateOver(ingest, events - slice, events);
  const results = {
    dialect,
    events,
    vehicles,
    batchSize,
    eventsPerSec: Math.round(eventsPerSec),
    baselinePerSec: baselinePerSec === null ? null : Math.round(baselinePerSec),
    ratio: baselinePerSec === null ? null : round(eventsPerSec / baselinePerSec, 3),
    sliceEvents: slice,
    firstSlicePerSec: Math.round(firstSlicePerSec),
    lastSlicePerSec: Math.round(lastSlicePerSec),
    lastToFirst: round(lastSlicePerSec / firstSlicePerSec, 3),
    ...(slice === 1_000_000
      ? { firstMillionPerSec: Math.round(firstSlicePerSec), lastMillionPerSec: Math.round(lastSlicePerSec) }
      : {}),
    batchP50Ms: round(percentileMs(ingest, 0.5), 1),
    batchP99Ms: round(percentileMs(ingest, 0.99), 1),
    appendSeconds: round(
      ingest.reduce((s, t) => s + t.seconds, 0),
      1,
    ),
    // CPU time of this process while appending: a slowdown from other load on the machine shows
    // as wall time above CPU time.
    appendCpuSeconds: round(appendCpuMicros / 1e6, 1),
    cpuEventsPerSec: Math.round(events / (appendCpuMicros / 1e6)),
    loadAverage: {
      atIngestStart: loadAtStart.map((l) => round(l, 2)),
      afterIngest: loadAfterIngest.map((l) => round(l, 2)),
    },
    baselineSeconds: round(
      baseline.reduce((s, t) => s + t.seconds, 0),
      1,
    ),
    setupSeconds: round(setupSeconds, 1),
    proofsPerSec: Math.round(proofResults.proofsPerSec),
    verifiesPerSec: Math.round(proofResults.verifiesPerSec),
    proofThreads: proofResults.threads,
    proofsPerSecOneThread: Math.round(proofResults.proofsPerSecOneThread),
    verifiesPerSecOneThread: Math.round(proofResults.verifiesPerSecOneThread),
    serviceProofsPerSec: Math.round(proofResults.serviceProofsPerSec),
    proofs: proofs,
    proofBatch,
    serviceProofs: proofResults.serviceProofs,
    proofTreeSize: proofResults.treeSize,
    meanProofHashes: round(proofResults.meanProofHashes, 1),
    dbBytes,
    wallSeconds: round(since(wallStarted), 1),
    date: new Date().toISOString(),
    machine: machineInfo(dialect === 'sqlite' ? scratchParent() : tmpdir()),
  };
  const verdicts = verdictsOf(results);
  if (args.json) process.stdout.write(`${JSON.stringify({ ...results, targets: verdicts })}\n`);
  else printTable(results, verdicts);
}

type Results = {
  dialect: string;
  eventsPerSec: number;
  baselinePerSec: number | null;
  ratio: number | null;
  lastToFirst: number;
  proofsPerSec: number;
  verifiesPerSec: number;
};
interface Verdict {
  metric: string;
  target: number;
  actual: number | null;
  met: boolean | null;
}

function verdictsOf(r: Results): Verdict[] {
  const check = (metric: string, target: number, actual: number | null): Verdict => ({
    metric,
    target,
    actual,
    met: actual === null ? null : actual >= target,
  });
  if (r.dialect === 'postgres') {
    return [check('eventsPerSec', targets.postgres.eventsPerSec, r.eventsPerSec)];
  }
  const t = targets.sqlite;
  return [
    check('eventsPerSec', t.eventsPerSec, r.eventsPerSec),
    check('ratio', t.ratio, r.ratio),
    check('lastToFirst', t.lastToFirst, r.lastToFirst),
    check('proofsPerSec', t.proofsPerSec, r.proofsPerSec),
    check('verifiesPerSec', t.verifiesPerSec, r.verifiesPerSec),
  ];
}

function printTable(results: Record<string, unknown>, verdicts: Verdict[]) {
  const { machine, ...flat } = results as { machine: Record<string, unknown> };
  const rows = Object.entries({ ...flat, ...machine }).map(([k, v]) => [k, format(v)]);
  const width = Math.max(...rows.map(([k]) => k!.length));
  for (const [k, v] of rows) process.stdout.write(`${k!.padEnd(width)}  ${v}\n`);
  process.stdout.write('\ntargets\n');
  for (const v of verdicts) {
    const mark = v.met === null ? 'n/a ' : v.met ? 'met ' : 'MISS';
    process.stdout.write(
      `  ${mark}  ${v.metric.padEnd(15)} ${format(v.actual).padStart(10)}  ≥ ${format(v.target)}\n`,
    );
  }
}

const format = (v: unknown): string => {
  if (typeof v === 'number') return v.toLocaleString('en', { maximumFractionDigits: 3 });
  return typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
};
const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

function fileBytes(path: string): number {
  let total = 0;
  for (const suffix of ['', '-wal']) {
    try {
      total += statSync(`${path}${suffix}`).size;
    } catch {
      // no WAL file once the database is checkpointed and closed
    }
  }
  return total;
}

function scratchParent(): string {
  return args.db && !isPostgresUrl(args.db) ? join(args.db, '..') : tmpdir();
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
