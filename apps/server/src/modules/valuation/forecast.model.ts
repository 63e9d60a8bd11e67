/**
 * Forecasts: the value distribution of a vehicle at a future date and odometer (the end of a buyback
 * term), from the learned model. Age and mileage are those at the target date, so the hedonic base
 * carries its exponential age decay and mileage term forward; the market level is held at the
 * training data's latest date (no trend is extrapolated) and the interval widens with the horizon by
 * the configured yearly market spread. Used by the buyback module. Pure: no I/O.
 */
import { invalid } from '../../shared/errors.ts';
import type { LearnedModel, LearnedValue, TrailStep } from './learned.model.ts';
import { type SohAdjustment, sohAdjustment } from './soh.model.ts';
import { ageInYears, factsAt, isKnownCurrency, isoDay, yearFraction } from './transactions.ts';
import { tableLabel, type ValuationConfig, valuationConfig } from './valuation.config.ts';

/** z of the 90th percentile of the standard normal: P10–P90 spans ±1.2816σ. */
const Z90 = 1.2815515655446004;

export interface ForecastInput {
  make: string;
  model: string;
  /** Model year. */
  year: number;
  fuel?: string;
  transmission?: string;
  engineL?: number;
  powerKw?: number;
  body?: string;
  trim?: string;
  /** New price in major units of `currency` (optional: gives the residual rate). */
  newPrice?: number;
  currency: string;
  /** ISO date (or date-time) the value is wanted at, e.g. the term end. */
  atDate: string;
  /** Odometer expected at `atDate`. */
  odometerKm: number;
  /** Battery state of health expected or measured at `atDate`, 0–1. */
  soh?: number;
  conditionScore?: number;
  accident?: boolean;
}

export interface Forecast {
  p10: number;
  p50: number;
  p90: number;
  currency: string;
  atDate: string;
  odometerKm: number;
  ageYears: number;
  /** Years from the model's latest training sale to `atDate` (0 when not in the future of the data). */
  horizonYears: number;
  modelVersion: string;
  comparable: LearnedValue['comparable'];
  /** P50 / new price, when the new price is given. */
  residualRate: number | null;
  sohAdjustment: SohAdjustment | null;
  trail: TrailStep[];
}

function checkInput(input: ForecastInput): string {
  const errors: Array<{ field: string; message: string }> = [];
  const day = typeof input.atDate === 'string' ? isoDay(input.atDate) : null;
  if (!day) errors.push({ field: 'atDate', message: 'an ISO date, e.g. 2029-06-30' });
  if (!input.make?.trim()) errors.push({ field: 'make', message: 'required' });
  if (!input.model?.trim()) errors.push({ field: 'model', message: 'required' });
  if (!Number.isInteger(input.year) || input.year < 1900)
    errors.push({ field: 'year', message: 'a model year' });
  else if (day && input.year > Number(day.slice(0, 4)) + 1)
    errors.push({ field: 'year', message: `model year ${input.year} is after ${day}` });
  if (!(Number.isFinite(input.odometerKm) && input.odometerKm >= 0))
    errors.push({ field: 'odometerKm', message: 'a non-negative distance in km' });
  if (!isKnownCurrency(input.currency ?? '')) errors.push({ field: 'currency', message: 'an ISO 4217 code' });
  if (input.soh !== undefined && !(input.soh >= 0 && input.soh <= 1))
    errors.push({ field: 'soh', message: 'a fraction 0–1' });
  if (input.newPrice !== undefined && !(input.newPrice > 0))
    errors.push({ field: 'newPrice', message: 'a positive amount' });
  if (errors.length > 0) throw invalid('invalid_forecast', 'the forecast request is not valid', errors);
  return day!;
}

/**
 * The value distribution of a vehicle at `atDate` with `odometerKm` on the clock. Throws a DomainError
 * (`no_comparable_data`, `currency_mismatch`, `invalid_forecast`) instead of inventing a number.
 */
