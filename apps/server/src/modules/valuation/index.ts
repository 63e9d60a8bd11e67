/**
 * valuation — the residual-value engine: GB/T 30323 appraisal, rule-based methods with their trail,
 * the learned model (hedonic base + boosted trees, P10/P50/P90), battery SOH, forecasts, reconciliation,
 * stored valuations, backtests and the model registry. This file is the module's whole public face.
 *
 * For the buyback module:
 *   const model = await requireActiveModel(db, 'CNY');            // DomainError with an instruction when none
 *   const f = forecastValue(model, { make, model, year, fuel, currency, atDate, odometerKm, soh? });
 *   // f.p10 / f.p50 / f.p90 in major units of f.currency, f.trail explains each step
 *   const inspection = scoreTechnicalCondition(returnInspection, valuationConfig().checklist);
 */
export {
  type Appraisal,
  type AppraisalFlags,
  type CategoryScore,
  type Inspection,
  type InspectionInput,
  inspectionSchema,
  scoreTechnicalCondition,
} from './appraisal.model.ts';
export {
  type BacktestReport,
  metricsByGroup,
  parseSplit,
  runBacktest,
  type Split,
  splitTransactions,
} from './backtest.ts';
export { type Forecast, type ForecastInput, forecastValue } from './forecast.model.ts';
export {
  fitLearnedModel,
  isModelArtefact,
  LearnedModel,
  type LearnedOutcome,
  type LearnedValue,
  type Metrics,
  type ModelArtefact,
  metricsOf,
  type TrailStep,
} from './learned.model.ts';
export { type ComparableTransaction, marketComparison } from './market.model.ts';
export {
  ageNewnessRate,
  type CompositeLevels,
  compositeCoefficient,
  compositeNewnessRate,
  mileageNewnessRate,
  monthsBetween,
  replacementCostValue,
} from './newness.model.ts';
export { type ReconciledValuation, reconcileValuation, type VehicleToValue } from './reconcile.model.ts';
export {
  expectedSoh,
  normaliseFuel,
  type Powertrain,
  powertrainOf,
  type SohAdjustment,
  sohAdjustment,
} from './soh.model.ts';
export {
  syntheticHeader,
  syntheticModels,
  syntheticRows,
  syntheticTransactions,
} from './synthetic-market.ts';
export {
  ageInYears,
  factsAt,
  isoDay,
  parseCsvText,
  parseRow,
  type RejectedRow,
  readCsvFile,
  type Transaction,
  trainingSetOf,
  type VehicleAtDate,
  type VehicleFacts,
} from './transactions.ts';
export { convertUkListings, defaultUkSoldAt, MILES_TO_KM } from './uk-listings.ts';
export { type ValuationConfig, valuationConfig } from './valuation.config.ts';
export {
  type ForecastRequest,
  forecastRequest,
  type RemarkRequest,
  remarkRequest,
  type ValueRequest,
  valueRequest,
} from './valuation.schemas.ts';
export {
  activateModel,
  appraise,
  backtest,
  fitAndRegister,
  fitInstruction,
  fitModelFrom,
  forecast,
  getActiveModel,
  getModelSummary,
  getValuation,
  learnedModelOf,
  listModels,
  listValuations,
  loadModel,
  type ModelSummary,
  registerModel,
  remarkPortfolio,
  requireActiveModel,
  requireValuationPermission,
  type StoredValuation,
  transactionsFrom,
  valueVehicle,
} from './valuation.service.ts';
