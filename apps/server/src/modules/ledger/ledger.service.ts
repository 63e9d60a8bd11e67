import { createHash, hash } from 'node:crypto';
import {
  canonicalize,
  decodeBase64,
  ENVELOPE_VERSION,
  type EventEnvelope,
  encodeBase64,
  type JsonValue,
  signCheckpoint,
  TreeFrontier,
  validateEnvelope,
} from '@carloop/ledger';
import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { type Executor, inTransaction } from '../../db/transaction.ts';
import { type Clock, systemClock } from '../../shared/clock.ts';
import { DomainError, type FieldError, fieldErrorsFromZod, invalid } from '../../shared/errors.ts';
import { newBytes } from '../../shared/ids.ts';
import { type AssetKind, applyComposition, assetKinds, assetsById, setStates } from '../assets/index.ts';
import { applyTransition, linksOf, odometerOf, parseEventPayload } from '../lifecycle/index.ts';
import { localOperator, type Principal, requirePermission } from '../parties/index.ts';
import { type LogIdentity, logIdentity } from './ledger.identity.ts';
import * as repo from './ledger.repository.ts';

/** One event as submitted (a line of an events.jsonl file, or an item of an HTTP batch). */
export const eventInput = z.strictObject({
  id: z.uuid().optional(),
  type: z.string().min(1).max(80),
  subject: z.strictObject({ kind: z.enum(assetKinds), id: z.string().min(1).max(100) }),
  occurredAt: z.iso.datetime({ message: 'an ISO 8601 UTC time, e.g. 2026-01-31T08:00:00Z' }),
  payload: z.record(z.string(), z.unknown()),
});
export type EventInput = z.infer<typeof eventInput>;

/** Who submits a batch: the party, and the key id written into each envelope. */
export interface Submitter {
  principal: Principal;
  keyId: string;
}

/** The console operator as a submitter (CLI, simulator, workflows run by the platform itself). */
export const localSubmitter: Submitter = { principal: localOperator, keyId: 'local' };

export interface AppendResult {
  appended: number;
  firstSeq: number | null;
  lastSeq: number | null;
  checkpoint: CheckpointView;
}

export interface AppendOptions {
  clock?: Clock;
  /**
   * A module's projection writes, run inside the append's transaction after the events are in the
   * log and before the checkpoint is signed: the events and the module's tables change together or
   * not at all. `eventIds` follow the order of the submitted events.
   */
  project?: (
    trx: Executor,
    appended: { eventIds: string[]; firstSeq: number; lastSeq: number },
  ) => Promise<void>;
}

export interface CheckpointView {
  origin: string;
  size: number;
  rootHash: string;
  note: string;
  vkey: string;
}

/** Event types whose payload implies composition links (the rest skip a second payload parse). */
const linkingTypes = new Set([
  'vehicle.battery_bound',
  'vehicle.battery_replaced',
  'battery.produced',
  'battery.installed',
  'battery.removed',
  'battery.disassembled',
  'part.installed',
]);

/**
 * Crash injection for the atomicity tests: with CARLOOP_FAILPOINT=<name> the process kills itself
 * (SIGKILL, no clean-up) at that point, as a power cut or OOM kill would.
 */
function failpoint(name: string): void {
  if (process.env.CARLOOP_FAILPOINT === name) process.kill(process.pid, 'SIGKILL');
}

/** The tree frontier after the last append, per database, so an append reads no stored hashes. */
const frontiers = new WeakMap<Db, TreeFrontier>();

async function frontierFor(db: Db, trx: Executor, size: number): Promise<TreeFrontier> {
  const cached = frontiers.get(db);
  if (cached && cached.size === size) return cached.clone();
  return TreeFrontier.load(size, (indexes) => repo.readHashes(trx, indexes));
}

const base64 = (bytes: Uint8Array) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

/**
 * New event ids: UUIDv7 (RFC 9562 §5.7), millisecond time first, so the ids of one batch sort
 * together and the event-id indexes grow at their end instead of at random pages.
 */
