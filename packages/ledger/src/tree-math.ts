/**
 * Integer helpers for tree sizes and indexes held in `number`. The Go reference code uses uint64;
 * JavaScript numbers are exact only up to 2^53 − 1, so every public entry point checks its sizes
 * with `assertTreeSize` and this module never uses 32-bit bitwise operators on them.
 */

/** Largest tree size (and leaf index + 1) the package accepts: 2^53 − 1. */
export const MAX_TREE_SIZE = Number.MAX_SAFE_INTEGER;

const TWO_POW_32 = 2 ** 32;

export function assertTreeSize(value: number, what: string, max: number = MAX_TREE_SIZE): void {
  if (!Number.isSafeInteger(value) || value < 0 || value > max) {
    throw new RangeError(`${what} must be an integer in 0..${max}, got ${value}`);
  }
}

export function half(n: number): number {
  return Math.floor(n / 2);
}

export function isOdd(n: number): boolean {
  return n % 2 === 1;
}

function popcount32(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Number of 1 bits of a non-negative safe integer. */
export function popcount(n: number): number {
  return popcount32(n >>> 0) + popcount32(Math.floor(n / TWO_POW_32) >>> 0);
}

/** Number of trailing 1 bits of a non-negative safe integer. */
export function trailingOnes(n: number): number {
  let count = 0;
  while (n % 2 === 1) {
    n = (n - 1) / 2;
    count++;
  }
  return count;
}

/** Number of trailing 0 bits of a positive safe integer. */
export function trailingZeros(n: number): number {
  let count = 0;
  while (n > 0 && n % 2 === 0) {
    n /= 2;
    count++;
  }
  return count;
}

/** Number of bits needed to write n (0 for 0). */
export function bitLength(n: number): number {
  let bits = 0;
  while (n > 0) {
    n = half(n);
    bits++;
  }
  return bits;
}

export function isPowerOfTwo(n: number): boolean {
  return n > 0 && popcount(n) === 1;
}

/** RFC 6962 §2.1 split point: the largest power of two smaller than n, for n ≥ 2. */
export function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** The largest power of two not above n, for n ≥ 1. */
export function largestPowerOfTwoAtMost(n: number): number {
  let k = 1;
  while (k * 2 <= n) k *= 2;
  return k;
}
