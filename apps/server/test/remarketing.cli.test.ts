import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/database.ts';
import { carOnTheRoad } from './remarketing.fixtures.ts';
import { carloop } from './support/cli.ts';

describe('carloop remarketing (CLI contract)', () => {
  let dir: string;
  let file: string;
  let vin: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'carloop-remarketing-'));
    file = join(dir, 'carloop.db');
    const db = await openDatabase(file);
    vin = await carOnTheRoad(db);
    await db.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('intake, stock and decide keep their flags, JSON fields and exit codes', { timeout: 60_000 }, () => {
    const intake = carloop([
      'remarketing',
      'intake',
      '--vin',
      vin,
      '--source',
      'trade-in',
      '--acquisition-cost',
      '120000',
      '--currency',
      'CNY',
      '--documents',
      'registration_certificate,driving_licence',
      '--keys',
      '2',
      '--db',
      file,
      '--json',
    ]);
    expect(intake.stderr).toBe('');
    expect(intake.status).toBe(0);
    expect(intake.json()).toMatchObject({ vin, state: 'in_stock', source: 'trade_in', keys: 2 });

    const stock = carloop(['remarketing', 'stock', '--db', file, '--json']);
    expect(stock.status).toBe(0);
    expect(stock.json<Array<{ vin: string; state: string }>>()).toEqual([
      expect.objectContaining({ vin, state: 'in_stock' }),
    ]);

    const decide = carloop(['remarketing', 'decide', '--vin', vin, '--db', file, '--json']);
    expect(decide.status).toBe(0);
    const d = decide.json<{
      routes: Array<{
        route: string;
        expectedNet: number;
        currency: string;
        allowed: boolean;
        blockedBy: unknown[];
        breakdown: Array<{ item: string; amount: number }>;
      }>;
      chosen: string;
      reasons: string[];
    }>();
    expect(d.routes.map((r) => r.route)).toEqual(['retail', 'wholesale', 'dismantle']);
    for (const r of d.routes) {
      expect(r.currency).toBe('CNY');
      expect(Array.isArray(r.blockedBy)).toBe(true);
      expect(r.breakdown.reduce((s, l) => s + Math.round(l.amount * 100), 0)).toBe(
        Math.round(r.expectedNet * 100),
      );
    }
    expect(d.routes.find((r) => r.route === 'dismantle')!.allowed).toBe(true);
    expect(['retail', 'wholesale', 'dismantle']).toContain(d.chosen);
    expect(d.reasons.length).toBeGreaterThan(0);
  });

  it('sell refuses an unknown currency (exit 1), a missing flag (exit 2), and records a sale', {
    timeout: 60_000,
  }, () => {
    const badCurrency = carloop([
      'remarketing',
      'sell',
      '--vin',
      vin,
      '--price',
      '150000',
      '--currency',
      'XYZ',
      '--channel',
      'retail',
      '--db',
      file,
      '--json',
    ]);
    expect(badCurrency.status).toBe(1);
    expect(badCurrency.stdout).toBe('');
    expect(JSON.parse(badCurrency.stderr)).toMatchObject({
      error: 'unknown_currency',
      errors: [{ field: 'currency' }],
    });

    const sold = carloop([
      'remarketing',
      'sell',
      '--vin',
      vin,
      '--price',
      '150000.00',
      '--currency',
      'CNY',
      '--channel',
      'retail',
      '--db',
      file,
      '--json',
    ]);
    expect(sold.status).toBe(0);
    expect(sold.json()).toMatchObject({
      vin,
      channel: 'retail',
      price: 150_000,
      currency: 'CNY',
      event: 'vehicle.resold',
    });

    const usage = carloop([
      'remarketing',
      'sell',
      '--vin',
      vin,
      '--price',
      '1',
      '--currency',
      'CNY',
      '--db',
      file,
    ]);
    expect(usage.status).toBe(2);
  });
});
