/**
 * Carloop history bundles (`carloop-history@1`): a subject's events with inclusion proofs against
 * one signed checkpoint, verifiable offline (CLI `carloop verify`, browser page).
 *
 * What a valid bundle shows: every listed event is in the log the checkpoint commits to, its
 * disclosed payload is the one committed to, and the events form an unbroken chain from the
 * subject's first event. It cannot show that no later event exists (see domain notes §9).
 */
import { decodeBase64, decodeBase64Exact, encodeBase64 } from './base64.ts';
import { bytesEqual } from './bytes.ts';
import type { JsonValue } from './canonical-json.ts';
import { type Checkpoint, openCheckpoint, parseCheckpoint } from './checkpoint.ts';
import { type EventEnvelope, parseEnvelope, payloadCommitment, type SubjectRef } from './envelope.ts';
import { HASH_SIZE, leafHash } from './merkle.ts';
import { formatKeyId, type NoteVerifier, parseVerifierKey, sameVerifierKey } from './signed-note.ts';
import { ProofError, verifyInclusion } from './verify.ts';

export const HISTORY_BUNDLE_FORMAT = 'carloop-history@1';

export interface HistoryBundleEvent {
  /** Global leaf index of the event in the log. */
  seq: number;
  /** base64 of the envelope's canonical JSON bytes (the log entry). */
  entry: string;
  /** The disclosed payload; absent if redacted. */
  payload?: JsonValue;
  /** base64 salt of the payload commitment; absent if redacted. */
  salt?: string;
  /** Inclusion proof, base64 hashes, leaf sibling first. */
  proof: string[];
}

export interface HistoryBundle {
  format: typeof HISTORY_BUNDLE_FORMAT;
  /** Verifier key string of the log. */
  vkey: string;
  /** Signed checkpoint note text. */
  checkpoint: string;
  subject: SubjectRef;
  events: HistoryBundleEvent[];
}

export interface HistoryBundleEventInput {
  seq: number;
  entry: Uint8Array;
  /** Omit both payload and salt to redact the event. */
  payload?: JsonValue;
  salt?: Uint8Array;
  proof: readonly Uint8Array[];
}

/** Assembles a bundle from binary parts (server side). */
export function assembleHistoryBundle(parts: {
  vkey: string;
  checkpoint: string;
  subject: SubjectRef;
  events: readonly HistoryBundleEventInput[];
}): HistoryBundle {
  return {
    format: HISTORY_BUNDLE_FORMAT,
    vkey: parts.vkey,
    checkpoint: parts.checkpoint,
    subject: { kind: parts.subject.kind, id: parts.subject.id },
    events: parts.events.map((event) => {
      if ((event.payload === undefined) !== (event.salt === undefined)) {
        throw new TypeError(`event seq ${event.seq}: payload and salt are disclosed together or not at all`);
      }
      return {
        seq: event.seq,
        entry: encodeBase64(event.entry),
        ...(event.payload === undefined ? {} : { payload: event.payload, salt: encodeBase64(event.salt!) }),
        proof: event.proof.map(encodeBase64),
      };
    }),
  };
}

// ── Verification result ─────────────────────────────────────────────────────────────────────────

export type HistoryCheckName =
  | 'bundle format'
  | 'checkpoint signature'
  | 'inclusion proofs'
  | 'payload commitments'
  | 'subject'
  | 'subject chain';

export interface VerificationCheck {
  name: HistoryCheckName;
  ok: boolean;
  detail: string;
}

export interface VerificationFailure {
  check: HistoryCheckName;
  eventIndex?: number;
  seq?: number;
  reason: string;
}

export interface VerifiedEvent {
  seq: number | null;
  id: string | null;
  type: string | null;
  occurredAt: string | null;
  subjectSeq: number | null;
  redacted: boolean;
  /** Included under a checkpoint whose signature verified, payload (if any) matches, chain intact. */
  verified: boolean;
  payload?: JsonValue;
}