export function newEventIds(count: number, now = Date.parse(systemClock())): string[] {
  const random = Buffer.from(newBytes(10 * count));
  const time = now.toString(16).padStart(12, '0');
  const ids = new Array<string>(count);
  for (let i = 0; i < count; i++) {
    const r = random.toString('hex', 10 * i, 10 * i + 10);
    // Version 7 in the top nibble of octet 6; variant 10 in the top bits of octet 8 (RFC 9562 §4.1).
    const variant = ((Number.parseInt(r[3]!, 16) & 0x3) | 0x8).toString(16);
    ids[i] =
      `${time.slice(0, 8)}-${time.slice(8)}-7${r.slice(0, 3)}-${variant}${r.slice(4, 7)}-${r.slice(8, 20)}`;
  }
  return ids;
}

interface SealedEnvelope {
  /** Canonical JSON text of the envelope: the log entry. */
  entry: string;
  leafHash: Uint8Array;
  occurredAt: string;
}

/**
 * RFC 8785 text of a version-1 envelope, written out in its one canonical key order. Every value is
 * a string or a safe integer, which RFC 8785 §3.2.2 serialises exactly as JSON.stringify does.
 */
function canonicalEnvelopeText(e: EventEnvelope): string {
  const text = JSON.stringify;
  return (
    `{"id":${text(e.id)},"occurredAt":${text(e.occurredAt)},"payloadHash":${text(e.payloadHash)},` +
    `"prev":${e.prev === null ? 'null' : text(e.prev)},` +
    `"subject":{"id":${text(e.subject.id)},"kind":${text(e.subject.kind)}},"subjectSeq":${e.subjectSeq},` +
    `"submitter":{"keyId":${text(e.submitter.keyId)},"party":${text(e.submitter.party)}},` +
    `"type":${text(e.type)},"v":${e.v}}`
  );
}

// Room for salt and payload in one hash input; a larger payload takes the streaming hash.
const commitmentInput = Buffer.allocUnsafe(16 * 1024);

/** SHA-256(salt || UTF-8 canonical payload): the payload commitment of `payloadCommitment`. */
function payloadCommitmentOf(salt: Uint8Array, payloadText: string): Buffer {
  if (salt.length + 3 * payloadText.length <= commitmentInput.length) {
    commitmentInput.set(salt, 0);
    const written = commitmentInput.write(payloadText, salt.length, 'utf8');
    return hash('sha256', commitmentInput.subarray(0, salt.length + written), 'buffer');
  }
  return createHash('sha256').update(salt).update(payloadText, 'utf8').digest();
}

/**
 * `buildEnvelope` of @carloop/ledger, with node's native SHA-256 and the canonical text kept: the
 * payload commitment, the envelope checked by `validateEnvelope`, its RFC 8785 text, and its leaf hash
 * SHA-256(0x00 || entry) (RFC 9162 §2.1.1). The library's portable hash and generic canonicaliser
 * would be a third of the append. With `crossCheck` the text is also made by the library's
 * `canonicalize` and must match (the first event of every batch), so the two cannot drift apart.
 */
function sealEnvelope(
  fields: {
    id: string;
    type: string;
    subject: { kind: string; id: string };
    subjectSeq: number;
    prev: Uint8Array | null;
    occurredAt: string;
    submitter: { party: string; keyId: string };
  },
  payloadText: string,
  salt: Uint8Array,
  crossCheck: boolean,
): SealedEnvelope {
  const envelope = validateEnvelope({
    v: ENVELOPE_VERSION,
    id: fields.id,
    type: fields.type,
    subject: { kind: fields.subject.kind, id: fields.subject.id },
    subjectSeq: fields.subjectSeq,
    prev: fields.prev === null ? null : base64(fields.prev),
    occurredAt: fields.occurredAt,
    submitter: { party: fields.submitter.party, keyId: fields.submitter.keyId },
    payloadHash: base64(payloadCommitmentOf(salt, payloadText)),
  });
  const entry = canonicalEnvelopeText(envelope);
  if (crossCheck && canonicalize(envelope) !== entry) {
    throw new Error(`envelope ${fields.id}: canonical text differs from RFC 8785 canonicalize()`);
  }
  // U+0000 is the one byte 0x00 in UTF-8, and canonical text has no lone surrogates to re-encode.
  return { entry, leafHash: hash('sha256', `\u0000${entry}`, 'buffer'), occurredAt: envelope.occurredAt };
}

