/** reports — KPIs of the whole loop: vehicles per stage, value captured, guarantees, recovery, carbon. */
export { avoidedEmissions, emissionFactors, stageOf, vehicleStages } from './reports.model.ts';
export { type LoopReport, loopReport, loopReportPermission } from './reports.service.ts';
