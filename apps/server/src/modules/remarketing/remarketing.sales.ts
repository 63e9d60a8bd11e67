/**
 * Pricing with price ageing, listings, reservations and sales (a ledger event with the realised price
 * that is also kept as a valuation training row).
 */
import type { Db } from '../../db/database.ts';
import { systemClock } from '../../shared/clock.ts';
import { conflict, invalid } from '../../shared/errors.ts';
import { newBytes } from '../../shared/ids.ts';
import { toMajorUnits } from '../../shared/money.ts';
import { appendEvents, type EventInput, type Submitter } from '../ledger/index.ts';
import { type Principal, requirePermission } from '../parties/index.ts';
import { defaultPriceTables, legalGates, type PriceTables } from './remarketing.config.ts';
import { conditionOf, dispositionFacts, moneyFor, odometerOf, stayCurrency } from './remarketing.facts.ts';
import {
  type AgeingRule,
  agedPrice,
  ageingFactor,
  daysBetween,
  evaluateGates,
  holdingPerDay,
  type Route,
  retailNow,
} from './remarketing.model.ts';
import * as repo from './remarketing.repository.ts';
import {
  delistInput,
  listInput,
  priceInput,
  releaseInput,
  reserveInput,
  sellInput,
} from './remarketing.schemas.ts';
import {
  activeReservation,
  event,
  major,
  money,
  newId,
  parseInput,
  requireCurrency,
  requireOpenStay,
  type ServiceOptions,
  stayContext,
  timeOr,
} from './remarketing.service.ts';
import { getStockItem } from './remarketing.stock.ts';
import { conditionTables, fuelOf, valueRetail } from './remarketing.valuation.ts';

// ---------------------------------------------------------------- pricing

function ageingRuleOf(
  tables: PriceTables,
  override: {
    graceDays?: number | undefined;
    ratePer30Days?: number | undefined;
    floorRatio?: number | undefined;
  },
): AgeingRule {
  const base = tables.pricing.ageing;
  return {
    graceDays: override.graceDays ?? base.graceDays,
    ratePer30Days: override.ratePer30Days ?? base.ratePer30Days,
    floorRatio: override.floorRatio ?? base.floorRatio,
  };
}

/**
 * Price a stock car now: the retail value from the valuation engine (with its latest inspection and
 * battery check), reconditioning already done, the trade (wholesale) price, and the asking price
 * aged by its days in stock with the (configurable) decay.
 */
export async function priceVehicle(
  db: Db,
  principal: Principal,
  vin: string,
  raw: unknown,
  options: ServiceOptions = {},
) {
  requirePermission(principal, 'remarketing:operate');
  const input = parseInput(priceInput, raw, 'pricing request');
  const clock = options.clock ?? systemClock;
  const tables = options.tables ?? defaultPriceTables();
  const at = timeOr(input.asOf, clock, 'asOf');
  const stay = await requireOpenStay(db.kysely, vin, 'price it');
  const ctx = await stayContext(db, principal, stay);
  const currency = stayCurrency(ctx);
  if (!currency)
    throw invalid('no_currency', `${vin} has no currency yet: appraise it first`, [
      { field: 'currency', message: 'unknown' },
    ]);
  const v = await valueRetail(db, principal, ctx, currency, at, undefined);
  const facts = await dispositionFacts(
    db,
    principal,
    { ...ctx, price: undefined },
    tables,
    at,
    { label: 'none', items: [] },
    { light: true },
  );
  const now = retailNow({ ...facts, retailMinor: v.retailMinor }, tables, conditionTables());
  const rule = ageingRuleOf(tables, input);
  const days = daysBetween(stay.stocked_at, at);
  const asking = agedPrice(now, days, rule);
  const wholesale = Math.round(now * tables.pricing.wholesale.ratioOfRetail);
  const m = moneyFor(tables, currency);
  const perDay = holdingPerDay(stay.acquisition_cost_minor ?? wholesale, tables, m);
  await db.kysely.transaction().execute((trx) =>
    repo.insertPrice(trx, {
      id: newId('prc', at),
      stock_id: stay.id,
      vin,
      priced_at: at,
      retail_minor: now,
      wholesale_minor: wholesale,
      asking_minor: asking,
      currency,
      days_in_stock: days,
      condition_score: facts.current?.score ?? null,
      condition_grade: facts.current?.grade ?? null,
      ageing: JSON.stringify(rule),
      valuation_id: v.valuationId,
      source: v.source,
    }),
  );
  const schedule = [0, 30, 60, 90, 120].map((d) => ({
    day: d,
    asking: toMajorUnits(agedPrice(now, d, rule), currency),
    factor: Math.round(ageingFactor(d, rule) * 10_000) / 10_000,
  }));
  return {
    vin,
    currency,
    pricedAt: at,
    retail: toMajorUnits(now, currency),
    retailInterval: { p10: toMajorUnits(v.p10Minor, currency), p90: toMajorUnits(v.p90Minor, currency) },
    wholesale: toMajorUnits(wholesale, currency),
    daysInStock: days,
    ageingFactor: Math.round(ageingFactor(days, rule) * 10_000) / 10_000,
    asking: toMajorUnits(asking, currency),
    ageing: rule,
    schedule,
    holdingCostPerDay: toMajorUnits(perDay, currency),
    valuationId: v.valuationId,
    source: v.source,
    explanation: `Retail ${m.text(now)} (${v.source}${now !== v.retailMinor ? ', with completed reconditioning' : ''}); trade ${m.text(wholesale)} (× ${tables.pricing.wholesale.ratioOfRetail}); after ${days} day(s) in stock the asking price is ${m.text(asking)} (no markdown for ${rule.graceDays} days, then −${(rule.ratePer30Days * 100).toFixed(1)} % per 30 days, floor ${(rule.floorRatio * 100).toFixed(0)} %).`,
  };
}