/** Events per write of the append loop. */
const WRITE_CHUNK = 500;

/**
 * The log rows of one append (entries, stored hashes, payloads, flags), written a chunk at a time
 * while the loop is still sealing events: PostgreSQL stores one chunk on its own core while this
 * process seals the next. Writes go out in order on the transaction's one connection; the first
 * failure fails the append when it settles (and the transaction rolls back).
 */
class AppendWrites {
  readonly entries: repo.EntryRow[] = [];
  readonly hashes: Array<{ index: number; hash: Uint8Array }> = [];
  readonly payloads: Array<{ eventId: string; payload: string; salt: Uint8Array }> = [];
  readonly flags: Array<{ eventId: string; subjectId: string; code: string; message: string }> = [];
  private readonly sent = { entries: 0, hashes: 0, payloads: 0, flags: 0 };
  private readonly pending: Array<Promise<void>> = [];
  private failure: { error: unknown } | undefined;

  constructor(private readonly trx: Executor) {}

  /**
   * Once a whole chunk of entries waits, send the rows not yet sent and yield to the event loop, so
   * the driver puts them on the wire before the loop goes on.
   */
  async sendFullChunk(): Promise<void> {
    if (this.entries.length - this.sent.entries < WRITE_CHUNK) return;
    this.sendRest();
    await new Promise((resolve) => setImmediate(resolve));
  }

  /** Every row is written (or the first failed write is thrown). */
  async settle(): Promise<void> {
    this.sendRest();
    await this.drain();
    if (this.failure) throw this.failure.error;
  }

  /**
   * Wait for every write sent so far, failed or not. An append that fails must drain before its
   * transaction rolls back: a write still queued behind the rollback would run outside it.
   */
  async drain(): Promise<void> {
    await Promise.all(this.pending);
  }

  private sendRest(): void {
    const { trx, sent } = this;
    this.send(repo.insertEntries(trx, this.entries.slice(sent.entries)));
    this.send(repo.insertHashes(trx, this.hashes.slice(sent.hashes)));
    this.send(repo.insertPayloads(trx, this.payloads.slice(sent.payloads)));
    this.send(repo.insertFlags(trx, this.flags.slice(sent.flags)));
    sent.entries = this.entries.length;
    sent.hashes = this.hashes.length;
    sent.payloads = this.payloads.length;
    sent.flags = this.flags.length;
  }

  private send(write: Promise<void>): void {
    // Caught at once: a write that fails while the loop still runs must not be an unhandled rejection.
    this.pending.push(
      write.catch((error: unknown) => {
        this.failure ??= { error };
      }),
    );
  }
}

/** Shape-check every line and its payload; all problems are reported, each with its line. */
function validateBatch(raws: unknown[]): { events: EventInput[]; payloads: unknown[] } {
  const errors: FieldError[] = [];
  const events: EventInput[] = [];
  const payloads: unknown[] = [];
  raws.forEach((raw, i) => {
    const line = i + 1;
    const parsed = eventInput.safeParse(raw);
    if (!parsed.success) {
      errors.push(...fieldErrorsFromZod(parsed.error.issues).map((e) => ({ ...e, line })));
      return;
    }
    try {
      payloads.push(parseEventPayload(parsed.data.type, parsed.data.payload));
      events.push(parsed.data);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      errors.push(...error.errors.map((e) => ({ ...e, line })));
    }
  });
  if (raws.length === 0) errors.push({ field: 'events', message: 'the batch is empty' });
  if (errors.length > 0) {
    throw invalid(
      'invalid_batch',
      `${new Set(errors.map((e) => e.line)).size || 1} line(s) rejected; nothing was appended`,
      errors,
    );
  }
  return { events, payloads };
}

function atLine(error: unknown, line: number): never {
  if (error instanceof DomainError) {
    const errors = error.errors.length > 0 ? error.errors : [{ field: '(event)', message: error.message }];
    throw new DomainError(
      error.kind,
      error.code,
      `line ${line}: ${error.message}; nothing was appended`,
      errors.map((e) => ({ ...e, line })),
    );
  }
  throw error;
}

