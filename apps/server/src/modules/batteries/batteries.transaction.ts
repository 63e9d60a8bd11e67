import type { Kysely, Transaction } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import { inTransaction } from '../../db/transaction.ts';

/**
 * Run several module calls that each open their own transaction (`registerAssets`, `appendEvents`)
 * as ONE database transaction: `work` gets a `Db` whose `kysely` is the open transaction and whose
 * `transaction()` joins it instead of beginning a new one. A cascade product's registration, its
 * events and this module's projection rows are then written together or not at all.
 */
export function inOneTransaction<T>(db: Db, work: (scoped: Db) => Promise<T>): Promise<T> {
  return inTransaction(db, (trx) => work(scopedDb(db, trx)));
}

function scopedDb(db: Db, trx: Transaction<Database>): Db {
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