// ---------------------------------------------------------------- legal gates at sale time

async function gatesFor(db: Db, principal: Principal, stay: repo.StockRow, at: string, tables: PriceTables) {
  const ctx = await stayContext(db, principal, stay);
  const facts = await dispositionFacts(
    db,
    principal,
    ctx,
    tables,
    at,
    { label: 'none', items: [] },
    { light: true },
  );
  return { ctx, facts, gates: evaluateGates(facts, legalGates(), 0) };
}

function refuseIfBlocked(
  gates: ReturnType<typeof evaluateGates>,
  route: Route,
  field: string,
  vin: string,
): void {
  const blocking = gates.filter((g) => g.blocks.includes(route));
  if (blocking.length > 0)
    throw conflict(
      'blocked_by_legal_gate',
      `${vin} may not be sold ${route === 'retail' ? 'at retail' : 'to the trade'}: ${blocking.map((g) => g.message).join('; ')}`,
      blocking.map((g) => ({ field, message: `${g.gate}: ${g.message}` })),
    );
}

// ---------------------------------------------------------------- listing

export async function listVehicle(
  db: Db,
  submitter: Submitter,
  vin: string,
  raw: unknown,
  options: ServiceOptions = {},
) {
  const principal = submitter.principal;
  requirePermission(principal, 'remarketing:operate');
  const input = parseInput(listInput, raw, 'listing');
  const clock = options.clock ?? systemClock;
  const tables = options.tables ?? defaultPriceTables();
  const at = timeOr(input.listedAt, clock, 'listedAt');
  const stay = await requireOpenStay(db.kysely, vin, 'list it');
  const { ctx, facts, gates } = await gatesFor(db, principal, stay, at, tables);
  if (ctx.orders.some((o) => o.status === 'open'))
    throw conflict(
      'in_reconditioning',
      `${vin} has an open work order: complete or cancel it before listing`,
      [{ field: 'vin', message: 'reconditioning in progress' }],
    );
  refuseIfBlocked(gates, input.channel === 'auction' ? 'wholesale' : 'retail', 'channel', vin);
  const currency = facts.currency;
  if (input.currency !== undefined) {
    requireCurrency(input.currency, 'currency');
    if (input.currency !== currency)
      throw invalid('currency_mismatch', `${vin} is priced in ${currency}`, [
        { field: 'currency', message: `must be ${currency}` },
      ]);
  }
  let priceMinor: number;
  if (input.price !== undefined) priceMinor = money(input.price, currency, 'price');
  else {
    if (!ctx.price)
      throw conflict(
        'not_priced',
        `${vin} has no price yet: price it (carloop remarketing price) or give the price`,
        [{ field: 'price', message: 'required until the car is priced' }],
      );
    priceMinor = agedPrice(
      ctx.price.retail_minor,
      daysBetween(stay.stocked_at, at),
      JSON.parse(ctx.price.ageing) as AgeingRule,
    );
  }
  if (priceMinor <= 0)
    throw invalid('invalid_money', 'the listing price must be above zero', [
      { field: 'price', message: 'must be > 0' },
    ]);
  const open = (await repo.openListings(db.kysely, [stay.id])).get(stay.id);
  const events: EventInput[] = [];
  if (open) events.push(event('vehicle.delisted', vin, at, { delistedAt: at, reason: 'price_review' }));
  const listingId = newId('lst', at);
  events.push(
    event('vehicle.listed', vin, at, {
      listedAt: at,
      price: { amountMinor: priceMinor, currency },
      channel: input.channel,
      listingId,
    }),
  );
  await appendEvents(db, submitter, events, {
    clock,
    project: async (trx, { eventIds }) => {
      if (open) await repo.closeListing(trx, open.id, at, 'price_review', eventIds[0]!);
      await repo.insertListing(trx, {
        id: listingId,
        stock_id: stay.id,
        vin,
        channel: input.channel,
        price_minor: priceMinor,
        currency,
        listed_at: at,
        listed_event_id: eventIds.at(-1)!,
        delisted_at: null,
        delist_reason: null,
        delisted_event_id: null,
      });
      await repo.updateStock(trx, stay.id, { status: 'listed', updated_at: at });
    },
  });
  return getStockItem(db, principal, vin, options);
}

