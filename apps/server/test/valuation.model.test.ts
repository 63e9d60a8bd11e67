import { describe, expect, it } from 'vitest';
import {
  binRows,
  defaultGbmParams,
  fitGbm,
  predictBinned,
  specsOf,
  treeFromJson,
  treeToJson,
} from '../src/modules/valuation/gbm.model.ts';
import { fitHedonic, HedonicPredictor } from '../src/modules/valuation/hedonic.model.ts';
import {
  ageInYears,
  fitLearnedModel,
  forecastValue,
  isModelArtefact,
  LearnedModel,
  type LearnedOutcome,
  metricsOf,
  parseCsvText,
  parseSplit,
  runBacktest,
  splitTransactions,
  syntheticTransactions,
  trainingSetOf,
  valuationConfig,
} from '../src/modules/valuation/index.ts';
import { DomainError } from '../src/shared/errors.ts';

const sohTable = valuationConfig().batterySoh;

describe('histogram gradient-boosted trees', () => {
  const n = 4000;
  const x = new Float64Array(n);
  const cat: string[] = [];
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = (i * 7919) % 1000;
    cat.push(['a', 'b', 'c', 'd', 'e'][i % 5]!);
    // A step in x, an effect for categories b and d, and missing values in a slice of rows.
    y[i] = (x[i]! > 600 ? 1 : 0) + (cat[i] === 'b' || cat[i] === 'd' ? 0.5 : 0);
    if (i % 50 === 0) x[i] = Number.NaN;
  }
  const specs = specsOf(['x', 'cat'], ['numeric', 'categorical'], [x, cat]);
  const binned = binRows(specs, [x, cat], n);

  it('learns a step, a categorical subset and missing values', () => {
    const { model, report } = fitGbm(specs, binned, y, {
      ...defaultGbmParams,
      maxTrees: 200,
      earlyStoppingRounds: 0,
    });
    expect(report.trainRmse).toBeLessThan(0.1);
    const probe = binRows(specs, [Float64Array.from([100, 900, 100, Number.NaN]), ['a', 'a', 'd', 'b']], 4);
    const p = predictBinned(model, probe);
    expect(p[0]).toBeCloseTo(0, 1);
    expect(p[1]).toBeCloseTo(1, 1);
    expect(p[2]).toBeCloseTo(0.5, 1);
    expect(p[3]! > 0.3).toBe(true);
    expect(model.trees.some((t) => t.categories.size > 0)).toBe(true);
  });

  it('stops early on validation rows and predicts the same after a JSON round trip', () => {
    // Noisy copies of the target for fitting and validating: the trees start fitting the noise.
    const noisy = (seed: number) => Float64Array.from(y, (v, i) => v + 0.3 * Math.sin(i * seed));
    const valid = { rows: binned, target: noisy(7.1) };
    const { model, report } = fitGbm(
      specs,
      binned,
      noisy(3.3),
      { ...defaultGbmParams, maxTrees: 2000, earlyStoppingRounds: 10 },
      valid,
    );
    expect(report.trees).toBeLessThan(2000);
    const again = {
      ...model,
      trees: model.trees.map((t) => treeFromJson(JSON.parse(JSON.stringify(treeToJson(t))))),
    };
    const a = predictBinned(model, binned);
    const b = predictBinned(again, binned);
    for (let i = 0; i < n; i += 97) expect(b[i]).toBeCloseTo(a[i]!, 6);
  });
});

describe('hedonic base', () => {
  it('shrinks a rare model towards its make and leaves a common one alone', () => {
    const rows = [];
    const target: number[] = [];
    for (let i = 0; i < 400; i++) {
      const model = i < 398 ? 'common' : 'rare';
      rows.push({ numeric: { age: i % 10 }, levels: { make: 'm', model } });
      // The rare model is 1.0 above in the data, seen twice.
      target.push(10 - 0.1 * (i % 10) + (model === 'rare' ? 1 : 0));
    }
    const spec = {
      numeric: ['age'],
      groups: [
        { name: 'make', penalty: 2, levelOf: 'make' },
        { name: 'model', penalty: 10, levelOf: 'model' },
      ],
    };
    const fitted = fitHedonic(spec, rows, Float64Array.from(target));
    const p = new HedonicPredictor(fitted, { make: 'make', model: 'model' });
    expect(p.slope('age')).toBeCloseTo(-0.1, 2);
    const rare = p.predict({ numeric: { age: 0 }, levels: { make: 'm', model: 'rare' } });
    const common = p.predict({ numeric: { age: 0 }, levels: { make: 'm', model: 'common' } });
    // n/(n+λ) = 2/12 of the full effect survives the shrinkage.
    expect(rare - common).toBeGreaterThan(0.1);
    expect(rare - common).toBeLessThan(0.3);
    expect(
      p.explain({ numeric: { age: 1 }, levels: { make: 'm', model: 'common' } }).map((c) => c.term),
    ).toEqual(['intercept', 'age', 'make', 'model']);
  });
});

