/**
 * The simulation at scale: a seeded world through the full services, then the size of the database
 * and the latency of the two questions a buyer or a regulator asks most — a vehicle's history and a
 * battery's genealogy (what a vehicle contains, where a cell is).
 *
 *   npx tsx bench/simulation.bench.ts --vehicles 20000 --years 5 [--db <sqlite file or postgres URL>]
 *
 * Prints one JSON document; the numbers go to BENCHMARKS.md ("Simulation").
 */
import { statSync } from 'node:fs';
import { sql } from 'kysely';
import { openDatabase } from '../apps/server/src/db/database.ts';
import { contentsAt, listAssets, locationAt } from '../apps/server/src/modules/assets/index.ts';
import { subjectHistory } from '../apps/server/src/modules/ledger/index.ts';
import { localOperator } from '../apps/server/src/modules/parties/index.ts';
import { runSimulation } from '../apps/server/src/simulator/index.ts';
import { machineInfo } from './machine.ts';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
};
const vehicles = Number(arg('vehicles', '20000'));
const years = Number(arg('years', '5'));
const seed = arg('seed', 'bench');
const url = arg('db', `/tmp/carloop-sim-${vehicles}.db`);

const db = await openDatabase(url);
const result = await runSimulation(db, {
  vehicles,
  years,
  seed,
  onProgress: (done, total) => {
    if (done % 6 === 0) process.stderr.write(`month ${done}/${total}\n`);
  },
});

async function timed<T>(runs: number, work: (i: number) => Promise<T>) {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await work(i);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const q = (p: number) =>
    Math.round(times[Math.min(times.length - 1, Math.floor(p * times.length))]! * 100) / 100;
  return { runs, p50ms: q(0.5), p95ms: q(0.95) };
}

const op = localOperator;
const cars = (await listAssets(db, op, { kind: 'vehicle', limit: 100_000 })).map((v) => v.id);
const packs = (await listAssets(db, op, { kind: 'battery-pack', state: 'installed', limit: 100_000 })).map(
  (p) => p.id,
);
const cells = (await listAssets(db, op, { kind: 'battery-cell', limit: 100_000 })).map((c) => c.id);
const pick = (list: string[], i: number) => list[(i * 7_919) % list.length]!;
const history = await timed(200, (i) => subjectHistory(db, op, pick(cars, i)));
const hosts: string[] = [];
for (const p of packs.slice(0, 200)) {
  const where = await locationAt(db, op, p);
  if (where.within[0]) hosts.push(where.within[0].id);
}
const contents = await timed(200, (i) => contentsAt(db, op, pick(hosts, i)));
const location = await timed(200, (i) => locationAt(db, op, pick(cells, i)));

let sizeBytes: number;
if (db.dialect === 'sqlite') {
  await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(db.kysely);
  sizeBytes = statSync(url).size;
} else {
  sizeBytes = Number(
    (
      await sql<{ size: string }>`SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) AS size
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = current_schema() AND c.relkind = 'r'`.execute(db.kysely)
    ).rows[0]!.size,
  );
}
await db.close();

process.stdout.write(
  `${JSON.stringify(
    {
      machine: machineInfo(url.startsWith('postgres') ? '/' : url),
      dialect: url.startsWith('postgres') ? 'postgres' : 'sqlite',
      simulation: result,
      databaseMiB: Math.round(sizeBytes / 1024 / 1024),
      latency: { vehicleHistory: history, vehicleContents: contents, cellLocation: location },
    },
    null,
    2,
  )}\n`,
);
