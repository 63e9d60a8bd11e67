import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeVin } from '@carloop/codes';
import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { examplePayloads } from '../src/modules/lifecycle/index.ts';
import { carloop, repoRoot } from './support/cli.ts';
import { exampleAssets, linesOf, vehicleLife } from './support/ledger-fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'carloop-ledger-cli-'));
const db = join(dir, 'ledger.db');
const write = (name: string, lines: unknown[]) => {
  const path = join(dir, name);
  writeFileSync(path, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
  return path;
};

describe('carloop ledger CLI contracts', () => {
  let party: { id: string; token: string };

  it('ledger types lists the catalogue with JSON Schemas', () => {
    const r = carloop(['ledger', 'types', '--json']);
    expect(r.status).toBe(0);
    const rows = r.json<Array<Record<string, unknown>>>();
    expect(Object.keys(rows[0]!).sort()).toEqual([
      'fromStates',
      'payloadSchema',
      'subjectKind',
      'toState',
      'type',
    ]);
    expect(rows.find((row) => row.type === 'vehicle.sold')).toMatchObject({
      subjectKind: 'vehicle',
      toState: 'sold',
    });
  });

  it('ledger append needs a submitter, reports the file line of a bad event and appends nothing', () => {
    writeFileSync(join(dir, 'assets.jsonl'), exampleAssets.map((a) => JSON.stringify(a)).join('\n'));
    expect(carloop(['import', join(dir, 'assets.jsonl'), '--db', db]).status).toBe(0);
    party = carloop(['party', 'create', '--name', 'OEM CLI', '--role', 'oem', '--json', '--db', db]).json();
    const good = write('good.jsonl', linesOf(vehicleLife, 0, 6));
    expect(carloop(['ledger', 'append', '--file', good, '--db', db]).status).toBe(2);
    const lines = linesOf(vehicleLife, 6, 9);
    const badPath = join(dir, 'bad.jsonl');
    writeFileSync(
      badPath,
      `${JSON.stringify(lines[0])}\n\n${JSON.stringify({ ...lines[1], payload: { nope: 1 } })}\n`,
    );
    const first = carloop([
      'ledger',
      'append',
      '--file',
      good,
      '--party',
      party.id,
      '--token',
      party.token,
      '--json',
      '--db',
      db,
    ]);
    expect(first.status).toBe(0);
    expect(first.json()).toMatchObject({ appended: 6, firstSeq: 0, lastSeq: 5, checkpoint: { size: 6 } });
    const bad = carloop([
      'ledger',
      'append',
      '--file',
      badPath,
      '--party',
      party.id,
      '--token',
      party.token,
      '--json',
      '--db',
      db,
    ]);
    expect(bad.status).toBe(1);
    const err = JSON.parse(bad.stderr) as { errors: Array<{ line: number; field: string }> };
    expect(err.errors[0]).toMatchObject({ line: 3 });
    const cp = carloop(['ledger', 'checkpoint', '--json', '--db', db]).json<Record<string, unknown>>();
    expect(Object.keys(cp).sort()).toEqual(['note', 'origin', 'rootHash', 'size', 'vkey']);
    expect(cp.size).toBe(6);
  });

  it('prove and consistency print the proofs in the named shape', () => {
    const p = carloop(['ledger', 'prove', '--seq', '2', '--json', '--db', db]).json<
      Record<string, unknown>
    >();
    expect(p).toMatchObject({ leafIndex: 2, treeSize: 6 });
    expect(Object.keys(p)).toEqual(
      expect.arrayContaining(['leafIndex', 'treeSize', 'leafHash', 'entry', 'proof', 'checkpoint']),
    );
    const c = carloop(['ledger', 'consistency', '--from', '2', '--to', '6', '--json', '--db', db]).json<
      Record<string, unknown>
    >();
    expect(Object.keys(c).sort()).toEqual(['proof', 'root1', 'root2', 'size1', 'size2']);
  });

  it('history export writes a bundle that verify accepts offline; tampering is caught and named', () => {
    const out = join(dir, 'bundle.json');
    expect(carloop(['history', 'export', vehicleLife.subjectId, '--out', out, '--db', db]).status).toBe(0);
    const ok = carloop(['verify', out, '--json'], { DATABASE_URL: 'postgres://nowhere.invalid/none' });
    expect(ok.status).toBe(0);
    expect(ok.json()).toMatchObject({ ok: true });
    const bundle = JSON.parse(readFileSync(out, 'utf8'));
    const cases: Record<string, (b: typeof bundle) => void> = {
      'changed payload': (b) => {
        b.events[1].payload.boundAt = '2001-01-01T00:00:00Z';
      },
      'dropped event': (b) => {
        b.events.splice(2, 1);
      },
      'reordered events': (b) => {
        [b.events[1], b.events[2]] = [b.events[2], b.events[1]];
      },
      'altered proof byte': (b) => {
        const bytes = Buffer.from(b.events[0].proof[0], 'base64');
        bytes[0]! ^= 1;
        b.events[0].proof[0] = bytes.toString('base64');
      },
    };
    for (const [name, tamper] of Object.entries(cases)) {
      const copy = structuredClone(bundle);
      tamper(copy);
      const path = join(dir, `tampered-${name.replace(/ /g, '-')}.json`);
      writeFileSync(path, JSON.stringify(copy));
      const r = carloop(['verify', path]);
      expect(r.status, name).toBe(1);
      expect(r.stdout, name).toMatch(/FAILED/);
    }
    const wrongKey = carloop([
      'verify',
      out,
      '--key',
      'other.example/log+12345678+AfuRkfU0SAf+GWz8XrE67vMH/lXQ5GdDh2fi7R83uNOr',
      '--json',
    ]);
    expect(wrongKey.status).toBe(1);
    expect(wrongKey.stdout).toMatch(/key/i);
  });

  it('erase-payload redacts an event and the bundle still verifies; audit passes', () => {
    const history = carloop(['ledger', 'history', vehicleLife.subjectId, '--json', '--db', db]).json<{
      events: Array<{ id: string }>;
    }>();
    expect(carloop(['ledger', 'erase-payload', history.events[3]!.id, '--db', db]).status).toBe(0);
    const out = join(dir, 'bundle-redacted.json');
    carloop(['history', 'export', vehicleLife.subjectId, '--out', out, '--db', db]);
    const verified = carloop(['verify', out, '--json']);
    expect(verified.status).toBe(0);
    expect(verified.json<{ events: Array<{ redacted: boolean }> }>().events[3]!.redacted).toBe(true);
    const audit = carloop(['ledger', 'audit', '--json', '--db', db]);
    expect(audit.status).toBe(0);
    expect(audit.json()).toMatchObject({ ok: true, size: 6 });
  });

  it('a process killed mid-batch leaves the whole batch or none of it, and a consistent checkpoint', async () => {
    const crashDb = join(dir, 'crash.db');
    const vins = Array.from({ length: 1000 }, (_, i) =>
      makeVin('LFV2A21K', `P${String(i).padStart(7, '0')}`),
    );
    writeFileSync(
      join(dir, 'fleet.csv'),
      `kind,vin,make,model,powertrain\n${vins.map((v) => `vehicle,${v},FAW-VW,Sagitar,ice`).join('\n')}\n`,
    );
    expect(carloop(['import', join(dir, 'fleet.csv'), '--db', crashDb]).status).toBe(0);
    const oem = carloop([
      'party',
      'create',
      '--name',
      'Crash OEM',
      '--role',
      'oem',
      '--json',
      '--db',
      crashDb,
    ]).json<{ id: string; token: string }>();
    const events = vins.flatMap((vin, i) => {
      const at = (d: number) =>
        new Date(Date.parse('2025-01-01T00:00:00Z') + i * 1000 + d * 86400000).toISOString();
      const ev = (type: string, d: number, payload: unknown) => ({
        type,
        subject: { kind: 'vehicle', id: vin },
        occurredAt: at(d),
        payload,
      });
      return [
        ev('vehicle.produced', 0, { ...examplePayloads['vehicle.produced'], powertrain: 'ice' }),
        ev('vehicle.sold', 1, examplePayloads['vehicle.sold']),
        ev('vehicle.registered', 2, examplePayloads['vehicle.registered']),
        ...[1, 2, 3, 4, 5, 6, 7].map((k) =>
          ev('vehicle.odometer_read', 2 + k * 30, {
            ...examplePayloads['vehicle.odometer_read'],
            odometerKm: k * 1000,
          }),
        ),
      ];
    });
    const file = write('crash.jsonl', events);
    const args = [
      'ledger',
      'append',
      '--file',
      file,
      '--party',
      oem.id,
      '--token',
      oem.token,
      '--json',
      '--db',
      crashDb,
    ];
    // Killed inside the transaction, after the entries were written and before the checkpoint.
    const killed = carloop(args, { CARLOOP_FAILPOINT: 'append:after-entries' });
    expect(killed.status).toBe(-1);
    const count = () => {
      const sqlite = new SQLite(crashDb, { readonly: true });
      const entries = (sqlite.prepare('SELECT count(*) AS n FROM log_entries').get() as { n: number }).n;
      const checkpoint = sqlite.prepare('SELECT max(size) AS size FROM log_checkpoints').get() as {
        size: number | null;
      };
      sqlite.close();
      return { entries, checkpoint: checkpoint.size ?? 0 };
    };
    expect(count()).toEqual({ entries: 0, checkpoint: 0 });
    // Killed at an arbitrary moment: whole batch or nothing.
    const bin = fileURLToPath(new URL('../bin/carloop.mjs', import.meta.url));
    const child = spawn(process.execPath, [bin, ...args], { cwd: repoRoot, stdio: 'ignore' });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 1300))]);
    child.kill('SIGKILL');
    await exited;
    const { entries, checkpoint } = count();
    expect([0, events.length]).toContain(entries);
    expect(checkpoint).toBe(entries);
    const audit = carloop(['ledger', 'audit', '--json', '--db', crashDb]);
    expect(audit.json()).toMatchObject({ ok: true, size: entries });
  }, 120_000);

  it('serve refuses to start when the stored log disagrees with its signed checkpoint', () => {
    const sqlite = new SQLite(db);
    sqlite.exec('DROP TRIGGER log_entries_no_update');
    sqlite.prepare('UPDATE log_entries SET leaf_hash = ? WHERE seq = 1').run(Buffer.alloc(32, 1));
    sqlite.close();
    const r = carloop(['serve', '--port', '0', '--db', db]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/refusing to start/);
    const audit = carloop(['ledger', 'audit', '--json', '--db', db]);
    expect(audit.status).toBe(1);
    expect(audit.json()).toMatchObject({ ok: false, firstDivergentEntry: { seq: 1 } });
  });
});
