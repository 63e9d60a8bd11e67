/**
 * Rule-based methods of 重置成本法 (replacement cost × 成新率, residual-value.md §1.2):
 *
 *   使用年限法  成新率 = (1 − Y/G) × 100%                 Y months used, G 规定使用年限 in months
 *   行驶里程法  成新率 = (1 − km / 规定行驶里程) × 100%     600,000 km guide for private cars (§1.3)
 *   综合分析法  成新率 = (1 − Y/G) × K × 100%, K = 0.30·K1 + 0.25·K2 + 0.20·K3 + 0.15·K4 + 0.10·K5
 *   评估值 = 重置成本 × 成新率, 重置成本 = new price × (1 + taxes and fees)
 *
 * Each result keeps its inputs, its steps and every coefficient used. Pure: no I/O.
 */
import { invalid } from '../../shared/errors.ts';
import type { TrailStep } from './learned.model.ts';
import { type CompositeFactor, type NewnessTable, tableLabel } from './valuation.config.ts';

export interface NewnessResult {
  method: 'age' | 'mileage' | 'composite';
  /** 成新率 as a fraction (0.6502 = 65.02 %). */
  rate: number;
  ratePercent: number;
  inputs: Record<string, number | string>;
  coefficients: Record<string, number | string>;
  trail: TrailStep[];
}

/** 成新率 in percent, to the hundredth of a percent as the standard's examples give it. */
const pct = (v: number) => Math.round(v * 10_000) / 100;
const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

