import {
  assembleHistoryBundle,
  encodeBase64,
  encodeEntryBundle,
  encodeHashTile,
  type HistoryBundle,
  type JsonValue,
  proveRecord,
  proveTree,
  TILE_WIDTH,
  tileHashesIndexes,
  treeHash,
} from '@carloop/ledger';
import type { Db } from '../../db/database.ts';
import type { Executor } from '../../db/transaction.ts';
import { invalid, notFound } from '../../shared/errors.ts';
import { mayPerform, type Principal, requirePermission } from '../parties/index.ts';
import publicEventTypes from './data/public-event-types.json' with { type: 'json' };
import { logIdentity } from './ledger.identity.ts';
import * as repo from './ledger.repository.ts';
import { currentCheckpoint } from './ledger.service.ts';

const reader = (db: Executor) => (indexes: number[]) => repo.readHashes(db, indexes);

function checkSize(size: number, latest: number, field: string): void {
  if (!Number.isSafeInteger(size) || size < 0)
    throw invalid('invalid_size', `${field} must be a whole number`, [
      { field, message: 'must be a non-negative integer' },
    ]);
  if (size > latest)
    throw invalid('invalid_size', `${field} ${size} is beyond the log (size ${latest})`, [
      { field, message: `at most ${latest}` },
    ]);
}

export interface InclusionProofView {
  leafIndex: number;
  treeSize: number;
  leafHash: string;
  entry: string;
  proof: string[];
  rootHash: string;
  checkpoint: string | null;
}

/** Inclusion proof (RFC 9162 §2.1.3.1) of entry `seq` in the tree of `size` (default: the latest checkpoint). */
export async function proveInclusion(db: Db, seq: number, size?: number): Promise<InclusionProofView> {
  const latest = await currentCheckpoint(db);
  const treeSize = size ?? latest.size;
  checkSize(treeSize, latest.size, 'size');
  if (!Number.isSafeInteger(seq) || seq < 0 || seq >= treeSize) {
    throw invalid('invalid_seq', `seq ${seq} is not in a tree of size ${treeSize}`, [
      { field: 'seq', message: `must be 0–${treeSize - 1}` },
    ]);
  }
  const entry = await repo.entryBySeq(db.kysely, seq);
  if (!entry) throw notFound('entry_not_found', `no entry ${seq}`);
  const proof = await proveRecord(treeSize, seq, reader(db.kysely));
  const root = await treeHash(treeSize, reader(db.kysely));
  const checkpoint = await repo.checkpointOfSize(db.kysely, treeSize);
  return {
    leafIndex: seq,
    treeSize,
    leafHash: encodeBase64(entry.leafHash),
    entry: encodeBase64(new TextEncoder().encode(entry.entry)),
    proof: proof.map(encodeBase64),
    rootHash: encodeBase64(root),
    checkpoint: checkpoint?.note ?? null,
  };
}

/** Consistency proof (RFC 9162 §2.1.4.1) between the trees of sizes `from` and `to`. */
export async function proveConsistency(db: Db, from: number, to: number) {
  const latest = await currentCheckpoint(db);
  checkSize(from, latest.size, 'from');
  checkSize(to, latest.size, 'to');
  if (from > to)
    throw invalid('invalid_size', 'from must not exceed to', [
      { field: 'from', message: `must be ≤ to (${to})` },
    ]);
  const read = reader(db.kysely);
  const proof = from === 0 || from === to ? [] : await proveTree(to, from, read);
  return {
    size1: from,
    size2: to,
    root1: encodeBase64(await treeHash(from, read)),
    root2: encodeBase64(await treeHash(to, read)),
    proof: proof.map(encodeBase64),
  };
}

/** A hash tile of the tlog-tiles layout: `width` hashes of level 8·`level`, starting at 256·`index`. */
export async function hashTile(
  db: Db,
  level: number,
  index: number,
  width: number = TILE_WIDTH,
): Promise<Uint8Array> {
  const size = (await currentCheckpoint(db)).size;
  const nodesAtLevel = Math.floor(size / 2 ** (8 * level));
  if (index * TILE_WIDTH + width > nodesAtLevel)
    throw notFound('tile_not_found', `tile ${level}/${index} of width ${width} is beyond the log`);
  return encodeHashTile(await repo.readHashes(db.kysely, tileHashesIndexes(level, index, width)));
}

/** An entry bundle: entries 256·`index` … 256·`index`+`width`−1, each prefixed by its 2-byte length. */
export async function entryBundle(db: Db, index: number, width: number = TILE_WIDTH): Promise<Uint8Array> {
  const size = (await currentCheckpoint(db)).size;
  if (index * TILE_WIDTH + width > size)
    throw notFound('tile_not_found', `entry bundle ${index} of width ${width} is beyond the log`);
  const rows = await repo.entriesInRange(db.kysely, index * TILE_WIDTH, index * TILE_WIDTH + width);
  return encodeEntryBundle(rows.map((r) => new TextEncoder().encode(r.entry)));
}

/**
 * The history bundle of a subject: the log's key, the latest checkpoint, and for each of the
 * subject's events its entry, payload and salt (where disclosed) and inclusion proof. Anyone can check
 * it offline with `carloop verify` or the verifier library. Disclosure follows the history view:
 * submitters and parties that may read every payload.
 */
export async function exportHistory(db: Db, principal: Principal, subjectId: string): Promise<HistoryBundle> {
  requirePermission(principal, 'ledger:read');
  const seeAll = mayPerform(principal, 'payload:read-all');
  return bundleOf(db, subjectId, (e) => seeAll || e.submitterParty === principal.partyId);
}

const publicTypes = new Set(publicEventTypes.types);

/**
 * The public history of a subject, for whoever scans its QR code or follows a link from an advert:
 * every event is proven, and the payloads of condition and provenance events are disclosed
 * (data/public-event-types.json); commercial payloads stay withheld.
 */
export async function exportPublicHistory(db: Db, subjectId: string): Promise<HistoryBundle> {
  return bundleOf(db, subjectId, (e) => publicTypes.has(e.type));
}

async function bundleOf(
  db: Db,
  subjectId: string,
  disclose: (e: repo.SubjectEventRow) => boolean,
): Promise<HistoryBundle> {
  const identity = await logIdentity(db);
  const checkpoint = await currentCheckpoint(db);
  const events = await repo.eventsOfSubject(db.kysely, subjectId);
  if (events.length === 0) throw notFound('subject_not_found', `no events for subject ${subjectId}`);
  const read = reader(db.kysely);
  return assembleHistoryBundle({
    vkey: identity.verifierKey,
    checkpoint: checkpoint.note,
    subject: { kind: events[0]!.subjectKind, id: subjectId },
    events: await Promise.all(
      events.map(async (e) => ({
        seq: e.seq,
        entry: new TextEncoder().encode(e.entry),
        ...(e.payload !== null && e.salt !== null && disclose(e)
          ? { payload: JSON.parse(e.payload) as JsonValue, salt: e.salt }
          : {}),
        proof: await proveRecord(checkpoint.size, e.seq, read),
      })),
    ),
  });
}
