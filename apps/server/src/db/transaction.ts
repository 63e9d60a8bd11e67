import type { Kysely, Transaction } from 'kysely';
import type { Db } from './database.ts';
import type { Database } from './schema.ts';

/** What a repository runs on: the database itself or an open transaction. */
export type Executor = Kysely<Database> | Transaction<Database>;

/** Run `work` in one database transaction: all of it is written, or none of it. */
export function inTransaction<T>(db: Db, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.kysely.transaction().execute(work);
}
