import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { builtInProducts, productById } from '../src/modules/buyback/buyback.config.ts';
import {
  addMonths,
  allowanceKm,
  distanceBand,
  distributionOf,
  exactShortfall,
  guaranteeCost,
  guaranteedFutureValue,
  inverseNormal,
  normalCdf,
  ownershipCost,
  powertrainOfFuel,
  quantileOf,
  sampleValues,
} from '../src/modules/buyback/buyback.model.ts';
import {
  aggregate,
  type Position,
  positionExposure,
  shockEffect,
  stressFactor,
  stressScenarioSchema,
} from '../src/modules/buyback/portfolio.model.ts';

describe('the term-end value distribution', () => {
  it('reproduces P10, P50 and P90 exactly, skewed or not', () => {
    for (const q of [
      { p10: 100_000, p50: 130_000, p90: 150_000 },
      { p10: 90_000, p50: 100_000, p90: 140_000 },
      { p10: 50_000, p50: 50_000, p90: 50_000 },
    ]) {
      const d = distributionOf(q);
      expect(quantileOf(d, 0.1)).toBeCloseTo(q.p10, 3);
      expect(quantileOf(d, 0.5)).toBeCloseTo(q.p50, 6);
      expect(quantileOf(d, 0.9)).toBeCloseTo(q.p90, 3);
    }
  });

  it('refuses unordered or non-positive quantiles', () => {
    expect(() => distributionOf({ p10: 0, p50: 1, p90: 2 })).toThrow(RangeError);
    expect(() => distributionOf({ p10: 3, p50: 2, p90: 4 })).toThrow(RangeError);
  });

  it('has a normal law that inverts', () => {
    for (const p of [0.001, 0.02, 0.1, 0.3, 0.5, 0.77, 0.975, 0.999])
      expect(normalCdf(inverseNormal(p))).toBeCloseTo(p, 6);
    expect(inverseNormal(0.9)).toBeCloseTo(1.2815515655, 8);
  });
});

describe('Monte Carlo expected shortfall', () => {
  const d = distributionOf({ p10: 9_000_000, p50: 12_000_000, p90: 14_500_000 });

  it('agrees with the closed form within 0.5 % and is reproducible from its seed', () => {
    for (const gfv of [8_000_000, 10_000_000, 12_000_000, 13_000_000]) {
      const cost = guaranteeCost(sampleValues(d, 20_000, 7), gfv);
      const exact = exactShortfall(d, gfv);
      expect(Math.abs(cost.expectedShortfall - exact) / exact).toBeLessThan(0.005);
    }
    const a = guaranteeCost(sampleValues(d, 5_000, 42), 10_000_000);
    const b = guaranteeCost(sampleValues(d, 5_000, 42), 10_000_000);
    expect(a).toEqual(b);
  });

  it('gives P(V < GFV) = the GFV quantile, and E[max(V, GFV)] = E[V] + shortfall', () => {
    const gfv = quantileOf(d, 0.3);
    const cost = guaranteeCost(sampleValues(d, 20_000, 1), gfv);
    expect(cost.probabilityOfLoss).toBeCloseTo(0.3, 3);
    expect(cost.expectedGuaranteedValue).toBeCloseTo(cost.expectedValue + cost.expectedShortfall, 3);
  });

  it('is never negative and grows with the GFV (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1_000, max: 1_000_000 }),
        fc.double({ min: 0.01, max: 0.6, noNaN: true }),
        fc.double({ min: 0.01, max: 0.6, noNaN: true }),
        fc.double({ min: 0.1, max: 1.5, noNaN: true }),
        (median, sL, sH, k) => {
          const dist = { median, sigmaLow: sL, sigmaHigh: sH };
          const lower = exactShortfall(dist, median * k);
          const higher = exactShortfall(dist, median * k * 1.1);
          expect(lower).toBeGreaterThanOrEqual(-1e-6);
          expect(higher).toBeGreaterThanOrEqual(lower - 1e-6);
          // Never more than the guarantee itself.
          expect(lower).toBeLessThanOrEqual(median * k + 1e-6);
        },
      ),
    );
  });
});