export function forecastValue(
  model: LearnedModel,
  input: ForecastInput,
  config: ValuationConfig = valuationConfig(),
): Forecast {
  const day = checkInput(input);
  const facts = factsAt(input, day);
  const refusal = model.refusalOf(facts);
  if (refusal) {
    const code = input.currency !== model.currency ? 'currency_mismatch' : 'no_comparable_data';
    throw invalid(code, refusal, [
      { field: code === 'currency_mismatch' ? 'currency' : 'model', message: refusal },
    ]);
  }
  const outcome = model.predict([facts])[0]!;
  if (!outcome.ok)
    throw invalid('no_comparable_data', outcome.reason, [{ field: 'model', message: outcome.reason }]);
  const value = outcome.value;
  const a = model.artefact;
  const trail = model.trail(facts, value);
  const ageYears = ageInYears(input.year, day);
  let { p10, p50, p90 } = value;

  // Battery health: learned when the training data carried SOH, else the rule-based adjustment.
  let soh: SohAdjustment | null = null;
  if (input.soh !== undefined) {
    if (a.features.numeric.includes('soh_gap')) {
      trail.push({
        step: 'battery SOH',
        detail: `SOH ${(input.soh * 100).toFixed(1)}%: learned by the model from the training data's soh column (already in the base)`,
      });
    } else {
      soh = sohAdjustment(config.batterySoh, input.fuel, input.soh, ageYears, input.odometerKm);
      p10 *= soh.factor;
      p50 *= soh.factor;
      p90 *= soh.factor;
      trail.push({
        step: 'battery SOH',
        detail: `${soh.explanation} (${tableLabel(config.batterySoh)})`,
        value: Number(soh.factor.toFixed(6)),
      });
    }
  }

  // Horizon: the further past the data, the wider the interval (market moves the model cannot see).
  const horizonYears = Math.max(0, yearFraction(day) - yearFraction(a.training.soldAt.max));
  if (horizonYears > 0) {
    const vol = config.methods.forecast.marketVolatilityPerYear * horizonYears;
    const lo = Math.log(p10 / p50);
    const hi = Math.log(p90 / p50);
    const widen = (x: number, sign: number) => sign * Math.sqrt(x * x + (Z90 * vol) ** 2);
    p10 = p50 * Math.exp(widen(lo, -1));
    p90 = p50 * Math.exp(widen(hi, 1));
    trail.push({
      step: 'horizon',
      detail: `${horizonYears.toFixed(2)} years past the latest training sale (${a.training.soldAt.max}): market level held there; interval widened by a market spread of ${(config.methods.forecast.marketVolatilityPerYear * 100).toFixed(1)}%/yr in quadrature (${tableLabel(config.methods)})`,
      value: Number(horizonYears.toFixed(4)),
    });
  }
  const maxTrainingAge = yearFraction(a.training.soldAt.max) - (a.training.modelYears.min + 0.5);
  if (ageYears > maxTrainingAge)
    trail.push({
      step: 'extrapolation',
      detail: `age ${ageYears.toFixed(1)} years is beyond the oldest car in the training data: the base's exponential decay carries the value, the trees add nothing new`,
    });
  const residualRate = input.newPrice ? p50 / input.newPrice : null;
  if (residualRate !== null)
    trail.push({
      step: 'residual rate',
      detail: `P50 / new price = ${p50.toFixed(2)} / ${input.newPrice!.toFixed(2)} = ${(residualRate * 100).toFixed(2)}%`,
      value: Number(residualRate.toFixed(6)),
    });
  return {
    p10,
    p50,
    p90,
    currency: model.currency,
    atDate: day,
    odometerKm: input.odometerKm,
    ageYears: Number(ageYears.toFixed(4)),
    horizonYears: Number(horizonYears.toFixed(4)),
    modelVersion: model.version,
    comparable: value.comparable,
    residualRate: residualRate === null ? null : Number(residualRate.toFixed(6)),
    sohAdjustment: soh,
    trail,
  };
}
