import { describe, expect, it } from 'vitest';
import {
  ageNewnessRate,
  compositeNewnessRate,
  expectedSoh,
  fitLearnedModel,
  LearnedModel,
  marketComparison,
  mileageNewnessRate,
  monthsBetween,
  reconcileValuation,
  replacementCostValue,
  scoreTechnicalCondition,
  sohAdjustment,
  syntheticTransactions,
  valuationConfig,
} from '../src/modules/valuation/index.ts';
import { DomainError } from '../src/shared/errors.ts';

const config = valuationConfig();

describe('rule-based methods (重置成本法 × 成新率)', () => {
  it('gives 65.02 % for the 综合分析法 worked example (K = 0.83, G = 120, Y = 26 months)', () => {
    // residual-value.md §1.2: K1 0.8 一般, K2 0.9 维护较好, K3 0.9 国产名牌, K4 0.7 商务, K5 0.8 一般.
    const result = compositeNewnessRate(config.newness, 26, 120, {
      K1: 'average',
      K2: 'good',
      K3: 'domestic_famous',
      K4: 'business',
      K5: 'average',
    });
    expect(result.coefficients.K).toBeCloseTo(0.83, 10);
    expect(result.rate).toBeCloseTo(0.650167, 6);
    expect(result.ratePercent).toBe(65.02);
    expect(result.trail.at(-1)!.detail).toContain('(1 − 26/120) × 0.83 = 65.02%');
    // The same with the factors given as numbers.
    expect(
      compositeNewnessRate(config.newness, 26, 120, { K1: 0.8, K2: 0.9, K3: 0.9, K4: 0.7, K5: 0.8 })
        .ratePercent,
    ).toBe(65.02);
  });

  it('refuses unknown K levels with the factor named', () => {
    expect(() =>
      compositeNewnessRate(config.newness, 26, 120, {
        K1: 'superb',
        K2: 'good',
        K3: 'imported',
        K4: 'private',
        K5: 'good',
      }),
    ).toThrow(DomainError);
  });

  it('computes the age and mileage methods, floored at 0, and the replacement-cost value with its trail', () => {
    expect(ageNewnessRate(36, 180).rate).toBeCloseTo(0.8, 10);
    expect(ageNewnessRate(200, 180).rate).toBe(0);
    expect(mileageNewnessRate(150_000, 600_000).rate).toBeCloseTo(0.75, 10);
    expect(mileageNewnessRate(700_000, 600_000).rate).toBe(0);
    const value = replacementCostValue(200_000, 0.1, ageNewnessRate(36, 180), 'CNY');
    expect(value.replacementCost).toBeCloseTo(220_000, 6);
    expect(value.value).toBeCloseTo(176_000, 6);
    expect(value.trail.map((s) => s.step)).toEqual([
      '重置成本 replacement cost',
      '使用年限法 age method',
      '评估值 value',
    ]);
    expect(monthsBetween('2023-04-15', '2025-10-01')).toBe(29);
    expect(monthsBetween('2023-04-15', '2023-04-14')).toBe(0);
  });
});

describe('EV battery state of health', () => {
  const table = config.batterySoh;
  it('expects about 2 %/yr of fade plus extra for high mileage', () => {
    expect(expectedSoh(table, 0, 0)).toBe(1);
    expect(expectedSoh(table, 3, 45_000)).toBeCloseTo(0.94, 10);
    expect(expectedSoh(table, 3, 145_000)).toBeLessThan(0.94 - 0.05);
  });

  it('moves the battery share of value with usable life relative to what is expected', () => {
    const worse = sohAdjustment(table, 'electric', 0.88, 3, 45_000);
    // usable life (0.88 − 0.7) / (0.94 − 0.7) = 0.75; 40 % share → −10 %.
    expect(worse.factor).toBeCloseTo(0.9, 10);
    expect(worse.explanation).toContain('battery share 40%');
    expect(sohAdjustment(table, 'plug-in hybrid', 0.88, 3, 45_000).factor).toBeCloseTo(1 - 0.15 * 0.25, 10);
    expect(sohAdjustment(table, 'petrol', 0.5, 3, 45_000).factor).toBe(1);
    expect(sohAdjustment(table, 'electric', 0.6, 3, 45_000).factor).toBeCloseTo(0.6, 10);
    expect(sohAdjustment(table, 'electric', 1, 3, 45_000).factor).toBeLessThanOrEqual(
      1 + 0.4 * table.maxUplift,
    );
  });
});

