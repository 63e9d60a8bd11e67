/**
 * Pure portfolio arithmetic: the book of open guarantees grouped by cohort (make and model,
 * powertrain, term-end month, currency) with total GFV, current forecast P50 and P10 and expected
 * loss, and the same book under a stress scenario (a new-price cut on a model, an EV residual shock,
 * higher battery fade). Money in minor units.
 */
import { z } from 'zod';
import { distributionOf, exactShortfall, type Quantiles, scaleDistribution } from './buyback.model.ts';

/** One open guarantee as the portfolio sees it. */
export interface Position {
  contractId: string;
  make: string;
  model: string;
  powertrain: string;
  termEndAt: string;
  currency: string;
  gfvMinor: number;
  /** The latest forecast of the value at term end (the last re-mark, else the quote's). */
  forecast: Quantiles;
  /** When that forecast was made. */
  markedAt: string;
}

export interface Exposure {
  contracts: number;
  totalGfvMinor: number;
  forecastP50Minor: number;
  forecastP10Minor: number;
  /** Σ E[max(0, GFV − V)] over the contracts. */
  expectedLossMinor: number;
  /** Σ max(0, GFV − P10): the loss if every car came back at its P10. */
  lossAtP10Minor: number;
}

export interface CohortKey {
  make: string;
  model: string;
  powertrain: string;
  termEndMonth: string;
  currency: string;
}

const emptyExposure = (): Exposure => ({
  contracts: 0,
  totalGfvMinor: 0,
  forecastP50Minor: 0,
  forecastP10Minor: 0,
  expectedLossMinor: 0,
  lossAtP10Minor: 0,
});

/** The exposure of one position, its forecast scaled by `factor` (1 = as marked). */
export function positionExposure(p: Position, factor = 1): Exposure {
  const d = scaleDistribution(distributionOf(p.forecast), factor);
  const p10 = p.forecast.p10 * factor;
  return {
    contracts: 1,
    totalGfvMinor: p.gfvMinor,
    forecastP50Minor: Math.round(p.forecast.p50 * factor),
    forecastP10Minor: Math.round(p10),
    expectedLossMinor: Math.round(exactShortfall(d, p.gfvMinor)),
    lossAtP10Minor: Math.max(0, Math.round(p.gfvMinor - p10)),
  };
}

function add(into: Exposure, e: Exposure): void {
  into.contracts += e.contracts;
  into.totalGfvMinor += e.totalGfvMinor;
  into.forecastP50Minor += e.forecastP50Minor;
  into.forecastP10Minor += e.forecastP10Minor;
  into.expectedLossMinor += e.expectedLossMinor;
  into.lossAtP10Minor += e.lossAtP10Minor;
}

export const cohortOf = (p: Position): CohortKey => ({
  make: p.make,
  model: p.model,
  powertrain: p.powertrain,
  termEndMonth: p.termEndAt.slice(0, 7),
  currency: p.currency,
});

export interface CohortExposure extends CohortKey {
  base: Exposure;
  stressed?: Exposure;
}

/** Cohorts in a stable order (currency, make, model, powertrain, term-end month) and totals per currency. */
export function aggregate(
  positions: readonly Position[],
  factorOf?: (p: Position) => number,
): { cohorts: CohortExposure[]; totals: Array<{ currency: string; base: Exposure; stressed?: Exposure }> } {
  const cohorts = new Map<string, CohortExposure>();
  const totals = new Map<string, { currency: string; base: Exposure; stressed?: Exposure }>();
  for (const p of positions) {
    const key = cohortOf(p);
    const id = JSON.stringify([key.currency, key.make, key.model, key.powertrain, key.termEndMonth]);
    let cohort = cohorts.get(id);
    if (!cohort) {
      cohort = { ...key, base: emptyExposure(), ...(factorOf ? { stressed: emptyExposure() } : {}) };
      cohorts.set(id, cohort);
    }
    let total = totals.get(p.currency);
    if (!total) {
      total = {
        currency: p.currency,
        base: emptyExposure(),
        ...(factorOf ? { stressed: emptyExposure() } : {}),
      };
      totals.set(p.currency, total);
    }
    const base = positionExposure(p);
    add(cohort.base, base);
    add(total.base, base);
    if (factorOf) {
      const stressed = positionExposure(p, factorOf(p));
      add(cohort.stressed!, stressed);
      add(total.stressed!, stressed);
    }
  }
  const order = [...cohorts.keys()].sort();
  return {
    cohorts: order.map((k) => cohorts.get(k)!),
    totals: [...totals.values()].sort((a, b) => a.currency.localeCompare(b.currency)),
  };
}

