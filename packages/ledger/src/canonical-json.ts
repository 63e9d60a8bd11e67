/**
 * RFC 8785 JSON Canonicalization Scheme (JCS). The canonical bytes of an event envelope are what
 * the log commits to, so two parties serialising the same value must produce the same bytes.
 */
import { hasLoneSurrogate, utf8Bytes } from './bytes.ts';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export class CanonicalJsonError extends TypeError {
  override readonly name = 'CanonicalJsonError';
}

/** RFC 8785 canonical JSON text of `value`. Follows `JSON.stringify` for `toJSON` and `undefined`. */
export function canonicalize(value: unknown): string {
  const out = serializeValue(value, '$', new Set());
  if (out === undefined) throw new CanonicalJsonError('$: value has no JSON representation');
  return out;
}

/** UTF-8 bytes of the canonical JSON text (RFC 8785 §3.2.5). */
export function canonicalBytes(value: unknown): Uint8Array {
  return utf8Bytes(canonicalize(value));
}

function serializeValue(input: unknown, path: string, ancestors: Set<object>): string | undefined {
  const value = withToJson(input, path);
  switch (typeof value) {
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return serializeNumber(value, path);
    case 'string':
      return serializeString(value, path);
    case 'bigint':
      throw new CanonicalJsonError(`${path}: bigint has no JSON representation`);
    case 'object':
      if (value === null) return 'null';
      if (ancestors.has(value)) throw new CanonicalJsonError(`${path}: cyclic structure`);
      ancestors.add(value);
      try {
        return Array.isArray(value)
          ? serializeArray(value, path, ancestors)
          : serializeObject(value as Record<string, unknown>, path, ancestors);
      } finally {
        ancestors.delete(value);
      }
  }
}

function withToJson(value: unknown, path: string): unknown {
  if (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { toJSON?: unknown }).toJSON === 'function'
  ) {
    return (value as { toJSON: (key: string) => unknown }).toJSON(path);
  }
  return value;
}

// RFC 8785 §3.2.2.3: numbers are serialised with the ECMAScript Number-to-String algorithm,
// which JSON.stringify applies (and which writes -0 as "0"); NaN and ±Infinity are errors.
function serializeNumber(value: number, path: string): string {
  if (!Number.isFinite(value)) throw new CanonicalJsonError(`${path}: ${value} is not a finite number`);
  return JSON.stringify(value);
}

// RFC 8785 §3.2.2.2: the ECMAScript JSON string escaping; lone surrogates are not I-JSON (RFC 7493 §2.1).
function serializeString(value: string, path: string): string {
  if (hasLoneSurrogate(value)) throw new CanonicalJsonError(`${path}: string holds a lone surrogate`);
  return JSON.stringify(value);
}

function serializeArray(values: unknown[], path: string, ancestors: Set<object>): string {
  const parts: string[] = [];
  for (let i = 0; i < values.length; i++) {
    parts.push(serializeValue(values[i], `${path}[${i}]`, ancestors) ?? 'null');
  }
  return `[${parts.join(',')}]`;
}

// RFC 8785 §3.2.3: properties sorted by their names as arrays of UTF-16 code units.
function compareUtf16(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function serializeObject(object: Record<string, unknown>, path: string, ancestors: Set<object>): string {
  const parts: string[] = [];
  for (const key of Object.keys(object).sort(compareUtf16)) {
    const member = serializeValue(object[key], `${path}.${key}`, ancestors);
    if (member !== undefined) parts.push(`${serializeString(key, `${path}.${key}`)}:${member}`);
  }
  return `{${parts.join(',')}}`;
}
