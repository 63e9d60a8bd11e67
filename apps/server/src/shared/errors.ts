/**
 * One error model for every module: a domain error carries a stable code, an HTTP-neutral
 * kind, and field-level details. The HTTP layer maps it to RFC 9457 problem+json in one place;
 * the CLI prints it and exits non-zero.
 */
export type ErrorKind =
  | 'invalid'
  | 'not_found'
  | 'conflict'
  | 'unauthorized'
  | 'forbidden'
  | 'too_large'
  | 'integrity';

export interface FieldError {
  /** Dotted path of the offending field, e.g. `payload.odometerKm` or `vin`. */
  field: string;
  message: string;
  /** 1-based line of the input file (or item of a batch) the error belongs to, when there is one. */
  line?: number;
}

export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
  }
}

export const invalid = (code: string, message: string, errors: FieldError[] = []) =>
  new DomainError('invalid', code, message, errors);
export const notFound = (code: string, message: string) => new DomainError('not_found', code, message);
export const conflict = (code: string, message: string, errors: FieldError[] = []) =>
  new DomainError('conflict', code, message, errors);
export const forbidden = (code: string, message: string) => new DomainError('forbidden', code, message);
export const unauthorized = (code: string, message: string) => new DomainError('unauthorized', code, message);

/** Field errors from a zod issue list, with the path joined by dots (prefix optional). */
export function fieldErrorsFromZod(
  issues: ReadonlyArray<{
    path: ReadonlyArray<PropertyKey>;
    message: string;
    code?: string;
    keys?: readonly string[];
  }>,
  prefix = '',
): FieldError[] {
  const join = (...parts: string[]) => parts.filter(Boolean).join('.') || '(root)';
  return issues.flatMap((i) => {
    const path = i.path.map(String).join('.');
    // An unknown key is reported at the key itself, so the field named is the one to remove.
    if (i.code === 'unrecognized_keys' && i.keys) {
      return i.keys.map((key) => ({ field: join(prefix, path, key), message: 'unknown field' }));
    }
    return [{ field: join(prefix, path), message: i.message }];
  });
}
