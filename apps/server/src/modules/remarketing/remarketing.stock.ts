import type { Db } from '../../db/database.ts';
import type { Executor } from '../../db/transaction.ts';
import { inOneTransaction } from '../../db/transaction.ts';
import { systemClock } from '../../shared/clock.ts';
import { conflict, type FieldError, invalid } from '../../shared/errors.ts';
import { currencyExponent, toMajorUnits } from '../../shared/money.ts';
import { type AssetRegistrationHooks, registerAsset } from '../assets/index.ts';
import { appendEvents, type EventInput, type Submitter, subjectHistory } from '../ledger/index.ts';
import { type Principal, requirePermission } from '../parties/index.ts';
import { defaultPriceTables, legalGates } from './remarketing.config.ts';
import { conditionsOf, moneyFor, vehicleHistory, vehicleRecord, workItemsOf } from './remarketing.facts.ts';
import {
  type AgeingRule,
  agedPrice,
  ageingBands,
  bandOf,
  daysBetween,
  holdingPerDay,
} from './remarketing.model.ts';
import * as repo from './remarketing.repository.ts';
import {
  disclosureInput,
  documentsInput,
  intakeInput,
  type StockState,
  stockStates,
} from './remarketing.schemas.ts';

import {
  activeReservation,
  checkVinOrThrow,
  event,
  major,
  money,
  newId,
  parseInput,
  requireCurrency,
  requireOpenStay,
  requireStay,
  type ServiceOptions,
  timeOr,
} from './remarketing.service.ts';

// ---------------------------------------------------------------- views

const endOfLifeStates = new Set(['elv_received', 'certified', 'deregistered', 'dismantled']);

/**
 * The stock state shown for a stay. The log is the source of truth: a car the log already has at a
 * dismantler, or sold by an event appended outside this module, shows as such even if this stay was
 * not closed by it.
 */
function stateOf(
  stay: repo.StockRow,
  reservation: repo.ReservationRow | undefined,
  openWorkOrder: boolean,
  now: string,
  vehicleState: string | null,
): StockState {
  if (stay.status === 'sold' || stay.status === 'wholesaled' || stay.status === 'dismantle')
    return stay.status;
  if (vehicleState && endOfLifeStates.has(vehicleState)) return 'dismantle';
  if (vehicleState === 'in_use') return 'sold';
  if (vehicleState === 'wholesaled') return 'wholesaled';
  if (activeReservation(reservation, now)) return 'reserved';
  if (stay.status === 'listed') return 'listed';
  if (openWorkOrder) return 'reconditioning';
  return 'in_stock';
}

export function workOrderView(o: repo.WorkOrderRow) {
  const items = workItemsOf(o);
  return {
    id: o.id,
    status: o.status,
    source: o.source,
    currency: o.currency,
    cost: toMajorUnits(o.cost_minor, o.currency),
    actualCost: major(o.actual_cost_minor, o.currency),
    days: o.days,
    points: o.points,
    items: items.map((i) => ({
      description: i.description,
      finding: i.finding,
      parts: toMajorUnits(i.partsMinor, o.currency),
      labour: toMajorUnits(i.labourMinor, o.currency),
      days: i.days,
      points: i.points,
    })),
    openedAt: o.opened_at,
    completedAt: o.completed_at,
    eventId: o.event_id,
    note: o.note,
  };
}

export function appraisalView(a: repo.AppraisalRow | undefined) {
  if (!a) return null;
  const detail = JSON.parse(a.appraisal) as { gradeLabel?: string; reasons?: string[]; flags?: unknown };
  return {
    id: a.id,
    appraisedAt: a.appraised_at,
    appraiserPartyId: a.appraiser_party_id,
    odometerKm: a.odometer_km,
    score: a.score,
    grade: a.grade,
    gradeLabel: detail.gradeLabel ?? null,
    flags: { accident: a.accident === 1, flood: a.flood === 1, fire: a.fire === 1 },
    reasons: detail.reasons ?? [],
    battery: a.battery ? (JSON.parse(a.battery) as unknown) : null,
    retail: toMajorUnits(a.retail_minor, a.currency),
    currency: a.currency,
    valueSource: a.value_source,
    valuationId: a.valuation_id,
    eventId: a.event_id,
  };
}

