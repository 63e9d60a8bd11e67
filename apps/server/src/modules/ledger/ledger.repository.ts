import { CompiledQuery, type Selectable, sql } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Executor } from '../../db/transaction.ts';

const asBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
const asBytes = (value: Uint8Array) => new Uint8Array(value.buffer, value.byteOffset, value.byteLength);

// ── Bulk statements of the append path ──────────────────────────────────────────────────────────
// An append writes thousands of rows; built with the query builder, those rows cost more CPU to
// turn into SQL than the database spends storing them. These statements are plain text, made once
// per shape, and only their parameters change.

/** Bound parameters per statement: below SQLite's 32,766 and PostgreSQL's 65,535. */
const MAX_PARAMETERS = 30_000;
const statementTexts = new Map<string, string>();

const placeholderStyles = new WeakMap<object, boolean>();

/** Whether the dialect numbers its placeholders (`$1`, PostgreSQL) or not (`?`, SQLite), as its compiler says. */
function isPostgres(db: Executor): boolean {
  const adapter = db.getExecutor().adapter;
  let numbered = placeholderStyles.get(adapter);
  if (numbered === undefined) {
    numbered = db
      .selectFrom('log_settings')
      .select('name')
      .where('name', '=', '')
      .compile()
      .sql.includes('$1');
    placeholderStyles.set(adapter, numbered);
  }
  return numbered;
}

/** `(?,?),(?,?)`: `rows` tuples of `width` placeholders. */
function tuples(rows: number, width: number): string {
  const tuple = `(${new Array<string>(width).fill('?').join(',')})`;
  return new Array<string>(rows).fill(tuple).join(',');
}

function statementText(key: string, build: () => string): string {
  let text = statementTexts.get(key);
  if (text === undefined) {
    // Shapes are few (one per table and batch length); the bound keeps odd batch lengths from piling up.
    if (statementTexts.size >= 256) statementTexts.clear();
    text = build();
    statementTexts.set(key, text);
  }
  return text;
}

/** A column of a bulk insert: its name and its PostgreSQL type (for the array of its values). */
type Column = readonly [name: string, postgresType: string];

/**
 * INSERT `values` (row after row, `columns.length` per row) into `table`; `onConflict` is appended
 * as written (the same text on both dialects). SQLite gets multi-row VALUES in statements under its
 * parameter limit. PostgreSQL gets one array per column, unnested: a short statement with a dozen
 * parameters, where a VALUES list of thousands of rows would cost more to parse and plan than to store.
 */
async function insertRows(
  db: Executor,
  table: string,
  columns: readonly Column[],
  values: unknown[],
  onConflict = '',
): Promise<void> {
  const width = columns.length;
  const names = columns.map(([name]) => name).join(',');
  if (isPostgres(db)) {
    if (values.length === 0) return;
    const arrays = columns.map(() => [] as unknown[]);
    for (let i = 0; i < values.length; i++) arrays[i % width]!.push(values[i]);
    const text = statementText(`unnest|${table}|${onConflict}`, () =>
      `INSERT INTO ${table} (${names}) SELECT * FROM unnest(${columns
        .map(([, type], i) => `$${i + 1}::${type}[]`)
        .join(',')}) ${onConflict}`.trim(),
    );
    await db.executeQuery(CompiledQuery.raw(text, arrays));
    return;
  }
  const rowsPerStatement = Math.floor(MAX_PARAMETERS / width);
  for (let first = 0; first * width < values.length; first += rowsPerStatement) {
    const rows = Math.min(rowsPerStatement, values.length / width - first);
    const text = statementText(`values|${table}|${rows}|${onConflict}`, () =>
      `INSERT INTO ${table} (${names}) VALUES ${tuples(rows, width)} ${onConflict}`.trim(),
    );
    const parameters =
      rows === values.length / width ? values : values.slice(first * width, (first + rows) * width);
    await db.executeQuery(CompiledQuery.raw(text, parameters));
  }
}

/**
 * Rows of `SELECT <columns> FROM <table> WHERE <key> IN (…keys)`: on PostgreSQL one statement with the
 * keys as one array (`= ANY`), on SQLite an IN list of at most 1,000 placeholders per statement.
 */