describe('interchange rows', () => {
  const csv = [
    'make,model,year,mileage_km,fuel,transmission,engine_l,power_kw,price,currency,sold_at,extra',
    'BYD,Seal,2023,20000,electric,automatic,0,,180000,CNY,2025-01-10,ignored',
    'BYD,Seal,2023,-5,electric,automatic,0,,180000,CNY,2025-01-10,',
    'BYD,Seal,2031,5,electric,automatic,0,,180000,CNY,2025-01-10,',
    'BYD,Seal,2023,5,electric,automatic,0,,0,CNY,2025-01-10,',
    'BYD,Seal,2023,5,electric,automatic,0,,1000,XXX,2025-01-10,',
    ',Seal,2023,5,electric,automatic,0,,1000,CNY,10/01/2025,',
    'BYD,Seal,2023,5,electric,automatic,0,,1000,USD,2025-01-10,',
  ].join('\n');

  it('reports every impossible row with its line and reason and keeps the rest', () => {
    const set = trainingSetOf(parseCsvText(csv), { today: '2026-01-01' });
    expect(set.transactions).toHaveLength(1);
    expect(set.transactions[0]).toMatchObject({
      line: 2,
      make: 'BYD',
      engineL: 0,
      price: 180000,
      currency: 'CNY',
      soldAt: '2025-01-10',
    });
    expect(set.rejected).toEqual([
      { line: 3, reason: 'mileage_km -5 is negative' },
      { line: 4, reason: 'year 2031 is in the future of sold_at 2025-01-10' },
      { line: 5, reason: 'price 0 is not positive' },
      { line: 6, reason: 'currency "XXX" is not an ISO 4217 code' },
      { line: 7, reason: 'make is required; sold_at "10/01/2025" is not an ISO date' },
      {
        line: 8,
        reason: 'currency USD differs from the training currency CNY; a model holds no exchange rates',
      },
    ]);
  });

  it('counts age from 1 July of the model year', () => {
    expect(ageInYears(2020, '2020-07-01')).toBeCloseTo(0, 2);
    expect(ageInYears(2018, '2021-07-02')).toBeCloseTo(3, 2);
    expect(ageInYears(2022, '2021-01-01')).toBe(0);
  });

  it('parses splits and splits deterministically', () => {
    expect(parseSplit('random:0.2:42')).toEqual({ kind: 'random', testFraction: 0.2, seed: 42 });
    expect(parseSplit('time:2025-07-01')).toEqual({ kind: 'time', from: '2025-07-01' });
    expect(parseSplit('random:2:1')).toBeNull();
    expect(parseSplit('sometimes')).toBeNull();
    const rows = syntheticTransactions({ n: 500, seed: 1, sohTable });
    const a = splitTransactions(rows, { kind: 'random', testFraction: 0.2, seed: 42 });
    const b = splitTransactions(rows, { kind: 'random', testFraction: 0.2, seed: 42 });
    expect(a.test.length).toBe(100);
    expect(a.test.map((t) => t.line)).toEqual(b.test.map((t) => t.line));
    const t = splitTransactions(rows, { kind: 'time', from: '2025-01-01' });
    expect(
      t.train.every((r) => r.soldAt < '2025-01-01') && t.test.every((r) => r.soldAt >= '2025-01-01'),
    ).toBe(true);
  });
});