export function priceView(p: repo.PriceRow | undefined, now: string, stockedAt: string) {
  if (!p) return null;
  const rule = JSON.parse(p.ageing) as AgeingRule;
  const days = daysBetween(stockedAt, now);
  return {
    pricedAt: p.priced_at,
    currency: p.currency,
    retail: toMajorUnits(p.retail_minor, p.currency),
    wholesale: toMajorUnits(p.wholesale_minor, p.currency),
    askingAtPricing: toMajorUnits(p.asking_minor, p.currency),
    daysInStockAtPricing: p.days_in_stock,
    askingNow: toMajorUnits(agedPrice(p.retail_minor, days, rule), p.currency),
    ageing: rule,
    valuationId: p.valuation_id,
    source: p.source,
  };
}

/** The list view of stays, read in one query per table whatever their number. */
export async function stockItemViews(
  db: Db,
  principal: Principal,
  stays: readonly repo.StockRow[],
  now: string,
) {
  const ids = stays.map((s) => s.id);
  const [listings, reservations, sales, prices, decisions, orders] = await Promise.all([
    repo.openListings(db.kysely, ids),
    repo.unreleasedReservations(db.kysely, ids),
    repo.salesOf(db.kysely, ids),
    repo.latestPrices(db.kysely, ids),
    repo.latestDecisions(db.kysely, ids),
    repo.openWorkOrderStays(db.kysely, ids),
  ]);
  const views = [];
  for (const stay of stays) {
    const vehicle = await vehicleRecord(db, principal, stay.vin);
    const reservation = reservations.get(stay.id);
    const r = activeReservation(reservation, now);
    const l = listings.get(stay.id);
    const s = sales.get(stay.id);
    const d = decisions.get(stay.id);
    const days = daysBetween(stay.stocked_at, stay.closed_at ?? now);
    views.push({
      stockId: stay.id,
      vin: stay.vin,
      state: stateOf(stay, reservation, orders.has(stay.id), now, vehicle?.state ?? null),
      vehicleState: vehicle?.state ?? null,
      vehicle: vehicle
        ? {
            make: vehicle.make,
            model: vehicle.model,
            trim: vehicle.trim,
            modelYear: vehicle.modelYear,
            powertrain: vehicle.powertrain,
          }
        : null,
      source: stay.source,
      stockedAt: stay.stocked_at,
      daysInStock: days,
      ageingBand: bandOf(days),
      dealerPartyId: stay.dealer_party_id,
      locationId: stay.location_id,
      contractId: stay.contract_id,
      currency: stay.currency ?? vehicle?.currency ?? null,
      acquisitionCost: major(stay.acquisition_cost_minor, stay.currency),
      documents: JSON.parse(stay.documents) as string[],
      keys: stay.keys,
      disclosed: {
        accident: stay.disclosed_accident === 1,
        flood: stay.disclosed_flood === 1,
        fire: stay.disclosed_fire === 1,
        at: stay.disclosed_at,
        note: stay.disclosure_note,
      },
      listing: l
        ? {
            listingId: l.id,
            channel: l.channel,
            price: toMajorUnits(l.price_minor, l.currency),
            currency: l.currency,
            listedAt: l.listed_at,
          }
        : null,
      reservation: r
        ? {
            reservationId: r.id,
            holderPartyId: r.holder_party_id,
            until: r.until,
            deposit: major(r.deposit_minor, r.currency),
            currency: r.currency,
          }
        : null,
      sale: s
        ? {
            saleId: s.id,
            channel: s.channel,
            price: toMajorUnits(s.price_minor, s.currency),
            currency: s.currency,
            soldAt: s.sold_at,
            eventId: s.event_id,
          }
        : null,
      price: priceView(prices.get(stay.id), now, stay.stocked_at),
      decision: d
        ? {
            decisionId: d.id,
            decidedAt: d.decided_at,
            recommended: d.recommended,
            route: d.route,
            committed: d.committed === 1,
          }
        : null,
      closedAt: stay.closed_at,
    });
  }
  return views;
}

