/**
 * All SQL of the buyback module: portable Kysely on SQLite and PostgreSQL. Rows are mapped to
 * plain objects here; numbers read back as numbers on both dialects (bigint is parsed by db/database.ts).
 */
import type { Selectable } from 'kysely';
import type { Executor } from '../../db/transaction.ts';
import type {
  BuybackContractsTable,
  BuybackContractTransitionsTable,
  BuybackMarksTable,
  BuybackQuotesTable,
  BuybackRemarksTable,
  BuybackSettlementsTable,
} from './buyback.tables.ts';

export type QuoteRow = Selectable<BuybackQuotesTable>;
export type ContractRow = Selectable<BuybackContractsTable>;
export type TransitionRow = Selectable<BuybackContractTransitionsTable>;
export type SettlementRow = Selectable<BuybackSettlementsTable>;
export type RemarkRow = Selectable<BuybackRemarksTable>;
export type MarkRow = Selectable<BuybackMarksTable>;

const numeric = <T extends Record<string, unknown>>(row: T, columns: readonly (keyof T)[]): T => {
  const out = { ...row };
  for (const c of columns)
    if (out[c] !== null && out[c] !== undefined) (out as Record<keyof T, unknown>)[c] = Number(out[c]);
  return out;
};

const quoteNumbers = [
  'new_price_minor',
  'term_months',
  'allowance_km',
  'p10_minor',
  'p50_minor',
  'p90_minor',
  'gfv_minor',
  'expected_cost_minor',
] as const;
const contractNumbers = [
  'gfv_minor',
  'new_price_minor',
  'sale_price_minor',
  'term_months',
  'allowance_km',
  'odometer_at_sale_km',
] as const;
const settlementNumbers = [
  'odometer_km',
  'excess_km',
  'gfv_minor',
  'excess_charge_minor',
  'damage_minor',
  'missing_minor',
  'total_minor',
  'paid_minor',
] as const;
const markNumbers = ['p10_minor', 'p50_minor', 'p90_minor', 'expected_loss_minor'] as const;

// ---------------------------------------------------------------- quotes

export async function insertQuote(db: Executor, row: QuoteRow): Promise<void> {
  await db.insertInto('buyback_quotes').values(row).execute();
}

export async function findQuote(db: Executor, id: string): Promise<QuoteRow | undefined> {
  const row = await db.selectFrom('buyback_quotes').selectAll().where('id', '=', id).executeTakeFirst();
  return row && numeric(row, quoteNumbers);
}

// ---------------------------------------------------------------- contracts

export async function insertContract(db: Executor, row: ContractRow): Promise<void> {
  await db.insertInto('buyback_contracts').values(row).execute();
}

export async function findContract(db: Executor, id: string): Promise<ContractRow | undefined> {
  const row = await db.selectFrom('buyback_contracts').selectAll().where('id', '=', id).executeTakeFirst();
  return row && numeric(row, contractNumbers);
}

export async function findContractOfQuote(db: Executor, quoteId: string): Promise<ContractRow | undefined> {
  const row = await db
    .selectFrom('buyback_contracts')
    .selectAll()
    .where('quote_id', '=', quoteId)
    .executeTakeFirst();
  return row && numeric(row, contractNumbers);
}

export async function contractIdsOfQuotes(db: Executor, quoteIds: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < quoteIds.length; i += 500) {
    const rows = await db
      .selectFrom('buyback_contracts')
      .select(['id', 'quote_id'])
      .where('quote_id', 'in', quoteIds.slice(i, i + 500))
      .execute();
    for (const r of rows) out.set(r.quote_id, r.id);
  }
  return out;
}

/** Contracts by stored status (all when none given), vin and id cursor, in id order. */
export async function listContracts(
  db: Executor,
  query: { statuses?: readonly string[]; vin?: string; limit?: number; after?: string },
): Promise<ContractRow[]> {
  let q = db.selectFrom('buyback_contracts').selectAll().orderBy('id');
  if (query.statuses) q = q.where('status', 'in', [...query.statuses]);
  if (query.vin) q = q.where('vin', '=', query.vin);
  if (query.after) q = q.where('id', '>', query.after);
  if (query.limit) q = q.limit(query.limit);
  return (await q.execute()).map((r) => numeric(r, contractNumbers));
}

