/**
 * The Carloop event envelope: the log entry for one lifecycle event. Its RFC 8785 canonical JSON
 * bytes are the leaf; the payload is committed to by a salted hash so it can be withheld (redacted)
 * without breaking the proofs.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { decodeBase64Exact, encodeBase64 } from './base64.ts';
import { concatBytes, utf8Text } from './bytes.ts';
import { canonicalBytes, canonicalize, type JsonValue } from './canonical-json.ts';
import { HASH_SIZE, leafHash } from './merkle.ts';

export const ENVELOPE_VERSION = 1;
/** Salts shorter than this would let a guessable redacted payload be brute-forced. */
export const MIN_SALT_SIZE = 16;

export interface SubjectRef {
  kind: string;
  id: string;
}

export interface EventEnvelope {
  v: 1;
  id: string;
  type: string;
  subject: SubjectRef;
  /** 0-based position of this event in its subject's history. */
  subjectSeq: number;
  /** base64 leaf hash of the subject's previous event; null for subjectSeq 0. */
  prev: string | null;
  /** ISO 8601 UTC. */
  occurredAt: string;
  submitter: { party: string; keyId: string };
  /** base64 SHA-256(salt || canonicalBytes(payload)). */
  payloadHash: string;
}

interface EnvelopeFields {
  id: string;
  type: string;
  subject: SubjectRef;
  subjectSeq: number;
  /** Leaf hash of the subject's previous event, or null for the first. */
  prev: Uint8Array | null;
  occurredAt: string | Date;
  submitter: { party: string; keyId: string };
}

export type EnvelopeInput = EnvelopeFields &
  ({ payloadHash: Uint8Array } | { payload: JsonValue; salt: Uint8Array; payloadHash?: undefined });

export interface BuiltEnvelope {
  envelope: EventEnvelope;
  /** The log entry: canonical JSON bytes of the envelope. */
  bytes: Uint8Array;
  leafHash: Uint8Array;
}

export class EnvelopeError extends Error {
  override readonly name = 'EnvelopeError';
}

/** SHA-256(salt || canonicalBytes(payload)). */
export function payloadCommitment(salt: Uint8Array, payload: unknown): Uint8Array {
  return sha256(concatBytes(salt, canonicalBytes(payload)));
}

/** 32 random bytes for `payloadCommitment` (Web Crypto, browser and Node). */
export function generateSalt(): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(32));
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
const ENVELOPE_KEYS = [
  'id',
  'occurredAt',
  'payloadHash',
  'prev',
  'subject',
  'subjectSeq',
  'submitter',
  'type',
  'v',
];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '')
    throw new EnvelopeError(`${field} must be a non-empty string`);
  return value;
}

function exactKeys(value: Record<string, unknown>, keys: string[], field: string): void {
  const actual = Object.keys(value).sort();
  if (actual.length !== keys.length || actual.some((key, i) => key !== keys[i])) {
    throw new EnvelopeError(`${field} must have exactly the fields ${keys.join(', ')}`);
  }
}

function checkHashField(value: unknown, field: string): void {
  try {
    decodeBase64Exact(nonEmptyString(value, field), HASH_SIZE, field);
  } catch (error) {
    throw new EnvelopeError((error as Error).message);
  }
}

/** Checks that `value` is a well-formed version-1 envelope. */
export function validateEnvelope(value: unknown): EventEnvelope {
  if (!isRecord(value)) throw new EnvelopeError('envelope must be a JSON object');
  exactKeys(value, ENVELOPE_KEYS, 'envelope');
  if (value.v !== ENVELOPE_VERSION) throw new EnvelopeError(`envelope version ${String(value.v)} is not 1`);
  nonEmptyString(value.id, 'id');
  nonEmptyString(value.type, 'type');
  if (!isRecord(value.subject)) throw new EnvelopeError('subject must be an object');
  exactKeys(value.subject, ['id', 'kind'], 'subject');
  nonEmptyString(value.subject.kind, 'subject.kind');
  nonEmptyString(value.subject.id, 'subject.id');
  const { subjectSeq, prev } = value;
  if (typeof subjectSeq !== 'number' || !Number.isSafeInteger(subjectSeq) || subjectSeq < 0) {
    throw new EnvelopeError('subjectSeq must be a non-negative integer');
  }
  if (subjectSeq === 0 && prev !== null) throw new EnvelopeError('prev must be null when subjectSeq is 0');
  if (subjectSeq > 0) checkHashField(prev, 'prev');
  const occurredAt = nonEmptyString(value.occurredAt, 'occurredAt');
  if (!ISO_UTC.test(occurredAt) || Number.isNaN(Date.parse(occurredAt))) {
    throw new EnvelopeError(`occurredAt "${occurredAt}" is not an ISO 8601 UTC timestamp`);
  }
  if (!isRecord(value.submitter)) throw new EnvelopeError('submitter must be an object');
  exactKeys(value.submitter, ['keyId', 'party'], 'submitter');
  nonEmptyString(value.submitter.party, 'submitter.party');
  nonEmptyString(value.submitter.keyId, 'submitter.keyId');
  checkHashField(value.payloadHash, 'payloadHash');
  return value as unknown as EventEnvelope;
}

/** Builds the envelope, its canonical bytes (the log entry) and its leaf hash. */
export function buildEnvelope(input: EnvelopeInput): BuiltEnvelope {
  let payloadHash: Uint8Array;
  if (input.payloadHash !== undefined) {
    payloadHash = input.payloadHash;
  } else {
    if (input.salt.length < MIN_SALT_SIZE)
      throw new EnvelopeError(`salt must be at least ${MIN_SALT_SIZE} bytes`);
    payloadHash = payloadCommitment(input.salt, input.payload);
  }
  const envelope = validateEnvelope({
    v: ENVELOPE_VERSION,
    id: input.id,
    type: input.type,
    subject: { kind: input.subject.kind, id: input.subject.id },
    subjectSeq: input.subjectSeq,
    prev: input.prev === null ? null : encodeBase64(input.prev),
    occurredAt: typeof input.occurredAt === 'string' ? input.occurredAt : input.occurredAt.toISOString(),
    submitter: { party: input.submitter.party, keyId: input.submitter.keyId },
    payloadHash: encodeBase64(payloadHash),
  });
  const bytes = canonicalBytes(envelope);
  return { envelope, bytes, leafHash: leafHash(bytes) };
}

/** Parses log entry bytes: they must be the canonical JSON of a well-formed envelope. */
export function parseEnvelope(bytes: Uint8Array): EventEnvelope {
  let text: string;
  let value: unknown;
  try {
    text = utf8Text(bytes);
    value = JSON.parse(text);
  } catch {
    throw new EnvelopeError('entry is not UTF-8 JSON');
  }
  const envelope = validateEnvelope(value);
  if (canonicalize(envelope) !== text) throw new EnvelopeError('entry is not in RFC 8785 canonical form');
  return envelope;
}