/** One stay in full: the list view plus the log's history, conditions, papers, appraisal and work orders. */
export async function stockItemDetail(db: Db, principal: Principal, stay: repo.StockRow, now: string) {
  const [base, appraisals, orders] = await Promise.all([
    stockItemViews(db, principal, [stay], now).then((v) => v[0]!),
    repo.latestAppraisals(db.kysely, [stay.id]),
    repo.workOrdersOf(db.kysely, stay.id),
  ]);
  const history = await vehicleHistory(db, principal, stay.vin);
  const appraisal = appraisals.get(stay.id);
  const { conditions } = conditionsOf(appraisal, history);
  const gates = legalGates();
  const docs = base.documents;
  return {
    ...base,
    history,
    conditions,
    missingDocuments: gates.transferDocuments.required.filter((d) => !docs.includes(d)),
    appraisal: appraisalView(appraisal),
    workOrders: orders.map(workOrderView),
  };
}

// ---------------------------------------------------------------- intake

/** What a buyback settlement hands to the stock side (the workflow's StockIntake, structurally). */
export interface BuybackStockIntake {
  vin: string;
  stockedAt: string;
  dealerPartyId: string;
  source: 'buyback' | 'trade_in';
  acquisitionCost: { amountMinor: number; currency: string };
  locationId: string | null;
  contractId: string;
  statement: unknown;
  eventIds: Record<string, string>;
}

const defaultBuybackDocuments = ['registration_certificate', 'driving_licence'];

/**
 * The workflow step of a buyback settlement (workflows/settle-and-stock.ts): inside the settlement's
 * transaction, record the returned car as a stock stay — with the settlement's GB/T 30323 appraisal
 * and market value when there was one — so it appears in stock the moment it is settled.
 */
export async function recordBuybackIntake(trx: Executor, intake: BuybackStockIntake): Promise<void> {
  const now = intake.stockedAt;
  const statement = (intake.statement ?? {}) as {
    odometerKm?: number;
    missingItems?: Array<{ item: string }>;
    appraisal?: {
      score: number;
      grade: number;
      accident: boolean;
      flood: boolean;
      fire: boolean;
      detail: unknown;
    } | null;
    marketValue?: { p50: number } | null;
  };
  const missing = (statement.missingItems ?? []).map((m) => m.item.toLowerCase());
  const keysMissing = missing.filter((m) => m.includes('key')).length;
  const stale = await repo.openStock(trx, intake.vin);
  if (stale) await repo.updateStock(trx, stale.id, { closed_at: now, updated_at: now });
  const stockId = newId('stk', now);
  await repo.insertStock(trx, {
    id: stockId,
    vin: intake.vin,
    status: 'in_stock',
    source: intake.source,
    stocked_at: intake.stockedAt,
    dealer_party_id: intake.dealerPartyId,
    location_id: intake.locationId,
    contract_id: intake.contractId,
    acquisition_cost_minor: intake.acquisitionCost.amountMinor,
    currency: intake.acquisitionCost.currency,
    documents: JSON.stringify(
      defaultBuybackDocuments.filter((d) => !missing.some((m) => m.includes(d.replace('_', ' ')))),
    ),
    keys: Math.max(0, 2 - keysMissing),
    disclosed_accident: 0,
    disclosed_flood: 0,
    disclosed_fire: 0,
    disclosed_at: null,
    disclosure_note: null,
    intake_event_id: intake.eventIds.stocked ?? '',
    closed_at: null,
    created_at: now,
    updated_at: now,
  });
  const a = statement.appraisal;
  const eventId = intake.eventIds.appraised;
  if (a && eventId && statement.marketValue) {
    const currency = intake.acquisitionCost.currency;
    await repo.insertAppraisal(trx, {
      id: newId('apr', now),
      stock_id: stockId,
      vin: intake.vin,
      appraised_at: now,
      appraiser_party_id: intake.dealerPartyId,
      odometer_km: statement.odometerKm ?? 0,
      score: a.score,
      grade: a.grade,
      accident: a.accident ? 1 : 0,
      flood: a.flood ? 1 : 0,
      fire: a.fire ? 1 : 0,
      inspection: null,
      appraisal: JSON.stringify(a.detail ?? {}),
      battery: null,
      valuation_id: null,
      retail_minor: Math.round(statement.marketValue.p50 * 10 ** currencyExponent(currency)),
      currency,
      value_source: `buyback settlement ${intake.contractId} market value P50`,
      event_id: eventId,
      created_at: now,
    });
  }
}

