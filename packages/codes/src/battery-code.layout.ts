/**
 * Where each field sits in the two GB/T 34014 code forms and which characters it may hold.
 * Positions are 1-based, as in the standard and identifiers.md §2.2.
 */
import {
  PRODUCTION_DAY_CODES,
  PRODUCTION_MONTH_CODES,
  PRODUCTION_YEAR_TABLE,
} from './battery-code-tables.data.ts';

export type BatteryCodeForm = 'standard' | 'cascade';

export type BatteryCodeField =
  | 'manufacturer'
  | 'productType'
  | 'chemistry'
  | 'specification'
  | 'traceability'
  | 'production.year'
  | 'production.month'
  | 'production.day'
  | 'serial'
  | 'cascadeMarker'
  | 'cascadeProductType';

export interface BatteryCodeSlot {
  field: BatteryCodeField;
  start: number;
  length: number;
  /** One character of the field's class. */
  allowed: RegExp;
  allowedText: string;
  /** Extra explanation for characters that need one (e.g. why `0` is no day). */
  notes?: Readonly<Record<string, string>>;
}

const ALPHANUMERIC = { allowed: /^[A-Z0-9]$/, allowedText: 'A–Z, 0–9' };
const PRODUCT_TYPE = { allowed: /^[PMC]$/, allowedText: 'P (pack), M (module), C (cell)' };
// Year and day: the Catena-X classes minus `I` (and `0` for the day) — see the tables' file.
const SLIP_NOTE = {
  I: 'the Catena-X pattern admits I, read here as an authoring slip (identifiers.md §2.3)',
};
const YEAR = {
  allowed: new RegExp(`^[${PRODUCTION_YEAR_TABLE.codes}]$`),
  allowedText: '1–9, A–H, J–N, P, R–Y',
  notes: SLIP_NOTE,
};
const MONTH = {
  allowed: new RegExp(`^[${PRODUCTION_MONTH_CODES}]$`),
  allowedText: '1–9, A–C (A = 10 … C = 12)',
};
const DAY = {
  allowed: new RegExp(`^[${PRODUCTION_DAY_CODES}]$`),
  allowedText: '1–9, A–H, J–N, P, R–Y (days 1–31)',
  notes: { ...SLIP_NOTE, '0': 'there is no day 0' },
};
const DIGIT = { allowed: /^[0-9]$/, allowedText: '0–9' };

// identifiers.md §2.2: the 24-character code (Catena-X pattern, first alternative).
const STANDARD_LAYOUT: readonly BatteryCodeSlot[] = [
  { field: 'manufacturer', start: 1, length: 3, ...ALPHANUMERIC },
  { field: 'productType', start: 4, length: 1, ...PRODUCT_TYPE },
  { field: 'chemistry', start: 5, length: 1, allowed: /^[A-GZ]$/, allowedText: 'A–G, Z' },
  { field: 'specification', start: 6, length: 2, ...ALPHANUMERIC },
  { field: 'traceability', start: 8, length: 7, ...ALPHANUMERIC },
  { field: 'production.year', start: 15, length: 1, ...YEAR },
  { field: 'production.month', start: 16, length: 1, ...MONTH },
  { field: 'production.day', start: 17, length: 1, ...DAY },
  { field: 'serial', start: 18, length: 7, ...DIGIT },
];

// identifiers.md §2.3: the 19-character cascade-use code (second alternative): no
// traceability field (GB/T 34014 §4.2), then a literal R and a product type. The meaning of
// that trailing pair is UNVERIFIED; we read it as the type of the cascade-use product.
const CASCADE_LAYOUT: readonly BatteryCodeSlot[] = [
  { field: 'manufacturer', start: 1, length: 3, ...ALPHANUMERIC },
  { field: 'productType', start: 4, length: 1, ...PRODUCT_TYPE },
  { field: 'chemistry', start: 5, length: 1, allowed: /^[A-GZ]$/, allowedText: 'A–G, Z' },
  { field: 'specification', start: 6, length: 2, ...ALPHANUMERIC },
  { field: 'production.year', start: 8, length: 1, ...YEAR },
  { field: 'production.month', start: 9, length: 1, ...MONTH },
  { field: 'production.day', start: 10, length: 1, ...DAY },
  { field: 'serial', start: 11, length: 7, ...DIGIT },
  { field: 'cascadeMarker', start: 18, length: 1, allowed: /^R$/, allowedText: 'R' },
  { field: 'cascadeProductType', start: 19, length: 1, ...PRODUCT_TYPE },
];

export const BATTERY_CODE_LAYOUTS: Readonly<Record<BatteryCodeForm, readonly BatteryCodeSlot[]>> = {
  standard: STANDARD_LAYOUT,
  cascade: CASCADE_LAYOUT,
};

export const BATTERY_CODE_LENGTHS: Readonly<Record<BatteryCodeForm, number>> = { standard: 24, cascade: 19 };

export function batteryCodeFormOf(code: string): BatteryCodeForm | null {
  if (code.length === BATTERY_CODE_LENGTHS.standard) return 'standard';
  if (code.length === BATTERY_CODE_LENGTHS.cascade) return 'cascade';
  return null;
}
