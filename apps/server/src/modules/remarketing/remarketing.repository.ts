/** All SQL of the remarketing module (portable Kysely: SQLite and PostgreSQL). */
import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Executor } from '../../db/transaction.ts';
import type {
  RemarketingAppraisalsTable,
  RemarketingDecisionsTable,
  RemarketingListingsTable,
  RemarketingPricesTable,
  RemarketingReservationsTable,
  RemarketingSalesTable,
  RemarketingStockTable,
  RemarketingWorkOrdersTable,
} from './remarketing.tables.ts';

export type StockRow = Selectable<RemarketingStockTable>;
export type AppraisalRow = Selectable<RemarketingAppraisalsTable>;
export type WorkOrderRow = Selectable<RemarketingWorkOrdersTable>;
export type PriceRow = Selectable<RemarketingPricesTable>;
export type ListingRow = Selectable<RemarketingListingsTable>;
export type ReservationRow = Selectable<RemarketingReservationsTable>;
export type SaleRow = Selectable<RemarketingSalesTable>;
export type DecisionRow = Selectable<RemarketingDecisionsTable>;

// ---------------------------------------------------------------- stock

export async function insertStock(db: Executor, row: Insertable<RemarketingStockTable>): Promise<void> {
  await db.insertInto('remarketing_stock').values(row).execute();
}

export async function updateStock(
  db: Executor,
  id: string,
  patch: Updateable<RemarketingStockTable>,
): Promise<void> {
  await db.updateTable('remarketing_stock').set(patch).where('id', '=', id).execute();
}

