/**
 * Encoders for GB/T 34014 codes (used by the simulator and tests). They round-trip with
 * `checkBatteryCode` and throw `InvalidIdentifierError` with field-level reasons otherwise.
 */

import { checkBatteryCode } from './battery-code.check.ts';
import {
  type BatteryChemistry,
  type BatteryProductType,
  CHEMISTRY_CODES,
  PRODUCTION_DAY_CODES,
  PRODUCTION_MONTH_CODES,
  PRODUCTION_YEAR_TABLE,
} from './battery-code-tables.data.ts';
import { type FieldError, InvalidIdentifierError } from './field-error.ts';

export interface BatteryCodeParts {
  manufacturer: string;
  productType: BatteryProductType;
  chemistry: BatteryChemistry;
  specification: string;
  traceability: string;
  production: { year: number; month: number; day: number };
  /** Seven digits, or a sequence number 0–9,999,999 that is zero-padded. */
  serial: string | number;
}

export interface CascadeBatteryCodeParts extends Omit<BatteryCodeParts, 'traceability'> {
  cascadeProductType: BatteryProductType;
}

const PRODUCT_TYPE_LETTER: Readonly<Record<BatteryProductType, string>> = {
  pack: 'P',
  module: 'M',
  cell: 'C',
};

/** The 24-character standard code (identifiers.md §2.2). */
export function formatBatteryCode(parts: BatteryCodeParts): string {
  const errors: FieldError[] = [];
  const code = [
    ...encodeDesignPart(parts, errors),
    encodeText('traceability', parts.traceability, 7, errors),
    ...encodeProductionPart(parts, errors),
  ].join('');
  return confirmed(code, errors);
}

/** The 19-character cascade-use code (identifiers.md §2.3; layout UNVERIFIED, see the layout file). */
export function formatCascadeBatteryCode(parts: CascadeBatteryCodeParts): string {
  const errors: FieldError[] = [];
  const code = [
    ...encodeDesignPart(parts, errors),
    ...encodeProductionPart(parts, errors),
    'R',
    encodeProductType('cascadeProductType', parts.cascadeProductType, errors),
  ].join('');
  return confirmed(code, errors);
}

// The design-information part, positions 1–7 of both forms (GB/T 34014 §4.2).
function encodeDesignPart(parts: Omit<BatteryCodeParts, 'traceability'>, errors: FieldError[]): string[] {
  const chemistry = CHEMISTRY_CODES.find((c) => c.chemistry === parts.chemistry)?.code;
  if (chemistry === undefined)
    errors.push({ field: 'chemistry', message: `unknown chemistry ${String(parts.chemistry)}` });
  return [
    encodeText('manufacturer', parts.manufacturer, 3, errors),
    encodeProductType('productType', parts.productType, errors),
    chemistry ?? '?',
    encodeText('specification', parts.specification, 2, errors),
  ];
}

// The production-information part: date (year, month, day) and serial.
function encodeProductionPart(parts: Omit<BatteryCodeParts, 'traceability'>, errors: FieldError[]): string[] {
  const { year, month, day } = parts.production;
  return [
    encodeFromTable(
      'production.year',
      year,
      PRODUCTION_YEAR_TABLE.firstYear,
      PRODUCTION_YEAR_TABLE.codes,
      errors,
    ),
    encodeFromTable('production.month', month, 1, PRODUCTION_MONTH_CODES, errors),
    encodeFromTable('production.day', day, 1, PRODUCTION_DAY_CODES, errors),
    encodeSerial(parts.serial, errors),
  ];
}

function encodeText(field: string, value: string, length: number, errors: FieldError[]): string {
  if (value.length === length) return value;
  errors.push({ field, message: `needs exactly ${length} characters; got ${value.length}` });
  return '?'.repeat(length);
}

function encodeProductType(field: string, type: BatteryProductType, errors: FieldError[]): string {
  const letter = PRODUCT_TYPE_LETTER[type];
  if (letter !== undefined) return letter;
  errors.push({ field, message: `unknown product type ${String(type)}; expected pack, module or cell` });
  return '?';
}

/** `codes[i]` stands for the value `first + i`. */
function encodeFromTable(
  field: string,
  value: number,
  first: number,
  codes: string,
  errors: FieldError[],
): string {
  const code = Number.isInteger(value) ? codes[value - first] : undefined;
  if (code !== undefined) return code;
  errors.push({
    field,
    message: `${value} cannot be coded; the table covers ${first}–${first + codes.length - 1}`,
  });
  return '?';
}

function encodeSerial(serial: string | number, errors: FieldError[]): string {
  if (typeof serial === 'string') return encodeText('serial', serial, 7, errors);
  if (Number.isInteger(serial) && serial >= 0 && serial <= 9_999_999) return String(serial).padStart(7, '0');
  errors.push({ field: 'serial', message: `sequence number ${serial} is not an integer in 0–9999999` });
  return '???????';
}

/** Encoder errors first; the check then names anything the encoder could not see (bad characters). */
function confirmed(code: string, encoderErrors: FieldError[]): string {
  const reported = new Set(encoderErrors.map((e) => e.field));
  const checkErrors = checkBatteryCode(code).errors.filter((e) => !reported.has(e.field));
  const errors = [...encoderErrors, ...checkErrors];
  if (errors.length > 0) throw new InvalidIdentifierError('invalid_battery_code', errors);
  return code;
}
