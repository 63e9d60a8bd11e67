/**
 * `checkBatteryCode`: validate and decode a GB/T 34014-2017 traction-battery code (24-character
 * standard form or 19-character cascade-use form). The report shape is an external contract.
 */

import {
  BATTERY_CODE_LAYOUTS,
  type BatteryCodeField,
  type BatteryCodeForm,
  type BatteryCodeSlot,
  batteryCodeFormOf,
} from './battery-code.layout.ts';
import {
  type BatteryChemistry,
  type BatteryProductType,
  CHEMISTRY_CODES,
  PRODUCT_TYPE_CODES,
  PRODUCTION_DAY_CODES,
  PRODUCTION_MONTH_CODES,
  PRODUCTION_YEAR_TABLE,
} from './battery-code-tables.data.ts';
import { type FieldError, quoteChar } from './field-error.ts';

export interface BatteryProductionDate {
  year: number | null;
  month: number | null;
  day: number | null;
}

/** Decoded fields; each is null when its characters are invalid or the form has no such field. */
export interface BatteryCodeFields {
  manufacturer: string | null;
  productType: BatteryProductType | null;
  chemistry: BatteryChemistry | null;
  /** The raw position-5 letter, kept because most letters' meanings are UNVERIFIED. */
  chemistryCode: string | null;
  specification: string | null;
  /** Always null in the cascade-use form, which has no traceability field (§4.2). */
  traceability: string | null;
  production: BatteryProductionDate;
  serial: string | null;
  /** Cascade-use form only: the type after the trailing `R` (meaning UNVERIFIED). */
  cascadeProductType: BatteryProductType | null;
}

export interface BatteryCodeReport {
  input: string;
  valid: boolean;
  form: BatteryCodeForm | null;
  fields: BatteryCodeFields;
  errors: FieldError[];
}

type RawFields = Partial<Record<BatteryCodeField, string>>;

/** Validate and decode; never throws. Reports every field error, not just the first. */
export function checkBatteryCode(input: string): BatteryCodeReport {
  const form = batteryCodeFormOf(input);
  if (form === null)
    return { input, valid: false, form, fields: decodeFields({}), errors: [lengthError(input)] };
  const errors: FieldError[] = [];
  const raw: RawFields = {};
  for (const slot of BATTERY_CODE_LAYOUTS[form]) {
    const value = input.slice(slot.start - 1, slot.start - 1 + slot.length);
    const error = slotError(slot, value);
    if (error === null) raw[slot.field] = value;
    else errors.push(error);
  }
  const fields = decodeFields(raw);
  const dateError = impossibleDateError(fields.production, form);
  if (dateError !== null) {
    errors.push(dateError);
    fields.production.day = null;
  }
  return { input, valid: errors.length === 0, form, fields, errors };
}

export const isValidBatteryCode = (code: string): boolean => checkBatteryCode(code).valid;

function lengthError(input: string): FieldError {
  return {
    field: 'code',
    message:
      `a GB/T 34014 code has 24 characters (standard form) or 19 (cascade-use form, ` +
      `Catena-X pattern); got ${input.length}`,
  };
}

function slotError(slot: BatteryCodeSlot, value: string): FieldError | null {
  const offenders: string[] = [];
  for (let i = 0; i < value.length; i++) {
    const char = value[i]!;
    if (slot.allowed.test(char)) continue;
    offenders.push(`${quoteChar(char)} at position ${slot.start + i}${characterNote(slot, char)}`);
  }
  if (offenders.length === 0) return null;
  return {
    field: slot.field,
    message:
      `${slot.field} (${positionsText(slot)}): ${offenders.join(', ')} ` +
      `${offenders.length === 1 ? 'is' : 'are'} not allowed; allowed: ${slot.allowedText}`,
  };
}

function characterNote(slot: BatteryCodeSlot, char: string): string {
  const note = slot.notes?.[char];
  if (note !== undefined) return ` (${note})`;
  if (char !== char.toUpperCase()) return ' (lower-case; codes are upper-case only)';
  return '';
}

const positionsText = (slot: BatteryCodeSlot): string =>
  slot.length === 1 ? `position ${slot.start}` : `positions ${slot.start}–${slot.start + slot.length - 1}`;

function decodeFields(raw: RawFields): BatteryCodeFields {
  const year = raw['production.year'];
  const month = raw['production.month'];
  const day = raw['production.day'];
  return {
    manufacturer: raw.manufacturer ?? null,
    productType: decodeProductType(raw.productType),
    chemistry: CHEMISTRY_CODES.find((c) => c.code === raw.chemistry)?.chemistry ?? null,
    chemistryCode: raw.chemistry ?? null,
    specification: raw.specification ?? null,
    traceability: raw.traceability ?? null,
    production: {
      year:
        year === undefined
          ? null
          : PRODUCTION_YEAR_TABLE.firstYear + PRODUCTION_YEAR_TABLE.codes.indexOf(year),
      month: month === undefined ? null : PRODUCTION_MONTH_CODES.indexOf(month) + 1,
      day: day === undefined ? null : PRODUCTION_DAY_CODES.indexOf(day) + 1,
    },
    serial: raw.serial ?? null,
    cascadeProductType: decodeProductType(raw.cascadeProductType),
  };
}

const decodeProductType = (code: string | undefined): BatteryProductType | null =>
  code === undefined ? null : (PRODUCT_TYPE_CODES[code] ?? null);

/** A production date must exist in the calendar (no 30 February); leap years per Gregorian rules. */
function impossibleDateError(
  { year, month, day }: BatteryProductionDate,
  form: BatteryCodeForm,
): FieldError | null {
  if (year === null || month === null || day === null) return null;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day <= daysInMonth) return null;
  const slot = BATTERY_CODE_LAYOUTS[form].find((s) => s.field === 'production.day')!;
  const yearMonth = `${year}-${String(month).padStart(2, '0')}`;
  return {
    field: 'production.day',
    message: `production.day (${positionsText(slot)}): day ${day} does not exist in ${yearMonth} (${daysInMonth} days)`,
  };
}
