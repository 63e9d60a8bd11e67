/**
 * Model year from VIN position 10 (identifiers.md §1.4).
 */
import { isNorthAmericanWmi } from './wmi.lookup.ts';

// identifiers.md §1.4 (year table; python-libvin): one code per year in a 30-year cycle from
// 1980. Letters skip I, O, Q, U, Z and the digit 0 is never a year code.
export const MODEL_YEAR_CODES = 'ABCDEFGHJKLMNPRSTVWXY123456789';
const CYCLE_START = 1980;
const CYCLE_LENGTH = 30;
/** The window we resolve into: two full cycles, 1980–2039. */
export const MODEL_YEAR_RANGE = { first: 1980, last: 2039 } as const;

export const isModelYearCode = (char: string): boolean =>
  char.length === 1 && MODEL_YEAR_CODES.includes(char);

/**
 * Every model year in 1980–2039 that a VIN's position 10 can stand for, narrowed for North
 * American WMIs by position 7. Empty when position 10 is missing or not a year code.
 */
export function modelYearCandidates(vin: string): number[] {
  const index = MODEL_YEAR_CODES.indexOf(vin.charAt(9));
  if (vin.length < 10 || index < 0) return [];
  const years = [CYCLE_START + index, CYCLE_START + CYCLE_LENGTH + index];
  return years.filter((year) => fitsPositionSevenRule(vin, year));
}

/**
 * NHTSA final rule 73 FR 23367 (30 Apr 2008), identifiers.md §1.4: from model year 2010 a
 * North American VIN carries an alphabetic position 7, and a numeric position 7 means
 * 1980–2009. The rule binds passenger cars, MPVs and trucks ≤ 4,536 kg GVWR only; for heavier
 * vehicles and trailers it can narrow wrongly, which we accept because the platform's vehicles
 * are light-duty and the result is a candidate list, not a verdict.
 */
function fitsPositionSevenRule(vin: string, year: number): boolean {
  const seventh = vin.charAt(6);
  if (!isNorthAmericanWmi(vin)) return true;
  if (/^[A-HJ-NPR-Z]$/.test(seventh)) return year >= 2010;
  if (/^[0-9]$/.test(seventh)) return year <= 2009;
  return true;
}
