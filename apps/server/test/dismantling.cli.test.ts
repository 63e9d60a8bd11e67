import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { carloop } from './support/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'carloop-dismantling-'));
const db = ['--db', join(dir, 'elv.db')];
// The examples are written for this vehicle and its traction pack.
const vin = 'LRW3E7FA2PC123456';
const pack = '04QPEA1JH00012D4J0001201';

describe('carloop dismantling CLI contracts', () => {
  it('intake: exit 1 with {refused, reasons} when a check refuses the certificate', () => {
    const refused = carloop([
      'dismantling',
      'intake',
      '--vin',
      'LSGKB54M8NS012345',
      '--mass-kg',
      '1650',
      '--flags',
      'mortgaged,engine-missing',
      '--json',
      ...db,
    ]);
    expect(refused.status).toBe(1);
    expect(refused.json()).toMatchObject({
      refused: true,
      reasons: [{ code: 'mortgaged_or_pledged' }, { code: 'engine_missing' }],
    });
  });

  it('intake issues the certificate; a second one is refused', () => {
    const args = [
      'dismantling',
      'intake',
      '--vin',
      vin,
      '--mass-kg',
      '1760',
      '--pack-code',
      pack,
      '--received-at',
      '2026-11-02T01:00:00Z',
      '--json',
      ...db,
    ];
    const ok = carloop(args);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.json()).toMatchObject({ certificateNumber: 'ELV-2026-0000001', vin, enrolled: true });
    const again = carloop(args);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/certificate_exists/);
  });

  it('harvest is refused before pre-treatment; pretreat, deregister, harvest and weigh with the example files', () => {
    const early = carloop([
      'dismantling',
      'harvest',
      '--vin',
      vin,
      '--file',
      'examples/dismantling-harvest.json',
      '--json',
      ...db,
    ]);
    expect(early.status).toBe(1);
    expect(early.stderr).toMatch(/pretreatment_required/);
    const pre = carloop([
      'dismantling',
      'pretreat',
      '--vin',
      vin,
      '--checklist',
      'examples/dismantling-pretreatment.json',
      '--json',
      ...db,
    ]);
    expect(pre.status, pre.stderr).toBe(0);
    expect(
      carloop(['dismantling', 'deregister', '--vin', vin, '--at', '2026-11-05T02:00:00Z', ...db]).status,
    ).toBe(0);
    const harvest = carloop([
      'dismantling',
      'harvest',
      '--vin',
      vin,
      '--file',
      'examples/dismantling-harvest.json',
      '--json',
      ...db,
    ]);
    expect(harvest.status, harvest.stderr).toBe(0);
    const weigh = carloop([
      'dismantling',
      'weigh',
      '--vin',
      vin,
      '--file',
      'examples/dismantling-materials.json',
      '--json',
      ...db,
    ]);
    expect(weigh.status, weigh.stderr).toBe(0);
    expect(weigh.json()).toMatchObject({
      massKg: 1760,
      reuseKg: 167.2,
      recycleKg: 1498,
      energyRecoveryKg: 40,
      recyclabilityRate: 0.9461,
      recoverabilityRate: 0.9689,
    });
  });

  it('report prints one CSV document with the battery outbound flagged overdue', () => {
    const csv = carloop([
      'dismantling',
      'report',
      '--from',
      '2026-11-01',
      '--to',
      '2026-11-30',
      '--format',
      'csv',
      ...db,
    ]);
    expect(csv.status, csv.stderr).toBe(0);
    const [header, ...rows] = csv.stdout.trim().split('\n');
    expect(header).toMatch(/^section,vin,/);
    expect(
      rows.some((r) => r.startsWith('battery_outbound,') && r.includes(pack) && r.includes(',overdue,true')),
    ).toBe(true);
    expect(rows.some((r) => r.startsWith('five_assembly,') && r.includes(`${vin}-FR1`))).toBe(true);
  });
});