// ---------------------------------------------------------------- stress scenarios

const powertrain = z.enum(['ice', 'hev', 'phev', 'bev', 'erev', 'fcev']);
const percent = z.number().gt(0).max(100);

export const stressScenarioSchema = z.strictObject({
  name: z.string().min(1).max(200),
  description: z.string().max(2000).optional(),
  shocks: z
    .array(
      z.discriminatedUnion('type', [
        z.strictObject({
          type: z.literal('new_price_cut'),
          make: z.string().min(1).max(100).optional(),
          model: z.string().min(1).max(100),
          percent,
          passThrough: z.number().min(0).max(2).optional(),
        }),
        z.strictObject({
          type: z.literal('ev_residual_shock'),
          percent,
          powertrains: z.array(powertrain).min(1).optional(),
        }),
        z.strictObject({
          type: z.literal('higher_fade'),
          extraFadePerYear: z.number().gt(0).max(0.3),
          powertrains: z.array(powertrain).min(1).optional(),
        }),
      ]),
    )
    .min(1)
    .max(50),
});
export type StressScenario = z.output<typeof stressScenarioSchema>;
export type Shock = StressScenario['shocks'][number];

export interface StressAssumptions {
  newPriceCutPassThrough: number;
  evResidualShockPowertrains: readonly string[];
  higherFadePowertrains: readonly string[];
  batteryValueShare: Readonly<Record<string, number>>;
  sohFloor: number;
}

const same = (a: string, b: string) => a.localeCompare(b, undefined, { sensitivity: 'accent' }) === 0;

/**
 * The fraction of value one shock takes from a position. Extra fade: each SOH point lost below the
 * expected curve costs the battery's value share spread over the usable range above the floor
 * (1 − floor), accumulated over the years left until term end.
 */
export function shockEffect(shock: Shock, p: Position, yearsToTermEnd: number, a: StressAssumptions): number {
  switch (shock.type) {
    case 'new_price_cut':
      if (!same(shock.model, p.model) || (shock.make !== undefined && !same(shock.make, p.make))) return 0;
      return (shock.percent / 100) * (shock.passThrough ?? a.newPriceCutPassThrough);
    case 'ev_residual_shock':
      return (shock.powertrains ?? a.evResidualShockPowertrains).includes(p.powertrain)
        ? shock.percent / 100
        : 0;
    case 'higher_fade': {
      if (!(shock.powertrains ?? a.higherFadePowertrains).includes(p.powertrain)) return 0;
      const share = a.batteryValueShare[p.powertrain] ?? 0;
      const lostSoh = shock.extraFadePerYear * Math.max(0, yearsToTermEnd);
      return Math.min(share, (share * lostSoh) / (1 - a.sohFloor));
    }
  }
}

/** The factor a scenario multiplies a position's value by: the product of (1 − each shock), at least 0. */
export function stressFactor(
  scenario: StressScenario,
  p: Position,
  yearsToTermEnd: number,
  a: StressAssumptions,
): number {
  return scenario.shocks.reduce((f, s) => f * Math.max(0, 1 - shockEffect(s, p, yearsToTermEnd, a)), 1);
}
