import type { Db } from '../../db/database.ts';
import type { Executor } from '../../db/transaction.ts';
import { systemClock } from '../../shared/clock.ts';
import { conflict, DomainError, type FieldError, invalid, notFound } from '../../shared/errors.ts';
import { toMajorUnits } from '../../shared/money.ts';
import { appendEvents, type Submitter } from '../ledger/index.ts';
import { type Principal, requirePermission } from '../parties/index.ts';
import { defaultPriceTables } from './remarketing.config.ts';
import {
  dispositionFacts,
  findingsOf,
  moneyFor,
  type StayContext,
  stayCurrency,
  workItemsOf,
} from './remarketing.facts.ts';
import {
  costOf,
  daysOf,
  pointsOf,
  recommendPlan,
  type WorkItem,
  workItemsForFindings,
} from './remarketing.model.ts';
import * as repo from './remarketing.repository.ts';
import { completeInput, workOrderInput } from './remarketing.schemas.ts';
import {
  event,
  money,
  newId,
  parseInput,
  requireOpenStay,
  requireStay,
  type ServiceOptions,
  stayContext,
  timeOr,
} from './remarketing.service.ts';
import { workOrderView } from './remarketing.stock.ts';
import { conditionTables } from './remarketing.valuation.ts';

// ---------------------------------------------------------------- reconditioning

function planContext(ctx: StayContext, done: Set<string>) {
  const findings = findingsOf(ctx.appraisal).filter((f) => !done.has(f.item));
  return findings;
}

/** Findings already covered by a work order (open or completed) of this stay. */
function coveredFindings(orders: readonly repo.WorkOrderRow[]): Set<string> {
  return new Set(
    orders
      .filter((o) => o.status !== 'cancelled')
      .flatMap(workItemsOf)
      .map((i) => i.finding)
      .filter((f): f is string => !!f),
  );
}

/**
 * The reconditioning plan that pays back: the standard repair of each finding not yet covered by a
 * work order, priced from the table, and the subset that maximises the retail route's expected net.
 */
export async function reconditioningPlan(
  db: Db,
  principal: Principal,
  vin: string,
  options: ServiceOptions = {},
) {
  requirePermission(principal, 'remarketing:read');
  const stay = await requireOpenStay(db.kysely, vin, 'plan its reconditioning');
  const ctx = await stayContext(db, principal, stay);
  if (!ctx.appraisal)
    throw conflict(
      'not_appraised',
      `${vin} has no appraisal yet: appraise it first (carloop remarketing appraise)`,
      [{ field: 'vin', message: 'no GB/T 30323 appraisal for this stay' }],
    );
  return planFor(db, principal, ctx, options);
}

async function planFor(db: Db, principal: Principal, ctx: StayContext, options: ServiceOptions) {
  const tables = options.tables ?? defaultPriceTables();
  const now = (options.clock ?? systemClock)();
  const facts = await dispositionFacts(db, principal, ctx, tables, now, { label: 'none', items: [] });
  const m = moneyFor(tables, facts.currency);
  const cond = conditionTables();
  const candidates = workItemsForFindings(planContext(ctx, coveredFindings(ctx.orders)), tables, m);
  const plan = recommendPlan(facts, candidates, tables, m, cond);
  const cur = facts.currency;
  const itemView = (i: WorkItem) => ({
    finding: i.finding,
    description: i.description,
    parts: toMajorUnits(i.partsMinor, cur),
    labour: toMajorUnits(i.labourMinor, cur),
    cost: toMajorUnits(i.partsMinor + i.labourMinor, cur),
    days: i.days,
    points: i.points,
  });
  return {
    vin: ctx.stay.vin,
    currency: cur,
    tablesVersion: `${tables.table}@${tables.version}`,
    recommended: plan.recommended.map((i) => ({
      ...itemView(i),
      contribution: toMajorUnits(plan.marginal.find((x) => x.item === i)?.contributionMinor ?? 0, cur),
    })),
    notRecommended: plan.rejected.map((r) => ({ ...itemView(r.item), reason: r.reason })),
    cost: toMajorUnits(costOf(plan.recommended), cur),
    days: daysOf(plan.recommended),
    points: pointsOf(plan.recommended),
    retailNetWithPlan: toMajorUnits(plan.withPlan.expectedNetMinor, cur),
    retailNetWithout: toMajorUnits(plan.withoutPlan.expectedNetMinor, cur),
    gain: toMajorUnits(plan.gainMinor, cur),
    paysBack: plan.gainMinor > 0,
    explanation:
      plan.recommended.length === 0
        ? candidates.length === 0
          ? 'No reconditioning to plan: every finding is covered by a work order, or there were none.'
          : `No repair pays back: each costs more than it adds to the retail price and the faster sale (${candidates.length} candidate(s)).`
        : `${plan.recommended.length} of ${candidates.length} repair(s) pay back: they cost ${m.text(costOf(plan.recommended))} over ${daysOf(plan.recommended)} day(s) and raise the retail route's expected net by ${m.text(plan.gainMinor)}.`,
    candidates: plan.recommended.length + plan.rejected.length,
  };
}