export interface HistoryVerification {
  ok: boolean;
  checks: VerificationCheck[];
  failures: VerificationFailure[];
  subject: SubjectRef | null;
  checkpoint: { origin: string; size: number; rootHash: string } | null;
  events: VerifiedEvent[];
}

/** One bundle event after decoding; fields are absent where the bundle was malformed. */
interface DecodedEvent {
  index: number;
  seq?: number;
  envelope?: EventEnvelope;
  leafHash?: Uint8Array;
  proof?: Uint8Array[];
  disclosed?: { payload: JsonValue; salt: Uint8Array };
  redacted: boolean;
}

class Findings {
  readonly checks: VerificationCheck[] = [];
  readonly failures: VerificationFailure[] = [];

  fail(check: HistoryCheckName, reason: string, event?: DecodedEvent): void {
    this.failures.push({
      check,
      ...(event ? { eventIndex: event.index } : {}),
      ...(event?.seq !== undefined ? { seq: event.seq } : {}),
      reason: event ? `${eventLabel(event)}: ${reason}` : reason,
    });
  }

  /** Records `name` as passed unless a failure was added for it; `detail` describes the pass. */
  conclude(name: HistoryCheckName, detail: string): void {
    const count = this.failures.filter((f) => f.check === name).length;
    this.checks.push({
      name,
      ok: count === 0,
      detail: count === 0 ? detail : `${count} problem${count === 1 ? '' : 's'}`,
    });
  }

  skip(name: HistoryCheckName, why: string): void {
    this.checks.push({ name, ok: false, detail: `not checked: ${why}` });
  }
}