describe('GFV and the buyer view', () => {
  const d = distributionOf({ p10: 10_000_000, p50: 13_000_000, p90: 15_000_000 });

  it('is the chosen quantile minus the margin, rounded down to the product unit', () => {
    const r = guaranteedFutureValue(d, 25_980_000, {
      quantile: 0.3,
      marginOfNewPrice: 0.02,
      roundingMinor: 10_000,
    });
    expect(r.marginMinor).toBe(519_600);
    expect(r.gfvMinor % 10_000).toBe(0);
    expect(r.gfvMinor).toBeLessThanOrEqual(r.quantileValueMinor - r.marginMinor);
    expect(r.quantileValueMinor - r.marginMinor - r.gfvMinor).toBeLessThan(10_000);
    expect(r.quantileValueMinor).toBeGreaterThan(10_000_000);
    expect(r.quantileValueMinor).toBeLessThan(13_000_000);
  });

  it('shows the guarantee as certainty bought for a fee', () => {
    const gfv = 11_000_000;
    const cost = guaranteeCost(sampleValues(d, 10_000, 3), gfv);
    const o = ownershipCost({
      newPriceMinor: 25_980_000,
      termMonths: 36,
      gfvMinor: gfv,
      p10Minor: 10_000_000,
      cost,
      feeLoading: 0.25,
    });
    expect(o.guaranteeFeeMinor).toBe(Math.round(cost.expectedShortfall * 1.25));
    // The worst case with the guarantee beats the P10 case without it; the expectation costs the loading.
    expect(o.withGuarantee.monthlyWorstCaseMinor).toBeLessThan(o.withoutGuarantee.monthlyAtP10Minor);
    expect(o.withGuarantee.monthlyMinor).toBeGreaterThanOrEqual(o.withoutGuarantee.monthlyMinor);
    expect(o.withoutGuarantee.monthlyMinor).toBe(Math.round((25_980_000 - cost.expectedValue) / 36));
  });
});

describe('terms', () => {
  it('rounds the annual distance up to a band and makes the allowance', () => {
    expect(distanceBand([10_000, 15_000, 20_000], 12_000)).toBe(15_000);
    expect(distanceBand([10_000, 15_000, 20_000], 15_000)).toBe(15_000);
    expect(distanceBand([10_000, 15_000, 20_000], 20_001)).toBeNull();
    expect(allowanceKm(15_000, 36)).toBe(45_000);
    expect(allowanceKm(10_000, 13)).toBe(10_833);
  });

  it('adds calendar months, clamping to the month end', () => {
    expect(addMonths('2026-01-31T08:00:00.000Z', 1)).toBe('2026-02-28T08:00:00.000Z');
    expect(addMonths('2024-01-31T00:00:00.000Z', 1)).toBe('2024-02-29T00:00:00.000Z');
    expect(addMonths('2026-03-15T10:00:00.000Z', 36)).toBe('2029-03-15T10:00:00.000Z');
  });

  it('maps fuels to powertrains and knows no others', () => {
    expect(powertrainOfFuel('Electric')).toBe('bev');
    expect(powertrainOfFuel('plug-in hybrid')).toBe('phev');
    expect(powertrainOfFuel('Petrol')).toBe('ice');
    expect(powertrainOfFuel('Hybrid')).toBe('hev');
    expect(powertrainOfFuel('steam')).toBeNull();
  });

  it('ships products that pass their schema, with a first tier at 0 km', () => {
    for (const p of builtInProducts()) {
      for (const tiers of Object.values(p.excessTiers)) expect(tiers[0]!.fromKm).toBe(0);
      expect(p.termMonths.min).toBeGreaterThanOrEqual(12);
    }
    expect(productById(undefined).id).toBe('GFV-STANDARD');
    expect(() => productById('NOPE')).toThrow(/no buyback product/);
  });
});

