/**
 * The reference data the passports module reads at run time: the Battery Pass data model and the
 * Catena-X battery pass, in the `shared/` folder beside the repository root (`<repo>/../shared`,
 * as CI lays it out). CARLOOP_SHARED_DIR points elsewhere. Nothing of it is copied into the repo.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DomainError } from '../../shared/errors.ts';

/** This file is apps/server/src/modules/passports/…: five levels below the repository root. */
export const repositoryRoot = fileURLToPath(new URL('../../../../../', import.meta.url));

export function sharedDir(): string {
  return resolve(process.env.CARLOOP_SHARED_DIR || join(repositoryRoot, '..', 'shared'));
}

export function sharedPath(...parts: string[]): string {
  return join(sharedDir(), 'data', ...parts);
}

export function readShared(...parts: string[]): string {
  const path = sharedPath(...parts);
  if (!existsSync(path))
    throw new DomainError(
      'integrity',
      'shared_data_missing',
      `reference data ${path} is missing: the shared/ folder must sit beside the repository root (or set CARLOOP_SHARED_DIR)`,
    );
  return readFileSync(path, 'utf8');
}

export function listShared(...parts: string[]): string[] {
  const path = sharedPath(...parts);
  return existsSync(path) ? readdirSync(path) : [];
}
