/** All SQL of the passports module: passport identities, declarations, traceability reports. */
import type { Executor } from '../../db/transaction.ts';

export interface PassportRow {
  batteryCode: string;
  passportId: string;
  issuedAt: string;
}

export async function passportsOf(db: Executor, codes: string[]): Promise<Map<string, PassportRow>> {
  const out = new Map<string, PassportRow>();
  if (codes.length === 0) return out;
  const rows = await db
    .selectFrom('battery_passports')
    .selectAll()
    .where('battery_code', 'in', codes)
    .execute();
  for (const r of rows)
    out.set(r.battery_code, {
      batteryCode: r.battery_code,
      passportId: r.passport_id,
      issuedAt: r.issued_at,
    });
  return out;
}

/** Insert unless the battery already has a passport (a concurrent first request keeps one identity). */
export async function insertPassportIfAbsent(db: Executor, row: PassportRow): Promise<void> {
  await db
    .insertInto('battery_passports')
    .values({ battery_code: row.batteryCode, passport_id: row.passportId, issued_at: row.issuedAt })
    .onConflict((oc) => oc.column('battery_code').doNothing())
    .execute();
}

export async function declarationOf(
  db: Executor,
  code: string,
): Promise<{ data: unknown; declaredAt: string; declaredBy: string } | undefined> {
  const r = await db
    .selectFrom('passport_declarations')
    .selectAll()
    .where('battery_code', '=', code)
    .executeTakeFirst();
  return r
    ? { data: JSON.parse(r.data) as unknown, declaredAt: r.declared_at, declaredBy: r.declared_by }
    : undefined;
}

export async function saveDeclaration(
  db: Executor,
  row: { batteryCode: string; data: unknown; declaredAt: string; declaredBy: string },
): Promise<void> {
  const values = {
    battery_code: row.batteryCode,
    data: JSON.stringify(row.data),
    declared_at: row.declaredAt,
    declared_by: row.declaredBy,
  };
  await db
    .insertInto('passport_declarations')
    .values(values)
    .onConflict((oc) =>
      oc.column('battery_code').doUpdateSet({
        data: values.data,
        declared_at: values.declared_at,
        declared_by: values.declared_by,
      }),
    )
    .execute();
}

// ---------------------------------------------------------------- traceability

export interface TraceabilityEventRow {
  id: string;
  eventId: string;
  seq: number;
  event: string;
  partyId: string;
  batteryCode: string | null;
  vin: string | null;
  occurredAt: string;
  deadline: string;
  workingDays: number;
  article: string;
}

const cursorName = 'traceability';

export async function traceabilityCursor(db: Executor): Promise<number> {
  const r = await db
    .selectFrom('traceability_cursor')
    .select('next_seq')
    .where('name', '=', cursorName)
    .executeTakeFirst();
  return r ? Number(r.next_seq) : 0;
}

export async function saveTraceabilityCursor(db: Executor, next: number): Promise<void> {
  await db
    .insertInto('traceability_cursor')
    .values({ name: cursorName, next_seq: next })
    .onConflict((oc) => oc.column('name').doUpdateSet({ next_seq: next }))
    .execute();
}

export async function insertTraceabilityEvents(db: Executor, rows: TraceabilityEventRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 200) {
    await db
      .insertInto('traceability_events')
      .values(
        rows.slice(i, i + 200).map((r) => ({
          id: r.id,
          event_id: r.eventId,
          seq: r.seq,
          event: r.event,
          party_id: r.partyId,
          battery_code: r.batteryCode,
          vin: r.vin,
          occurred_at: r.occurredAt,
          deadline: r.deadline,
          working_days: r.workingDays,
          article: r.article,
        })),
      )
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  }
}

export interface ReportRow extends TraceabilityEventRow {
  reportedAt: string | null;
  reportedBy: string | null;
  reference: string | null;
}

export async function traceabilityRows(
  db: Executor,
  query: {
    from?: string;
    to?: string;
    partyId?: string;
    ids?: string[];
    eventIds?: string[];
    batteryCode?: string;
    event?: string;
  },
): Promise<ReportRow[]> {
  let q = db
    .selectFrom('traceability_events as e')
    .leftJoin('traceability_submissions as s', 's.id', 'e.id')
    .select([
      'e.id',
      'e.event_id',
      'e.seq',
      'e.event',
      'e.party_id',
      'e.battery_code',
      'e.vin',
      'e.occurred_at',
      'e.deadline',
      'e.working_days',
      'e.article',
      's.reported_at',
      's.reported_by',
      's.reference',
    ])
    .orderBy('e.occurred_at')
    .orderBy('e.seq')
    .orderBy('e.id');
  if (query.from !== undefined) q = q.where('e.occurred_at', '>=', query.from);
  if (query.to !== undefined) q = q.where('e.occurred_at', '<', query.to);
  if (query.partyId !== undefined) q = q.where('e.party_id', '=', query.partyId);
  if (query.ids !== undefined) q = q.where('e.id', 'in', query.ids.length > 0 ? query.ids : ['']);
  if (query.eventIds !== undefined)
    q = q.where('e.event_id', 'in', query.eventIds.length > 0 ? query.eventIds : ['']);
  if (query.batteryCode !== undefined) q = q.where('e.battery_code', '=', query.batteryCode);
  if (query.event !== undefined) q = q.where('e.event', '=', query.event);
  const rows = await q.execute();
  return rows.map((r) => ({
    id: r.id,
    eventId: r.event_id,
    seq: Number(r.seq),
    event: r.event,
    partyId: r.party_id,
    batteryCode: r.battery_code,
    vin: r.vin,
    occurredAt: r.occurred_at,
    deadline: r.deadline,
    workingDays: Number(r.working_days),
    article: r.article,
    reportedAt: r.reported_at ?? null,
    reportedBy: r.reported_by ?? null,
    reference: r.reference ?? null,
  }));
}

export async function insertSubmissions(
  db: Executor,
  rows: Array<{ id: string; reportedAt: string; reportedBy: string; reference: string | null }>,
): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('traceability_submissions')
    .values(
      rows.map((r) => ({
        id: r.id,
        reported_at: r.reportedAt,
        reported_by: r.reportedBy,
        reference: r.reference,
      })),
    )
    .execute();
}
