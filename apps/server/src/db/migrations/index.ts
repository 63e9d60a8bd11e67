import type { Kysely } from 'kysely';
import type { DialectName } from '../database.ts';
import * as foundation from './0001-foundation.ts';
import * as ledger from './0002-ledger.ts';

export interface CodeMigration {
  up(db: Kysely<unknown>, dialect: DialectName): Promise<void>;
}

/** Every migration, in order. Names sort lexicographically; never rename or edit a shipped one. */
export const migrations: Record<string, CodeMigration> = {
  '0001-foundation': foundation,
  '0002-ledger': ledger,
};
