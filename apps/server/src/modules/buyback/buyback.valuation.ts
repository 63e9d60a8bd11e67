/**
 * The real valuation engine behind the buyback module's `ValuationPort` (modules/valuation/index.ts):
 * the active model of the quote's currency from the model registry (refused with the instruction to
 * fit one when there is none), its forecast at a date and odometer, the GB/T 30323 scoring of a
 * return inspection, and the expected battery fade curve.
 */
import {
  expectedSoh,
  type ForecastInput,
  forecastValue,
  type InspectionInput,
  requireActiveModel,
  scoreTechnicalCondition,
  valuationConfig,
} from '../valuation/index.ts';
import type { ForecastQuery, ValuationPort } from './buyback.forecast.ts';

function forecastInputOf(q: ForecastQuery): ForecastInput {
  const input: ForecastInput = {
    make: q.make,
    model: q.model,
    year: q.year,
    fuel: q.fuel,
    currency: q.currency,
    atDate: q.atDate,
    odometerKm: q.odometerKm,
  };
  for (const k of ['trim', 'transmission', 'engineL', 'newPrice', 'soh', 'conditionScore'] as const) {
    if (q[k] !== undefined) (input as unknown as Record<string, unknown>)[k] = q[k];
  }
  return input;
}

export const valuationEngine: ValuationPort = {
  async forecast(db, query) {
    const model = await requireActiveModel(db, query.currency);
    const f = forecastValue(model, forecastInputOf(query));
    return {
      p10: f.p10,
      p50: f.p50,
      p90: f.p90,
      currency: f.currency,
      modelVersion: f.modelVersion,
      trail: f.trail,
    };
  },
  async appraise(_db, inspection) {
    const a = scoreTechnicalCondition(inspection as InspectionInput, valuationConfig().checklist);
    return {
      score: a.total,
      grade: a.grade,
      accident: a.flags.accident,
      flood: a.flags.flood,
      fire: a.flags.fire,
      detail: a,
    };
  },
  expectedSoh(ageYears, odometerKm) {
    return expectedSoh(valuationConfig().batterySoh, ageYears, odometerKm);
  },
};
