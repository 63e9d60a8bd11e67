import type { Command } from 'commander';
import { type Db, openDatabase, resolveDatabaseUrl } from '../db/database.ts';
import { reportError } from './output.ts';

export interface DbOptions {
  db?: string;
  json?: boolean;
}

/** Every command that touches data takes `--db <sqlite path or postgres URL>`. */
export function withDbOption(command: Command): Command {
  return command.option(
    '--db <url>',
    'SQLite file path or postgres:// URL (default: $DATABASE_URL, else ./data/carloop.db)',
  );
}

export async function withDatabase<T>(options: DbOptions, work: (db: Db) => Promise<T>): Promise<T> {
  const db = await openDatabase(resolveDatabaseUrl(options.db));
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

/** Wrap a command action: errors are reported once, on stderr, with a non-zero exit code. */
export function action<A extends unknown[]>(run: (...args: A) => Promise<unknown>) {
  return async (...args: A) => {
    const command = args[args.length - 1] as Command;
    const json = Boolean(command.opts().json);
    try {
      const code = await run(...args);
      process.exitCode = typeof code === 'number' ? code : 0;
    } catch (error) {
      process.exitCode = reportError(error, json);
    }
  };
}