/**
 * Take a car into used-car stock: a trade-in, a purchase, or a returned buyback car whose settlement
 * did not stock it. A car the platform does not know is registered and enrolled first (its papers'
 * facts, nothing earlier claimed). A car the log already has in stock is adopted without a new event.
 */
export function intakeVehicle(
  db: Db,
  submitter: Submitter,
  raw: unknown,
  options: ServiceOptions & { assetHooks?: AssetRegistrationHooks | undefined } = {},
) {
  // Registration of an unknown asset and its events must land together: one joined transaction.
  return inOneTransaction(db, (scoped) => intakeVehicleWithin(scoped, submitter, raw, options));
}

async function intakeVehicleWithin(
  db: Db,
  submitter: Submitter,
  raw: unknown,
  options: ServiceOptions & { assetHooks?: AssetRegistrationHooks | undefined } = {},
) {
  const principal = submitter.principal;
  requirePermission(principal, 'remarketing:operate');
  const input = parseInput(intakeInput, raw, 'intake');
  const clock = options.clock ?? systemClock;
  checkVinOrThrow(input.vin);
  const source = input.source === 'trade-in' ? 'trade_in' : input.source;
  const at = timeOr(input.stockedAt, clock, 'stockedAt');
  const errors: FieldError[] = [];
  let costMinor: number | null = null;
  if (input.currency !== undefined) requireCurrency(input.currency, 'currency');
  if (input.acquisitionCost !== undefined) {
    if (!input.currency) errors.push({ field: 'currency', message: 'required with acquisitionCost' });
    else costMinor = money(input.acquisitionCost, input.currency, 'acquisitionCost');
  }
  const known = legalGates().documents;
  (input.documents ?? []).forEach((d, i) => {
    if (!known[d])
      errors.push({
        field: `documents.${i}`,
        message: `unknown document "${d}"; one of ${Object.keys(known).join(', ')}`,
      });
  });
  if (errors.length > 0)
    throw invalid('invalid_intake', errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);

  const open = await repo.openStock(db.kysely, input.vin);
  if (open)
    throw conflict(
      'already_in_stock',
      `${input.vin} is already in stock (since ${open.stocked_at.slice(0, 10)}, ${open.status})`,
      [{ field: 'vin', message: `in stock as ${open.id}` }],
    );
  let vehicle = await vehicleRecord(db, principal, input.vin);
  const events: EventInput[] = [];
  if (!vehicle) {
    if (!input.vehicle)
      throw invalid(
        'unknown_vehicle',
        `${input.vin} is not registered: give the vehicle's make, model and powertrain to register it at intake`,
        [{ field: 'vehicle', message: 'required for a car the platform does not know' }],
      );
    if (source === 'buyback')
      throw conflict(
        'no_buyback',
        `${input.vin} is not registered, so it has no buyback contract to come back under`,
        [{ field: 'source', message: 'a buyback car is known to the platform' }],
      );
    const v = input.vehicle;
    if (v.newPrice !== undefined && !v.currency && !input.currency)
      throw invalid('invalid_intake', 'vehicle.currency is required with vehicle.newPrice', [
        { field: 'vehicle.currency', message: 'required with newPrice' },
      ]);
    await registerAsset(
      db,
      principal,
      {
        kind: 'vehicle',
        vin: input.vin,
        make: v.make,
        model: v.model,
        ...(v.trim ? { trim: v.trim } : {}),
        ...(v.modelYear ? { modelYear: v.modelYear } : {}),
        powertrain: v.powertrain,
        ...(v.newPrice !== undefined ? { newPrice: v.newPrice, currency: v.currency ?? input.currency } : {}),
      },
      options.assetHooks ? { hooks: options.assetHooks } : {},
    );
    vehicle = (await vehicleRecord(db, principal, input.vin))!;
  }
  const history = await vehicleHistory(db, principal, input.vin);
  let adoptedEventId: string | null = null;
  if (vehicle.state === 'registered') {
    events.push(
      event('vehicle.enrolled', input.vin, at, {
        enrolledAt: at,
        enrollerPartyId: input.dealerPartyId ?? principal.partyId,
        context: 'used_car_intake',
        model: vehicle.model,
        ...(vehicle.modelYear ? { modelYear: vehicle.modelYear } : {}),
        powertrain: vehicle.powertrain,
      }),
    );
  } else if (vehicle.state === 'in_stock' || vehicle.state === 'listed') {
    adoptedEventId = await lastStockedEventId(db, principal, input.vin);
  } else if (!['sold', 'in_use', 'returned', 'wholesaled'].includes(vehicle.state)) {
    throw conflict(
      'not_stockable',
      `${input.vin} is ${vehicle.state} in the log: it cannot enter used-car stock`,
      [{ field: 'vin', message: `state ${vehicle.state}` }],
    );
  }
  if (source === 'buyback' && !history.buyback)
    throw conflict(
      'no_buyback',
      `${input.vin} has no buyback hand-back in the log: settle it with carloop buyback settle (the car is stocked automatically)`,
      [{ field: 'source', message: 'no vehicle.buyback_exercised event' }],
    );
  if (
    input.odometerKm !== undefined &&
    history.odometer.highestKm !== null &&
    input.odometerKm < history.odometer.highestKm
  )
    throw invalid(
      'odometer_rollback',
      `odometer ${input.odometerKm} km is below the ${history.odometer.highestKm} km already in the log`,
      [
        {
          field: 'odometerKm',
          message: `below the highest recorded reading ${history.odometer.highestKm} km`,
        },
      ],
    );
  const dealer = input.dealerPartyId ?? principal.partyId;
  const currency = input.currency ?? vehicle.currency;
  if (!adoptedEventId)
    events.push(
      event('vehicle.stocked', input.vin, at, {
        stockedAt: at,
        dealerPartyId: dealer,
        source,
        ...(costMinor !== null
          ? { acquisitionCost: { amountMinor: costMinor, currency: input.currency } }
          : {}),
        ...(input.locationId ? { locationId: input.locationId } : {}),
      }),
    );
  if (input.odometerKm !== undefined)
    events.push(
      event('vehicle.odometer_read', input.vin, at, {
        odometerKm: input.odometerKm,
        readAt: at,
        source: 'inspection',
      }),
    );
  const stockId = newId('stk', at);
  const row = (intakeEventId: string) => ({
    id: stockId,
    vin: input.vin,
    status: vehicle!.state === 'listed' ? 'listed' : 'in_stock',
    source,
    stocked_at: at,
    dealer_party_id: dealer,
    location_id: input.locationId ?? null,
    contract_id: history.buyback?.contractId ?? null,
    acquisition_cost_minor: costMinor,
    currency: currency ?? null,
    documents: JSON.stringify([...new Set(input.documents ?? [])]),
    keys: input.keys ?? 0,
    disclosed_accident: 0,
    disclosed_flood: 0,
    disclosed_fire: 0,
    disclosed_at: null,
    disclosure_note: null,
    intake_event_id: intakeEventId,
    closed_at: null,
    created_at: at,
    updated_at: at,
  });
  if (events.length === 0) {
    await db.kysely.transaction().execute((trx) => repo.insertStock(trx, row(adoptedEventId!)));
  } else {
    await appendEvents(db, submitter, events, {
      clock,
      project: async (trx, { eventIds }) => {
        const stocked = events.findIndex((e) => e.type === 'vehicle.stocked');
        await repo.insertStock(trx, row(stocked >= 0 ? eventIds[stocked]! : adoptedEventId!));
      },
    });
  }
  return getStockItem(db, principal, input.vin, { clock });
}