export async function delistVehicle(
  db: Db,
  submitter: Submitter,
  vin: string,
  raw: unknown,
  options: ServiceOptions = {},
) {
  requirePermission(submitter.principal, 'remarketing:operate');
  const input = parseInput(delistInput, raw, 'delisting');
  const clock = options.clock ?? systemClock;
  const at = timeOr(input.delistedAt, clock, 'delistedAt');
  const stay = await requireOpenStay(db.kysely, vin, 'delist it');
  const open = (await repo.openListings(db.kysely, [stay.id])).get(stay.id);
  if (stay.status !== 'listed' || !open)
    throw conflict('not_listed', `${vin} is not listed`, [{ field: 'vin', message: `state ${stay.status}` }]);
  await appendEvents(
    db,
    submitter,
    [event('vehicle.delisted', vin, at, { delistedAt: at, reason: input.reason })],
    {
      clock,
      project: async (trx, { eventIds }) => {
        await repo.closeListing(trx, open.id, at, input.reason, eventIds[0]!);
        await repo.updateStock(trx, stay.id, { status: 'in_stock', updated_at: at });
      },
    },
  );
  return getStockItem(db, submitter.principal, vin, options);
}

// ---------------------------------------------------------------- reservations

export async function reserveVehicle(
  db: Db,
  submitter: Submitter,
  vin: string,
  raw: unknown,
  options: ServiceOptions = {},
) {
  requirePermission(submitter.principal, 'remarketing:operate');
  const input = parseInput(reserveInput, raw, 'reservation');
  const clock = options.clock ?? systemClock;
  const at = timeOr(input.reservedAt, clock, 'reservedAt');
  if (input.until !== undefined && input.days !== undefined)
    throw invalid('invalid_reservation', 'give until or days, not both', [
      { field: 'days', message: 'not with until' },
    ]);
  const until =
    input.until !== undefined
      ? timeOr(input.until, clock, 'until')
      : new Date(Date.parse(at) + (input.days ?? 7) * 86_400_000).toISOString();
  if (until <= at)
    throw invalid('invalid_reservation', 'until must be after the reservation time', [
      { field: 'until', message: `must be after ${at}` },
    ]);
  const stay = await requireOpenStay(db.kysely, vin, 'reserve it');
  const currency = stay.currency;
  let depositMinor: number | null = null;
  if (input.deposit !== undefined) {
    const cur = requireCurrency(input.currency ?? currency ?? '', 'currency');
    depositMinor = money(input.deposit, cur, 'deposit');
  }
  const existing = (await repo.unreleasedReservations(db.kysely, [stay.id])).get(stay.id);
  const active = activeReservation(existing, at);
  if (active)
    throw conflict(
      'already_reserved',
      `${vin} is reserved for ${active.holder_party_id} until ${active.until}`,
      [{ field: 'vin', message: `reservation ${active.id}` }],
    );
  const events: EventInput[] = [];
  if (existing)
    events.push(
      event('vehicle.reservation_released', vin, at, {
        releasedAt: at,
        reservationId: existing.id,
        reason: 'expired',
      }),
    );
  const id = newId('rsv', at);
  events.push(
    event('vehicle.reserved', vin, at, {
      reservedAt: at,
      reservationId: id,
      holderPartyId: input.holderPartyId,
      until,
      ...(depositMinor !== null
        ? { deposit: { amountMinor: depositMinor, currency: input.currency ?? currency } }
        : {}),
    }),
  );
  await appendEvents(db, submitter, events, {
    clock,
    project: async (trx, { eventIds }) => {
      if (existing) await repo.releaseReservation(trx, existing.id, at, 'expired', eventIds[0]!);
      await repo.insertReservation(trx, {
        id,
        stock_id: stay.id,
        vin,
        holder_party_id: input.holderPartyId,
        reserved_at: at,
        until,
        deposit_minor: depositMinor,
        currency: depositMinor !== null ? (input.currency ?? currency) : null,
        event_id: eventIds.at(-1)!,
        released_at: null,
        release_reason: null,
        release_event_id: null,
      });
    },
  });
  return getStockItem(db, submitter.principal, vin, { ...options, clock: () => at });
}

