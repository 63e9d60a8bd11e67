import type { Db } from '../../db/database.ts';
import { inTransaction } from '../../db/transaction.ts';
import { systemClock } from '../../shared/clock.ts';
import { conflict, invalid, notFound } from '../../shared/errors.ts';
import { mayPerform, type Principal, requirePermission } from '../parties/index.ts';
import * as repo from './ledger.repository.ts';

export interface HistoryEvent {
  seq: number;
  id: string;
  type: string;
  subjectSeq: number;
  occurredAt: string;
  recordedAt: string;
  submitter: { party: string; keyId: string };
  /** `disclosed`: payload shown; `withheld`: the caller may not see it; `redacted`: erased for good. */
  payloadStatus: 'disclosed' | 'withheld' | 'redacted';
  payload?: unknown;
  flags: Array<{ code: string; message: string }>;
}

/**
 * A subject's history in order. Payloads are shown to the party that submitted them and to parties
 * that may read every payload (operators, regulators, auditors); erased payloads show as redacted.
 */
export async function subjectHistory(db: Db, principal: Principal, subjectId: string) {
  requirePermission(principal, 'ledger:read');
  const events = await repo.eventsOfSubject(db.kysely, subjectId);
  if (events.length === 0) throw notFound('subject_not_found', `no events for subject ${subjectId}`);
  const flags = await repo.flagsOfSubject(db.kysely, subjectId);
  const seeAll = mayPerform(principal, 'payload:read-all');
  const history: HistoryEvent[] = events.map((e) => {
    const status = e.erasedAt
      ? 'redacted'
      : seeAll || e.submitterParty === principal.partyId
        ? 'disclosed'
        : 'withheld';
    return {
      seq: e.seq,
      id: e.eventId,
      type: e.type,
      subjectSeq: e.subjectSeq,
      occurredAt: e.occurredAt,
      recordedAt: e.recordedAt,
      submitter: { party: e.submitterParty, keyId: e.submitterKey },
      payloadStatus: status,
      ...(status === 'disclosed' && e.payload !== null ? { payload: JSON.parse(e.payload) as unknown } : {}),
      flags: flags.filter((f) => f.event_id === e.eventId).map((f) => ({ code: f.code, message: f.message })),
    };
  });
  return {
    subject: { kind: events[0]!.subjectKind, id: subjectId },
    flags: flags.map((f) => ({ eventId: f.event_id, code: f.code, message: f.message })),
    events: history,
  };
}

/**
 * Erase an event's payload and salt (a personal-data request). The log entry keeps only the salted
 * commitment, so every proof stays valid; the history shows the event as redacted.
 */
export async function erasePayload(
  db: Db,
  principal: Principal,
  eventId: string,
  reason = 'erasure request',
) {
  requirePermission(principal, 'payload:erase');
  if (!reason.trim())
    throw invalid('invalid_reason', 'give a reason for the erasure', [
      { field: 'reason', message: 'must not be empty' },
    ]);
  return inTransaction(db, async (trx) => {
    const entry = await repo.entryByEventId(trx, eventId);
    if (!entry) throw notFound('event_not_found', `no event ${eventId}`);
    const at = systemClock();
    if ((await repo.erasePayload(trx, eventId, at, reason)) === 0) {
      throw conflict('already_erased', `the payload of ${eventId} is already erased`, [
        { field: 'eventId', message: 'already erased' },
      ]);
    }
    return { eventId, seq: entry.seq, erasedAt: at, reason };
  });
}