async function lastStockedEventId(db: Db, principal: Principal, vin: string): Promise<string> {
  const history = await subjectHistory(db, principal, vin);
  return [...history.events].reverse().find((e) => e.type === 'vehicle.stocked')?.id ?? '';
}

// ---------------------------------------------------------------- documents and disclosure

export async function updateDocuments(
  db: Db,
  principal: Principal,
  vin: string,
  raw: unknown,
  options: ServiceOptions = {},
) {
  requirePermission(principal, 'remarketing:operate');
  const input = parseInput(documentsInput, raw, 'documents');
  const known = legalGates().documents;
  const errors = input.documents
    .map((d, i) =>
      known[d]
        ? null
        : {
            field: `documents.${i}`,
            message: `unknown document "${d}"; one of ${Object.keys(known).join(', ')}`,
          },
    )
    .filter((e): e is FieldError => e !== null);
  if (errors.length > 0) throw invalid('invalid_documents', errors.map((e) => e.message).join('; '), errors);
  const stay = await requireOpenStay(db.kysely, vin, 'update its documents');
  const now = (options.clock ?? systemClock)();
  await db.kysely.transaction().execute((trx) =>
    repo.updateStock(trx, stay.id, {
      documents: JSON.stringify([...new Set(input.documents)]),
      ...(input.keys !== undefined ? { keys: input.keys } : {}),
      updated_at: now,
    }),
  );
  return getStockItem(db, principal, vin, options);
}

