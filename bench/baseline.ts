/**
 * The baseline the ledger is measured against: what a plain application would do with the same
 * events — insert each one's log row and payload row into tables of the same shape (the ledger's own
 * migrations, so the same columns and indexes), with one SHA-256 per event, one transaction per batch,
 * prepared statements, and nothing else: no state machine, no Merkle tree, no checkpoint.
 */
import { createHash, randomBytes } from 'node:crypto';
import SQLite from 'better-sqlite3';
import { openDatabase } from '../apps/server/src/db/database.ts';
import { newEventIds } from '../apps/server/src/modules/ledger/ledger.service.ts';
import type { RawEvent } from './fleet.ts';

export interface BatchTiming {
  events: number;
  seconds: number;
}

/** Create the ledger's tables in a fresh SQLite file and return a plain better-sqlite3 handle on it. */
export async function openBaselineDatabase(path: string): Promise<SQLite.Database> {
  const migrated = await openDatabase(path);
  await migrated.close();
  const database = new SQLite(path);
  // The pragmas `openDatabase` sets, so both sides write through the same journal settings.
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  return database;
}

/** Insert every batch as plain rows; returns each batch's time (generation of the events excluded). */
export function runBaseline(
  database: SQLite.Database,
  batches: Iterable<RawEvent[]>,
  onBatch: (timing: BatchTiming, done: number) => void = () => {},
): BatchTiming[] {
  const insertEntry = database.prepare(
    `INSERT INTO log_entries (seq, event_id, type, subject_kind, subject_id, subject_seq, occurred_at,
       recorded_at, submitter_party, submitter_key, entry, leaf_hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`,
  );
  const insertPayload = database.prepare(
    'INSERT INTO event_payloads (event_id, payload, salt, erased_at, erasure_reason) VALUES (?,?,?,NULL,NULL)',
  );
  const subjects = new Map<string, { count: number; lastHash: string | null }>();
  let seq = 0;
  const insertBatch = database.transaction((events: RawEvent[], recordedAt: string) => {
    // The ledger's own event ids (time-ordered UUIDv7), so both sides index the same kind of keys.
    const ids = newEventIds(events.length, Date.parse(recordedAt));
    for (const [i, event] of events.entries()) {
      const id = ids[i]!;
      const subject = subjects.get(event.subject.id) ?? { count: 0, lastHash: null };
      const payload = JSON.stringify(event.payload);
      const hash = createHash('sha256').update(payload).digest();
      const hashText = hash.toString('base64');
      // An envelope-sized row: the same fields as the ledger's entry, without canonical form or salt.
      const entry = JSON.stringify({
        v: 1,
        id,
        type: event.type,
        subject: event.subject,
        subjectSeq: subject.count,
        prev: subject.lastHash,
        occurredAt: event.occurredAt,
        submitter: { party: 'local-operator', keyId: 'bench' },
        payloadHash: hashText,
      });
      insertEntry.run(
        seq++,
        id,
        event.type,
        event.subject.kind,
        event.subject.id,
        subject.count,
        event.occurredAt,
        recordedAt,
        'local-operator',
        'bench',
        entry,
        hash,
      );
      insertPayload.run(id, payload, salts.next());
      subjects.set(event.subject.id, { count: subject.count + 1, lastHash: hashText });
    }
  });
  const timings: BatchTiming[] = [];
  let done = 0;
  for (const events of batches) {
    const started = process.hrtime.bigint();
    insertBatch(events, new Date().toISOString());
    const timing = { events: events.length, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
    timings.push(timing);
    done += events.length;
    onBatch(timing, done);
  }
  return timings;
}

/** 32-byte salts cut from a pre-drawn pool: the baseline stores a salt column but draws no randomness. */
const salts = {
  pool: randomBytes(32 * 4096),
  position: 0,
  next(): Buffer {
    this.position = (this.position + 1) % 4096;
    return this.pool.subarray(this.position * 32, this.position * 32 + 32);
  },
};
