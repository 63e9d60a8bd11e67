/**
 * remarketing — used-car operations (二手车运营): intake (automatically from a buyback settlement, or a
 * trade-in or purchase), appraisal with the EV battery check, reconditioning, pricing with price ageing,
 * listings, reservations, sales, stock ageing, and the disposition decision (retail vs wholesale vs
 * dismantle) with its legal gates and explanation. What other modules and workflows may use.
 */
export { appraiseStockVehicle } from './remarketing.appraisal.ts';
export {
  defaultPriceTables,
  type LegalGates,
  legalGates,
  type PriceTables,
  parsePriceTables,
} from './remarketing.config.ts';
export { decideVehicle } from './remarketing.disposition.ts';
export { decisionDocument, decisionPdf } from './remarketing.documents.ts';
export {
  agedPrice,
  ageingFactor,
  chooseRoute,
  type Decision,
  type DispositionFacts,
  decideDisposition,
  type Route,
  routes,
} from './remarketing.model.ts';
export {
  cancelWorkOrder,
  completeWorkOrder,
  listWorkOrders,
  openWorkOrder,
  reconditioningPlan,
} from './remarketing.reconditioning.ts';
export {
  delistVehicle,
  listVehicle,
  priceTables,
  priceVehicle,
  realisedSales,
  releaseReservation,
  reserveVehicle,
  salesColumns,
  salesCsv,
  sellVehicle,
} from './remarketing.sales.ts';
export type { ServiceOptions } from './remarketing.service.ts';
export {
  type BuybackStockIntake,
  getStockItem,
  intakeVehicle,
  listStock,
  recordBuybackIntake,
  recordDisclosure,
  stockAgeing,
  updateDocuments,
} from './remarketing.stock.ts';