describe('market comparison and reconciliation', () => {
  const transactions = syntheticTransactions({ n: 900, seed: 3, sohTable: config.batterySoh });
  const model = new LearnedModel(
    fitLearnedModel(transactions, { sohTable: config.batterySoh, createdAt: '2026-01-01T00:00:00Z' }),
  );
  const subject = {
    make: 'Toyota',
    model: 'Corolla',
    year: 2021,
    mileageKm: 60_000,
    soldAt: '2025-06-01',
    currency: 'CNY',
    fuel: 'petrol',
  };

  it('adjusts the nearest comparable sales by age, mileage and market level, and keeps every coefficient', () => {
    const s = model.slopes(subject);
    const result = marketComparison(
      subject,
      transactions.map((t, i) => ({ ...t, id: `t${i}` })),
      { source: 'test', ...s, trendPerYear: 0 },
      config.methods,
    );
    expect(result.applicable).toBe(true);
    if (!result.applicable) return;
    expect(result.comparables).toHaveLength(5);
    for (const c of result.comparables) {
      expect(c.model).toBe('Corolla');
      expect(c.adjustedPrice).toBeCloseTo(c.price * c.kAge * c.kMileage * c.kTime, -1);
    }
    expect(result.comparables.reduce((w, c) => w + c.weight, 0)).toBeCloseTo(1, 3);
    const truth = model.predict([subject])[0]!;
    expect(truth.ok && Math.abs(result.value / truth.value.p50 - 1)).toBeLessThan(0.15);
    const none = marketComparison(
      { ...subject, model: 'Crown' },
      transactions.map((t, i) => ({ ...t, id: `t${i}` })),
      { source: 'test', ...s, trendPerYear: 0 },
      config.methods,
    );
    expect(none.applicable).toBe(false);
  });

  it('reconciles the methods with stated weights and an explanation', () => {
    const appraisal = scoreTechnicalCondition(
      {
        findings: [
          { item: 'E01', result: 'fail' },
          { item: 'E03', result: 'fail' },
          { item: 'S05', result: 'fail' },
        ],
      },
      config.checklist,
    );
    const result = reconcileValuation({
      vehicle: {
        make: 'Toyota',
        model: 'Corolla',
        year: 2021,
        odometerKm: 60_000,
        currency: 'CNY',
        fuel: 'petrol',
        newPrice: 119_800,
      },
      valuationDate: '2025-06-01',
      model,
      comparables: transactions.map((t, i) => ({ ...t, id: `t${i}` })),
      appraisal,
      composite: { K2: 'good', K3: 'domestic_famous', K4: 'private', K5: 'good' },
      config,
    });
    expect(result.methods.map((m) => [m.method, m.applicable, m.weight])).toEqual([
      ['learned', true, 0.6],
      ['marketComparison', true, 0.25],
      ['replacementCost', true, 0.15],
    ]);
    const learned = result.methods[0]!;
    // 二级 (total 87): grade factor 1.0 — no adjustment; the 综合分析法 carries K1 itself.
    expect(appraisal.grade).toBe(2);
    expect(learned.adjustments).toEqual([]);
    const rc = result.methods[2]!;
    expect((rc.detail as { chosen: string }).chosen).toBe('composite');
    const p50 = result.methods.reduce((s, m) => s + m.weight * m.adjustedValue!, 0);
    expect(result.final.p50).toBeCloseTo(p50, 1);
    expect(result.final.p10).toBeLessThan(result.final.p50);
    expect(result.final.p90).toBeGreaterThan(result.final.p50);
    expect(result.final.intervalCalibrated).toBe(true);
    expect(result.explanation).toContain('weight 60.0%');
    expect(result.modelVersion).toBe(model.version);
  });

  it('shares out the weight of methods that do not apply, and says the interval is uncalibrated without a model', () => {
    const result = reconcileValuation({
      vehicle: {
        make: 'Toyota',
        model: 'Corolla',
        year: 2021,
        odometerKm: 60_000,
        currency: 'CNY',
        newPrice: 119_800,
      },
      valuationDate: '2025-06-01',
      model: null,
      noModelReason: 'no model',
      comparables: [],
      appraisal: null,
      config,
    });
    expect(result.methods.map((m) => m.weight)).toEqual([0, 0, 1]);
    expect(result.final.intervalCalibrated).toBe(false);
    expect(result.final.p10).toBeCloseTo(result.final.p50 * config.methods.uncalibratedSpread.p10, 1);
  });

  it('refuses an unknown model with no comparable data rather than inventing a number', () => {
    try {
      reconcileValuation({
        vehicle: { make: 'Lada', model: 'Niva', year: 2018, odometerKm: 90_000, currency: 'CNY' },
        valuationDate: '2025-06-01',
        model,
        comparables: [],
        appraisal: null,
        config,
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe('no_comparable_data');
      expect((error as DomainError).message).toContain('unknown model with no comparable data');
    }
  });

  it('applies flood, fire and accident findings to every method', () => {
    const appraisal = scoreTechnicalCondition(
      { structural: [{ position: 'RAIL_FL', defect: 'BX' }], flood: { items: ['F01', 'F02', 'F03'] } },
      config.checklist,
    );
    const result = reconcileValuation({
      vehicle: { make: 'Toyota', model: 'Corolla', year: 2021, odometerKm: 60_000, currency: 'CNY' },
      valuationDate: '2025-06-01',
      model,
      comparables: [],
      appraisal,
      config,
    });
    const learned = result.methods[0]!;
    expect(learned.adjustments.map((a) => a.name)).toEqual(['condition grade', 'flood']);
    expect(learned.adjustedValue).toBeCloseTo(
      learned.value! * config.methods.condition.gradeFactor['5']! * config.methods.condition.floodFactor,
      4,
    );
  });
});
