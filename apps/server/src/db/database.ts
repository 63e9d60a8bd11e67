import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { migrateToLatest } from './migrate.ts';
import type { Database } from './schema.ts';

export type DialectName = 'sqlite' | 'postgres';

export interface Db {
  readonly kysely: Kysely<Database>;
  readonly dialect: DialectName;
  /** Where the data lives, with any password removed (safe to print). */
  readonly location: string;
  close(): Promise<void>;
}

export const defaultSqlitePath = './data/carloop.db';

/** `--db` wins, then `DATABASE_URL`, then the embedded SQLite file. */
export function resolveDatabaseUrl(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  return explicit || env.DATABASE_URL || defaultSqlitePath;
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

// int8 (bigint) and numeric come back from pg as strings; every such value we store (minor units,
// counts, sequence numbers) is far below 2^53, so read them as numbers on both dialects.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

function openPostgres(url: string): Db {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema');
  parsed.searchParams.delete('schema');
  const pool = new pg.Pool({
    connectionString: parsed.toString(),
    max: 8,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  parsed.password = parsed.password ? '***' : '';
  return { kysely, dialect: 'postgres', location: parsed.toString(), close: () => kysely.destroy() };
}

function openSqlite(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const database = new SQLite(path);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  return { kysely, dialect: 'sqlite', location: path, close: () => kysely.destroy() };
}

export interface OpenOptions {
  /** Run pending migrations before returning (default true). */
  migrate?: boolean;
}

export async function openDatabase(url: string, options: OpenOptions = {}): Promise<Db> {
  const db = isPostgresUrl(url) ? openPostgres(url) : openSqlite(url.replace(/^sqlite:(\/\/)?/, ''));
  if (options.migrate !== false) {
    try {
      await migrateToLatest(db);
    } catch (error) {
      await db.close();
      throw error;
    }
  }
  return db;
}