/** Open a reconditioning work order, from given items or from the recommended plan. */
export async function openWorkOrder(
  db: Db,
  principal: Principal,
  vin: string,
  raw: unknown,
  options: ServiceOptions = {},
) {
  requirePermission(principal, 'remarketing:operate');
  const input = parseInput(workOrderInput, raw, 'work order');
  const clock = options.clock ?? systemClock;
  if (!input.items === !input.fromPlan)
    throw invalid('invalid_work_order', 'give either items or fromPlan', [
      { field: 'items', message: 'exactly one of items and fromPlan' },
    ]);
  const stay = await requireInStock(db.kysely, vin, 'recondition it');
  const ctx = await stayContext(db, principal, stay);
  const currency = stayCurrency(ctx);
  if (!currency)
    throw invalid('no_currency', `${vin} has no currency yet: appraise it first`, [
      { field: 'currency', message: 'unknown' },
    ]);
  if (input.currency !== undefined && input.currency !== currency)
    throw invalid('currency_mismatch', `${vin} is priced in ${currency}; the work order must be too`, [
      { field: 'currency', message: `must be ${currency}` },
    ]);
  let items: WorkItem[];
  let source: string;
  if (input.fromPlan) {
    if (!ctx.appraisal)
      throw conflict('not_appraised', `${vin} has no appraisal: the plan comes from it`, [
        { field: 'fromPlan', message: 'appraise the car first' },
      ]);
    const tables = options.tables ?? defaultPriceTables();
    const facts = await dispositionFacts(db, principal, ctx, tables, clock(), { label: 'none', items: [] });
    const m = moneyFor(tables, currency);
    const candidates = workItemsForFindings(planContext(ctx, coveredFindings(ctx.orders)), tables, m);
    items = recommendPlan(facts, candidates, tables, m, conditionTables()).recommended;
    if (items.length === 0)
      throw conflict('nothing_pays_back', `no reconditioning of ${vin} pays back: nothing to open`, [
        { field: 'fromPlan', message: 'the recommended plan is empty' },
      ]);
    source = 'plan';
  } else {
    const covered = coveredFindings(ctx.orders);
    const errors: FieldError[] = [];
    items = input.items!.map((i, n) => {
      if (i.finding && covered.has(i.finding))
        errors.push({
          field: `items.${n}.finding`,
          message: `${i.finding} is already covered by a work order`,
        });
      let parts = 0;
      let labour = 0;
      try {
        parts = money(i.parts, currency, `items.${n}.parts`);
        labour = money(i.labour, currency, `items.${n}.labour`);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        errors.push(...error.errors);
      }
      const deduction = i.finding
        ? (findingsOf(ctx.appraisal).find((f) => f.item === i.finding)?.deduction ?? null)
        : null;
      if (i.finding && deduction === null)
        errors.push({
          field: `items.${n}.finding`,
          message: `no finding ${i.finding} in the latest appraisal`,
        });
      return {
        finding: i.finding ?? null,
        description: i.description,
        partsMinor: parts,
        labourMinor: labour,
        days: i.days,
        points: i.points ?? deduction ?? 0,
      };
    });
    if (errors.length > 0)
      throw invalid('invalid_work_order', errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
    source = 'manual';
  }
  const at = timeOr(input.openedAt, clock, 'openedAt');
  const id = newId('wo', at);
  await db.kysely.transaction().execute((trx) =>
    repo.insertWorkOrder(trx, {
      id,
      stock_id: stay.id,
      vin,
      status: 'open',
      source,
      items: JSON.stringify(items),
      cost_minor: costOf(items),
      currency,
      days: daysOf(items),
      points: pointsOf(items),
      opened_at: at,
      opened_by: principal.partyId,
      completed_at: null,
      actual_cost_minor: null,
      event_id: null,
      note: input.note ?? null,
    }),
  );
  return workOrderView((await repo.findWorkOrder(db.kysely, id))!);
}

/** A car that is in stock and not on sale: what reconditioning needs. */
export async function requireInStock(db: Executor, vin: string, action: string): Promise<repo.StockRow> {
  const stay = await repo.latestStock(db, vin);
  if (!stay || stay.closed_at !== null || stay.status !== 'in_stock') {
    const why = !stay
      ? 'it was never taken into stock'
      : stay.status === 'listed'
        ? 'it is listed for sale: delist it first (carloop remarketing delist)'
        : stay.status === 'dismantle'
          ? 'it was sent to dismantling'
          : `it was ${stay.status} and is no longer in stock`;
    throw conflict('not_in_stock', `${vin} is not in stock: cannot ${action} — ${why}`, [
      { field: 'vin', message: why },
    ]);
  }
  return stay;
}

async function requireWorkOrder(db: Executor, id: string): Promise<repo.WorkOrderRow> {
  const order = await repo.findWorkOrder(db, id);
  if (!order) throw notFound('work_order_not_found', `no work order ${id}`);
  if (order.status !== 'open')
    throw conflict('work_order_closed', `work order ${id} is already ${order.status}`, [
      { field: 'id', message: order.status },
    ]);
  return order;
}

/** Complete a work order: `vehicle.reconditioned` with its items and cost. */
export async function completeWorkOrder(
  db: Db,
  submitter: Submitter,
  id: string,
  raw: unknown,
  options: ServiceOptions = {},
) {
  requirePermission(submitter.principal, 'remarketing:operate');
  const input = parseInput(completeInput, raw, 'completion');
  const clock = options.clock ?? systemClock;
  const order = await requireWorkOrder(db.kysely, id);
  await requireInStock(db.kysely, order.vin, 'complete its reconditioning');
  const at = timeOr(input.completedAt, clock, 'completedAt');
  const actual =
    input.actualCost !== undefined ? money(input.actualCost, order.currency, 'actualCost') : order.cost_minor;
  const items = workItemsOf(order);
  await appendEvents(
    db,
    submitter,
    [
      event('vehicle.reconditioned', order.vin, at, {
        completedAt: at,
        workItems: items.map((i) => i.description.slice(0, 200)),
        cost: { amountMinor: actual, currency: order.currency },
        ...(input.odometerKm !== undefined ? { odometerKm: input.odometerKm } : {}),
      }),
    ],
    {
      clock,
      project: async (trx, { eventIds }) => {
        await repo.updateWorkOrder(trx, id, {
          status: 'completed',
          completed_at: at,
          actual_cost_minor: actual,
          event_id: eventIds[0]!,
        });
      },
    },
  );
  return workOrderView((await repo.findWorkOrder(db.kysely, id))!);
}

export async function cancelWorkOrder(db: Db, principal: Principal, id: string, note: string | undefined) {
  requirePermission(principal, 'remarketing:operate');
  const order = await requireWorkOrder(db.kysely, id);
  await db.kysely
    .transaction()
    .execute((trx) => repo.updateWorkOrder(trx, id, { status: 'cancelled', note: note ?? order.note }));
  return workOrderView((await repo.findWorkOrder(db.kysely, id))!);
}

export async function listWorkOrders(db: Db, principal: Principal, vin: string) {
  requirePermission(principal, 'remarketing:read');
  const stay = await requireStay(db.kysely, vin);
  return (await repo.workOrdersOf(db.kysely, stay.id)).map(workOrderView);
}
