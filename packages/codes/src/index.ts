/**
 * @carloop/codes — identifiers of the vehicle lifecycle: VIN (ISO 3779, 49 CFR 565), GB/T 34014
 * traction-battery codes, UUIDs. Pure and browser-safe: no Node-only API.
 */

export {
  type BatteryCodeFields,
  type BatteryCodeReport,
  type BatteryProductionDate,
  checkBatteryCode,
  isValidBatteryCode,
} from './battery-code.check.ts';
export {
  type BatteryCodeParts,
  type CascadeBatteryCodeParts,
  formatBatteryCode,
  formatCascadeBatteryCode,
} from './battery-code.format.ts';
export { BATTERY_CODE_LENGTHS, type BatteryCodeField, type BatteryCodeForm } from './battery-code.layout.ts';
export {
  type BatteryChemistry,
  type BatteryProductType,
  CHEMISTRY_CODES,
} from './battery-code-tables.data.ts';
export { type FieldError, InvalidIdentifierError } from './field-error.ts';
export { isUuid, type UuidOptions } from './uuid.check.ts';
export { checkVin, isValidVin, type VinReport } from './vin.check.ts';
export { makeVin } from './vin.make.ts';
export { transliterateVinCharacter, VIN_PATTERN, vinCheckDigit } from './vin-check-digit.ts';
export { MODEL_YEAR_CODES, MODEL_YEAR_RANGE, modelYearCandidates } from './vin-model-year.ts';
export { type VinRegion, wmiCountry, wmiRegion } from './wmi.lookup.ts';