function eventLabel(event: DecodedEvent): string {
  return event.seq === undefined ? `event ${event.index}` : `event ${event.index} (seq ${event.seq})`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeKey(verifier: NoteVerifier): string {
  return `${verifier.name}+${formatKeyId(verifier.keyId)}`;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

// ── Step 1: bundle format ───────────────────────────────────────────────────────────────────────

interface DecodedBundle {
  vkey: string;
  checkpoint: string;
  subject: SubjectRef;
  events: DecodedEvent[];
}

function readTopLevel(input: unknown, findings: Findings): DecodedBundle | null {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch {
      findings.fail('bundle format', 'bundle is not JSON');
      return null;
    }
  }
  if (!isRecord(value)) {
    findings.fail('bundle format', 'bundle is not a JSON object');
    return null;
  }
  const problems: string[] = [];
  if (value.format !== HISTORY_BUNDLE_FORMAT)
    problems.push(`format is ${JSON.stringify(value.format)}, not "${HISTORY_BUNDLE_FORMAT}"`);
  if (typeof value.vkey !== 'string') problems.push('vkey is missing');
  if (typeof value.checkpoint !== 'string') problems.push('checkpoint is missing');
  const subject = value.subject;
  if (!isRecord(subject) || typeof subject.kind !== 'string' || typeof subject.id !== 'string') {
    problems.push('subject must be {"kind", "id"}');
  }
  if (!Array.isArray(value.events) || value.events.length === 0)
    problems.push('events must be a non-empty list');
  for (const problem of problems) findings.fail('bundle format', problem);
  if (problems.length > 0) return null;
  const events = (value.events as unknown[]).map((raw, index) => decodeEvent(raw, index, findings));
  return {
    vkey: value.vkey as string,
    checkpoint: value.checkpoint as string,
    subject: { kind: (subject as SubjectRef).kind, id: (subject as SubjectRef).id },
    events,
  };
}

function decodeEvent(raw: unknown, index: number, findings: Findings): DecodedEvent {
  const event: DecodedEvent = { index, redacted: true };
  if (!isRecord(raw)) {
    findings.fail('bundle format', 'is not a JSON object', event);
    return event;
  }
  if (typeof raw.seq === 'number' && Number.isSafeInteger(raw.seq) && raw.seq >= 0) event.seq = raw.seq;
  else findings.fail('bundle format', 'seq is not a non-negative integer', event);
  try {
    if (typeof raw.entry !== 'string') throw new Error('entry is missing');
    const bytes = decodeBase64(raw.entry);
    event.envelope = parseEnvelope(bytes);
    event.leafHash = leafHash(bytes);
  } catch (error) {
    findings.fail('bundle format', `entry is not a valid envelope: ${(error as Error).message}`, event);
  }
  try {
    if (!Array.isArray(raw.proof)) throw new Error('proof is not a list');
    event.proof = raw.proof.map((hash, i) => {
      if (typeof hash !== 'string') throw new Error(`proof hash ${i} is not a string`);
      return decodeBase64Exact(hash, HASH_SIZE, `proof hash ${i}`);
    });
  } catch (error) {
    findings.fail('bundle format', `proof is malformed: ${(error as Error).message}`, event);
  }
  const hasPayload = 'payload' in raw && raw.payload !== undefined;
  const hasSalt = 'salt' in raw && raw.salt !== undefined;
  if (hasPayload !== hasSalt) {
    findings.fail('bundle format', 'payload and salt must be disclosed together', event);
  } else if (hasPayload) {
    try {
      if (typeof raw.salt !== 'string') throw new Error('salt is not a string');
      event.disclosed = { payload: raw.payload as JsonValue, salt: decodeBase64(raw.salt) };
      event.redacted = false;
    } catch (error) {
      findings.fail('bundle format', `salt is malformed: ${(error as Error).message}`, event);
    }
  }
  return event;
}

// ── Step 2: checkpoint signature ────────────────────────────────────────────────────────────────

function checkSignature(
  bundle: DecodedBundle,
  trustedVerifierKey: string | undefined,
  findings: Findings,
): Checkpoint | null {
  const check = 'checkpoint signature';
  let bundleKey: NoteVerifier | null = null;
  try {
    bundleKey = parseVerifierKey(bundle.vkey);
  } catch (error) {
    findings.fail(check, `bundle key is malformed: ${(error as Error).message}`);
  }
  let verifier = bundleKey;
  if (trustedVerifierKey !== undefined) {
    try {
      verifier = parseVerifierKey(trustedVerifierKey);
    } catch (error) {
      findings.fail(check, `trusted key is malformed: ${(error as Error).message}`);
      verifier = null;
    }
    if (bundleKey && verifier && !sameVerifierKey(bundleKey, verifier)) {
      findings.fail(
        check,
        `wrong key: the bundle names key ${describeKey(bundleKey)}, not the trusted key ${describeKey(verifier)}`,
      );
    }
  }
  let checkpoint: Checkpoint | null = null;
  if (verifier) {
    try {
      checkpoint = openCheckpoint(bundle.checkpoint, verifier);
    } catch (error) {
      findings.fail(
        check,
        `checkpoint signature does not verify with key ${describeKey(verifier)}: ${(error as Error).message}`,
      );
    }
  }
  // Without a valid signature, still read the checkpoint body so the proofs can be diagnosed.
  checkpoint ??= unsignedCheckpointBody(bundle.checkpoint, findings);
  const trusted =
    trustedVerifierKey !== undefined ? 'the trusted key' : 'the bundle key (no trusted key given)';
  findings.conclude(check, `signed by ${verifier ? describeKey(verifier) : '?'}, ${trusted}`);
  return checkpoint;
}

function unsignedCheckpointBody(note: string, findings: Findings): Checkpoint | null {
  const split = note.lastIndexOf('\n\n');
  try {
    return parseCheckpoint(split < 0 ? note : note.slice(0, split + 1));
  } catch (error) {
    findings.fail('checkpoint signature', `checkpoint is malformed: ${(error as Error).message}`);
    return null;
  }
}

// ── Steps 3–6 ───────────────────────────────────────────────────────────────────────────────────

function checkInclusion(events: DecodedEvent[], checkpoint: Checkpoint, findings: Findings): void {
  let proven = 0;
  for (const event of events) {
    if (event.seq === undefined || !event.leafHash || !event.proof) {
      findings.fail('inclusion proofs', 'cannot be checked: event is malformed', event);
      continue;
    }
    try {
      verifyInclusion(event.seq, checkpoint.size, event.leafHash, event.proof, checkpoint.rootHash);
      proven++;
    } catch (error) {
      if (!(error instanceof ProofError)) throw error;
      findings.fail(
        'inclusion proofs',
        `inclusion proof does not verify against the checkpoint (size ${checkpoint.size}): ${error.message}`,
        event,
      );
    }
  }
  findings.conclude(
    'inclusion proofs',
    `${proven} of ${plural(events.length, 'event')} in the log at tree size ${checkpoint.size}`,
  );
}

function checkPayloads(events: DecodedEvent[], findings: Findings): void {
  let matched = 0;
  for (const event of events) {
    if (!event.disclosed || !event.envelope) continue;
    let commitment: string;
    try {
      commitment = encodeBase64(payloadCommitment(event.disclosed.salt, event.disclosed.payload));
    } catch (error) {
      findings.fail(
        'payload commitments',
        `payload cannot be canonicalized: ${(error as Error).message}`,
        event,
      );
      continue;
    }
    if (commitment === event.envelope.payloadHash) matched++;
    else findings.fail('payload commitments', 'payload does not match its commitment', event);
  }
  const redacted = events.filter((e) => e.redacted).length;
  findings.conclude(
    'payload commitments',
    `${plural(matched, 'disclosed payload')} match; ${redacted} redacted`,
  );
}

function checkSubjects(bundle: DecodedBundle, findings: Findings): void {
  const { kind, id } = bundle.subject;
  for (const event of bundle.events) {
    const subject = event.envelope?.subject;
    if (subject && (subject.kind !== kind || subject.id !== id)) {
      findings.fail(
        'subject',
        `entry is about ${subject.kind} ${subject.id}, not the bundle subject ${kind} ${id}`,
        event,
      );
    }
  }
  findings.conclude('subject', `every entry is about ${kind} ${id}`);
}

function checkChain(events: DecodedEvent[], findings: Findings): void {
  const check = 'subject chain';
  // `undefined`: no event yet; `null`: the previous event could not be decoded.
  let previous: DecodedEvent | null | undefined;
  for (const event of events) {
    const envelope = event.envelope;
    if (!envelope) {
      previous = null;
      continue;
    }
    if (previous === undefined) {
      if (envelope.subjectSeq !== 0) {
        findings.fail(
          check,
          `first event has subjectSeq ${envelope.subjectSeq} — the subject's earlier events are missing`,
          event,
        );
      }
    } else if (previous !== null) {
      const before = previous.envelope!;
      if (event.seq !== undefined && previous.seq !== undefined && event.seq <= previous.seq) {
        findings.fail(
          check,
          `seq ${event.seq} is not after seq ${previous.seq} — events are out of order`,
          event,
        );
      }
      const gap = envelope.subjectSeq - before.subjectSeq - 1;
      if (gap > 0) {
        const missing = gap === 1 ? 'an event is missing' : `${gap} events are missing`;
        findings.fail(
          check,
          `subjectSeq ${envelope.subjectSeq} follows ${before.subjectSeq} — ${missing}`,
          event,
        );
      } else if (gap < 0) {
        findings.fail(
          check,
          `subjectSeq ${envelope.subjectSeq} follows ${before.subjectSeq} — events are duplicated or out of order`,
          event,
        );
      } else if (envelope.prev === null || !bytesEqual(decodeBase64(envelope.prev), previous.leafHash!)) {
        findings.fail(
          check,
          `prev is not the leaf hash of event ${previous.index} (subjectSeq ${before.subjectSeq})`,
          event,
        );
      }
    }
    previous = event;
  }
  const last = events[events.length - 1]?.envelope;
  findings.conclude(
    check,
    `subjectSeq 0…${last?.subjectSeq ?? '?'} without gaps, each linked to the one before`,
  );
}

function summarizeEvent(event: DecodedEvent, failedEvents: Set<number>, signatureOk: boolean): VerifiedEvent {
  const envelope = event.envelope;
  return {
    seq: event.seq ?? null,
    id: envelope?.id ?? null,
    type: envelope?.type ?? null,
    occurredAt: envelope?.occurredAt ?? null,
    subjectSeq: envelope?.subjectSeq ?? null,
    redacted: event.redacted,
    verified: signatureOk && !failedEvents.has(event.index),
    ...(event.disclosed ? { payload: event.disclosed.payload } : {}),
  };
}

/**
 * Verifies a history bundle (object or JSON text) offline. With `trustedVerifierKey`, the bundle's
 * key must be that key; without it, the bundle only proves consistency with its own key.
 */
export function verifyHistoryBundle(
  input: unknown,
  options: { trustedVerifierKey?: string } = {},
): HistoryVerification {
  const findings = new Findings();
  const bundle = readTopLevel(input, findings);
  findings.conclude(
    'bundle format',
    bundle ? `${HISTORY_BUNDLE_FORMAT}, ${plural(bundle.events.length, 'event')}` : '',
  );
  if (!bundle) {
    for (const name of [
      'checkpoint signature',
      'inclusion proofs',
      'payload commitments',
      'subject',
      'subject chain',
    ] as const) {
      findings.skip(name, 'bundle is malformed');
    }
    return {
      ok: false,
      checks: findings.checks,
      failures: findings.failures,
      subject: null,
      checkpoint: null,
      events: [],
    };
  }
  const checkpoint = checkSignature(bundle, options.trustedVerifierKey, findings);
  const signatureOk = findings.checks.at(-1)?.ok === true;
  if (checkpoint) checkInclusion(bundle.events, checkpoint, findings);
  else findings.skip('inclusion proofs', 'no readable checkpoint');
  checkPayloads(bundle.events, findings);
  checkSubjects(bundle, findings);
  checkChain(bundle.events, findings);

  const failedEvents = new Set(
    findings.failures.flatMap((f) => (f.eventIndex === undefined ? [] : [f.eventIndex])),
  );
  return {
    ok: findings.checks.every((c) => c.ok),
    checks: findings.checks,
    failures: findings.failures,
    subject: bundle.subject,
    checkpoint: checkpoint
      ? { origin: checkpoint.origin, size: checkpoint.size, rootHash: encodeBase64(checkpoint.rootHash) }
      : null,
    events: bundle.events.map((event) => summarizeEvent(event, failedEvents, signatureOk)),
  };
}

/** A readable multi-line report of a verification result. */
export function formatVerificationReport(result: HistoryVerification): string {
  const lines: string[] = [`History verification: ${result.ok ? 'OK' : 'FAILED'}`];
  if (result.subject) lines.push(`Subject:    ${result.subject.kind} ${result.subject.id}`);
  if (result.checkpoint) {
    const { origin, size, rootHash } = result.checkpoint;
    lines.push(`Checkpoint: ${origin}, tree size ${size}, root ${rootHash}`);
  }
  lines.push('', 'Checks:');
  for (const check of result.checks) {
    lines.push(`  ${check.ok ? '✓' : '✗'} ${check.name}${check.detail ? ` — ${check.detail}` : ''}`);
  }
  if (result.events.length > 0) {
    lines.push('', 'Events:');
    result.events.forEach((event, i) => {
      const status = event.verified ? 'verified' : 'NOT VERIFIED';
      const disclosure = event.redacted ? 'payload redacted' : 'payload disclosed';
      const where = `#${event.subjectSeq ?? '?'} seq ${event.seq ?? '?'}`;
      lines.push(
        `  ${i}. ${where}  ${event.occurredAt ?? '?'}  ${event.type ?? '?'}  (${disclosure}, ${status})`,
      );
    });
  }
  if (result.failures.length > 0) {
    lines.push('', 'Failures:');
    for (const failure of result.failures) lines.push(`  - ${failure.reason}`);
  }
  lines.push(
    '',
    'Note: this proves the listed events are in the log and unbroken from the first; it cannot prove',
    'that no later event exists beyond the last one listed.',
  );
  return `${lines.join('\n')}\n`;
}
