/**
 * The VIN check digit, position 9 — 49 CFR 565, Tables III–V (identifiers.md §1.2).
 */

/** ISO 3779: digits and capital letters except I, O, Q (identifiers.md §1.1). */
export const VIN_PATTERN = /^[A-HJ-NPR-Z0-9]{17}$/;
export const VIN_CHARACTER = /^[A-HJ-NPR-Z0-9]$/;
export const VIN_LENGTH = 17;
export const CHECK_DIGIT_POSITION = 9;

// 49 CFR 565 transliteration table (identifiers.md §1.2 step 2). Letters are not consecutive:
// P = 7 and S = 2, because the table skips the values I, O and Q would have taken.
// biome-ignore format: keep the table's rows as in the regulation
const TRANSLITERATION: Readonly<Record<string, number>> = {
  A: 1, B: 2, C: 3, D: 4, E: 5, F: 6, G: 7, H: 8,
  J: 1, K: 2, L: 3, M: 4, N: 5, P: 7, R: 9,
  S: 2, T: 3, U: 4, V: 5, W: 6, X: 7, Y: 8, Z: 9,
};

// 49 CFR 565 position weights (identifiers.md §1.2 step 3). Position 9 weighs 0, so the check
// digit does not feed its own sum.
const POSITION_WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2] as const;

/** The number a VIN character stands for in the check-digit sum (49 CFR 565). */
export function transliterateVinCharacter(char: string): number {
  if (!VIN_CHARACTER.test(char)) throw new RangeError(`not a VIN character: ${JSON.stringify(char)}`);
  return /[0-9]/.test(char) ? Number(char) : TRANSLITERATION[char]!;
}

/**
 * The check character position 9 must hold, or null when it cannot be computed because the
 * input is not 17 characters of the VIN alphabet. Lower-case is not accepted (it is not a VIN).
 */
export function vinCheckDigit(vin: string): string | null {
  if (!VIN_PATTERN.test(vin)) return null;
  let sum = 0;
  for (let i = 0; i < VIN_LENGTH; i++) {
    sum += transliterateVinCharacter(vin[i]!) * POSITION_WEIGHTS[i]!;
  }
  const remainder = sum % 11;
  // 49 CFR 565 (identifiers.md §1.2 step 5): a remainder of 10 is written as X.
  return remainder === 10 ? 'X' : String(remainder);
}
