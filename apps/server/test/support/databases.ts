import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { type Db, openDatabase } from '../../src/db/database.ts';

/**
 * Repository and service tests run once per database: SQLite always, PostgreSQL whenever
 * CARLOOP_TEST_PG_URL is set (CI sets it). Each suite gets a fresh database — an in-memory SQLite
 * file, or its own PostgreSQL schema that is dropped afterwards.
 */
export const pgUrl = process.env.CARLOOP_TEST_PG_URL;

export interface TestDatabase {
  name: 'sqlite' | 'postgres';
  open(): Promise<{ db: Db; drop(): Promise<void> }>;
}

const sqlite: TestDatabase = {
  name: 'sqlite',
  async open() {
    const db = await openDatabase(':memory:');
    return { db, drop: () => db.close() };
  },
};

const postgres: TestDatabase = {
  name: 'postgres',
  async open() {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    const url = new URL(pgUrl!);
    url.searchParams.set('schema', schema);
    const db = await openDatabase(url.toString());
    return {
      db,
      async drop() {
        await db.close();
        const client = new pg.Client({ connectionString: pgUrl });
        await client.connect();
        await client.query(`DROP SCHEMA ${schema} CASCADE`);
        await client.end();
      },
    };
  },
};

export const testDatabases: TestDatabase[] = pgUrl ? [sqlite, postgres] : [sqlite];

/** `describe` once per database; the body reads the open database through `ctx.db`. */
export function describeEachDatabase(title: string, body: (ctx: { db: Db }) => void): void {
  for (const database of testDatabases) {
    describe(`${title} [${database.name}]`, () => {
      const ctx = {} as { db: Db };
      let drop: () => Promise<void> = async () => {};
      beforeAll(async () => {
        const opened = await database.open();
        ctx.db = opened.db;
        drop = opened.drop;
      });
      afterAll(() => drop());
      body(ctx);
    });
  }
}

/** Row counts of the given tables, to show a refused write changed nothing. */
export async function countRows(db: Db, tables: string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const row = await db.kysely
      .selectFrom(table as 'assets')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  return counts;
}
