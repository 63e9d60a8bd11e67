import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { syntheticTransactionsCsv } from './buyback.fixtures.ts';
import { carloop } from './support/cli.ts';
import { nextVin } from './support/fixtures.ts';

// biome-ignore lint/suspicious/noExplicitAny: the JSON documents the commands print, read field by field.
type Json = Record<string, any>;

// Each spawn costs about 1.5 s: one walk through the contract, few calls.
describe('carloop buyback (CLI contract)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'carloop-buyback-'));
  const db = join(dir, 'carloop.db');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const quoteArgs = [
    'buyback',
    'quote',
    '--make',
    'BYD',
    '--model',
    'Seal',
    '--year',
    '2023',
    '--fuel',
    'electric',
    '--new-price',
    '259800',
    '--currency',
    'CNY',
    '--term-months',
    '24',
    '--km-per-year',
    '15000',
    '--soh',
    '0.99',
    '--at',
    '2023-01-10T00:00:00Z',
    '--db',
    db,
  ];

  it('refuses a quote without a model, then quotes, contracts, settles and reports the book', () => {
    const refused = carloop([...quoteArgs, '--json']);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toBe('');
    expect(JSON.parse(refused.stderr)).toMatchObject({ error: 'no_valuation_model' });
    expect(refused.stderr).toMatch(/carloop valuation fit --transactions/);

    const csv = join(dir, 'train.csv');
    writeFileSync(csv, syntheticTransactionsCsv());
    expect(
      carloop(['valuation', 'fit', '--transactions', csv, '--activate', '--db', db, '--json']).status,
    ).toBe(0);

    const pdf = join(dir, 'quote.pdf');
    const quote = carloop([...quoteArgs, '--pdf', pdf, '--json']);
    expect(quote.status).toBe(0);
    const q = quote.json<Json>();
    expect(Object.keys(q)).toEqual(
      expect.arrayContaining([
        'quoteId',
        'currency',
        'gfv',
        'gfvPercent',
        'forecast',
        'expectedCost',
        'allowanceKm',
        'excessRates',
        'trail',
      ]),
    );
    expect(q).toMatchObject({
      currency: 'CNY',
      allowanceKm: 30000,
      excessRates: [
        { fromKm: 0, ratePerKm: 0.5 },
        { fromKm: 8000, ratePerKm: 0.8 },
      ],
    });
    expect(q.gfvPercent).toBeCloseTo(q.gfv / 259800, 4);
    expect(Object.keys(q.forecast)).toEqual(expect.arrayContaining(['p10', 'p50', 'p90']));

    const vin = nextVin();
    const contract = carloop([
      'buyback',
      'contract',
      '--quote',
      q.quoteId,
      '--vin',
      vin,
      '--sold-at',
      '2023-01-15T00:00:00Z',
      '--odometer-km',
      '10',
      '--db',
      db,
      '--json',
    ]);
    expect(contract.status).toBe(0);
    const c = contract.json<Json>();
    expect(c).toMatchObject({ vin, state: 'expired', gfv: q.gfv });
    expect(c.contractId).toMatch(/^BB-20230115-/);

    const stressed = carloop([
      'buyback',
      'portfolio',
      '--stress',
      'examples/buyback-stress.json',
      '--at',
      '2023-06-01T00:00:00Z',
      '--db',
      db,
      '--json',
    ]);
    expect(stressed.status).toBe(0);
    const book = stressed.json<Json>();
    expect(book).toMatchObject({
      scenario: { name: 'EV price war and faster fade' },
      totals: [{ currency: 'CNY', contracts: 1, totalGfv: q.gfv }],
    });
    expect(book.cohorts[0]).toMatchObject({
      make: 'BYD',
      model: 'Seal',
      powertrain: 'bev',
      termEndMonth: '2025-01',
    });
    expect(book.totals[0].stressed.expectedLoss).toBeGreaterThan(book.totals[0].expectedLoss);

    const statementPdf = join(dir, 'statement.pdf');
    const settled = carloop([
      'buyback',
      'settle',
      '--contract',
      c.contractId,
      '--odometer-km',
      '33000',
      '--inspection',
      'examples/buyback-return-inspection.json',
      '--at',
      '2025-01-20T00:00:00Z',
      '--pdf',
      statementPdf,
      '--db',
      db,
      '--json',
    ]);
    expect(settled.status).toBe(0);
    const s = settled.json<Json>();
    const sum = (xs: Array<{ amount: number }>) => xs.reduce((a, x) => a + x.amount, 0);
    expect(s).toMatchObject({ gfv: q.gfv, excessKm: 33000 - 10 - 30000, excessCharge: 2990 * 0.5 });
    expect(s.damageCharges.map((d: { amount: number }) => d.amount)).toEqual([180, 85, 160]);
    expect(s.missingItems).toEqual([
      { item: 'key (each)', amount: 1500 },
      { item: 'parking sensor cover', amount: 35 },
    ]);
    expect(s.total).toBeCloseTo(
      Math.max(0, s.gfv - s.excessCharge - sum(s.damageCharges) - sum(s.missingItems)),
      2,
    );

    const again = carloop([
      'buyback',
      'settle',
      '--contract',
      c.contractId,
      '--odometer-km',
      '33000',
      '--inspection',
      'examples/buyback-return-inspection.json',
      '--at',
      '2025-01-20T00:00:00Z',
      '--db',
      db,
    ]);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/already settled/);
  }, 60_000);
});
