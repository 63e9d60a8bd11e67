/**
 * `checkVin`: the VIN report printed by `carloop codes vin <VIN> --json` (an external contract:
 * keep the shape).
 */
import { type FieldError, quoteChar } from './field-error.ts';
import { CHECK_DIGIT_POSITION, VIN_CHARACTER, VIN_LENGTH, vinCheckDigit } from './vin-check-digit.ts';
import { isModelYearCode, modelYearCandidates } from './vin-model-year.ts';
import { type VinRegion, wmiCountry, wmiRegion } from './wmi.lookup.ts';

export interface VinReport {
  input: string;
  valid: boolean;
  /** Reasons the VIN is invalid. Character errors use `vin[n]` with n the 1-based position. */
  errors: FieldError[];
  /** Findings that do not make the VIN invalid (check digit or year code outside NA/China). */
  warnings: FieldError[];
  checkDigit: { expected: string | null; actual: string | null; enforced: boolean };
  wmi: string | null;
  region: VinRegion | null;
  country: string | null;
  modelYearCandidates: number[];
}

/** Validate and describe a VIN. Never throws; lower-case input is reported, not upper-cased. */
export function checkVin(input: string): VinReport {
  const errors = [...lengthErrors(input), ...characterErrors(input)];
  const warnings: FieldError[] = [];
  const enforced = followsCheckDigitRule(input);
  const checkDigit = {
    expected: vinCheckDigit(input),
    actual: nthCharacter(input, CHECK_DIGIT_POSITION),
    enforced,
  };
  // Outside North America and China the rules below are not binding (identifiers.md §1.1, §1.4),
  // so a finding there is a warning rather than an error.
  const findings = enforced ? errors : warnings;
  if (checkDigit.expected !== null && checkDigit.expected !== checkDigit.actual) {
    findings.push(checkDigitMismatch(checkDigit.expected, checkDigit.actual));
  }
  const yearCode = nthCharacter(input, 10);
  if (yearCode !== null && VIN_CHARACTER.test(yearCode) && !isModelYearCode(yearCode)) {
    findings.push(invalidModelYear(yearCode));
  }
  return {
    input,
    valid: errors.length === 0,
    errors,
    warnings,
    checkDigit,
    wmi: input.length >= 3 ? input.slice(0, 3) : null,
    region: wmiRegion(input),
    country: wmiCountry(input),
    modelYearCandidates: modelYearCandidates(input),
  };
}

export const isValidVin = (vin: string): boolean => checkVin(vin).valid;

/**
 * The check digit is mandatory for North American WMIs (49 CFR 565; Canada mirrors it in
 * CMVSS 115). For China (`L`) we enforce it too: Chinese sources describe position 9 as the
 * check digit, but whether GB 16735 makes the 49 CFR algorithm mandatory is UNVERIFIED
 * (identifiers.md §1.1) — revisit when the standard's text is read.
 */
const followsCheckDigitRule = (vin: string): boolean => /^[1-5L]/.test(vin);

/** 1-based, as the standards number positions. */
const nthCharacter = (vin: string, position: number): string | null => vin.charAt(position - 1) || null;

function lengthErrors(input: string): FieldError[] {
  if (input.length === VIN_LENGTH) return [];
  return [{ field: 'vin', message: `a VIN has 17 characters (ISO 3779); got ${input.length}` }];
}

function characterErrors(input: string): FieldError[] {
  const errors: FieldError[] = [];
  for (let i = 0; i < input.length; i++) {
    const char = input[i]!;
    if (VIN_CHARACTER.test(char)) continue;
    errors.push({ field: `vin[${i + 1}]`, message: `position ${i + 1}: ${whyNotAVinCharacter(char)}` });
  }
  return errors;
}

// ISO 3779 (identifiers.md §1.1): I, O and Q are left out so they cannot be read as 1, 0, 9.
function whyNotAVinCharacter(char: string): string {
  if (/[IOQ]/.test(char)) {
    return `${quoteChar(char)} is not used in VINs (I, O and Q are excluded to avoid confusion with 1, 0 and 9)`;
  }
  if (/[a-z]/.test(char)) {
    return `lower-case ${quoteChar(char)} is not allowed; VIN letters are capitals (A–Z except I, O, Q)`;
  }
  return `${quoteChar(char)} is not a VIN character (allowed: 0–9 and A–Z except I, O, Q)`;
}

function checkDigitMismatch(expected: string, actual: string | null): FieldError {
  return {
    field: 'checkDigit',
    message: `position 9 holds ${quoteChar(actual ?? '')} but the 49 CFR 565 check digit is ${quoteChar(expected)}`,
  };
}

function invalidModelYear(code: string): FieldError {
  return {
    field: 'modelYear',
    message: `position 10: ${quoteChar(code)} is not a model-year code (0, I, O, Q, U and Z are never used)`,
  };
}