describe('learned model', () => {
  const rows = syntheticTransactions({ n: 3000, seed: 5, withSoh: true, sohTable });
  const { report, artefact } = runBacktest(
    rows,
    { kind: 'random', testFraction: 0.2, seed: 42 },
    { sohTable, createdAt: '2026-01-01T00:00:00Z' },
  );
  const model = new LearnedModel(artefact);

  it('recovers a known market within its noise, with calibrated P10–P90 coverage', () => {
    // The synthetic noise is 6 % (log), so MAPE cannot go below ≈ 4.8 %.
    expect(report.mape).toBeLessThan(0.065);
    expect(report.coverage80).toBeGreaterThan(0.72);
    expect(report.coverage80).toBeLessThan(0.88);
    expect(report.mape).toBeLessThanOrEqual(report.baseOnly.mape + 0.005);
    expect(Object.keys(report.byFuel)).toEqual(['electric', 'hybrid', 'petrol', 'plug-in hybrid']);
    expect(report.n + report.refused).toBe(report.test);
  });

  it('is a versioned JSON artefact with its training summary, features, trees and metrics', () => {
    const json = JSON.parse(JSON.stringify(artefact));
    expect(isModelArtefact(json)).toBe(true);
    expect(json.modelVersion).toMatch(/^rv-20260101-[0-9a-f]{10}$/);
    expect(json.training).toMatchObject({ rowsUsed: 2400, currency: 'CNY' });
    expect(json.training.dataSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(json.features.numeric).toEqual(expect.arrayContaining(['engine_l', 'trend', 'soh_gap']));
    expect(json.metrics.calibration.n).toBe(json.intervals.calibrationRows);
    const again = new LearnedModel(json);
    const probe = rows.slice(0, 50);
    const p = model.predict(probe);
    const q = again.predict(probe);
    p.forEach((o, i) => {
      expect(o.ok && q[i]!.ok && Math.abs(o.value.p50 / (q[i] as typeof o).value.p50 - 1)).toBeLessThan(1e-6);
    });
  });

  it('learns the battery SOH effect when the data carries it', () => {
    const base = {
      make: 'BYD',
      model: 'Seal',
      year: 2022,
      mileageKm: 45_000,
      fuel: 'electric',
      transmission: 'automatic',
      engineL: 0,
      soldAt: '2025-06-30',
      currency: 'CNY',
    };
    const [good, bad] = model.predict([
      { ...base, soh: 0.95 },
      { ...base, soh: 0.82 },
    ]) as [LearnedOutcome, LearnedOutcome];
    expect(good.ok && bad.ok).toBe(true);
    if (good.ok && bad.ok) expect(bad.value.p50 / good.value.p50).toBeLessThan(0.9);
  });

  it('values an unseen model of a known make at the make level, and refuses an unknown make', () => {
    const [unseen, unknown] = model.predict([
      { make: 'Toyota', model: 'Crown', year: 2022, mileageKm: 30_000, soldAt: '2025-06-30' },
      { make: 'Lada', model: 'Niva', year: 2022, mileageKm: 30_000, soldAt: '2025-06-30' },
    ]);
    expect(unseen).toMatchObject({ ok: true, value: { comparable: 'make' } });
    expect(unknown).toEqual({
      ok: false,
      reason: expect.stringContaining('unknown model with no comparable data'),
    });
    const trail = model.trail(
      { make: 'Toyota', model: 'Crown', year: 2022, mileageKm: 30_000, soldAt: '2025-06-30' },
      (unseen as Extract<LearnedOutcome, { ok: true }>).value,
    );
    expect(trail.map((s) => s.step)).toEqual(
      expect.arrayContaining(['comparable', 'assumed', 'base value', 'trees', 'interval']),
    );
  });

  it('forecasts at a future date with the horizon widening the interval, and refuses what it cannot value', () => {
    const input = {
      make: 'Tesla',
      model: 'Model Y',
      year: 2025,
      fuel: 'electric',
      currency: 'CNY',
      odometerKm: 60_000,
      newPrice: 263_900,
    };
    const near = forecastValue(model, { ...input, atDate: '2025-12-31', odometerKm: 10_000 });
    const far = forecastValue(model, { ...input, atDate: '2028-06-30' });
    expect(far.p50).toBeLessThan(near.p50);
    expect(far.horizonYears).toBeGreaterThan(2);
    expect(far.p90 / far.p10).toBeGreaterThan(near.p90 / near.p10);
    expect(far.residualRate).toBeCloseTo(far.p50 / 263_900, 5);
    expect(far.trail.map((s) => s.step)).toEqual(expect.arrayContaining(['horizon', 'residual rate', 'age']));
    const withSoh = forecastValue(model, { ...input, atDate: '2028-06-30', soh: 0.8 });
    expect(withSoh.p50).toBeLessThan(far.p50);
    expect(() =>
      forecastValue(model, { ...input, make: 'Lada', model: 'Niva', atDate: '2028-06-30' }),
    ).toThrow(/unknown model with no comparable data/);
    expect(() => forecastValue(model, { ...input, currency: 'EUR', atDate: '2028-06-30' })).toThrow(
      DomainError,
    );
    expect(() => forecastValue(model, { ...input, atDate: 'soon' })).toThrow(DomainError);
  });

  it('applies the rule-based SOH adjustment when the model did not learn it', () => {
    const plain = new LearnedModel(
      fitLearnedModel(syntheticTransactions({ n: 800, seed: 9, sohTable }), { sohTable }),
    );
    expect(plain.artefact.features.numeric).not.toContain('soh_gap');
    const input = {
      make: 'BYD',
      model: 'Seal',
      year: 2023,
      fuel: 'electric',
      currency: 'CNY',
      odometerKm: 45_000,
      atDate: '2025-12-31',
    };
    const a = forecastValue(plain, input);
    const b = forecastValue(plain, { ...input, soh: 0.8 });
    expect(b.sohAdjustment?.factor).toBeLessThan(1);
    expect(b.p50).toBeCloseTo(a.p50 * b.sohAdjustment!.factor, 4);
  });

  it('computes MAPE, MdAPE, bias and coverage', () => {
    expect(metricsOf([100, 200], [110, 180], [90, 150], [120, 190])).toEqual({
      n: 2,
      mape: 0.1,
      mdape: 0.1,
      bias: 0,
      coverage80: 0.5,
    });
  });
});