/** The car's current stay: the open one, else the latest closed one. */
export async function latestStock(db: Executor, vin: string): Promise<StockRow | undefined> {
  return db
    .selectFrom('remarketing_stock')
    .selectAll()
    .where('vin', '=', vin)
    .orderBy('stocked_at', 'desc')
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function openStock(db: Executor, vin: string): Promise<StockRow | undefined> {
  return db
    .selectFrom('remarketing_stock')
    .selectAll()
    .where('vin', '=', vin)
    .where('closed_at', 'is', null)
    .executeTakeFirst();
}

export async function listStock(
  db: Executor,
  query: { statuses?: readonly string[]; open?: boolean; limit: number; after?: string },
): Promise<StockRow[]> {
  let q = db.selectFrom('remarketing_stock').selectAll();
  if (query.statuses) q = q.where('status', 'in', [...query.statuses]);
  if (query.open) q = q.where('closed_at', 'is', null);
  if (query.after) q = q.where('id', '>', query.after);
  return q.orderBy('id').limit(query.limit).execute();
}

// ---------------------------------------------------------------- appraisals

export async function insertAppraisal(
  db: Executor,
  row: Insertable<RemarketingAppraisalsTable>,
): Promise<void> {
  await db.insertInto('remarketing_appraisals').values(row).execute();
}

export async function latestAppraisals(
  db: Executor,
  stockIds: readonly string[],
): Promise<Map<string, AppraisalRow>> {
  const out = new Map<string, AppraisalRow>();
  if (stockIds.length === 0) return out;
  const rows = await db
    .selectFrom('remarketing_appraisals')
    .selectAll()
    .where('stock_id', 'in', [...stockIds])
    .orderBy('appraised_at')
    .orderBy('created_at')
    .execute();
  for (const r of rows) out.set(r.stock_id, r);
  return out;
}

// ---------------------------------------------------------------- work orders

export async function insertWorkOrder(
  db: Executor,
  row: Insertable<RemarketingWorkOrdersTable>,
): Promise<void> {
  await db.insertInto('remarketing_work_orders').values(row).execute();
}

export async function findWorkOrder(db: Executor, id: string): Promise<WorkOrderRow | undefined> {
  return db.selectFrom('remarketing_work_orders').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function workOrdersOf(db: Executor, stockId: string): Promise<WorkOrderRow[]> {
  return db
    .selectFrom('remarketing_work_orders')
    .selectAll()
    .where('stock_id', '=', stockId)
    .orderBy('opened_at')
    .orderBy('id')
    .execute();
}

/** The stays among `stockIds` that have an open work order. */
export async function openWorkOrderStays(db: Executor, stockIds: readonly string[]): Promise<Set<string>> {
  if (stockIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('remarketing_work_orders')
    .select('stock_id')
    .where('stock_id', 'in', [...stockIds])
    .where('status', '=', 'open')
    .execute();
  return new Set(rows.map((r) => r.stock_id));
}

export async function updateWorkOrder(
  db: Executor,
  id: string,
  patch: Updateable<RemarketingWorkOrdersTable>,
): Promise<void> {
  await db.updateTable('remarketing_work_orders').set(patch).where('id', '=', id).execute();
}

// ---------------------------------------------------------------- prices

export async function insertPrice(db: Executor, row: Insertable<RemarketingPricesTable>): Promise<void> {
  await db.insertInto('remarketing_prices').values(row).execute();
}

export async function latestPrices(
  db: Executor,
  stockIds: readonly string[],
): Promise<Map<string, PriceRow>> {
  const out = new Map<string, PriceRow>();
  if (stockIds.length === 0) return out;
  const rows = await db
    .selectFrom('remarketing_prices')
    .selectAll()
    .where('stock_id', 'in', [...stockIds])
    .orderBy('priced_at')
    .orderBy('id')
    .execute();
  for (const r of rows) out.set(r.stock_id, r);
  return out;
}

// ---------------------------------------------------------------- listings

export async function insertListing(db: Executor, row: Insertable<RemarketingListingsTable>): Promise<void> {
  await db.insertInto('remarketing_listings').values(row).execute();
}

export async function openListings(
  db: Executor,
  stockIds: readonly string[],
): Promise<Map<string, ListingRow>> {
  const out = new Map<string, ListingRow>();
  if (stockIds.length === 0) return out;
  const rows = await db
    .selectFrom('remarketing_listings')
    .selectAll()
    .where('stock_id', 'in', [...stockIds])
    .where('delisted_at', 'is', null)
    .execute();
  for (const r of rows) out.set(r.stock_id, r);
  return out;
}

export async function closeListing(
  db: Executor,
  id: string,
  at: string,
  reason: string,
  eventId: string | null,
): Promise<void> {
  await db
    .updateTable('remarketing_listings')
    .set({ delisted_at: at, delist_reason: reason, delisted_event_id: eventId })
    .where('id', '=', id)
    .execute();
}

// ---------------------------------------------------------------- reservations

export async function insertReservation(
  db: Executor,
  row: Insertable<RemarketingReservationsTable>,
): Promise<void> {
  await db.insertInto('remarketing_reservations').values(row).execute();
}

/** Reservations not yet released (they may have run out: the caller compares `until`). */
export async function unreleasedReservations(
  db: Executor,
  stockIds: readonly string[],
): Promise<Map<string, ReservationRow>> {
  const out = new Map<string, ReservationRow>();
  if (stockIds.length === 0) return out;
  const rows = await db
    .selectFrom('remarketing_reservations')
    .selectAll()
    .where('stock_id', 'in', [...stockIds])
    .where('released_at', 'is', null)
    .orderBy('reserved_at')
    .execute();
  for (const r of rows) out.set(r.stock_id, r);
  return out;
}

export async function releaseReservation(
  db: Executor,
  id: string,
  at: string,
  reason: string,
  eventId: string | null,
): Promise<void> {
  await db
    .updateTable('remarketing_reservations')
    .set({ released_at: at, release_reason: reason, release_event_id: eventId })
    .where('id', '=', id)
    .execute();
}

// ---------------------------------------------------------------- sales

export async function insertSale(db: Executor, row: Insertable<RemarketingSalesTable>): Promise<void> {
  await db.insertInto('remarketing_sales').values(row).execute();
}

export async function salesOf(db: Executor, stockIds: readonly string[]): Promise<Map<string, SaleRow>> {
  const out = new Map<string, SaleRow>();
  if (stockIds.length === 0) return out;
  const rows = await db
    .selectFrom('remarketing_sales')
    .selectAll()
    .where('stock_id', 'in', [...stockIds])
    .execute();
  for (const r of rows) out.set(r.stock_id, r);
  return out;
}

export async function listSales(
  db: Executor,
  query: { from?: string; to?: string; channel?: string; currency?: string },
): Promise<SaleRow[]> {
  let q = db.selectFrom('remarketing_sales').selectAll();
  if (query.from) q = q.where('sold_at', '>=', query.from);
  if (query.to) q = q.where('sold_at', '<', query.to);
  if (query.channel) q = q.where('channel', '=', query.channel);
  if (query.currency) q = q.where('currency', '=', query.currency);
  return q.orderBy('sold_at').orderBy('id').execute();
}

// ---------------------------------------------------------------- decisions

export async function insertDecision(
  db: Executor,
  row: Insertable<RemarketingDecisionsTable>,
): Promise<void> {
  await db.insertInto('remarketing_decisions').values(row).execute();
}

export async function latestDecisions(
  db: Executor,
  stockIds: readonly string[],
  committedOnly = false,
): Promise<Map<string, DecisionRow>> {
  const out = new Map<string, DecisionRow>();
  if (stockIds.length === 0) return out;
  let q = db
    .selectFrom('remarketing_decisions')
    .selectAll()
    .where('stock_id', 'in', [...stockIds]);
  if (committedOnly) q = q.where('committed', '=', 1);
  for (const r of await q.orderBy('decided_at').orderBy('id').execute()) out.set(r.stock_id, r);
  return out;
}