describe('portfolio', () => {
  const position = (over: Partial<Position> = {}): Position => ({
    contractId: 'BB-1',
    make: 'BYD',
    model: 'Seal',
    powertrain: 'bev',
    termEndAt: '2029-03-15T00:00:00.000Z',
    currency: 'CNY',
    gfvMinor: 11_000_000,
    forecast: { p10: 10_000_000, p50: 13_000_000, p90: 15_000_000 },
    markedAt: '2026-03-15T00:00:00.000Z',
    ...over,
  });
  const assumptions = {
    newPriceCutPassThrough: 1,
    evResidualShockPowertrains: ['bev'],
    higherFadePowertrains: ['bev', 'phev'],
    batteryValueShare: { bev: 0.4, phev: 0.15 },
    sohFloor: 0.7,
  };

  it('groups by make and model, powertrain, term-end month and currency, with totals per currency', () => {
    const book = [
      position(),
      position({ contractId: 'BB-2' }),
      position({ contractId: 'BB-3', termEndAt: '2029-04-01T00:00:00.000Z' }),
      position({ contractId: 'BB-4', currency: 'GBP', make: 'VW', model: 'Golf', powertrain: 'ice' }),
    ];
    const { cohorts, totals } = aggregate(book);
    expect(cohorts.map((c) => [c.currency, c.model, c.termEndMonth, c.base.contracts])).toEqual([
      ['CNY', 'Seal', '2029-03', 2],
      ['CNY', 'Seal', '2029-04', 1],
      ['GBP', 'Golf', '2029-03', 1],
    ]);
    expect(totals.map((t) => [t.currency, t.base.contracts, t.base.totalGfvMinor])).toEqual([
      ['CNY', 3, 33_000_000],
      ['GBP', 1, 11_000_000],
    ]);
    expect(totals[0]!.base.expectedLossMinor).toBe(3 * positionExposure(position()).expectedLossMinor);
  });

  it('stresses: a new-price cut hits its model only, an EV shock the EVs, extra fade by battery share and years', () => {
    const seal = position();
    const golf = position({ make: 'VW', model: 'Golf', powertrain: 'ice' });
    const cut = { type: 'new_price_cut' as const, model: 'seal', percent: 10 };
    expect(shockEffect(cut, seal, 3, assumptions)).toBeCloseTo(0.1);
    expect(shockEffect(cut, golf, 3, assumptions)).toBe(0);
    expect(shockEffect({ type: 'ev_residual_shock', percent: 15 }, golf, 3, assumptions)).toBe(0);
    expect(shockEffect({ type: 'higher_fade', extraFadePerYear: 0.01 }, seal, 3, assumptions)).toBeCloseTo(
      (0.4 * 0.03) / 0.3,
    );
    const scenario = stressScenarioSchema.parse({
      name: 'bad year',
      shocks: [cut, { type: 'ev_residual_shock', percent: 15 }],
    });
    expect(stressFactor(scenario, seal, 3, assumptions)).toBeCloseTo(0.9 * 0.85);
    const { totals } = aggregate([seal, golf], (p) => stressFactor(scenario, p, 3, assumptions));
    expect(totals[0]!.stressed!.expectedLossMinor).toBeGreaterThan(totals[0]!.base.expectedLossMinor);
    expect(totals[0]!.stressed!.totalGfvMinor).toBe(totals[0]!.base.totalGfvMinor);
  });

  it('makes expected loss monotone in the stress (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        (a, b) => {
          const [lo, hi] = a < b ? [a, b] : [b, a];
          expect(positionExposure(position(), lo).expectedLossMinor).toBeGreaterThanOrEqual(
            positionExposure(position(), hi).expectedLossMinor,
          );
        },
      ),
    );
  });
});
