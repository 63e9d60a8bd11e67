import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsvText } from '../src/modules/valuation/index.ts';
import { carloop } from './support/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'carloop-valuation-cli-'));
const db = join(dir, 'valuation.db');
const model = join(dir, 'model.json');

describe('carloop valuation CLI contracts', () => {
  it('appraise --json prints scores per category, total, grade, flags and trail', () => {
    const run = carloop([
      'valuation',
      'appraise',
      '--inspection',
      'examples/valuation-inspection.json',
      '--json',
      '--db',
      db,
    ]);
    expect(run.status).toBe(0);
    const report = run.json<Record<string, unknown>>();
    expect(report).toMatchObject({
      total: 93.75,
      grade: 1,
      gradeLabel: '一级',
      flags: { accident: false, flood: false, fire: false, fireDamage: false },
    });
    expect((report.categories as Array<{ code: string }>).map((c) => c.code)).toEqual([
      'body',
      'engineBay',
      'cabin',
      'startUp',
      'roadTest',
      'underbody',
    ]);
    expect((report.trail as unknown[]).length).toBeGreaterThan(6);
    const bad = join(dir, 'bad-inspection.json');
    writeFileSync(bad, JSON.stringify({ findings: [{ item: 'B99', defect: 'HH', severity: 1 }] }));
    const refused = carloop(['valuation', 'appraise', '--inspection', bad, '--json', '--db', db]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('findings.0.item');
  });

  it('refuses a forecast on a fresh database with the instruction to fit a model', () => {
    const run = carloop([
      'valuation',
      'forecast',
      '--make',
      'BYD',
      '--model',
      'Seal',
      '--year',
      '2025',
      '--currency',
      'CNY',
      '--at',
      '2028-06-30',
      '--odometer-km',
      '60000',
      '--db',
      db,
    ]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('npx carloop valuation fit --transactions');
  });

  it('fit --out writes a versioned model, reports rejected lines, and --activate registers it', () => {
    const train = join(dir, 'train.csv');
    const text = readFileSync('examples/valuation-transactions.csv', 'utf8').trimEnd().split('\n');
    // Two impossible rows: negative mileage and a price of 0.
    text.push('BYD,Seal,2023,-10,electric,automatic,0,150000,CNY,2025-01-01,,229800');
    text.push('BYD,Seal,2023,10000,electric,automatic,0,0,CNY,2025-01-01,,229800');
    writeFileSync(train, `${text.join('\n')}\n`);
    const run = carloop([
      'valuation',
      'fit',
      '--transactions',
      train,
      '--out',
      model,
      '--activate',
      '--json',
      '--db',
      db,
    ]);
    expect(run.status).toBe(0);
    const report = run.json<Record<string, unknown>>();
    expect(report).toMatchObject({
      rows: 1502,
      used: 1500,
      activated: true,
      rejected: [
        { line: 1502, reason: 'mileage_km -10 is negative' },
        { line: 1503, reason: 'price 0 is not positive' },
      ],
    });
    const artefact = JSON.parse(readFileSync(model, 'utf8'));
    expect(artefact).toMatchObject({
      format: 'carloop.residual-value-model',
      formatVersion: 1,
      currency: 'CNY',
    });
    expect(artefact.modelVersion).toBe(report.modelVersion);
    const models = carloop(['valuation', 'models', '--json', '--db', db]).json<{
      models: Array<{ modelVersion: string; active: boolean }>;
    }>();
    expect(models.models).toEqual([
      expect.objectContaining({ modelVersion: report.modelVersion, active: true }),
    ]);
  });

  it('predict appends value_p10,value_p50,value_p90 in row order, with a reason instead of a number where needed', () => {
    const out = join(dir, 'out.csv');
    const run = carloop([
      'valuation',
      'predict',
      '--model',
      model,
      '--input',
      'examples/valuation-predict.csv',
      '--out',
      out,
    ]);
    expect(run.status).toBe(0);
    const table = parseCsvText(readFileSync(out, 'utf8'));
    expect(table.header).toEqual([
      'id',
      'make',
      'model',
      'year',
      'mileage_km',
      'fuel',
      'transmission',
      'engine_l',
      'currency',
      'sold_at',
      'soh',
      'value_p10',
      'value_p50',
      'value_p90',
      'reason',
    ]);
    const rows = table.rows.map((r) => r.cells);
    expect(rows.map((r) => r.id)).toEqual(['A1', 'A2', 'A3', 'A4', 'A5', 'A6']);
    for (const r of [rows[0]!, rows[1]!, rows[3]!]) {
      expect(Number(r.value_p10)).toBeLessThan(Number(r.value_p50));
      expect(Number(r.value_p50)).toBeLessThan(Number(r.value_p90));
      expect(r.reason).toBe('');
    }
    expect(rows[2]).toMatchObject({ value_p50: '', reason: 'mileage_km is required' });
    expect(rows[4]).toMatchObject({
      value_p50: '',
      reason: expect.stringContaining('unknown model with no comparable data'),
    });
    expect(rows[5]).toMatchObject({ value_p50: '', reason: 'mileage_km -5 is negative' });
    // Without --model, the active model of the database.
    const active = carloop([
      'valuation',
      'predict',
      '--input',
      'examples/valuation-predict.csv',
      '--out',
      out,
      '--json',
      '--db',
      db,
    ]);
    expect(active.json()).toMatchObject({ rows: 6, valued: 3, refused: 3 });
  });

  it('backtest --json gives n, mape, mdape, bias and coverage80 for random and time splits', () => {
    const random = carloop([
      'valuation',
      'backtest',
      '--transactions',
      'examples/valuation-transactions.csv',
      '--split',
      'random:0.2:42',
      '--json',
    ]);
    expect(random.status).toBe(0);
    const r = random.json<Record<string, number>>();
    expect(Object.keys(r)).toEqual(
      expect.arrayContaining(['n', 'mape', 'mdape', 'bias', 'coverage80', 'bySegment', 'byFuel']),
    );
    expect(r.n).toBe(300);
    expect(r.mape).toBeLessThan(0.07);
    const time = carloop([
      'valuation',
      'backtest',
      '--transactions',
      'examples/valuation-transactions.csv',
      '--split',
      'time:2025-07-01',
      '--json',
    ]);
    expect(time.status).toBe(0);
    expect(time.json<{ split: string }>().split).toBe('time:2025-07-01');
    expect(
      carloop([
        'valuation',
        'backtest',
        '--transactions',
        'examples/valuation-transactions.csv',
        '--split',
        'x',
      ]).status,
    ).toBe(2);
  });

  it('value, forecast and remark use the active model and store their results', () => {
    const value = carloop([
      'valuation',
      'value',
      '--request',
      'examples/valuation-request.json',
      '--json',
      '--db',
      db,
    ]);
    expect(value.status).toBe(0);
    expect(value.json()).toMatchObject({ currency: 'CNY', final: { intervalCalibrated: true } });
    const forecast = carloop(
      'valuation forecast --make BYD --model Seal --year 2025 --fuel electric --currency CNY --at 2028-06-30 --odometer-km 60000 --new-price 229800 --json'
        .split(' ')
        .concat(['--db', db]),
    );
    expect(forecast.status).toBe(0);
    expect(forecast.json()).toMatchObject({ currency: 'CNY', residualRate: expect.any(Number) });
    const out = join(dir, 'remark.csv');
    const remark = carloop([
      'valuation',
      'remark',
      '--portfolio',
      'examples/valuation-portfolio.csv',
      '--at',
      '2028-06-30',
      '--currency',
      'CNY',
      '--out',
      out,
      '--json',
      '--db',
      db,
    ]);
    expect(remark.status).toBe(0);
    expect(remark.json()).toMatchObject({ valued: 4, refused: 0 });
    expect(readFileSync(out, 'utf8').split('\n')[0]).toBe('id,value_p10,value_p50,value_p90,reason');
  });

  it('convert-uk maps miles to km, GBP, a fixed sale date, and drops tax and mpg', () => {
    const uk = join(dir, 'uk');
    mkdirSync(uk);
    writeFileSync(
      join(uk, 'audi.csv'),
      'make,model,year,price,transmission,mileage,fuelType,tax,mpg,engineSize\naudi, A1,2017,12500,Manual,15735,Petrol,150,55.4,1.4\naudi, A6,2060,16500,Automatic,36203,Diesel,20,64.2,2\n',
    );
    const out = join(dir, 'uk.csv');
    const run = carloop(['valuation', 'convert-uk', '--dir', uk, '--out', out, '--json']);
    expect(run.status).toBe(0);
    expect(run.json()).toMatchObject({ rows: 2, soldAt: '2020-07-01' });
    const rows = parseCsvText(readFileSync(out, 'utf8')).rows.map((r) => r.cells);
    expect(rows[0]).toMatchObject({
      make: 'Audi',
      model: 'A1',
      year: '2017',
      mileage_km: String(Math.round(15735 * 1.609344)),
      fuel: 'petrol',
      transmission: 'manual',
      engine_l: '1.4',
      price: '12500',
      currency: 'GBP',
      sold_at: '2020-07-01',
    });
    expect(Object.keys(rows[0]!)).not.toContain('mpg');
  });
});
