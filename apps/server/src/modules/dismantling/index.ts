/** dismantling — ELV intake, certificates, pre-treatment, parts harvest, reusable-part stock, materials, recovery rates. */

export { certificateDocument, certificatePdf, partLabelPdf } from './dismantling.documents.ts';
export {
  assessIntake,
  intakeFlags,
  materialCategories,
  type RecoveryRates,
  recoveryRates,
  rules as dismantlingRules,
} from './dismantling.model.ts';
export {
  dismantlingReport,
  euElvReport,
  euReportCsv,
  periodRates,
  reportCsv,
} from './dismantling.reports.ts';
export {
  deregisterVehicle,
  eraseOwnerData,
  getPart,
  handOverBattery,
  harvestVehicle,
  type IntakeRefusal,
  type IntakeResult,
  intakeVehicle,
  pretreatVehicle,
  releasePart,
  reservePart,
  searchStock,
  sellPart,
  setFacility,
  vehicleDossier,
  vehicleRates,
  weighBatch,
  weighVehicle,
} from './dismantling.service.ts';
