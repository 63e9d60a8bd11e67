/**
 * China traceability reporting: reads the ledger (through its public face: entry bundles and
 * subject histories) into a projection of reportable events with their deadlines, and reports
 * them with their status; records when each was uploaded to the national platform.
 */
import { decodeEntryBundle } from '@carloop/ledger';
import { stringify } from 'csv-stringify/sync';
import type { Db } from '../../db/database.ts';
import { inTransaction } from '../../db/transaction.ts';
import { type Clock, normaliseUtc, systemClock } from '../../shared/clock.ts';
import { conflict, invalid, notFound } from '../../shared/errors.ts';
import { contentsAt } from '../assets/index.ts';
import { currentCheckpoint, entryBundle, type HistoryEvent, subjectHistory } from '../ledger/index.ts';
import { getParty, localOperator, type Principal, requirePermission } from '../parties/index.ts';
import * as repo from './passports.repository.ts';
import { submissionInput } from './passports.schemas.ts';
import { deadlineOf, dutiesOf, reportableTypes, statusOf } from './traceability.model.ts';

const TILE = 256;

interface Envelope {
  id: string;
  type: string;
  subject: { kind: string; id: string };
  occurredAt: string;
  submitter: { party: string };
}

/** Bring the projection up to the log's latest checkpoint. Returns how many entries were read. */
export async function syncTraceability(db: Db): Promise<{ read: number; found: number }> {
  const size = (await currentCheckpoint(db)).size;
  const start = await repo.traceabilityCursor(db.kysely);
  if (start >= size) return { read: 0, found: 0 };
  const histories = new Map<string, HistoryEvent[]>();
  const roles = new Map<string, readonly string[]>();
  const historyOf = async (id: string) => {
    let h = histories.get(id);
    if (!h) {
      h = (await subjectHistory(db, localOperator, id)).events;
      histories.set(id, h);
    }
    return h;
  };
  const rolesOf = async (partyId: string) => {
    if (!roles.has(partyId)) {
      try {
        roles.set(partyId, (await getParty(db, localOperator, partyId)).roles);
      } catch {
        roles.set(partyId, []);
      }
    }
    return roles.get(partyId)!;
  };
  const rows: repo.TraceabilityEventRow[] = [];
  for (let seq = start; seq < size; ) {
    const index = Math.floor(seq / TILE);
    const width = Math.min(TILE, size - index * TILE);
    const entries = decodeEntryBundle(await entryBundle(db, index, width));
    for (let i = seq - index * TILE; i < entries.length; i++) {
      const envelope = JSON.parse(new TextDecoder().decode(entries[i]!)) as Envelope;
      if (reportableTypes.has(envelope.type)) {
        const event = (await historyOf(envelope.subject.id)).find((e) => e.id === envelope.id);
        const payload = (event?.payload ?? {}) as Record<string, unknown>;
        const partyIds = [envelope.submitter.party, payload.fromPartyId, payload.toPartyId].filter(
          (p): p is string => typeof p === 'string',
        );
        for (const p of partyIds) await rolesOf(p);
        const matched = dutiesOf(envelope.type, payload, envelope.submitter.party, (p) => roles.get(p) ?? []);
        if (matched.length > 0) {
          const where = await locate(db, envelope, payload, historyOf);
          for (const m of matched)
            rows.push({
              id: `${envelope.id}#${m.duty.event}`,
              eventId: envelope.id,
              seq: index * TILE + i,
              event: m.duty.event,
              partyId: m.partyId,
              batteryCode: where.batteryCode,
              vin: where.vin,
              occurredAt: envelope.occurredAt,
              deadline: deadlineOf(envelope.occurredAt, m.duty.workingDays),
              workingDays: m.duty.workingDays,
              article: m.duty.article,
            });
        }
      }
    }
    seq = index * TILE + width;
  }
  await inTransaction(db, async (trx) => {
    await repo.insertTraceabilityEvents(trx, rows);
    await repo.saveTraceabilityCursor(trx, size);
  });
  return { read: size - start, found: rows.length };
}

/** The battery and the vehicle an event is about (MIIT uploads link VIN ↔ pack code). */
async function locate(
  db: Db,
  envelope: Envelope,
  payload: Record<string, unknown>,
  historyOf: (id: string) => Promise<HistoryEvent[]>,
): Promise<{ batteryCode: string | null; vin: string | null }> {
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  if (envelope.subject.kind === 'vehicle') {
    const vin = envelope.subject.id;
    const named = str(payload.packCode) ?? str(payload.oldPackCode);
    if (named) return { batteryCode: named, vin };
    try {
      const tree = await contentsAt(db, localOperator, vin, envelope.occurredAt);
      return { batteryCode: tree.children.find((c) => c.kind === 'battery-pack')?.id ?? null, vin };
    } catch {
      return { batteryCode: null, vin };
    }
  }
  let vin: string | null = null;
  for (const e of await historyOf(envelope.subject.id)) {
    if (e.occurredAt > envelope.occurredAt) break;
    const host = (e.payload as { host?: { kind?: string; id?: string } } | undefined)?.host;
    if (host?.kind === 'vehicle' && typeof host.id === 'string') vin = host.id;
  }
  return { batteryCode: envelope.subject.id, vin };
}

