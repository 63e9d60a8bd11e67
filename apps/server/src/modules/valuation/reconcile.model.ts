/**
 * Reconciliation: every method's value, the weight given to each, the final P10/P50/P90 and a
 * human-readable explanation (residual-value.md §6 "several methods, reconciled and explained").
 *
 * - learned model: P10/P50/P90 (calibrated);
 * - 现行市价法 market comparison from the nearest comparable sales;
 * - 重置成本法: replacement cost × 成新率 by the 综合分析法 when K factors are given, else by the age
 *   method, else the mileage method (all three are shown when they can be computed).
 *
 * Condition findings (grade, flood, fire) and battery SOH move each method's value by stated factors,
 * unless the method already accounts for them (a model that learned condition or SOH, the 综合分析法's
 * K1). Weights of methods that do not apply are shared out in proportion. The interval is the learned
 * model's, scaled to the reconciled P50; without a model it is the configured uncalibrated spread, and
 * the result says so. Pure: no I/O.
 */
import { invalid } from '../../shared/errors.ts';
import type { Appraisal } from './appraisal.model.ts';
import type { LearnedModel, TrailStep } from './learned.model.ts';
import {
  type AdjustmentSlopes,
  type ComparableTransaction,
  defaultSlopes,
  type MarketComparison,
  marketComparison,
} from './market.model.ts';
import {
  ageNewnessRate,
  type CompositeLevels,
  compositeNewnessRate,
  mileageNewnessRate,
  monthsBetween,
  type ReplacementCostValue,
  replacementCostValue,
  serviceLifeOf,
} from './newness.model.ts';
import { type SohAdjustment, sohAdjustment } from './soh.model.ts';
import { ageInYears, factsAt, type VehicleFacts } from './transactions.ts';
import { tableLabel, type ValuationConfig } from './valuation.config.ts';

export interface VehicleToValue {
  make: string;
  model: string;
  year: number;
  odometerKm: number;
  currency: string;
  fuel?: string;
  transmission?: string;
  engineL?: number;
  powerKw?: number;
  body?: string;
  trim?: string;
  newPrice?: number;
  soh?: number;
  /** First registration (ISO date): the start of Y in the age method; default 1 July of the model year. */
  registeredAt?: string;
  useClass?: string;
}

export interface ReconcileInput {
  vehicle: VehicleToValue;
  valuationDate: string;
  model: LearnedModel | null;
  /** Why there is no model (shown when `model` is null). */
  noModelReason?: string;
  comparables: ComparableTransaction[];
  appraisal: Appraisal | null;
  composite?: Partial<CompositeLevels>;
  config: ValuationConfig;
}

export type MethodName = 'learned' | 'marketComparison' | 'replacementCost';

export interface MethodResult {
  method: MethodName;
  applicable: boolean;
  reason?: string;
  /** The method's own value (before condition and battery adjustments). */
  value?: number;
  p10?: number;
  p90?: number;
  adjustments: Array<{ name: string; factor: number; reason: string }>;
  /** The value after the adjustments: what enters the reconciliation. */
  adjustedValue?: number;
  weight: number;
  detail?: unknown;
  trail: TrailStep[];
}

export interface ReconciledValuation {
  currency: string;
  valuationDate: string;
  modelVersion: string | null;
  methods: MethodResult[];
  final: { p10: number; p50: number; p90: number; intervalCalibrated: boolean };
  explanation: string;
  tables: string[];
}

const r2 = (v: number) => Math.round(v * 100) / 100;

function replacementCostMethods(
  input: ReconcileInput,
  grade: number | null,
): {
  chosen: ReplacementCostValue | null;
  all: Record<string, ReplacementCostValue>;
  reason?: string;
  trail: TrailStep[];
} {
  const { vehicle, config } = input;
  if (vehicle.newPrice === undefined)
    return {
      chosen: null,
      all: {},
      reason: 'no new price given: 重置成本法 needs the current new price',
      trail: [],
    };
  const life = serviceLifeOf(config.newness, vehicle.useClass ?? 'private');
  const start = vehicle.registeredAt ?? `${vehicle.year}-07-01`;
  const monthsUsed = monthsBetween(start, input.valuationDate);
  const fees = config.newness.replacementCost.feesRate;
  const all: Record<string, ReplacementCostValue> = {
    age: replacementCostValue(
      vehicle.newPrice,
      fees,
      ageNewnessRate(monthsUsed, life.years * 12),
      vehicle.currency,
    ),
    mileage: replacementCostValue(
      vehicle.newPrice,
      fees,
      mileageNewnessRate(vehicle.odometerKm, life.mileageKm),
      vehicle.currency,
    ),
  };
  const levels = { ...input.composite };
  if (levels.K1 === undefined && grade !== null)
    levels.K1 = config.newness.technicalConditionFromGrade[String(grade)];
  const complete = (['K1', 'K2', 'K3', 'K4', 'K5'] as const).every((k) => levels[k] !== undefined);
  const trail: TrailStep[] = [
    {
      step: 'Y',
      detail: `months used from ${start} to ${input.valuationDate}: ${monthsUsed}`,
      value: monthsUsed,
    },
    {
      step: 'G',
      detail: `规定使用年限 for use class ${vehicle.useClass ?? 'private'}: ${life.years} years = ${life.years * 12} months; 规定行驶里程 ${life.mileageKm} km (${tableLabel(config.newness)})`,
    },
  ];
  if (complete) {
    all.composite = replacementCostValue(
      vehicle.newPrice,
      fees,
      compositeNewnessRate(config.newness, monthsUsed, life.years * 12, levels as CompositeLevels),
      vehicle.currency,
    );
  }
  const chosen = all.composite ?? all.age!;
  trail.push({
    step: 'method chosen',
    detail: all.composite
      ? '综合分析法 (K factors given): it includes the technical condition K1'
      : `使用年限法 (the 综合分析法 needs K1–K5; missing ${(['K1', 'K2', 'K3', 'K4', 'K5'] as const).filter((k) => levels[k] === undefined).join(', ')}); 行驶里程法 shown for reference`,
  });
  return { chosen, all, trail };
}

