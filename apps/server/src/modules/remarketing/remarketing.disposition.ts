/**
 * The disposition decision as a use case: gather the facts of a stock car, work out retail, wholesale
 * and dismantling with the versioned price tables and legal gates, choose, explain — and, when asked,
 * commit the decision to the log (`vehicle.disposition_decided`; a car sent to dismantling leaves the
 * sales channels in the same transaction).
 */
import type { Db } from '../../db/database.ts';
import { systemClock } from '../../shared/clock.ts';
import { conflict } from '../../shared/errors.ts';
import { toMajorUnits } from '../../shared/money.ts';
import { appendEvents, type EventInput, type Submitter } from '../ledger/index.ts';
import { requirePermission } from '../parties/index.ts';
import { defaultPriceTables, legalGates, tableLabel } from './remarketing.config.ts';
import { dispositionFacts, findingsOf, moneyFor, workItemsOf } from './remarketing.facts.ts';
import {
  costOf,
  type Decision,
  type DispositionFacts,
  decideDisposition,
  type Money,
  recommendPlan,
  type WorkItem,
  workItemsForFindings,
} from './remarketing.model.ts';
import * as repo from './remarketing.repository.ts';
import { decideInput } from './remarketing.schemas.ts';
import {
  activeReservation,
  newId,
  parseInput,
  requireOpenStay,
  type ServiceOptions,
  stayContext,
  timeOr,
} from './remarketing.service.ts';
import { conditionTables } from './remarketing.valuation.ts';

function routesView(decision: Decision, currency: string) {
  return decision.routes.map((r) => ({
    route: r.route,
    expectedNet: toMajorUnits(r.expectedNetMinor, currency),
    currency,
    allowed: r.allowed,
    blockedBy: r.blockedBy,
    breakdown: r.breakdown.map((l) => ({ item: l.item, amount: toMajorUnits(l.amountMinor, currency) })),
    days: r.days,
  }));
}

function factsView(f: DispositionFacts, m: Money) {
  const cur = f.currency;
  return {
    asOf: f.asOf,
    daysInStock: f.daysInStock,
    powertrain: f.powertrain,
    ageYears: Math.round(f.ageYears * 100) / 100,
    ageBasis: f.ageBasis,
    odometerKm: f.odometerKm,
    useClass: f.useClass,
    useClassAssumed: f.useClassAssumed,
    appraised: f.appraised,
    current: f.current,
    conditions: f.conditions,
    conditionSources: f.conditionSources,
    disclosed: f.disclosed,
    documents: f.documents,
    retail: f.retailMinor === null ? null : toMajorUnits(f.retailMinor, cur),
    retailSource: f.retailSource,
    acquisitionCost: f.acquisitionCostMinor === null ? null : toMajorUnits(f.acquisitionCostMinor, cur),
    reconditioning: {
      plan: f.plan.label,
      items: f.plan.items.map((i) => i.description),
      cost: toMajorUnits(costOf(f.plan.items), cur),
      costText: m.text(costOf(f.plan.items)),
    },
    vehicleMassKg: f.vehicleMassKg,
    vehicleMassSource: f.vehicleMassSource,
    battery: f.battery
      ? {
          energyKwh: f.battery.energyKwh,
          chemistry: f.battery.chemistry,
          source: f.battery.source,
          sohPercent: f.battery.sohPercent,
          sohSource: f.battery.sohSource,
          grade: f.battery.grade,
          gradeReason: f.battery.gradeReason,
        }
      : null,
    observedParts: Object.fromEntries(
      Object.entries(f.observedParts).map(([k, v]) => [
        k,
        {
          medianPrice: toMajorUnits(v.medianPriceMinor, cur),
          sellThrough: v.sellThrough,
          observations: v.observations,
        },
      ]),
    ),
  };
}

/**
 * Decide where a stock car goes. Reconditioning in the retail route is the open work orders, else the
 * recommended plan (only what pays back). With `commit`, the decision (the chosen route, or another
 * allowed route named by `route`) is appended to the log and a car sent to dismantling is delisted,
 * its reconditioning cancelled and it is closed to every sale.
 */