/** A date (YYYY-MM-DD, a civil date in China) or an ISO time → the UTC instant it starts at. */
function boundary(value: string, field: string, endOfDay: boolean): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const start = Date.parse(`${value}T00:00:00+08:00`);
    if (!Number.isNaN(start) && new Date(start + 8 * 3_600_000).toISOString().slice(0, 10) === value)
      return new Date(start + (endOfDay ? 86_400_000 : 0)).toISOString();
  }
  const normal = normaliseUtc(value);
  if (normal) return normal;
  throw invalid('invalid_date', `${field} is not a date`, [
    { field, message: `"${value}" is neither YYYY-MM-DD nor an ISO 8601 UTC time` },
  ]);
}

export interface TraceabilityReportRow {
  event: string;
  party: string;
  batteryCode: string | null;
  vin: string | null;
  occurredAt: string;
  deadline: string;
  reportedAt: string | null;
  status: ReturnType<typeof statusOf>;
}

export const reportColumns = [
  'event',
  'party',
  'batteryCode',
  'vin',
  'occurredAt',
  'deadline',
  'reportedAt',
  'status',
] as const;

export async function traceabilityReport(
  db: Db,
  principal: Principal,
  query: { from: string; to: string; party?: string; asOf?: string },
  clock: Clock = systemClock,
): Promise<TraceabilityReportRow[]> {
  requirePermission(principal, 'traceability:report');
  const from = boundary(query.from, 'from', false);
  const to = boundary(query.to, 'to', true);
  if (to <= from)
    throw invalid('invalid_range', 'to must not be before from', [
      { field: 'to', message: `must not be before ${query.from}` },
    ]);
  const asOf = query.asOf === undefined ? clock() : boundary(query.asOf, 'asOf', false);
  await syncTraceability(db);
  const rows = await repo.traceabilityRows(db.kysely, {
    from,
    to,
    ...(query.party !== undefined ? { partyId: query.party } : {}),
  });
  return rows.map((r) => ({
    event: r.event,
    party: r.partyId,
    batteryCode: r.batteryCode,
    vin: r.vin,
    occurredAt: r.occurredAt,
    deadline: r.deadline,
    reportedAt: r.reportedAt,
    status: statusOf(r.deadline, r.reportedAt, asOf),
  }));
}

export function reportCsv(rows: readonly TraceabilityReportRow[]): string {
  return stringify(
    rows.map((r) => reportColumns.map((c) => r[c] ?? '')),
    { header: true, columns: [...reportColumns] },
  );
}

/** Record that reportable events were uploaded to the national platform (MIIT 溯源综合管理平台). */
export async function markReported(db: Db, principal: Principal, raw: unknown) {
  requirePermission(principal, 'traceability:submit');
  const parsed = submissionInput.safeParse(raw);
  if (!parsed.success)
    throw invalid(
      'invalid_submission',
      'the submission is invalid',
      parsed.error.issues.map((i) => ({ field: i.path.join('.') || '(root)', message: i.message })),
    );
  const input = {
    ...parsed.data,
    reportedAt: normaliseUtc(parsed.data.reportedAt) ?? parsed.data.reportedAt,
  };
  await syncTraceability(db);
  const rows = await repo.traceabilityRows(db.kysely, {
    ...(input.eventIds ? { eventIds: input.eventIds } : {}),
    ...(input.batteryCode ? { batteryCode: input.batteryCode } : {}),
    ...(input.event ? { event: input.event } : {}),
  });
  if (input.eventIds) {
    const missing = input.eventIds.filter((id) => !rows.some((r) => r.eventId === id));
    if (missing.length > 0)
      throw notFound(
        'not_reportable',
        `no reportable event ${missing.join(', ')} (not in the log, or no upload duty)`,
      );
  }
  if (rows.length === 0) throw notFound('not_reportable', 'no reportable event matches');
  const open = rows.filter((r) => r.reportedAt === null);
  if (open.length === 0)
    throw conflict('already_reported', `already reported at ${rows.map((r) => r.reportedAt).join(', ')}`, [
      { field: 'eventIds', message: 'every matching event is already reported' },
    ]);
  const early = open.filter((r) => input.reportedAt < r.occurredAt);
  if (early.length > 0)
    throw invalid('invalid_submission', `reportedAt is before the event (${early[0]!.occurredAt})`, [
      { field: 'reportedAt', message: `must not be before ${early[0]!.occurredAt}` },
    ]);
  await inTransaction(db, (trx) =>
    repo.insertSubmissions(
      trx,
      open.map((r) => ({
        id: r.id,
        reportedAt: input.reportedAt,
        reportedBy: principal.partyId,
        reference: input.reference ?? null,
      })),
    ),
  );
  return open.map((r) => ({
    event: r.event,
    eventId: r.eventId,
    party: r.partyId,
    batteryCode: r.batteryCode,
    deadline: r.deadline,
    reportedAt: input.reportedAt,
    status: statusOf(r.deadline, input.reportedAt, input.reportedAt),
  }));
}
