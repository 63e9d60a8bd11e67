/** passports — the EU battery passport, China traceability reports, public views and QR codes. */
export { type AccessLevel, accessLevels, longlist } from './passports.longlist.ts';
export { attributeAccessPaths, buildBatteryPass, buildCatenax, filterByAccess } from './passports.model.ts';
export { submodelNames, validateCatenax, validateSubmodel } from './passports.schema-registry.ts';
export {
  accessLevelOf,
  checkAccessLevel,
  declarePassport,
  exportBatteryPass,
  exportCatenax,
  type PassportView,
  passportQr,
  passportStatusOf,
  publicPassportUrl,
  showPassport,
} from './passports.service.ts';
export {
  markReported,
  reportColumns,
  reportCsv,
  syncTraceability,
  traceabilityReport,
} from './traceability.service.ts';
