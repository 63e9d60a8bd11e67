import { invalid } from './errors.ts';

/** ISO 4217 minor-unit exponents for the currencies Carloop trades in; others default to 2. */
const minorDigits: Record<string, number> = {
  JPY: 0,
  KRW: 0,
  CNY: 2,
  EUR: 2,
  GBP: 2,
  USD: 2,
  HKD: 2,
  CHF: 2,
};

export function currencyExponent(currency: string): number {
  return minorDigits[currency] ?? 2;
}

export function isCurrencyCode(value: string): boolean {
  return /^[A-Z]{3}$/.test(value);
}

/**
 * Major-unit decimal (number or string, e.g. 259800.5 or "259800.50") → integer minor units.
 * Works on the decimal text so that 0.1 + 0.2 style float error never reaches storage.
 */
export function toMinorUnits(value: number | string, currency: string, field = 'amount'): number {
  const text = typeof value === 'number' ? numberToPlainString(value) : value.trim();
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match)
    throw invalid('invalid_money', `${field} is not a decimal amount`, [
      { field, message: `"${value}" is not a decimal number` },
    ]);
  const [, sign, whole, fraction = ''] = match;
  const digits = currencyExponent(currency);
  if (fraction.replace(/0+$/, '').length > digits) {
    throw invalid('invalid_money', `${field} has more decimals than ${currency} allows`, [
      { field, message: `${currency} has ${digits} decimal places; got "${text}"` },
    ]);
  }
  const minor = Number(whole + fraction.padEnd(digits, '0').slice(0, digits));
  if (!Number.isSafeInteger(minor))
    throw invalid('invalid_money', `${field} is too large`, [{ field, message: 'amount is too large' }]);
  return sign === '-' ? -minor : minor;
}

/** Integer minor units → major-unit number for JSON output (e.g. 25980050 fen → 259800.5). */
export function toMajorUnits(minor: number, currency: string): number {
  return minor / 10 ** currencyExponent(currency);
}

/** Fixed-decimal text of a minor amount, for CSV and documents (e.g. "259800.50"). */
export function formatMajorUnits(minor: number, currency: string): string {
  const digits = currencyExponent(currency);
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor)
    .toString()
    .padStart(digits + 1, '0');
  return digits === 0 ? sign + abs : `${sign}${abs.slice(0, -digits)}.${abs.slice(-digits)}`;
}

function numberToPlainString(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const text = String(value);
  if (!/e/i.test(text)) return text;
  return value.toFixed(20).replace(/\.?0+$/, '');
}