/**
 * Record that accident, flood or fire was disclosed to buyers (《二手车流通管理办法》): the disclosure
 * legal gate opens for the conditions disclosed. A disclosure is never withdrawn.
 */
export async function recordDisclosure(
  db: Db,
  principal: Principal,
  vin: string,
  raw: unknown,
  options: ServiceOptions = {},
) {
  requirePermission(principal, 'remarketing:operate');
  const input = parseInput(disclosureInput, raw, 'disclosure');
  if (!input.accident && !input.flood && !input.fire)
    throw invalid('invalid_disclosure', 'name at least one condition disclosed: accident, flood or fire', [
      { field: 'accident', message: 'one of accident, flood, fire must be true' },
    ]);
  const stay = await requireOpenStay(db.kysely, vin, 'record a disclosure');
  const clock = options.clock ?? systemClock;
  const at = timeOr(input.disclosedAt, clock, 'disclosedAt');
  await db.kysely.transaction().execute((trx) =>
    repo.updateStock(trx, stay.id, {
      ...(input.accident ? { disclosed_accident: 1 } : {}),
      ...(input.flood ? { disclosed_flood: 1 } : {}),
      ...(input.fire ? { disclosed_fire: 1 } : {}),
      disclosed_at: at,
      disclosure_note: input.note ?? stay.disclosure_note,
      updated_at: clock(),
    }),
  );
  return getStockItem(db, principal, vin, options);
}

// ---------------------------------------------------------------- views

export async function getStockItem(db: Db, principal: Principal, vin: string, options: ServiceOptions = {}) {
  requirePermission(principal, 'remarketing:read');
  const stay = await requireStay(db.kysely, vin);
  return stockItemDetail(db, principal, stay, (options.clock ?? systemClock)());
}

/** The cars in used-car stock with their state; `state` filters (default: every car still in stock). */
export async function listStock(
  db: Db,
  principal: Principal,
  query: { state?: string | undefined; limit?: number | undefined } = {},
  options: ServiceOptions = {},
) {
  requirePermission(principal, 'remarketing:read');
  if (
    query.state !== undefined &&
    query.state !== 'all' &&
    !(stockStates as readonly string[]).includes(query.state)
  )
    throw invalid('invalid_state', `unknown stock state ${query.state}`, [
      { field: 'state', message: `one of ${stockStates.join(', ')}, all` },
    ]);
  const now = (options.clock ?? systemClock)();
  const closedStates = ['sold', 'wholesaled'];
  const rows =
    query.state === 'all'
      ? await repo.listStock(db.kysely, { limit: 10_000 })
      : query.state && closedStates.includes(query.state)
        ? await repo.listStock(db.kysely, { statuses: [query.state], limit: 10_000 })
        : await repo.listStock(db.kysely, { open: true, limit: 10_000 });
  const views = await stockItemViews(db, principal, rows, now);
  const items = views.filter((v) => !query.state || query.state === 'all' || v.state === query.state);
  return query.limit ? items.slice(0, query.limit) : items;
}

