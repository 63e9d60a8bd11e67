import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/database.ts';
import { seedRemovedPack } from '../src/modules/batteries/batteries.examples.ts';
import { gradeBatteryByRules, recordSohTest, recycleBattery } from '../src/modules/batteries/index.ts';
import { localSubmitter } from '../src/modules/ledger/index.ts';
import { submodelNames, validateCatenax, validateSubmodel } from '../src/modules/passports/index.ts';
import { carloop } from './support/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'carloop-batteries-cli-'));
const db = join(dir, 'cli.db');
const codes: Record<string, string> = {};

/** Seed two removed, tested and graded packs in-process; the CLI then works on the same file. */
beforeAll(async () => {
  const opened = await openDatabase(db);
  try {
    for (const [name, kwh] of [
      ['live', 45],
      ['recycled', 20],
    ] as const) {
      const { code } = await seedRemovedPack(opened, { energyKwh: 60, massKg: 420 });
      await recordSohTest(opened, localSubmitter, code, {
        testedAt: '2030-05-10T02:00:00Z',
        testerPartyId: 'party:lab-01',
        method: 'capacity_discharge',
        measuredEnergyKwh: kwh,
      });
      await gradeBatteryByRules(opened, localSubmitter, code, {
        gradedAt: '2030-05-11T02:00:00Z',
        graderPartyId: 'party:lab-01',
      });
      codes[name] = code;
    }
    await recycleBattery(opened, localSubmitter, codes.recycled!, {
      recycledAt: '2030-06-01T00:00:00Z',
      recyclerPartyId: 'party:recycler-01',
      process: 'hydrometallurgical',
    });
  } finally {
    await opened.close();
  }
}, 60_000);

describe('carloop battery / passport / traceability CLI contracts', () => {
  it('passport export --format batterypass writes the seven submodels, each valid against its newest schema', () => {
    const out = join(dir, 'passport');
    const r = carloop([
      'passport',
      'export',
      codes.live!,
      '--format',
      'batterypass',
      '--out',
      out,
      '--json',
      '--db',
      db,
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(
      [
        'CarbonFootprint.json',
        'Circularity.json',
        'GeneralProductInformation.json',
        'Labeling.json',
        'MaterialComposition.json',
        'PerformanceAndDurability.json',
        'SupplyChainDueDiligence.json',
      ].sort(),
    );
    for (const name of submodelNames)
      expect(
        validateSubmodel(name, JSON.parse(readFileSync(join(out, `${name}.json`), 'utf8'))).errors,
        name,
      ).toEqual([]);
    expect(r.json<{ validation: Array<{ valid: boolean }> }>().validation.every((v) => v.valid)).toBe(true);
  });

  it('passport export --format catenax writes one file valid against battery_pass 6.1.0', () => {
    const file = join(dir, 'catenax.json');
    const r = carloop(['passport', 'export', codes.live!, '--format', 'catenax', '--out', file, '--db', db]);
    expect(r.status, r.stderr).toBe(0);
    expect(validateCatenax(JSON.parse(readFileSync(file, 'utf8'))).errors).toEqual([]);
  });

  it('passport show --access public hides what the public may not see; a recycled battery answers its end-of-life record', () => {
    const pub = carloop(['passport', 'show', codes.live!, '--access', 'public', '--json', '--db', db]);
    expect(pub.status, pub.stderr).toBe(0);
    const view = pub.json<Record<string, Record<string, unknown>>>();
    expect(view.GeneralProductInformation).toMatchObject({ productIdentifier: codes.live });
    expect(view.GeneralProductInformation!.batteryStatus).toBeUndefined();
    const gone = carloop([
      'passport',
      'show',
      codes.recycled!,
      '--access',
      'authority',
      '--json',
      '--db',
      db,
    ]);
    expect(gone.status).toBe(0);
    expect(gone.json()).toMatchObject({
      passportStatus: 'ceased',
      endOfLife: { process: 'hydrometallurgical' },
    });
    const refused = carloop([
      'passport',
      'export',
      codes.recycled!,
      '--format',
      'catenax',
      '--out',
      join(dir, 'x.json'),
      '--db',
      db,
    ]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('Art. 77(8)');
  });

  it('battery repurpose refuses a code in the wrong form, naming the field', () => {
    const r = carloop([
      'battery',
      'repurpose',
      '--new-code',
      codes.recycled!,
      '--source',
      codes.live!,
      '--operator',
      'party:repurposer-01',
      '--application',
      'energy_storage',
      '--at',
      '2030-06-01T00:00:00Z',
      '--json',
      '--db',
      db,
    ]);
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stderr)).toMatchObject({ error: 'wrong_code_form', errors: [{ field: 'newCode' }] });
  });

  it('traceability report prints the rows as JSON and CSV with the contract columns', () => {
    const json = carloop([
      'traceability',
      'report',
      '--from',
      '2023-01-01',
      '--to',
      '2030-12-31',
      '--format',
      'json',
      '--db',
      db,
    ]);
    expect(json.status, json.stderr).toBe(0);
    const rows = json.json<Array<Record<string, unknown>>>();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(Object.keys(row).sort()).toEqual(
        ['event', 'party', 'batteryCode', 'vin', 'occurredAt', 'deadline', 'reportedAt', 'status'].sort(),
      );
      expect(['on_time', 'late', 'overdue', 'due_soon', 'pending']).toContain(row.status);
    }
    expect(rows.filter((r) => r.batteryCode === codes.recycled).map((r) => r.event)).toEqual(
      expect.arrayContaining(['factory_outbound', 'elv_battery_removal', 'final_treatment']),
    );
    const csv = carloop([
      'traceability',
      'report',
      '--from',
      '2023-01-01',
      '--to',
      '2030-12-31',
      '--format',
      'csv',
      '--db',
      db,
    ]);
    expect(csv.stdout.split('\n')[0]).toBe(
      'event,party,batteryCode,vin,occurredAt,deadline,reportedAt,status',
    );
    expect(csv.stdout.trim().split('\n')).toHaveLength(rows.length + 1);
  });
});