export async function releaseReservation(
  db: Db,
  submitter: Submitter,
  vin: string,
  raw: unknown,
  options: ServiceOptions = {},
) {
  requirePermission(submitter.principal, 'remarketing:operate');
  const input = parseInput(releaseInput, raw, 'release');
  const clock = options.clock ?? systemClock;
  const at = timeOr(input.releasedAt, clock, 'releasedAt');
  const stay = await requireOpenStay(db.kysely, vin, 'release a reservation');
  const existing = (await repo.unreleasedReservations(db.kysely, [stay.id])).get(stay.id);
  if (!existing)
    throw conflict('not_reserved', `${vin} is not reserved`, [
      { field: 'vin', message: 'no reservation to release' },
    ]);
  const reason = activeReservation(existing, at) ? input.reason : 'expired';
  await appendEvents(
    db,
    submitter,
    [event('vehicle.reservation_released', vin, at, { releasedAt: at, reservationId: existing.id, reason })],
    {
      clock,
      project: async (trx, { eventIds }) =>
        repo.releaseReservation(trx, existing.id, at, reason, eventIds[0]!),
    },
  );
  return getStockItem(db, submitter.principal, vin, options);
}

// ---------------------------------------------------------------- sale

/**
 * Sell a stock car at retail (`vehicle.resold`) or to the trade (`vehicle.wholesaled`) with the
 * realised price. Refused — with nothing written — for a car that is reserved for someone else,
 * already sold, sent to dismantling or not in stock, for an unknown currency or one other than the
 * car's, and when a legal gate blocks the channel. The sale is also stored in the valuation
 * engine's transaction interchange columns (training data).
 */
