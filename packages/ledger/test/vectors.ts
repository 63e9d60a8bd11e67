/** Loads the shared test vectors from /work/shared/data/merkle (never copied into the repo). */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const MERKLE_DATA_DIR = fileURLToPath(new URL('../../../../shared/data/merkle/', import.meta.url));

export function readJson<T>(relativePath: string): T {
  return JSON.parse(readFileSync(join(MERKLE_DATA_DIR, relativePath), 'utf8')) as T;
}

/** Every `.json` file under a folder of the vector directory, as paths relative to it. */
export function listJsonFiles(relativeDir: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(join(MERKLE_DATA_DIR, dir)).sort()) {
      const path = join(dir, name);
      if (statSync(join(MERKLE_DATA_DIR, path)).isDirectory()) walk(path);
      else if (name.endsWith('.json')) out.push(path);
    }
  };
  walk(relativeDir);
  return out;
}

export function fromBase64(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'base64'));
}

export function fromHex(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'hex'));
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}
