import type { Kysely } from 'kysely';
import type { DialectName } from '../database.ts';
import * as foundation from './0001-foundation.ts';
import * as ledger from './0002-ledger.ts';
import * as valuation from './0003-valuation.ts';
import * as buyback from './0004-buyback.ts';
import * as remarketing from './0005-remarketing.ts';
import * as dismantling from './0006-dismantling.ts';
import * as batteries from './0007-batteries.ts';

export interface CodeMigration {
  up(db: Kysely<unknown>, dialect: DialectName): Promise<void>;
}

/** Every migration, in order. Names sort lexicographically; never rename or edit a shipped one. */
export const migrations: Record<string, CodeMigration> = {
  '0001-foundation': foundation,
  '0002-ledger': ledger,
  '0003-valuation': valuation,
  '0004-buyback': buyback,
  '0005-remarketing': remarketing,
  '0006-dismantling': dismantling,
  '0007-batteries': batteries,
};
