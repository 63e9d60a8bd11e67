import type { Kysely, Transaction } from 'kysely';
import type { Db } from './database.ts';
import type { Database } from './schema.ts';

/** What a repository runs on: the database itself or an open transaction. */
export type Executor = Kysely<Database> | Transaction<Database>;

/** Run `work` in one database transaction: all of it is written, or none of it. */
export function inTransaction<T>(db: Db, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.kysely.transaction().execute(work);
}

/**
 * Run several service calls that each open their own transaction (`registerAssets`, `appendEvents`, …)
 * as ONE database transaction: `work` gets a `Db` whose `kysely` is the open transaction and whose
 * `transaction()` joins it instead of beginning a new one. Registration, events and a module's own rows
 * are then written together or not at all.
 */
export function inOneTransaction<T>(db: Db, work: (scoped: Db) => Promise<T>): Promise<T> {
  return inTransaction(db, (trx) => work(joinedDb(db, trx)));
}

function joinedDb(db: Db, trx: Transaction<Database>): Db {
  const joined = { execute: <R>(fn: (t: Transaction<Database>) => Promise<R>) => fn(trx) };
  const kysely = new Proxy(trx, {
    get(target, property) {
      if (property === 'transaction') return () => joined;
      const value = Reflect.get(target, property, target) as unknown;
      // Kysely keeps its state in private fields: methods must run on the real object.
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  }) as unknown as Kysely<Database>;
  return { kysely, dialect: db.dialect, location: db.location, close: async () => {} };
}