/** Reconcile the methods into one valuation; throws `no_comparable_data` when nothing applies. */
export function reconcileValuation(input: ReconcileInput): ReconciledValuation {
  const { vehicle, config, model, appraisal } = input;
  const weights = config.methods.weights;
  const facts = factsAt(vehicle, input.valuationDate);
  const ageYears = ageInYears(vehicle.year, input.valuationDate);
  const methods: MethodResult[] = [];

  // Shared adjustments: condition grade, flood, fire, battery SOH.
  const cond = config.methods.condition;
  const learnedCondition = Boolean(model?.artefact.features.numeric.includes('condition'));
  const gradeFactor = appraisal ? (cond.gradeFactor[String(appraisal.grade)] ?? 1) : 1;
  const gradeAdj =
    appraisal && gradeFactor !== 1
      ? {
          name: 'condition grade',
          factor: gradeFactor,
          reason: `GB/T 30323 ${appraisal.gradeLabel} (total ${appraisal.total}) × ${gradeFactor} (${tableLabel(config.methods)})`,
        }
      : null;
  const hazardAdj: MethodResult['adjustments'] = [];
  if (appraisal?.flags.flood)
    hazardAdj.push({
      name: 'flood',
      factor: cond.floodFactor,
      reason: `泡水车 flood car × ${cond.floodFactor}`,
    });
  if (appraisal?.flags.fire)
    hazardAdj.push({ name: 'fire', factor: cond.fireFactor, reason: `火烧车 fire car × ${cond.fireFactor}` });
  const soh: SohAdjustment | null =
    vehicle.soh === undefined
      ? null
      : sohAdjustment(config.batterySoh, vehicle.fuel, vehicle.soh, ageYears, vehicle.odometerKm);
  const sohAdj =
    soh && soh.factor !== 1 ? { name: 'battery SOH', factor: soh.factor, reason: soh.explanation } : null;
  const finish = (m: MethodResult, options: { grade: boolean; soh: boolean }) => {
    if (options.grade && gradeAdj) m.adjustments.push(gradeAdj);
    m.adjustments.push(...hazardAdj);
    if (options.soh && sohAdj) m.adjustments.push(sohAdj);
    m.adjustedValue = m.adjustments.reduce((v, a) => v * a.factor, m.value!);
    for (const a of m.adjustments)
      m.trail.push({ step: `adjustment: ${a.name}`, detail: a.reason, value: a.factor });
    methods.push(m);
  };

  // 1. Learned model.
  let learnedRatio: { lo: number; hi: number } | null = null;
  if (!model) {
    methods.push({
      method: 'learned',
      applicable: false,
      reason: input.noModelReason ?? 'no learned model',
      adjustments: [],
      weight: 0,
      trail: [],
    });
  } else {
    const outcome = model.predict([facts])[0]!;
    if (!outcome.ok) {
      methods.push({
        method: 'learned',
        applicable: false,
        reason: outcome.reason,
        adjustments: [],
        weight: 0,
        trail: [],
      });
    } else {
      const v = outcome.value;
      learnedRatio = { lo: v.p10 / v.p50, hi: v.p90 / v.p50 };
      const learnedSoh = model.artefact.features.numeric.includes('soh_gap');
      finish(
        {
          method: 'learned',
          applicable: true,
          value: v.p50,
          p10: v.p10,
          p90: v.p90,
          adjustments: [],
          weight: weights.learned,
          detail: { comparable: v.comparable },
          trail: model.trail(facts, v),
        },
        { grade: !learnedCondition, soh: !learnedSoh },
      );
    }
  }

  // 2. Market comparison.
  let slopes: AdjustmentSlopes = defaultSlopes(config.methods);
  if (model && !model.refusalOf(facts)) {
    const s = model.slopes(facts);
    slopes = {
      source: `learned model ${model.version}`,
      agePerYear: s.agePerYear,
      perLogKm: s.perLogKm,
      perKm: s.perKm,
      trendPerYear: 0,
    };
    const trend = model.artefact.hedonic.numeric.find((t) => t.name === 'trend');
    if (trend) slopes.trendPerYear = trend.coef / trend.scale;
  }
  const market: MarketComparison = marketComparison(
    facts as VehicleFacts & { currency: string },
    input.comparables,
    slopes,
    config.methods,
  );
  if (!market.applicable) {
    methods.push({
      method: 'marketComparison',
      applicable: false,
      reason: market.reason,
      adjustments: [],
      weight: 0,
      trail: [],
    });
  } else {
    const share = Math.min(1, market.comparables.length / config.methods.marketComparison.fullWeightAt);
    finish(
      {
        method: 'marketComparison',
        applicable: true,
        value: market.value,
        adjustments: [],
        weight: weights.marketComparison * share,
        detail: { comparables: market.comparables, slopes: market.slopes },
        trail: market.trail,
      },
      { grade: true, soh: true },
    );
  }

  // 3. Replacement cost × newness rate.
  const rc = replacementCostMethods(input, appraisal?.grade ?? null);
  if (!rc.chosen) {
    methods.push({
      method: 'replacementCost',
      applicable: false,
      reason: rc.reason!,
      adjustments: [],
      weight: 0,
      trail: [],
    });
  } else {
    finish(
      {
        method: 'replacementCost',
        applicable: true,
        value: rc.chosen.value,
        adjustments: [],
        weight: weights.replacementCost,
        detail: {
          chosen: rc.chosen.newness.method,
          variants: Object.fromEntries(
            Object.entries(rc.all).map(([k, v]) => [
              k,
              {
                value: r2(v.value),
                newnessRate: v.newness.rate,
                ratePercent: v.newness.ratePercent,
                coefficients: v.newness.coefficients,
              },
            ]),
          ),
        },
        trail: [...rc.trail, ...rc.chosen.trail],
      },
      { grade: rc.chosen.newness.method !== 'composite', soh: true },
    );
  }

  const applicable = methods.filter((m) => m.applicable && m.weight > 0);
  if (applicable.length === 0) {
    const reasons = methods.map((m) => `${m.method}: ${m.reason}`).join('; ');
    throw invalid('no_comparable_data', `cannot value ${vehicle.make} ${vehicle.model}: ${reasons}`, [
      {
        field: 'vehicle',
        message:
          'unknown model with no comparable data, no comparable sales and no new price: no method applies',
      },
    ]);
  }
  const total = applicable.reduce((s, m) => s + m.weight, 0);
  for (const m of methods) m.weight = m.applicable ? Number((m.weight / total).toFixed(6)) : 0;
  const p50 = applicable.reduce((s, m) => s + m.weight * m.adjustedValue!, 0);
  const spread = config.methods.uncalibratedSpread;
  const ratio = learnedRatio ?? { lo: spread.p10, hi: spread.p90 };
  const final = {
    p10: r2(p50 * ratio.lo),
    p50: r2(p50),
    p90: r2(p50 * ratio.hi),
    intervalCalibrated: learnedRatio !== null,
  };

  const name: Record<MethodName, string> = {
    learned: 'learned model',
    marketComparison: '现行市价法 market comparison',
    replacementCost: '重置成本法 replacement cost',
  };
  const lines = [
    `${vehicle.year} ${vehicle.make} ${vehicle.model}, ${vehicle.odometerKm} km, valued at ${input.valuationDate}: P50 ${final.p50.toFixed(2)} ${vehicle.currency} (P10 ${final.p10.toFixed(2)}, P90 ${final.p90.toFixed(2)}${final.intervalCalibrated ? '' : `; interval not calibrated: ${spread.note}`}).`,
    ...methods.map((m) =>
      m.applicable
        ? `${name[m.method]}: ${m.value!.toFixed(2)}${m.adjustments.length ? ` → ${m.adjustedValue!.toFixed(2)} after ${m.adjustments.map((a) => `${a.name} ×${a.factor.toFixed(3)}`).join(', ')}` : ''}, weight ${(m.weight * 100).toFixed(1)}%.`
        : `${name[m.method]}: not used — ${m.reason}.`,
    ),
  ];
  if (appraisal)
    lines.push(
      `Condition: GB/T 30323 total ${appraisal.total}, ${appraisal.gradeLabel}${appraisal.reasons.length ? `; ${appraisal.reasons.join('; ')}` : ''}.`,
    );
  lines.push(`Weights: ${weights.note}`);
  const tables = [tableLabel(config.methods), tableLabel(config.newness), tableLabel(config.batterySoh)];
  if (appraisal) tables.push(appraisal.checklist);
  return {
    currency: vehicle.currency,
    valuationDate: input.valuationDate,
    modelVersion: model?.version ?? null,
    methods,
    final,
    explanation: lines.join('\n'),
    tables,
  };
}
