import type { Db } from './db/database.ts';
import type { AssetRegistrationHooks } from './modules/assets/index.ts';

/**
 * The composition root: how modules are wired together for one database. The HTTP app, the CLI and
 * the simulator all take their services from here, so every path runs the same rules.
 */
export interface Services {
  db: Db;
  assetHooks: AssetRegistrationHooks;
}

export function createServices(db: Db): Services {
  return { db, assetHooks: { initialState: () => 'registered' } };
}
