/**
 * buyback — guaranteed future value (保值回购): quotes at sale, contracts, return inspection and
 * settlement, the book's exposure and re-marking. What other modules and workflows may use.
 */
export {
  builtInProducts,
  type Product,
  productById,
  type ReturnConditions,
  readProductFile,
  returnConditionsByRef,
} from './buyback.config.ts';
export { quotePdf, statementPdf } from './buyback.documents.ts';
export type {
  ConditionAppraisal,
  ForecastQuery,
  TrailStep,
  ValuationPort,
  ValueForecast,
} from './buyback.forecast.ts';
export {
  contractMarks,
  getRemark,
  portfolioExposure,
  remarkHistory,
  remarkPortfolio,
} from './buyback.portfolio.ts';
export {
  type BuybackOptions,
  type ContractOptions,
  type ContractView,
  cancelContract,
  declineBuyback,
  expireContracts,
  getContract,
  getQuote,
  issueContract,
  listContracts,
  type QuoteView,
  quoteGuarantee,
} from './buyback.service.ts';
export {
  getStatement,
  prepareSettlement,
  recordSettlement,
  type SettlementPlan,
  type SettleOptions,
  type StatementView,
} from './buyback.settlement.ts';
export { valuationEngine } from './buyback.valuation.ts';
export { type ContractState, contractStates } from './contract.machine.ts';
export { type StressScenario, stressScenarioSchema } from './portfolio.model.ts';
