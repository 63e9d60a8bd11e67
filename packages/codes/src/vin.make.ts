/**
 * Building VINs (for the simulator and tests): the caller chooses every position except 9.
 */
import { type FieldError, InvalidIdentifierError } from './field-error.ts';
import { checkVin } from './vin.check.ts';
import { vinCheckDigit } from './vin-check-digit.ts';

/**
 * A VIN from positions 1–8 (WMI + VDS without its last character) and positions 10–17 (VIS),
 * with the 49 CFR 565 check digit computed and inserted at position 9. Throws
 * `InvalidIdentifierError` with field-level reasons if the result would not pass `checkVin`
 * (e.g. a North American or Chinese VIN whose position 10 is not a model-year code).
 */
export function makeVin(positions1to8: string, positions10to17: string): string {
  const lengthErrors = [
    partLengthError('positions1to8', positions1to8),
    partLengthError('positions10to17', positions10to17),
  ].filter((e) => e !== null);
  if (lengthErrors.length > 0) throw new InvalidIdentifierError('invalid_vin', lengthErrors);
  const draft = `${positions1to8}0${positions10to17}`;
  const checkDigit = vinCheckDigit(draft) ?? '0';
  const vin = `${positions1to8}${checkDigit}${positions10to17}`;
  const report = checkVin(vin);
  if (!report.valid) throw new InvalidIdentifierError('invalid_vin', report.errors);
  return vin;
}

function partLengthError(field: string, part: string): FieldError | null {
  if (part.length === 8) return null;
  return { field, message: `needs exactly 8 characters; got ${part.length}` };
}