/**
 * Append a batch of events: validate, check each subject's state machine, write the entries, the
 * tree's stored hashes, payloads and projections, and sign a new checkpoint — in one transaction.
 * A batch with one bad event appends nothing and names the line and the reason.
 */
export async function appendEvents(
  db: Db,
  submitter: Submitter,
  raws: unknown[],
  options: AppendOptions = {},
): Promise<AppendResult> {
  const clock = options.clock ?? systemClock;
  requirePermission(submitter.principal, 'ledger:append');
  const { events, payloads } = validateBatch(raws);
  const identity = await logIdentity(db);
  const recordedAt = clock();
  let committedFrontier: TreeFrontier | undefined;
  const result = await inTransaction(db, async (trx) => {
    await repo.lockLog(trx, db.dialect);
    const size = (await repo.latestCheckpoint(trx))?.size ?? 0;
    const frontier = await frontierFor(db, trx, size);
    const subjectIds = [...new Set(events.map((e) => e.subject.id))];
    const assets = await assetsById(trx, subjectIds);
    const heads = await repo.subjectHeads(trx, subjectIds);
    // Time from the append's clock, so a seeded run with a pinned clock makes the same ids.
    const generated = newEventIds(events.filter((e) => e.id === undefined).length, Date.parse(recordedAt));
    let nextGenerated = 0;
    const ids = events.map((e) => e.id ?? generated[nextGenerated++]!);
    const duplicates = await repo.existingEventIds(
      trx,
      ids.filter((_, i) => events[i]!.id !== undefined),
    );
    const states = new Map<string, string>();
    const writes = new AppendWrites(trx);
    const { entries, hashes, payloads: payloadRows, flags } = writes;
    const seenIds = new Set<string>();
    const salts = Buffer.from(newBytes(32 * events.length));
    // A failed event or write stops the loop; the writes already sent finish before the rollback.
    try {
      for (const [i, event] of events.entries()) {
        const line = i + 1;
        try {
          const id = ids[i]!;
          if (duplicates.has(id) || seenIds.has(id)) {
            throw invalid('duplicate_event', `event ${id} is already in the log`, [
              { field: 'id', message: 'already appended' },
            ]);
          }
          seenIds.add(id);
          const asset = assets.get(event.subject.id);
          if (!asset) {
            throw invalid('unknown_subject', `${event.subject.kind} ${event.subject.id} is not registered`, [
              {
                field: 'subject.id',
                message: 'not registered; register it first (carloop asset register, POST /assets)',
              },
            ]);
          }
          if (asset.kind !== event.subject.kind) {
            throw invalid('subject_kind_mismatch', `${event.subject.id} is a ${asset.kind}`, [
              { field: 'subject.kind', message: `${event.subject.id} is registered as a ${asset.kind}` },
            ]);
          }
          const current = states.get(asset.id) ?? asset.state;
          const head = heads.get(asset.id);
          const transition = applyTransition({
            kind: asset.kind as AssetKind,
            state: current === 'registered' ? null : current,
            type: event.type,
            payload: payloads[i],
            context: {
              subjectId: asset.id,
              ...(head?.lastOdometerKm != null ? { lastOdometerKm: head.lastOdometerKm } : {}),
            },
          });
          const salt = salts.subarray(32 * i, 32 * i + 32);
          const payload = transition.payload as JsonValue;
          const payloadText = canonicalize(payload);
          const built = sealEnvelope(
            {
              id,
              type: event.type,
              subject: { kind: asset.kind, id: asset.id },
              subjectSeq: head?.eventCount ?? 0,
              prev: head?.lastLeafHash ?? null,
              occurredAt: new Date(event.occurredAt).toISOString(),
              submitter: { party: submitter.principal.partyId, keyId: submitter.keyId },
            },
            payloadText,
            salt,
            i === 0,
          );
          const appended = frontier.append(built.leafHash);
          hashes.push(...appended.storedHashes);
          entries.push({
            seq: appended.leafIndex,
            eventId: id,
            type: event.type,
            subjectKind: asset.kind,
            subjectId: asset.id,
            subjectSeq: head?.eventCount ?? 0,
            occurredAt: built.occurredAt,
            recordedAt,
            submitterParty: submitter.principal.partyId,
            submitterKey: submitter.keyId,
            entry: built.entry,
            leafHash: built.leafHash,
          });
          payloadRows.push({ eventId: id, payload: payloadText, salt });
          for (const flag of transition.flags) flags.push({ eventId: id, subjectId: asset.id, ...flag });
          await writes.sendFullChunk();
          const reading = odometerOf(event.type, payload);
          const lastKm =
            reading === undefined
              ? (head?.lastOdometerKm ?? null)
              : Math.max(reading, head?.lastOdometerKm ?? reading);
          heads.set(asset.id, {
            subjectId: asset.id,
            subjectKind: asset.kind,
            eventCount: (head?.eventCount ?? 0) + 1,
            lastLeafHash: built.leafHash,
            lastOdometerKm: lastKm,
          });
          states.set(asset.id, transition.toState);
          if (linkingTypes.has(event.type)) {
            for (const link of linksOf(event.type, payload, {
              kind: asset.kind as AssetKind,
              id: asset.id,
            })) {
              if (link.kind !== 'composition') continue;
              await applyComposition(trx, {
                action: link.action,
                parentId: link.parent.id,
                childId: link.child.id,
                at: built.occurredAt,
              });
            }
          }
        } catch (error) {
          atLine(error, line);
        }
      }
      await writes.settle();
    } catch (error) {
      await writes.drain();
      throw error;
    }
    failpoint('append:after-entries');
    await repo.upsertHeads(
      trx,
      [...heads.values()].filter((h) => states.has(h.subjectId)),
    );
    await setStates(trx, states, recordedAt);
    if (options.project && entries.length > 0) {
      await options.project(trx, {
        eventIds: entries.map((e) => e.eventId),
        firstSeq: entries[0]!.seq,
        lastSeq: entries.at(-1)!.seq,
      });
    }
    const checkpoint = await writeCheckpoint(trx, identity, frontier, recordedAt);
    committedFrontier = frontier;
    return {
      appended: entries.length,
      firstSeq: entries[0]?.seq ?? null,
      lastSeq: entries.at(-1)?.seq ?? null,
      checkpoint,
    };
  });
  if (committedFrontier) frontiers.set(db, committedFrontier);
  return result;
}