export async function sellVehicle(
  db: Db,
  submitter: Submitter,
  vin: string,
  raw: unknown,
  options: ServiceOptions = {},
) {
  const principal = submitter.principal;
  requirePermission(principal, 'remarketing:operate');
  const input = parseInput(sellInput, raw, 'sale');
  const clock = options.clock ?? systemClock;
  const tables = options.tables ?? defaultPriceTables();
  const currencyGiven = requireCurrency(input.currency, 'currency');
  const priceMinor = money(input.price, currencyGiven, 'price');
  if (priceMinor === 0)
    throw invalid('invalid_money', 'the sale price must be above zero', [
      { field: 'price', message: 'must be > 0' },
    ]);
  if (input.tradeChannel && input.channel !== 'wholesale')
    throw invalid('invalid_sale', 'tradeChannel is for wholesale sales', [
      { field: 'tradeChannel', message: 'only with channel wholesale' },
    ]);
  const at = timeOr(input.soldAt, clock, 'soldAt');
  const stay = await requireOpenStay(db.kysely, vin, 'sell it');
  const unreleased = (await repo.unreleasedReservations(db.kysely, [stay.id])).get(stay.id);
  const active = activeReservation(unreleased, at);
  if (active && input.reservationId !== active.id)
    throw conflict(
      'reserved',
      `${vin} is reserved for ${active.holder_party_id} until ${active.until} (reservation ${active.id}): release it, or sell to the holder under reservation ${active.id}`,
      [{ field: 'vin', message: `reserved until ${active.until}` }],
    );
  if (input.reservationId !== undefined && !active)
    throw conflict('no_such_reservation', `${vin} has no active reservation ${input.reservationId}`, [
      { field: 'reservationId', message: 'not active' },
    ]);
  if (input.buyerPartyId && active && input.buyerPartyId !== active.holder_party_id)
    throw conflict(
      'reserved',
      `reservation ${active.id} is held by ${active.holder_party_id}, not ${input.buyerPartyId}`,
      [{ field: 'buyerPartyId', message: `must be ${active.holder_party_id}` }],
    );
  const { ctx, facts, gates } = await gatesFor(db, principal, stay, at, tables);
  if (currencyGiven !== facts.currency)
    throw invalid(
      'currency_mismatch',
      `${vin} is priced in ${facts.currency}; a sale in ${currencyGiven} would need an exchange rate Carloop does not keep`,
      [{ field: 'currency', message: `must be ${facts.currency}` }],
    );
  refuseIfBlocked(gates, input.channel, 'channel', vin);
  const buyer =
    input.buyerPartyId ?? active?.holder_party_id ?? `customer:${Buffer.from(newBytes(6)).toString('hex')}`;
  const price = { amountMinor: priceMinor, currency: currencyGiven };
  const events: EventInput[] = [];
  if (unreleased && !active)
    events.push(
      event('vehicle.reservation_released', vin, at, {
        releasedAt: at,
        reservationId: unreleased.id,
        reason: 'expired',
      }),
    );
  events.push(
    input.channel === 'retail'
      ? event('vehicle.resold', vin, at, {
          soldAt: at,
          sellerPartyId: stay.dealer_party_id,
          buyerPartyId: buyer,
          price,
        })
      : event('vehicle.wholesaled', vin, at, {
          soldAt: at,
          buyerPartyId: buyer,
          price,
          channel: input.tradeChannel ?? 'trade_buyer',
        }),
  );
  const listing = (await repo.openListings(db.kysely, [stay.id])).get(stay.id);
  const { current } = conditionOf(ctx.appraisal, ctx.orders);
  const batterySoh = ctx.appraisal?.battery
    ? (JSON.parse(ctx.appraisal.battery) as { sohPercent: number }).sohPercent
    : ctx.history.batteryHealth.at(-1)?.sohPercent;
  const saleId = newId('sale', at);
  const year = ctx.vehicle.modelYear ?? ctx.history.production?.modelYear ?? null;
  const km = odometerOf(ctx);
  await appendEvents(db, submitter, events, {
    clock,
    project: async (trx, { eventIds }) => {
      const saleEvent = eventIds.at(-1)!;
      if (unreleased && !active)
        await repo.releaseReservation(trx, unreleased.id, at, 'expired', eventIds[0]!);
      if (active) await repo.releaseReservation(trx, active.id, at, 'sold', saleEvent);
      if (listing) await repo.closeListing(trx, listing.id, at, 'sold', saleEvent);
      await repo.insertSale(trx, {
        id: saleId,
        stock_id: stay.id,
        vin,
        channel: input.channel,
        trade_channel: input.channel === 'wholesale' ? (input.tradeChannel ?? 'trade_buyer') : null,
        price_minor: priceMinor,
        currency: currencyGiven,
        sold_at: at,
        buyer_party_id: buyer,
        reservation_id: active?.id ?? null,
        event_id: saleEvent,
        make: ctx.vehicle.make,
        model: ctx.vehicle.model,
        year,
        mileage_km: km > 0 ? km : null,
        fuel: fuelOf(ctx.vehicle.powertrain),
        trim: ctx.vehicle.trim,
        condition_score: current?.score ?? null,
        accident:
          ctx.appraisal || ctx.history.accidents.length > 0 ? (facts.conditions.accident ? 1 : 0) : null,
        soh: batterySoh !== undefined ? Math.min(1, batterySoh / 100) : null,
        country: ctx.history.registration?.region ? ctx.history.registration.region.slice(0, 2) : null,
        new_price_minor: ctx.vehicle.currency === currencyGiven ? ctx.vehicle.newPriceMinor : null,
      });
      await repo.updateStock(trx, stay.id, {
        status: input.channel === 'retail' ? 'sold' : 'wholesaled',
        closed_at: at,
        updated_at: at,
      });
    },
  });
  const m = moneyFor(tables, currencyGiven);
  const margin =
    stay.acquisition_cost_minor !== null && stay.currency === currencyGiven
      ? priceMinor - stay.acquisition_cost_minor
      : null;
  return {
    saleId,
    vin,
    channel: input.channel,
    price: toMajorUnits(priceMinor, currencyGiven),
    currency: currencyGiven,
    soldAt: at,
    buyerPartyId: buyer,
    daysInStock: daysBetween(stay.stocked_at, at),
    grossMargin: margin === null ? null : toMajorUnits(margin, currencyGiven),
    event: input.channel === 'retail' ? 'vehicle.resold' : 'vehicle.wholesaled',
    trainingRow: {
      make: ctx.vehicle.make,
      model: ctx.vehicle.model,
      year,
      mileage_km: km > 0 ? km : null,
      price: toMajorUnits(priceMinor, currencyGiven),
      currency: currencyGiven,
      sold_at: at.slice(0, 10),
    },
    explanation: `Sold ${input.channel === 'retail' ? 'at retail' : 'to the trade'} for ${m.text(priceMinor)} after ${daysBetween(stay.stocked_at, at)} day(s) in stock${margin !== null ? `; ${margin >= 0 ? 'gross margin' : 'loss'} ${m.text(Math.abs(margin))} over the acquisition cost` : ''}.`,
  };
}

