/**
 * Field-level reasons shared by every identifier check. The shape matches the server's
 * `FieldError` (apps/server/src/shared/errors.ts) so a report's errors can be passed straight
 * into a domain error without mapping.
 */
export interface FieldError {
  /** Dotted path or position of the offending part, e.g. `vin[3]`, `production.day`. */
  field: string;
  message: string;
}

/**
 * Thrown by the encoders (`makeVin`, `formatBatteryCode`, …) when asked to build an identifier
 * that the matching check would reject. Carries a stable code and the same field errors the
 * check reports, so callers map it like any other domain error.
 */
export class InvalidIdentifierError extends Error {
  override readonly name = 'InvalidIdentifierError';
  constructor(
    readonly code: 'invalid_vin' | 'invalid_battery_code',
    readonly errors: FieldError[],
  ) {
    super(`${code}: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`);
  }
}

/** How a character is quoted in messages: JSON-escaped so spaces and control characters show. */
export const quoteChar = (char: string): string => JSON.stringify(char);