/**
 * Stock ageing: the cars still in stock by days in stock (0–30, 31–60, 61–90, 91+), with what they
 * cost, their asking price now after ageing, and the holding cost they have run up.
 */
export async function stockAgeing(
  db: Db,
  principal: Principal,
  options: ServiceOptions & { asOf?: string } = {},
) {
  requirePermission(principal, 'remarketing:read');
  const tables = options.tables ?? defaultPriceTables();
  const now = options.asOf ? timeOr(options.asOf, systemClock, 'asOf') : (options.clock ?? systemClock)();
  const rows = await repo.listStock(db.kysely, { open: true, limit: 10_000 });
  const prices = await repo.latestPrices(
    db.kysely,
    rows.map((r) => r.id),
  );
  const bands = ageingBands.map((b) => ({
    band: b.band,
    count: 0,
    byCurrency: {} as Record<string, { acquisitionCost: number; asking: number; holdingCost: number }>,
  }));
  const cars = [];
  for (const row of rows.filter((r) => r.status !== 'dismantle')) {
    const days = daysBetween(row.stocked_at, now);
    const band = bands.find((b) => b.band === bandOf(days))!;
    band.count += 1;
    const price = prices.get(row.id);
    const currency = price?.currency ?? row.currency;
    let askingMinor: number | null = null;
    let holdingMinor: number | null = null;
    if (currency) {
      const m = moneyFor(tables, currency);
      if (price) askingMinor = agedPrice(price.retail_minor, days, JSON.parse(price.ageing) as AgeingRule);
      const capital = row.acquisition_cost_minor ?? price?.wholesale_minor ?? 0;
      holdingMinor = holdingPerDay(capital, tables, m) * days;
      band.byCurrency[currency] ??= { acquisitionCost: 0, asking: 0, holdingCost: 0 };
      const totals = band.byCurrency[currency];
      if (row.acquisition_cost_minor !== null && row.currency === currency)
        totals.acquisitionCost += row.acquisition_cost_minor;
      if (askingMinor !== null) totals.asking += askingMinor;
      totals.holdingCost += holdingMinor;
    }
    cars.push({
      vin: row.vin,
      stockId: row.id,
      status: row.status,
      stockedAt: row.stocked_at,
      daysInStock: days,
      band: bandOf(days),
      currency,
      acquisitionCost: major(row.acquisition_cost_minor, row.currency),
      retail: price ? toMajorUnits(price.retail_minor, price.currency) : null,
      askingNow: askingMinor !== null && currency ? toMajorUnits(askingMinor, currency) : null,
      markdown:
        price && askingMinor !== null ? toMajorUnits(price.retail_minor - askingMinor, price.currency) : null,
      holdingCostSoFar: holdingMinor !== null && currency ? toMajorUnits(holdingMinor, currency) : null,
    });
  }
  cars.sort((a, b) => b.daysInStock - a.daysInStock);
  return {
    asOf: now,
    total: cars.length,
    averageDaysInStock: cars.length
      ? Math.round((cars.reduce((s, c) => s + c.daysInStock, 0) / cars.length) * 10) / 10
      : 0,
    bands: bands.map((b) => ({
      band: b.band,
      count: b.count,
      totals: Object.entries(b.byCurrency).map(([currency, t]) => ({
        currency,
        acquisitionCost: toMajorUnits(t.acquisitionCost, currency),
        asking: toMajorUnits(t.asking, currency),
        holdingCost: toMajorUnits(t.holdingCost, currency),
      })),
    })),
    cars,
  };
}
