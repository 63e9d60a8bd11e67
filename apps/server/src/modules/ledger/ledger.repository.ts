import { sql } from 'kysely';
import type { Executor } from '../../db/transaction.ts';

const asBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
const asBytes = (value: Uint8Array) => new Uint8Array(value.buffer, value.byteOffset, value.byteLength);

/** Insert rows in chunks that stay under both dialects' bound-parameter limits. */
async function insertChunked<T>(rows: T[], columns: number, insert: (chunk: T[]) => Promise<unknown>) {
  const size = Math.max(1, Math.floor(30000 / columns));
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

export interface EntryRow {
  seq: number;
  eventId: string;
  type: string;
  subjectKind: string;
  subjectId: string;
  subjectSeq: number;
  occurredAt: string;
  recordedAt: string;
  submitterParty: string;
  submitterKey: string;
  entry: string;
  leafHash: Uint8Array;
}

export interface CheckpointRow {
  size: number;
  rootHash: Uint8Array;
  note: string;
  createdAt: string;
}

export interface SubjectHead {
  subjectId: string;
  subjectKind: string;
  eventCount: number;
  lastLeafHash: Uint8Array;
  lastOdometerKm: number | null;
}

export async function insertEntries(db: Executor, rows: EntryRow[]): Promise<void> {
  await insertChunked(rows, 12, (chunk) =>
    db
      .insertInto('log_entries')
      .values(
        chunk.map((r) => ({
          seq: r.seq,
          event_id: r.eventId,
          type: r.type,
          subject_kind: r.subjectKind,
          subject_id: r.subjectId,
          subject_seq: r.subjectSeq,
          occurred_at: r.occurredAt,
          recorded_at: r.recordedAt,
          submitter_party: r.submitterParty,
          submitter_key: r.submitterKey,
          entry: r.entry,
          leaf_hash: asBuffer(r.leafHash),
        })),
      )
      .execute(),
  );
}

export async function insertHashes(
  db: Executor,
  rows: Array<{ index: number; hash: Uint8Array }>,
): Promise<void> {
  await insertChunked(rows, 2, (chunk) =>
    db
      .insertInto('log_hashes')
      .values(chunk.map((r) => ({ idx: r.index, hash: asBuffer(r.hash) })))
      .execute(),
  );
}

export async function readHashes(db: Executor, indexes: number[]): Promise<Uint8Array[]> {
  if (indexes.length === 0) return [];
  const found = new Map<number, Uint8Array>();
  for (let i = 0; i < indexes.length; i += 1000) {
    const rows = await db
      .selectFrom('log_hashes')
      .select(['idx', 'hash'])
      .where('idx', 'in', indexes.slice(i, i + 1000))
      .execute();
    for (const row of rows) found.set(Number(row.idx), asBytes(row.hash));
  }
  return indexes.map((index) => {
    const hash = found.get(index);
    if (!hash) throw new Error(`stored hash ${index} is missing from the log`);
    return hash;
  });
}

export async function insertPayloads(
  db: Executor,
  rows: Array<{ eventId: string; payload: string; salt: Uint8Array }>,
): Promise<void> {
  await insertChunked(rows, 3, (chunk) =>
    db
      .insertInto('event_payloads')
      .values(
        chunk.map((r) => ({
          event_id: r.eventId,
          payload: r.payload,
          salt: asBuffer(r.salt),
          erased_at: null,
          erasure_reason: null,
        })),
      )
      .execute(),
  );
}

export async function insertFlags(
  db: Executor,
  rows: Array<{ eventId: string; subjectId: string; code: string; message: string }>,
): Promise<void> {
  await insertChunked(rows, 4, (chunk) =>
    db
      .insertInto('event_flags')
      .values(
        chunk.map((r) => ({
          event_id: r.eventId,
          subject_id: r.subjectId,
          code: r.code,
          message: r.message,
        })),
      )
      .execute(),
  );
}

export async function subjectHeads(db: Executor, ids: string[]): Promise<Map<string, SubjectHead>> {
  const heads = new Map<string, SubjectHead>();
  for (let i = 0; i < ids.length; i += 1000) {
    const rows = await db
      .selectFrom('subject_heads')
      .selectAll()
      .where('subject_id', 'in', ids.slice(i, i + 1000))
      .execute();
    for (const r of rows) {
      heads.set(r.subject_id, {
        subjectId: r.subject_id,
        subjectKind: r.subject_kind,
        eventCount: Number(r.event_count),
        lastLeafHash: asBytes(r.last_leaf_hash),
        lastOdometerKm: r.last_odometer_km === null ? null : Number(r.last_odometer_km),
      });
    }
  }
  return heads;
}

export async function upsertHeads(db: Executor, heads: SubjectHead[]): Promise<void> {
  await insertChunked(heads, 5, (chunk) =>
    db
      .insertInto('subject_heads')
      .values(
        chunk.map((h) => ({
          subject_id: h.subjectId,
          subject_kind: h.subjectKind,
          event_count: h.eventCount,
          last_leaf_hash: asBuffer(h.lastLeafHash),
          last_odometer_km: h.lastOdometerKm,
        })),
      )
      .onConflict((oc) =>
        oc.column('subject_id').doUpdateSet((eb) => ({
          event_count: eb.ref('excluded.event_count'),
          last_leaf_hash: eb.ref('excluded.last_leaf_hash'),
          last_odometer_km: eb.ref('excluded.last_odometer_km'),
        })),
      )
      .execute(),
  );
}

export async function insertCheckpoint(db: Executor, row: CheckpointRow): Promise<void> {
  await db
    .insertInto('log_checkpoints')
    .values({ size: row.size, root_hash: asBuffer(row.rootHash), note: row.note, created_at: row.createdAt })
    .execute();
}

const toCheckpoint = (r: {
  size: number;
  root_hash: Uint8Array;
  note: string;
  created_at: string;
}): CheckpointRow => ({
  size: Number(r.size),
  rootHash: asBytes(r.root_hash),
  note: r.note,
  createdAt: r.created_at,
});

export async function latestCheckpoint(db: Executor): Promise<CheckpointRow | undefined> {
  const row = await db
    .selectFrom('log_checkpoints')
    .selectAll()
    .orderBy('size', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? toCheckpoint(row) : undefined;
}

export async function checkpointOfSize(db: Executor, size: number): Promise<CheckpointRow | undefined> {
  const row = await db.selectFrom('log_checkpoints').selectAll().where('size', '=', size).executeTakeFirst();
  return row ? toCheckpoint(row) : undefined;
}

export async function allCheckpoints(db: Executor): Promise<CheckpointRow[]> {
  return (await db.selectFrom('log_checkpoints').selectAll().orderBy('size').execute()).map(toCheckpoint);
}

const toEntry = (r: {
  seq: number;
  event_id: string;
  type: string;
  subject_kind: string;
  subject_id: string;
  subject_seq: number;
  occurred_at: string;
  recorded_at: string;
  submitter_party: string;
  submitter_key: string;
  entry: string;
  leaf_hash: Uint8Array;
}): EntryRow => ({
  seq: Number(r.seq),
  eventId: r.event_id,
  type: r.type,
  subjectKind: r.subject_kind,
  subjectId: r.subject_id,
  subjectSeq: Number(r.subject_seq),
  occurredAt: r.occurred_at,
  recordedAt: r.recorded_at,
  submitterParty: r.submitter_party,
  submitterKey: r.submitter_key,
  entry: r.entry,
  leafHash: asBytes(r.leaf_hash),
});

/** Entries with seq in [from, to), in order. */
export async function entriesInRange(db: Executor, from: number, to: number): Promise<EntryRow[]> {
  const rows = await db
    .selectFrom('log_entries')
    .selectAll()
    .where('seq', '>=', from)
    .where('seq', '<', to)
    .orderBy('seq')
    .execute();
  return rows.map(toEntry);
}

export async function entryBySeq(db: Executor, seq: number): Promise<EntryRow | undefined> {
  const row = await db.selectFrom('log_entries').selectAll().where('seq', '=', seq).executeTakeFirst();
  return row ? toEntry(row) : undefined;
}

export async function entryByEventId(db: Executor, eventId: string): Promise<EntryRow | undefined> {
  const row = await db
    .selectFrom('log_entries')
    .selectAll()
    .where('event_id', '=', eventId)
    .executeTakeFirst();
  return row ? toEntry(row) : undefined;
}

export async function existingEventIds(db: Executor, ids: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < ids.length; i += 1000) {
    const rows = await db
      .selectFrom('log_entries')
      .select('event_id')
      .where('event_id', 'in', ids.slice(i, i + 1000))
      .execute();
    for (const r of rows) found.add(r.event_id);
  }
  return found;
}

export interface SubjectEventRow extends EntryRow {
  payload: string | null;
  salt: Uint8Array | null;
  erasedAt: string | null;
}

export async function eventsOfSubject(db: Executor, subjectId: string): Promise<SubjectEventRow[]> {
  const rows = await db
    .selectFrom('log_entries as e')
    .leftJoin('event_payloads as p', 'p.event_id', 'e.event_id')
    .selectAll('e')
    .select(['p.payload', 'p.salt', 'p.erased_at'])
    .where('e.subject_id', '=', subjectId)
    .orderBy('e.subject_seq')
    .execute();
  return rows.map((r) => ({
    ...toEntry(r),
    payload: r.payload,
    salt: r.salt ? asBytes(r.salt) : null,
    erasedAt: r.erased_at,
  }));
}

export async function flagsOfSubject(db: Executor, subjectId: string) {
  return db
    .selectFrom('event_flags')
    .select(['event_id', 'code', 'message'])
    .where('subject_id', '=', subjectId)
    .execute();
}

export async function erasePayload(
  db: Executor,
  eventId: string,
  at: string,
  reason: string,
): Promise<number> {
  const result = await db
    .updateTable('event_payloads')
    .set({ payload: null, salt: null, erased_at: at, erasure_reason: reason })
    .where('event_id', '=', eventId)
    .where('erased_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function payloadOf(db: Executor, eventId: string) {
  return db.selectFrom('event_payloads').selectAll().where('event_id', '=', eventId).executeTakeFirst();
}

export async function setting(db: Executor, name: string): Promise<string | undefined> {
  return (await db.selectFrom('log_settings').select('value').where('name', '=', name).executeTakeFirst())
    ?.value;
}

export async function saveSetting(db: Executor, name: string, value: string): Promise<void> {
  await db
    .insertInto('log_settings')
    .values({ name, value })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
}

/** Serialise appenders across processes: PostgreSQL takes a transaction-scoped advisory lock;
 * SQLite's single writer already serialises once the first write begins. */
export async function lockLog(db: Executor, dialect: 'sqlite' | 'postgres'): Promise<void> {
  if (dialect === 'postgres') await sql`SELECT pg_advisory_xact_lock(7242019)`.execute(db);
  else
    await db
      .insertInto('log_settings')
      .values({ name: 'append_lock', value: '' })
      .onConflict((oc) => oc.column('name').doUpdateSet({ value: '' }))
      .execute();
}

/** Just the leaf hashes of [from, to), for recomputing the root quickly. */
export async function leafHashesInRange(
  db: Executor,
  from: number,
  to: number,
): Promise<Array<{ seq: number; leafHash: Uint8Array }>> {
  const rows = await db
    .selectFrom('log_entries')
    .select(['seq', 'leaf_hash'])
    .where('seq', '>=', from)
    .where('seq', '<', to)
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({ seq: Number(r.seq), leafHash: asBytes(r.leaf_hash) }));
}