/** The versioned price tables and legal gates in force. */
export function priceTables(principal: Principal, options: ServiceOptions = {}) {
  requirePermission(principal, 'remarketing:read');
  return { prices: options.tables ?? defaultPriceTables(), gates: legalGates() };
}

// ---------------------------------------------------------------- realised sales as training data

export const salesColumns = [
  'make',
  'model',
  'year',
  'mileage_km',
  'fuel',
  'transmission',
  'engine_l',
  'power_kw',
  'price',
  'currency',
  'sold_at',
  'trim',
  'condition_score',
  'accident',
  'soh',
  'country',
  'new_price',
  'vin',
  'channel',
] as const;

/**
 * Realised sales in the valuation engine's transaction interchange format, ready for
 * `carloop valuation fit --transactions`. Rows without a model year or odometer are left out and
 * reported (the format requires both); by default only retail (B2C) sales, the engine's price basis.
 */
export async function realisedSales(
  db: Db,
  principal: Principal,
  query: {
    from?: string | undefined;
    to?: string | undefined;
    channel?: 'retail' | 'wholesale' | 'all' | undefined;
    currency?: string | undefined;
  } = {},
) {
  requirePermission(principal, 'remarketing:read');
  const channel = query.channel ?? 'retail';
  const rows = await repo.listSales(db.kysely, {
    ...(query.from ? { from: query.from } : {}),
    ...(query.to ? { to: query.to } : {}),
    ...(channel !== 'all' ? { channel } : {}),
    ...(query.currency ? { currency: query.currency } : {}),
  });
  const transactions: Array<Record<(typeof salesColumns)[number], string | number | boolean | null>> = [];
  const skipped: Array<{ vin: string; saleId: string; reason: string }> = [];
  for (const r of rows) {
    if (r.year === null || r.mileage_km === null) {
      skipped.push({
        vin: r.vin,
        saleId: r.id,
        reason: r.year === null ? 'model year unknown' : 'odometer unknown',
      });
      continue;
    }
    transactions.push({
      make: r.make,
      model: r.model,
      year: r.year,
      mileage_km: Math.round(r.mileage_km),
      fuel: r.fuel,
      transmission: null,
      engine_l: r.fuel === 'electric' ? 0 : null,
      power_kw: null,
      price: toMajorUnits(r.price_minor, r.currency),
      currency: r.currency,
      sold_at: r.sold_at.slice(0, 10),
      trim: r.trim,
      condition_score: r.condition_score,
      accident: r.accident === null ? null : r.accident === 1,
      soh: r.soh,
      country: r.country,
      new_price: major(r.new_price_minor, r.currency),
      vin: r.vin,
      channel: r.channel,
    });
  }
  return { columns: salesColumns, transactions, skipped };
}

/** The interchange CSV text of `realisedSales`. */
export function salesCsv(
  transactions: ReadonlyArray<Record<string, string | number | boolean | null>>,
): string {
  const cell = (v: string | number | boolean | null) => {
    if (v === null || v === undefined) return '';
    const text = String(v);
    return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return `${[salesColumns.join(','), ...transactions.map((t) => salesColumns.map((c) => cell(t[c] ?? null)).join(','))].join('\n')}\n`;
}