/** Open contracts whose exercise window closed at or before `at`. */
export async function contractsPastWindow(db: Executor, at: string): Promise<ContractRow[]> {
  const rows = await db
    .selectFrom('buyback_contracts')
    .selectAll()
    .where('status', '=', 'active')
    .where('window_closes_at', '<=', at)
    .orderBy('id')
    .execute();
  return rows.map((r) => numeric(r, contractNumbers));
}

export async function updateContractStatus(
  db: Executor,
  id: string,
  change: { status: string; at: string; closedAt: string | null; closeReason: string | null },
): Promise<void> {
  await db
    .updateTable('buyback_contracts')
    .set({
      status: change.status,
      updated_at: change.at,
      closed_at: change.closedAt,
      close_reason: change.closeReason,
    })
    .where('id', '=', id)
    .execute();
}

export async function insertTransition(db: Executor, row: TransitionRow): Promise<void> {
  await db.insertInto('buyback_contract_transitions').values(row).execute();
}

export async function transitionsOf(db: Executor, contractId: string): Promise<TransitionRow[]> {
  return db
    .selectFrom('buyback_contract_transitions')
    .selectAll()
    .where('contract_id', '=', contractId)
    .orderBy('at')
    .orderBy('id')
    .execute();
}

// ---------------------------------------------------------------- settlements

export async function insertSettlement(db: Executor, row: SettlementRow): Promise<void> {
  await db.insertInto('buyback_settlements').values(row).execute();
}

export async function findSettlement(db: Executor, contractId: string): Promise<SettlementRow | undefined> {
  const row = await db
    .selectFrom('buyback_settlements')
    .selectAll()
    .where('contract_id', '=', contractId)
    .executeTakeFirst();
  return row && numeric(row, settlementNumbers);
}

// ---------------------------------------------------------------- re-marks

export async function insertRemark(db: Executor, remark: RemarkRow, marks: MarkRow[]): Promise<void> {
  await db.insertInto('buyback_remarks').values(remark).execute();
  // 9 columns a row: 500 rows stay under both dialects' parameter limits.
  for (let i = 0; i < marks.length; i += 500)
    await db
      .insertInto('buyback_marks')
      .values(marks.slice(i, i + 500))
      .execute();
}

export async function listRemarks(db: Executor, limit: number, before?: string): Promise<RemarkRow[]> {
  let q = db
    .selectFrom('buyback_remarks')
    .selectAll()
    .orderBy('marked_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit);
  if (before) q = q.where('id', '<', before);
  return (await q.execute()).map((r) => numeric(r, ['contracts', 'refused']));
}

export async function findRemark(db: Executor, id: string): Promise<RemarkRow | undefined> {
  const row = await db.selectFrom('buyback_remarks').selectAll().where('id', '=', id).executeTakeFirst();
  return row && numeric(row, ['contracts', 'refused']);
}

export async function marksOfRemark(db: Executor, remarkId: string): Promise<MarkRow[]> {
  const rows = await db
    .selectFrom('buyback_marks')
    .selectAll()
    .where('remark_id', '=', remarkId)
    .orderBy('contract_id')
    .execute();
  return rows.map((r) => numeric(r, markNumbers));
}

export async function marksOfContract(db: Executor, contractId: string): Promise<MarkRow[]> {
  const rows = await db
    .selectFrom('buyback_marks')
    .selectAll()
    .where('contract_id', '=', contractId)
    .orderBy('marked_at')
    .orderBy('remark_id')
    .execute();
  return rows.map((r) => numeric(r, markNumbers));
}

/** The most recent mark of each contract (contracts never re-marked are absent). */
export async function latestMarks(db: Executor, contractIds: string[]): Promise<Map<string, MarkRow>> {
  const out = new Map<string, MarkRow>();
  for (let i = 0; i < contractIds.length; i += 500) {
    const rows = await db
      .selectFrom('buyback_marks')
      .selectAll()
      .where('contract_id', 'in', contractIds.slice(i, i + 500))
      .orderBy('contract_id')
      .orderBy('marked_at', 'desc')
      .orderBy('remark_id', 'desc')
      .execute();
    for (const r of rows) if (!out.has(r.contract_id)) out.set(r.contract_id, numeric(r, markNumbers));
  }
  return out;
}