/** Whole months between two ISO dates (day of month respected), never negative. */
export function monthsBetween(from: string, to: string): number {
  const a = new Date(`${from.slice(0, 10)}T00:00:00Z`);
  const b = new Date(`${to.slice(0, 10)}T00:00:00Z`);
  let months = (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + (b.getUTCMonth() - a.getUTCMonth());
  if (b.getUTCDate() < a.getUTCDate()) months -= 1;
  return Math.max(0, months);
}

export function serviceLifeOf(table: NewnessTable, useClass: string): { years: number; mileageKm: number } {
  const c = table.useClasses[useClass];
  if (!c)
    throw invalid('unknown_use_class', `unknown use class "${useClass}"`, [
      { field: 'useClass', message: `one of ${Object.keys(table.useClasses).join(', ')}` },
    ]);
  return { years: c.serviceLifeYears, mileageKm: c.mileageKm };
}

/** 使用年限法. */
export function ageNewnessRate(monthsUsed: number, serviceLifeMonths: number): NewnessResult {
  const rate = clamp01(1 - monthsUsed / serviceLifeMonths);
  return {
    method: 'age',
    rate,
    ratePercent: pct(rate),
    inputs: { monthsUsed },
    coefficients: { serviceLifeMonths },
    trail: [
      {
        step: '使用年限法 age method',
        detail: `成新率 = (1 − Y/G) = (1 − ${monthsUsed}/${serviceLifeMonths}) = ${pct(rate)}%${rate === 0 ? ' (floor 0)' : ''}`,
        value: rate,
      },
    ],
  };
}

/** 行驶里程法. */
export function mileageNewnessRate(odometerKm: number, guideKm: number): NewnessResult {
  const rate = clamp01(1 - odometerKm / guideKm);
  return {
    method: 'mileage',
    rate,
    ratePercent: pct(rate),
    inputs: { odometerKm },
    coefficients: { guideKm },
    trail: [
      {
        step: '行驶里程法 mileage method',
        detail: `成新率 = (1 − km/规定行驶里程) = (1 − ${odometerKm}/${guideKm}) = ${pct(rate)}%${rate === 0 ? ' (floor 0)' : ''}`,
        value: rate,
      },
    ],
  };
}

/** A K factor given by its level name in the table (e.g. "average") or as a number. */
export type CompositeLevels = Record<CompositeFactor, string | number>;

export function compositeCoefficient(
  table: NewnessTable,
  levels: CompositeLevels,
): { k: number; factors: Record<string, number>; trail: TrailStep[] } {
  const factors: Record<string, number> = {};
  const trail: TrailStep[] = [];
  const errors: Array<{ field: string; message: string }> = [];
  const names = Object.keys(table.compositeWeights) as CompositeFactor[];
  for (const name of names) {
    const given = levels[name];
    const def = table.compositeFactors[name];
    let value: number | undefined;
    let label: string;
    if (typeof given === 'number') {
      value = given;
      label = String(given);
      if (!(given > 0 && given <= 1.5))
        errors.push({ field: `composite.${name}`, message: 'a K factor is between 0 and 1.5' });
    } else {
      const level = def.levels[given];
      if (!level)
        errors.push({
          field: `composite.${name}`,
          message: `${def.en}: one of ${Object.keys(def.levels).join(', ')}, or a number`,
        });
      value = level?.value;
      label = level ? `${given} ${level.zh} = ${level.value}` : given;
    }
    if (value !== undefined) {
      factors[name] = value;
      trail.push({
        step: name,
        detail: `${def.zh} ${def.en}: ${label} × weight ${table.compositeWeights[name]}`,
        value,
      });
    }
  }
  if (errors.length > 0)
    throw invalid('invalid_composite_factors', 'the 综合分析法 factors are not valid', errors);
  const k = names.reduce((s, n) => s + table.compositeWeights[n] * factors[n]!, 0);
  trail.push({
    step: 'K',
    detail: `K = ${names.map((n) => `${table.compositeWeights[n]}·${factors[n]}`).join(' + ')} = ${Number(k.toFixed(6))}`,
    value: Number(k.toFixed(6)),
  });
  return { k, factors, trail };
}

/** 综合分析法: the age method's rate × the composite coefficient K. */
export function compositeNewnessRate(
  table: NewnessTable,
  monthsUsed: number,
  serviceLifeMonths: number,
  levels: CompositeLevels,
): NewnessResult {
  const { k, factors, trail } = compositeCoefficient(table, levels);
  const ageRate = clamp01(1 - monthsUsed / serviceLifeMonths);
  const rate = clamp01(ageRate * k);
  return {
    method: 'composite',
    rate,
    ratePercent: pct(rate),
    inputs: { monthsUsed, ...Object.fromEntries(Object.entries(levels).map(([n, v]) => [n, v])) },
    coefficients: { serviceLifeMonths, K: Number(k.toFixed(6)), ...factors, table: tableLabel(table) },
    trail: [
      ...trail,
      {
        step: '综合分析法 composite method',
        detail: `成新率 = (1 − Y/G) × K = (1 − ${monthsUsed}/${serviceLifeMonths}) × ${Number(k.toFixed(6))} = ${pct(rate)}%`,
        value: rate,
      },
    ],
  };
}

export interface ReplacementCostValue {
  newPrice: number;
  feesRate: number;
  replacementCost: number;
  newness: NewnessResult;
  value: number;
  trail: TrailStep[];
}

/** 重置成本法: 评估值 = 重置成本 × 成新率. */
export function replacementCostValue(
  newPrice: number,
  feesRate: number,
  newness: NewnessResult,
  currency: string,
): ReplacementCostValue {
  const replacementCost = newPrice * (1 + feesRate);
  const value = replacementCost * newness.rate;
  return {
    newPrice,
    feesRate,
    replacementCost,
    newness,
    value,
    trail: [
      {
        step: '重置成本 replacement cost',
        detail: `new price ${newPrice.toFixed(2)} × (1 + taxes and fees ${feesRate}) = ${replacementCost.toFixed(2)} ${currency}`,
        value: Number(replacementCost.toFixed(2)),
      },
      ...newness.trail,
      {
        step: '评估值 value',
        detail: `${replacementCost.toFixed(2)} × ${newness.ratePercent}% = ${value.toFixed(2)} ${currency}`,
        value: Number(value.toFixed(2)),
      },
    ],
  };
}
