import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { carloop, repoRoot } from './support/cli.ts';
import { nextVin } from './support/fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'carloop-cli-'));
const db = join(dir, 'cli.db');

describe('carloop CLI contracts', () => {
  it('codes vin prints the report and exits 0 when valid, 1 when not', () => {
    const ok = carloop(['codes', 'vin', '1G4AH59H45G118341', '--json']);
    expect(ok.status).toBe(0);
    expect(ok.json()).toMatchObject({
      input: '1G4AH59H45G118341',
      valid: true,
      errors: [],
      checkDigit: { expected: '4', actual: '4', enforced: true },
      wmi: '1G4',
      region: 'North America',
      modelYearCandidates: [2005],
    });
    const bad = carloop(['codes', 'vin', 'lfv2a21k6pa000001', '--json']);
    expect(bad.status).toBe(1);
    expect(bad.json<{ valid: boolean; errors: unknown[] }>().errors.length).toBeGreaterThan(0);
  });

  it('codes battery decodes every field, exit 1 with field errors otherwise', () => {
    const ok = carloop(['codes', 'battery', 'X12MCPM27KLPCLX2M2382320', '--json']);
    expect(ok.status).toBe(0);
    const report = ok.json<{ form: string; fields: Record<string, unknown> }>();
    expect(report.form).toBe('standard');
    expect(Object.keys(report.fields)).toEqual(
      expect.arrayContaining([
        'manufacturer',
        'productType',
        'chemistry',
        'specification',
        'traceability',
        'production',
        'serial',
      ]),
    );
    expect(report.fields.productType).toBe('module');
    const bad = carloop(['codes', 'battery', 'X12MCPM27KLPCLX2M238232O', '--json']);
    expect(bad.status).toBe(1);
    expect(bad.json<{ errors: Array<{ field: string }> }>().errors[0]!.field).toBeTruthy();
  });

  it('party create prints the token once; asset register/list/show work on --db', () => {
    const created = carloop([
      'party',
      'create',
      '--name',
      'Dealer CLI',
      '--role',
      'dealer',
      '--json',
      '--db',
      db,
    ]);
    expect(created.status).toBe(0);
    expect(created.json()).toMatchObject({
      name: 'Dealer CLI',
      roles: ['dealer'],
      token: expect.stringMatching(/^clp_/),
    });
    const vin = nextVin();
    const reg = carloop([
      'asset',
      'register',
      '--kind',
      'vehicle',
      '--vin',
      vin,
      '--make',
      'NIO',
      '--model',
      'ET5',
      '--powertrain',
      'bev',
      '--new-price',
      '298000',
      '--currency',
      'CNY',
      '--json',
      '--db',
      db,
    ]);
    expect(reg.status).toBe(0);
    const listed = carloop(['asset', 'list', '--kind', 'vehicle', '--limit', '10', '--json', '--db', db]);
    expect(listed.json<Array<Record<string, unknown>>>()).toContainEqual(
      expect.objectContaining({
        id: vin,
        kind: 'vehicle',
        state: 'registered',
        newPrice: 298000,
        currency: 'CNY',
      }),
    );
    const shown = carloop(['asset', 'show', vin, '--json', '--db', db]);
    expect(shown.json()).toMatchObject({ id: vin, make: 'NIO' });
    const dup = carloop([
      'asset',
      'register',
      '--kind',
      'vehicle',
      '--vin',
      vin,
      '--make',
      'NIO',
      '--model',
      'ET5',
      '--powertrain',
      'bev',
      '--db',
      db,
    ]);
    expect(dup.status).toBe(1);
    expect(dup.stderr).toMatch(/already registered/);
    expect(dup.stdout).toBe('');
  });

  it('imports the examples; a file with a bad row imports nothing unless --partial, naming the line', () => {
    const vehicles = join(repoRoot, 'examples/vehicles.csv');
    const ok = carloop(['import', '--file', vehicles, '--json', '--db', db]);
    expect(ok.status).toBe(0);
    const rows = readFileSync(vehicles, 'utf8').trim().split('\n').length - 1;
    expect(ok.json()).toMatchObject({ imported: rows, rejected: [] });

    const bad = join(dir, 'bad.jsonl');
    writeFileSync(
      bad,
      [
        JSON.stringify({ kind: 'vehicle', vin: nextVin(), make: 'A', model: 'B', powertrain: 'ice' }),
        '{oops',
        JSON.stringify({ kind: 'vehicle', vin: 'SHORT', make: 'A', model: 'B', powertrain: 'ice' }),
      ].join('\n'),
    );
    const strict = carloop(['import', bad, '--json', '--db', db]);
    expect(strict.status).toBe(1);
    const report = strict.json<{
      imported: number;
      rejected: Array<{ line: number; errors: Array<{ field: string }> }>;
    }>();
    expect(report.imported).toBe(0);
    expect(report.rejected.map((r) => r.line)).toEqual([2, 3]);
    expect(report.rejected[1]!.errors[0]!.field).toBe('vin');
    const partial = carloop(['import', bad, '--partial', '--json', '--db', db]);
    expect(partial.status).toBe(0);
    expect(partial.json()).toMatchObject({ imported: 1 });
  });

  it('exports CSV that imports again into a fresh database', () => {
    const out = join(dir, 'export.csv');
    expect(carloop(['export', '--kind', 'vehicle', '--out', out, '--db', db]).status).toBe(0);
    const again = carloop(['import', '--file', out, '--json', '--db', join(dir, 'second.db')]);
    expect(again.status).toBe(0);
    expect(again.json<{ imported: number }>().imported).toBe(
      readFileSync(out, 'utf8').trim().split('\n').length - 1,
    );
  });

  it('reports usage errors with a non-zero exit', () => {
    const r = carloop(['asset', 'list', '--kind', 'spaceship', '--db', db]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--kind/);
  });
});
