import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const bin = join(repoRoot, 'apps', 'server', 'bin', 'carloop.mjs');

/** The real `carloop` command, as a user runs it from the repository root. */
export function carloop(args: string[]): string {
  const run = spawnSync(process.execPath, [bin, ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: '' },
    timeout: 120_000,
  });
  if (run.status !== 0)
    throw new Error(`carloop ${args.join(' ')} exited ${run.status}:\n${run.stderr}${run.stdout}`);
  return run.stdout;
}

export interface ExampleServer {
  url: string;
  token: string;
  partyId: string;
  stop(): Promise<void>;
}

/**
 * A real server on a fresh SQLite file holding the README's example data: an admin party, the
 * example vehicles and batteries, and the example events (including the odometer rollback).
 */
export async function startExampleServer(): Promise<ExampleServer> {
  const dir = mkdtempSync(join(tmpdir(), 'carloop-web-'));
  const db = join(dir, 'carloop.db');
  const party = JSON.parse(
    carloop(['party', 'create', '--name', 'Ops', '--role', 'admin', '--json', '--db', db]),
  ) as { id: string; token: string };
  carloop(['import', '--file', 'examples/vehicles.csv', '--db', db]);
  carloop(['import', '--file', 'examples/batteries.jsonl', '--db', db]);
  carloop([
    'ledger',
    'append',
    '--file',
    'examples/events.jsonl',
    '--party',
    party.id,
    '--token',
    party.token,
    '--db',
    db,
  ]);

  const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--db', db], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await listeningUrl(child);
  return {
    url,
    token: party.token,
    partyId: party.id,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`carloop serve did not start:\n${output}`)), 60_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`carloop serve exited ${code}:\n${output}`));
    });
  });
}
