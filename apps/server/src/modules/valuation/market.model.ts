/**
 * 现行市价法 (market comparison, residual-value.md §1.2): value = comparable price × adjustment
 * coefficients. The nearest transactions of the same make and model (and currency) are taken; each is
 * adjusted for the age gap (k_age), the mileage gap (k_km) and the market level between its sale and
 * the valuation date (k_time, the 物价指数), then averaged with weights that fall with dissimilarity.
 * Each comparable keeps its price, every coefficient and its weight. Pure: no I/O.
 */
import type { TrailStep } from './learned.model.ts';
import { makeKey, modelKey } from './learned.model.ts';
import { normaliseFuel } from './soh.model.ts';
import { ageInYears, type VehicleFacts, yearFraction } from './transactions.ts';
import type { MethodsTable } from './valuation.config.ts';

export interface ComparableTransaction {
  id: string;
  make: string;
  model: string;
  year: number;
  mileageKm: number;
  fuel?: string;
  transmission?: string;
  engineL?: number;
  price: number;
  currency: string;
  soldAt: string;
}

/** The log-price slopes the adjustments use: from the learned model when there is one. */
export interface AdjustmentSlopes {
  source: string;
  agePerYear: number;
  perLogKm: number;
  perKm: number;
  /** Market level change per year (log), 0 when unknown. */
  trendPerYear: number;
}

export function defaultSlopes(methods: MethodsTable): AdjustmentSlopes {
  return {
    source: `defaults of ${methods.table}@${methods.version} (no learned model)`,
    agePerYear: Math.log(1 - methods.marketComparison.defaultAgeDecayPerYear),
    perLogKm: methods.marketComparison.defaultMileageElasticity,
    perKm: 0,
    trendPerYear: 0,
  };
}

export interface AdjustedComparable extends ComparableTransaction {
  ageYears: number;
  kAge: number;
  kMileage: number;
  kTime: number;
  adjustedPrice: number;
  weight: number;
}

export type MarketComparison =
  | {
      applicable: true;
      value: number;
      comparables: AdjustedComparable[];
      slopes: AdjustmentSlopes;
      trail: TrailStep[];
    }
  | { applicable: false; reason: string };

const round = (v: number, d = 4) => Number(v.toFixed(d));

export function marketComparison(
  subject: VehicleFacts & { currency: string },
  pool: ComparableTransaction[],
  slopes: AdjustmentSlopes,
  methods: MethodsTable,
): MarketComparison {
  const cfg = methods.marketComparison;
  const subjectAge = ageInYears(subject.year, subject.soldAt);
  const subjectModel = modelKey(subject.make, subject.model);
  const fuel = normaliseFuel(subject.fuel);
  const gearbox = (subject.transmission ?? '').trim().toLowerCase();
  const candidates = pool
    .filter(
      (c) =>
        c.currency === subject.currency &&
        makeKey(c.make) === makeKey(subject.make) &&
        modelKey(c.make, c.model) === subjectModel,
    )
    .map((c) => {
      const age = ageInYears(c.year, c.soldAt);
      const kmRatio = Math.log((c.mileageKm + 5_000) / (subject.mileageKm + 5_000));
      const mismatch =
        (fuel && c.fuel && normaliseFuel(c.fuel) !== fuel ? 1 : 0) +
        (gearbox && c.transmission && c.transmission.trim().toLowerCase() !== gearbox ? 1 : 0);
      return { c, age, kmRatio, distance: Math.abs(age - subjectAge) + Math.abs(kmRatio) + mismatch };
    })
    .filter(
      (x) =>
        Math.abs(x.age - subjectAge) <= cfg.maxAgeGapYears &&
        Math.abs(x.kmRatio) <= Math.log(cfg.maxMileageRatio),
    )
    .sort((a, b) => a.distance - b.distance || a.c.id.localeCompare(b.c.id))
    .slice(0, cfg.maxComparables);
  if (candidates.length < cfg.minComparables) {
    return {
      applicable: false,
      reason: `no comparable ${subject.make} ${subject.model} transactions in ${subject.currency} within ${cfg.maxAgeGapYears} years of age and ×${cfg.maxMileageRatio} of the mileage`,
    };
  }
  const valuationTime = yearFraction(subject.soldAt);
  const comparables: AdjustedComparable[] = candidates.map(({ c, age, distance }) => {
    // Coefficients are rounded first so that the trail multiplies out exactly.
    const kAge = round(Math.exp(slopes.agePerYear * (subjectAge - age)), 6);
    const kMileage = round(
      Math.exp(
        slopes.perLogKm * (Math.log1p(subject.mileageKm) - Math.log1p(c.mileageKm)) +
          slopes.perKm * (subject.mileageKm - c.mileageKm),
      ),
      6,
    );
    const kTime = round(Math.exp(slopes.trendPerYear * (valuationTime - yearFraction(c.soldAt))), 6);
    const adjustedPrice = round(c.price * kAge * kMileage * kTime, 2);
    return {
      ...c,
      ageYears: round(age, 2),
      kAge,
      kMileage,
      kTime,
      adjustedPrice,
      weight: 1 / (1 + distance),
    };
  });
  const totalWeight = comparables.reduce((s, c) => s + c.weight, 0);
  for (const c of comparables) c.weight = round(c.weight / totalWeight);
  const value = comparables.reduce((s, c) => s + c.weight * c.adjustedPrice, 0);
  const trail: TrailStep[] = [
    {
      step: '现行市价法 market comparison',
      detail: `${comparables.length} comparable ${subject.make} ${subject.model} sales; adjustment slopes from ${slopes.source}: age ${((Math.exp(slopes.agePerYear) - 1) * 100).toFixed(2)}%/yr, mileage elasticity ${slopes.perLogKm.toFixed(4)} per log km${slopes.trendPerYear ? `, market ${((Math.exp(slopes.trendPerYear) - 1) * 100).toFixed(2)}%/yr` : ''}`,
    },
    ...comparables.map((c) => ({
      step: `comparable ${c.id}`,
      detail: `${c.year} ${c.mileageKm} km sold ${c.soldAt} for ${c.price.toFixed(2)} × k_age ${c.kAge} × k_km ${c.kMileage} × k_time ${c.kTime} = ${c.adjustedPrice.toFixed(2)}, weight ${c.weight}`,
      value: c.adjustedPrice,
    })),
    {
      step: 'market value',
      detail: `weighted mean of adjusted prices = ${value.toFixed(2)} ${subject.currency}`,
      value: round(value, 2),
    },
  ];
  return { applicable: true, value, comparables, slopes, trail };
}