async function writeCheckpoint(
  trx: Executor,
  identity: LogIdentity,
  frontier: TreeFrontier,
  at: string,
): Promise<CheckpointView> {
  const rootHash = frontier.root();
  const note = signCheckpoint({ origin: identity.origin, size: frontier.size, rootHash }, [identity.signer]);
  await repo.insertCheckpoint(trx, { size: frontier.size, rootHash, note, createdAt: at });
  return {
    origin: identity.origin,
    size: frontier.size,
    rootHash: encodeBase64(rootHash),
    note,
    vkey: identity.verifierKey,
  };
}

/** The latest signed checkpoint; an empty log gets its size-0 checkpoint on first ask. */
export async function currentCheckpoint(db: Db): Promise<CheckpointView> {
  const identity = await logIdentity(db);
  const latest = await repo.latestCheckpoint(db.kysely);
  if (latest) {
    return {
      origin: identity.origin,
      size: latest.size,
      rootHash: encodeBase64(latest.rootHash),
      note: latest.note,
      vkey: identity.verifierKey,
    };
  }
  return inTransaction(db, async (trx) => {
    await repo.lockLog(trx, db.dialect);
    const again = await repo.latestCheckpoint(trx);
    if (again) {
      return {
        origin: identity.origin,
        size: again.size,
        rootHash: encodeBase64(again.rootHash),
        note: again.note,
        vkey: identity.verifierKey,
      };
    }
    return writeCheckpoint(trx, identity, new TreeFrontier(), systemClock());
  });
}

export { decodeBase64 };

/** Signed checkpoints, newest first, for witnesses and dashboards. */
export async function listCheckpoints(db: Db, limit: number, before?: number) {
  const rows = await repo.recentCheckpoints(db.kysely, limit, before);
  return rows.map((r) => ({
    size: r.size,
    rootHash: encodeBase64(r.rootHash),
    note: r.note,
    createdAt: r.createdAt,
  }));
}
