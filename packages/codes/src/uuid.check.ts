/**
 * UUIDs as the platform uses them for asset, party and passport ids (RFC 9562).
 */

// RFC 9562 §4: 8-4-4-4-12 hex digits; §4.1 variant bits 10xx (8, 9, a, b) for versions 1–8.
const RFC_9562_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
// RFC 9562 §5.9 and §5.10: the Nil and Max UUIDs have no version or variant.
const NIL_UUID = '00000000-0000-0000-0000-000000000000';
const MAX_UUID = 'ffffffff-ffff-ffff-ffff-ffffffffffff';
// Catena-X `UuidV4Trait` (identifiers.md §3) also admits the URN form of RFC 9562 §4.
const URN_PREFIX = 'urn:uuid:';

export interface UuidOptions {
  /** Require this version (e.g. 4 for Catena-X passport ids, 7 for time-ordered ids). */
  version?: number;
  /** Accept the `urn:uuid:` prefix (Catena-X `metadata.passportIdentifier`). Default false. */
  allowUrn?: boolean;
}

/**
 * True for a canonical-text UUID. Hex digits may be either case: RFC 9562 §4 asks writers for
 * lower case but readers to accept both.
 */
export function isUuid(value: string, options: UuidOptions = {}): boolean {
  const hasUrn = value.slice(0, URN_PREFIX.length).toLowerCase() === URN_PREFIX;
  if (hasUrn && !options.allowUrn) return false;
  const bare = hasUrn ? value.slice(URN_PREFIX.length) : value;
  if (options.version === undefined && [NIL_UUID, MAX_UUID].includes(bare.toLowerCase())) return true;
  if (!RFC_9562_UUID.test(bare)) return false;
  return options.version === undefined || bare.charAt(14) === String(options.version);
}