export async function decideVehicle(
  db: Db,
  submitter: Submitter,
  vin: string,
  raw: unknown,
  options: ServiceOptions = {},
) {
  const principal = submitter.principal;
  requirePermission(principal, 'remarketing:read');
  const input = parseInput(decideInput, raw, 'decision request');
  if (input.commit) requirePermission(principal, 'remarketing:decide');
  if (input.route && !input.commit)
    throw conflict('route_without_commit', 'route names the route to commit: give commit too', [
      { field: 'route', message: 'only with commit' },
    ]);
  const clock = options.clock ?? systemClock;
  const at = timeOr(input.asOf, clock, 'asOf');
  const tables = options.tables ?? defaultPriceTables();
  const gates = legalGates();
  const stay = await requireOpenStay(db.kysely, vin, 'decide its disposition');
  const ctx = await stayContext(db, principal, stay);
  const open = ctx.orders.filter((o) => o.status === 'open');
  const base = await dispositionFacts(db, principal, ctx, tables, at, { label: 'none', items: [] });
  const m = moneyFor(tables, base.currency);
  const cond = conditionTables();
  let plan: { label: string; items: WorkItem[] };
  if (open.length > 0)
    plan = {
      label: `open work order(s) ${open.map((o) => o.id).join(', ')}`,
      items: open.flatMap(workItemsOf),
    };
  else {
    const covered = new Set(
      ctx.orders
        .filter((o) => o.status === 'completed')
        .flatMap(workItemsOf)
        .map((i) => i.finding),
    );
    const candidates = workItemsForFindings(
      findingsOf(ctx.appraisal).filter((f) => !covered.has(f.item)),
      tables,
      m,
    );
    plan = {
      label: 'the recommended reconditioning plan',
      items: recommendPlan(base, candidates, tables, m, cond).recommended,
    };
  }
  const facts: DispositionFacts = { ...base, plan };
  const decision = decideDisposition(facts, tables, gates, m, cond);
  const tablesVersion = `${tables.table}:${tables.version}/${gates.table}:${gates.version}`;
  const decisionId = newId('dsp', at);
  const cur = facts.currency;
  const route = input.route ?? decision.chosen;
  const taken = decision.routes.find((r) => r.route === route)!;
  const row = {
    id: decisionId,
    stock_id: stay.id,
    vin,
    decided_at: at,
    decided_by: principal.partyId,
    recommended: decision.chosen,
    route: input.commit ? route : null,
    committed: input.commit ? 1 : 0,
    currency: cur,
    expected_net_minor: taken.expectedNetMinor,
    routes: JSON.stringify(routesView(decision, cur)),
    reasons: JSON.stringify(decision.reasons),
    facts: JSON.stringify(factsView(facts, m)),
    tables_version: tablesVersion,
    event_id: null as string | null,
  };
  if (!input.commit) {
    await db.kysely.transaction().execute((trx) => repo.insertDecision(trx, row));
  } else {
    if (!taken.allowed)
      throw conflict('route_blocked', `${route} is blocked for ${vin}: ${taken.blockedBy.join(', ')}`, [
        { field: 'route', message: `blocked by ${taken.blockedBy.join(', ')}` },
      ]);
    if (stay.status === 'dismantle')
      throw conflict('already_decided', `${vin} was already sent to dismantling`, [
        { field: 'vin', message: 'committed to dismantling' },
      ]);
    const reservation = activeReservation(
      (await repo.unreleasedReservations(db.kysely, [stay.id])).get(stay.id),
      at,
    );
    if (route === 'dismantle' && reservation)
      throw conflict(
        'reserved',
        `${vin} is reserved for ${reservation.holder_party_id} until ${reservation.until}: release the reservation before sending it to dismantling`,
        [{ field: 'vin', message: `reservation ${reservation.id}` }],
      );
    const listing = (await repo.openListings(db.kysely, [stay.id])).get(stay.id);
    const events: EventInput[] = [];
    if (route === 'dismantle' && listing)
      events.push({
        type: 'vehicle.delisted',
        subject: { kind: 'vehicle', id: vin },
        occurredAt: at,
        payload: { delistedAt: at, reason: 'disposition_change' },
      });
    events.push({
      type: 'vehicle.disposition_decided',
      subject: { kind: 'vehicle', id: vin },
      occurredAt: at,
      payload: {
        decidedAt: at,
        deciderPartyId: principal.partyId,
        route,
        recommendedRoute: decision.chosen,
        expectedNet: { amountMinor: taken.expectedNetMinor, currency: cur },
        decisionId,
        tablesVersion,
      },
    });
    await appendEvents(db, submitter, events, {
      clock,
      project: async (trx, { eventIds }) => {
        row.event_id = eventIds.at(-1)!;
        await repo.insertDecision(trx, row);
        if (route !== 'dismantle') return;
        if (listing) await repo.closeListing(trx, listing.id, at, 'disposition_change', eventIds[0]!);
        for (const o of open)
          await repo.updateWorkOrder(trx, o.id, {
            status: 'cancelled',
            note: `cancelled: sent to dismantling (${decisionId})`,
          });
        await repo.updateStock(trx, stay.id, { status: 'dismantle', updated_at: at });
      },
    });
  }
  const reasons = input.commit
    ? [
        ...decision.reasons,
        route === decision.chosen
          ? `Committed: ${route} (decision ${decisionId}).`
          : `Committed: ${route} instead of the recommended ${decision.chosen}, ${m.text(decision.routes.find((r) => r.route === decision.chosen)!.expectedNetMinor - taken.expectedNetMinor)} less expected (decision ${decisionId}).`,
      ]
    : decision.reasons;
  return {
    vin,
    decisionId,
    decidedAt: at,
    currency: cur,
    routes: routesView(decision, cur),
    chosen: decision.chosen,
    reasons,
    explanation: reasons.join(' '),
    gates: decision.gates,
    facts: factsView(facts, m),
    tablesVersion,
    tables: [tableLabel(tables), tableLabel(gates), cond.label],
    committed: input.commit,
    route: input.commit ? route : null,
    eventId: row.event_id,
  };
}