async function selectWhereIn<R>(
  db: Executor,
  table: string,
  columns: string,
  key: Column,
  keys: readonly unknown[],
): Promise<R[]> {
  const [name, type] = key;
  if (keys.length === 0) return [];
  if (isPostgres(db)) {
    const text = `SELECT ${columns} FROM ${table} WHERE ${name} = ANY($1::${type}[])`;
    return (await db.executeQuery<R>(CompiledQuery.raw(text, [keys]))).rows;
  }
  const out: R[] = [];
  for (let i = 0; i < keys.length; i += 1000) {
    const chunk = keys.slice(i, i + 1000);
    const text = statementText(
      `in|${columns}|${table}|${name}|${chunk.length}`,
      () => `SELECT ${columns} FROM ${table} WHERE ${name} IN (${tuples(1, chunk.length).slice(1, -1)})`,
    );
    const result = await db.executeQuery<R>(CompiledQuery.raw(text, chunk));
    for (const row of result.rows) out.push(row);
  }
  return out;
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

const entryColumns: readonly Column[] = [
  ['seq', 'bigint'],
  ['event_id', 'text'],
  ['type', 'text'],
  ['subject_kind', 'text'],
  ['subject_id', 'text'],
  ['subject_seq', 'integer'],
  ['occurred_at', 'text'],
  ['recorded_at', 'text'],
  ['submitter_party', 'text'],
  ['submitter_key', 'text'],
  ['entry', 'text'],
  ['leaf_hash', 'bytea'],
];

export async function insertEntries(db: Executor, rows: EntryRow[]): Promise<void> {
  const values: unknown[] = [];
  for (const r of rows) {
    values.push(
      r.seq,
      r.eventId,
      r.type,
      r.subjectKind,
      r.subjectId,
      r.subjectSeq,
      r.occurredAt,
      r.recordedAt,
      r.submitterParty,
      r.submitterKey,
      r.entry,
      asBuffer(r.leafHash),
    );
  }
  await insertRows(db, 'log_entries', entryColumns, values);
}

export async function insertHashes(
  db: Executor,
  rows: Array<{ index: number; hash: Uint8Array }>,
): Promise<void> {
  const values: unknown[] = [];
  for (const r of rows) values.push(r.index, asBuffer(r.hash));
  await insertRows(
    db,
    'log_hashes',
    [
      ['idx', 'bigint'],
      ['hash', 'bytea'],
    ],
    values,
  );
}

export async function readHashes(db: Executor, indexes: number[]): Promise<Uint8Array[]> {
  if (indexes.length === 0) return [];
  const found = new Map<number, Uint8Array>();
  const rows = await selectWhereIn<{ idx: number; hash: Uint8Array }>(
    db,
    'log_hashes',
    'idx, hash',
    ['idx', 'bigint'],
    indexes,
  );
  for (const row of rows) found.set(Number(row.idx), asBytes(row.hash));
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
  const values: unknown[] = [];
  for (const r of rows) values.push(r.eventId, r.payload, asBuffer(r.salt));
  await insertRows(
    db,
    'event_payloads',
    [
      ['event_id', 'text'],
      ['payload', 'text'],
      ['salt', 'bytea'],
    ],
    values,
  );
}

export async function insertFlags(
  db: Executor,
  rows: Array<{ eventId: string; subjectId: string; code: string; message: string }>,
): Promise<void> {
  const values: unknown[] = [];
  for (const r of rows) values.push(r.eventId, r.subjectId, r.code, r.message);
  await insertRows(
    db,
    'event_flags',
    [
      ['event_id', 'text'],
      ['subject_id', 'text'],
      ['code', 'text'],
      ['message', 'text'],
    ],
    values,
  );
}

export async function subjectHeads(db: Executor, ids: string[]): Promise<Map<string, SubjectHead>> {
  const heads = new Map<string, SubjectHead>();
  const rows = await selectWhereIn<Selectable<Database['subject_heads']>>(
    db,
    'subject_heads',
    'subject_id, subject_kind, event_count, last_leaf_hash, last_odometer_km',
    ['subject_id', 'text'],
    ids,
  );
  for (const r of rows) {
    heads.set(r.subject_id, {
      subjectId: r.subject_id,
      subjectKind: r.subject_kind,
      eventCount: Number(r.event_count),
      lastLeafHash: asBytes(r.last_leaf_hash),
      lastOdometerKm: r.last_odometer_km === null ? null : Number(r.last_odometer_km),
    });
  }
  return heads;
}

export async function upsertHeads(db: Executor, heads: SubjectHead[]): Promise<void> {
  const values: unknown[] = [];
  for (const h of heads) {
    values.push(h.subjectId, h.subjectKind, h.eventCount, asBuffer(h.lastLeafHash), h.lastOdometerKm);
  }
  await insertRows(
    db,
    'subject_heads',
    [
      ['subject_id', 'text'],
      ['subject_kind', 'text'],
      ['event_count', 'integer'],
      ['last_leaf_hash', 'bytea'],
      ['last_odometer_km', 'real'],
    ],
    values,
    'ON CONFLICT (subject_id) DO UPDATE SET event_count = excluded.event_count, ' +
      'last_leaf_hash = excluded.last_leaf_hash, last_odometer_km = excluded.last_odometer_km',
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
  const rows = await selectWhereIn<{ event_id: string }>(
    db,
    'log_entries',
    'event_id',
    ['event_id', 'text'],
    ids,
  );
  return new Set(rows.map((r) => r.event_id));
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

/** Checkpoints newest first, below `before` (a size) when given. */
export async function recentCheckpoints(
  db: Executor,
  limit: number,
  before?: number,
): Promise<CheckpointRow[]> {
  let query = db.selectFrom('log_checkpoints').selectAll().orderBy('size', 'desc').limit(limit);
  if (before !== undefined) query = query.where('size', '<', before);
  return (await query.execute()).map(toCheckpoint);
}

export interface TypedEventRow {
  seq: number;
  type: string;
  subjectKind: string;
  subjectId: string;
  occurredAt: string;
  submitterParty: string;
  payload: string | null;
}

/** Events of the given types after `afterSeq`, in log order, with their payloads (null when erased). */
export async function eventsOfTypes(
  db: Executor,
  types: readonly string[],
  afterSeq: number,
  limit: number,
): Promise<TypedEventRow[]> {
  const rows = await db
    .selectFrom('log_entries as e')
    .leftJoin('event_payloads as p', 'p.event_id', 'e.event_id')
    .select([
      'e.seq',
      'e.type',
      'e.subject_kind',
      'e.subject_id',
      'e.occurred_at',
      'e.submitter_party',
      'p.payload',
    ])
    .where('e.type', 'in', [...types])
    .where('e.seq', '>', afterSeq)
    .orderBy('e.seq')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    seq: Number(r.seq),
    type: r.type,
    subjectKind: r.subject_kind,
    subjectId: r.subject_id,
    occurredAt: r.occurred_at,
    submitterParty: r.submitter_party,
    payload: r.payload,
  }));
}
