// Builds the web console into apps/web/dist unless the build is newer than every input, so
// `npm start` (its `prestart`) and the browser tests cost nothing when nothing changed.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const webRoot = fileURLToPath(new URL('..', import.meta.url));
const repoRoot = join(webRoot, '..', '..');
export const distIndex = join(webRoot, 'dist', 'index.html');

/** Everything the bundle is made from: the console's sources and the ledger package it bundles. */
const inputs = [
  join(webRoot, 'index.html'),
  join(webRoot, 'vite.config.ts'),
  join(webRoot, 'package.json'),
  join(webRoot, 'src'),
  join(webRoot, 'public'),
  join(repoRoot, 'packages', 'ledger', 'src'),
  join(repoRoot, 'packages', 'ledger', 'package.json'),
];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs;
  for (const name of readdirSync(path)) {
    if (name.endsWith('.test.ts')) continue;
    newest = Math.max(newest, newestMtime(join(path, name)));
  }
  return newest;
}

export function webBuildIsStale(): boolean {
  if (!existsSync(distIndex)) return true;
  const built = statSync(distIndex).mtimeMs;
  return inputs.some((input) => newestMtime(input) > built);
}

export async function buildWebConsoleIfStale(): Promise<'built' | 'fresh'> {
  if (!webBuildIsStale()) return 'fresh';
  process.stderr.write('building the web console (apps/web → apps/web/dist) …\n');
  const { build } = await import('vite');
  await build({ root: webRoot, configFile: join(webRoot, 'vite.config.ts'), logLevel: 'warn' });
  return 'built';
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const result = await buildWebConsoleIfStale();
  if (result === 'fresh') process.stderr.write('web console build is up to date (apps/web/dist)\n');
}
