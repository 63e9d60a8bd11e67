import type { Db } from '../../db/database.ts';
import { type Principal, requirePermission } from '../parties/index.ts';
import * as repo from './ledger.repository.ts';

export interface ScannedEvent {
  seq: number;
  type: string;
  subject: { kind: string; id: string };
  occurredAt: string;
  submitterParty: string;
  /** The payload, or null when it was erased. */
  payload: Record<string, unknown> | null;
}

/**
 * Every event of the given types, in log order, a page at a time — for reports that aggregate over
 * the whole log (the loop report). Payloads of every party are read, so it needs `payload:read-all`.
 */
export async function scanEvents(
  db: Db,
  principal: Principal,
  types: readonly string[],
  visit: (event: ScannedEvent) => void,
  pageSize = 5_000,
): Promise<number> {
  requirePermission(principal, 'payload:read-all');
  let after = -1;
  let count = 0;
  for (;;) {
    const rows = await repo.eventsOfTypes(db.kysely, types, after, pageSize);
    for (const r of rows) {
      visit({
        seq: r.seq,
        type: r.type,
        subject: { kind: r.subjectKind, id: r.subjectId },
        occurredAt: r.occurredAt,
        submitterParty: r.submitterParty,
        payload: r.payload === null ? null : (JSON.parse(r.payload) as Record<string, unknown>),
      });
    }
    count += rows.length;
    if (rows.length < pageSize) return count;
    after = rows.at(-1)!.seq;
  }
}
