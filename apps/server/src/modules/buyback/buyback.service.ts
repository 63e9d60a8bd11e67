/**
 * Guaranteed-buyback use cases: quote a guarantee at sale, issue the contract (a ledger event on the
 * vehicle), and the contract's life — decline, cancel, expire. Settlement is in buyback.settlement.ts,
 * the book's risk in buyback.portfolio.ts.
 */
import { checkVin } from '@carloop/codes';
import type { z } from 'zod';
import type { Db } from '../../db/database.ts';
import type { Executor } from '../../db/transaction.ts';
import { inOneTransaction } from '../../db/transaction.ts';
import { type Clock, normaliseUtc, systemClock } from '../../shared/clock.ts';
import {
  conflict,
  DomainError,
  type FieldError,
  fieldErrorsFromZod,
  invalid,
  notFound,
} from '../../shared/errors.ts';
import { newBytes, newId } from '../../shared/ids.ts';
import { currencyExponent, isCurrencyCode, toMajorUnits, toMinorUnits } from '../../shared/money.ts';
import { type AssetRegistrationHooks, assetsById, getAsset, registerAsset } from '../assets/index.ts';
import { appendEvents, type EventInput, type Submitter } from '../ledger/index.ts';
import { type Principal, requirePermission } from '../parties/index.ts';
import { type Product, parseProduct, productById, returnConditionsByRef } from './buyback.config.ts';
import type { TrailStep, ValuationPort, ValueForecast } from './buyback.forecast.ts';
import {
  addDays,
  addMonths,
  allowanceKm,
  distanceBand,
  distributionOf,
  guaranteeCost,
  guaranteedFutureValue,
  ownershipCost,
  powertrainOfFuel,
  type Quantiles,
  sampleValues,
  Z90,
} from './buyback.model.ts';
import * as repo from './buyback.repository.ts';
import {
  type ContractRequest,
  cancelRequest,
  contractRequest,
  declineRequest,
  expireRequest,
  type QuoteRequest,
  quoteRequest,
} from './buyback.schemas.ts';
import { valuationEngine } from './buyback.valuation.ts';
import {
  applyContractAction,
  type ContractState,
  contractStateAt,
  type StoredStatus,
} from './contract.machine.ts';
import { type ExcessTier, rateMicroOf, ratePerKmOf } from './settlement.model.ts';

export interface BuybackOptions {
  clock?: Clock;
  /** The valuation engine; tests may pass a fixed one. */
  valuation?: ValuationPort;
}

// ---------------------------------------------------------------- small helpers

/** Parse with a zod schema; a failure is an `invalid` naming every field. */
export function parseInput<S extends z.ZodType>(
  schema: S,
  raw: unknown,
  code: string,
  prefix = '',
): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const errors = fieldErrorsFromZod(parsed.error.issues, prefix);
    throw invalid(code, errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
  }
  return parsed.data;
}

const crockford = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** An upper-case id: prefix, date and 10 random Crockford base-32 characters (50 bits). */
export function newBuybackId(prefix: string, at: string): string {
  const bytes = newBytes(10);
  let tail = '';
  for (const b of bytes) tail += crockford[b & 31];
  return `${prefix}-${at.slice(0, 10).replaceAll('-', '')}-${tail}`;
}

export function timeOf(value: string | undefined, field: string, clock: Clock): string {
  if (value === undefined) return clock();
  const normal = normaliseUtc(value);
  if (!normal)
    throw invalid('invalid_time', `${field} is not an ISO 8601 UTC time`, [
      { field, message: 'expected e.g. 2026-01-31T08:00:00Z' },
    ]);
  return normal;
}

export const major = (minor: number, currency: string) => toMajorUnits(minor, currency);
const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

/** Engine quantiles (major units) → minor units; refuses a forecast in another currency. */
export function quantilesOf(forecast: ValueForecast, currency: string, field: string): Quantiles {
  if (forecast.currency !== currency) {
    throw invalid(
      'currency_mismatch',
      `the valuation model values in ${forecast.currency}, not ${currency}`,
      [
        {
          field,
          message: `the active model is in ${forecast.currency}; quote in that currency or fit a ${currency} model`,
        },
      ],
    );
  }
  const scale = 10 ** currencyExponent(currency);
  const q = {
    p10: Math.round(forecast.p10 * scale),
    p50: Math.round(forecast.p50 * scale),
    p90: Math.round(forecast.p90 * scale),
  };
  if (!(q.p10 > 0 && q.p10 <= q.p50 && q.p50 <= q.p90))
    throw invalid('invalid_forecast', `the engine returned an unusable forecast ${q.p10}/${q.p50}/${q.p90}`, [
      { field, message: 'P10 ≤ P50 ≤ P90 and positive expected' },
    ]);
  return q;
}

// ---------------------------------------------------------------- quote

/** What a quote keeps besides its published view: the exact terms a contract copies. */
export interface QuoteTerms {
  product: { id: string; version: string; name: { en: string; zh?: string } };
  excessTiers: ExcessTier[];
  exerciseWindow: { opensDaysBeforeTermEnd: number; closesDaysAfterTermEnd: number };
  returnConditions: string;
  vehicle: {
    make: string;
    model: string;
    trim?: string;
    year: number;
    fuel: string;
    powertrain: string;
    transmission?: string;
    engineL?: number;
    sohAtSale?: number;
  };
  kmPerYear: number;
  distanceBandKmPerYear: number;
  forecastMinor: Quantiles;
}

export type QuoteView = ReturnType<typeof quoteViewOf>;

function quoteViewOf(row: repo.QuoteRow, contractId: string | null) {
  const body = JSON.parse(row.body) as { view: Record<string, unknown> };
  return { ...(body.view as QuoteBodyView), contractId };
}

type QuoteBodyView = ReturnType<typeof buildQuoteView>;

function buildQuoteView(input: {
  id: string;
  product: Product;
  quotedAt: string;
  validUntil: string;
  request: QuoteRequest;
  powertrain: string;
  newPriceMinor: number;
  band: number;
  allowance: number;
  termEndAt: string;
  forecast: ValueForecast;
  q: Quantiles;
  gfvMinor: number;
  cost: ReturnType<typeof guaranteeCost>;
  ownership: ReturnType<typeof ownershipCost>;
  tiers: ExcessTier[];
  trail: TrailStep[];
}) {
  const c = input.request.currency;
  const m = (minor: number) => major(Math.round(minor), c);
  const r = input.request;
  return {
    quoteId: input.id,
    productId: input.product.id,
    productVersion: input.product.version,
    quotedAt: input.quotedAt,
    validUntil: input.validUntil,
    currency: c,
    vehicle: {
      make: r.make,
      model: r.model,
      ...(r.trim ? { trim: r.trim } : {}),
      year: r.year,
      fuel: r.fuel,
      powertrain: input.powertrain,
      ...(r.transmission ? { transmission: r.transmission } : {}),
      ...(r.engineL !== undefined ? { engineL: r.engineL } : {}),
      ...(r.soh !== undefined ? { soh: r.soh } : {}),
    },
    newPrice: m(input.newPriceMinor),
    termMonths: r.termMonths,
    kmPerYear: r.kmPerYear,
    distanceBandKmPerYear: input.band,
    allowanceKm: input.allowance,
    termEndAt: input.termEndAt,
    forecast: {
      p10: m(input.q.p10),
      p50: m(input.q.p50),
      p90: m(input.q.p90),
      atDate: input.termEndAt,
      odometerKm: input.allowance,
      modelVersion: input.forecast.modelVersion,
    },
    gfv: m(input.gfvMinor),
    gfvPercent: round4(input.gfvMinor / input.newPriceMinor),
    gfvQuantile: input.product.gfvQuantile,
    expectedCost: m(input.cost.expectedShortfall),
    probabilityOfLoss: round4(input.cost.probabilityOfLoss),
    guaranteeFee: m(input.ownership.guaranteeFeeMinor),
    ownership: {
      withoutGuarantee: {
        monthly: m(input.ownership.withoutGuarantee.monthlyMinor),
        monthlyAtP10: m(input.ownership.withoutGuarantee.monthlyAtP10Minor),
      },
      withGuarantee: {
        monthly: m(input.ownership.withGuarantee.monthlyMinor),
        monthlyWorstCase: m(input.ownership.withGuarantee.monthlyWorstCaseMinor),
      },
    },
    excessRates: input.tiers.map((t) => ({ fromKm: t.fromKm, ratePerKm: ratePerKmOf(t.rateMicro) })),
    exerciseWindow: { ...input.product.exerciseWindow },
    returnConditions: input.product.returnConditions,
    trail: input.trail,
  };
}

/** SOH at term end: the pack's SOH at sale carried down the expected fade curve (when the engine gives one). */
export function projectedSoh(
  sohAtSale: number,
  years: number,
  km: number,
  port: ValuationPort,
): number | undefined {
  const expected = port.expectedSoh?.(years, km);
  return expected === undefined ? undefined : Math.min(1, Math.round(sohAtSale * expected * 10_000) / 10_000);
}

/**
 * Quote a guarantee for a new vehicle: the engine's forecast of the value at term end (at the
 * contracted distance), the GFV (a quantile of that distribution less a margin), the expected cost
 * of the guarantee by Monte Carlo, and the buyer's monthly cost with and without it.
 */
export async function quoteGuarantee(
  db: Db,
  principal: Principal,
  raw: unknown,
  options: BuybackOptions = {},
) {
  requirePermission(principal, 'buyback:quote');
  const clock = options.clock ?? systemClock;
  const port = options.valuation ?? valuationEngine;
  const request = parseInput(quoteRequest, raw, 'invalid_quote');
  const product = request.productDefinition
    ? parseProduct(request.productDefinition, 'productDefinition')
    : productById(request.product);
  const errors: FieldError[] = [];
  const currency = request.currency;
  if (!isCurrencyCode(currency)) errors.push({ field: 'currency', message: 'an ISO 4217 code, e.g. CNY' });
  let newPriceMinor = 0;
  try {
    newPriceMinor = toMinorUnits(request.newPrice, currency, 'newPrice');
    if (newPriceMinor <= 0) errors.push({ field: 'newPrice', message: 'must be more than 0' });
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    errors.push(...error.errors);
  }
  const powertrain = powertrainOfFuel(request.fuel);
  if (!powertrain)
    errors.push({
      field: 'fuel',
      message:
        'unknown fuel; one of petrol, diesel, hybrid, plug-in hybrid, electric, erev, hydrogen (or ice/hev/phev/bev/fcev)',
    });
  if (request.termMonths < product.termMonths.min || request.termMonths > product.termMonths.max)
    errors.push({
      field: 'termMonths',
      message: `${product.id} offers terms of ${product.termMonths.min}–${product.termMonths.max} months`,
    });
  const band = distanceBand(product.distanceBandsKmPerYear, request.kmPerYear);
  if (band === null)
    errors.push({
      field: 'kmPerYear',
      message: `above the largest band of ${product.id} (${product.distanceBandsKmPerYear.at(-1)} km/year)`,
    });
  const tierText = product.excessTiers[currency];
  if (!tierText)
    errors.push({
      field: 'currency',
      message: `${product.id} has no excess-distance tiers in ${currency} (it has ${Object.keys(product.excessTiers).join(', ')})`,
    });
  if (request.soh !== undefined && powertrain && !['bev', 'phev', 'erev'].includes(powertrain))
    errors.push({ field: 'soh', message: `a ${request.fuel} car has no traction battery to report` });
  if (errors.length > 0)
    throw invalid('invalid_quote', errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);

  const quotedAt = timeOf(request.at, 'at', clock);
  const termEndAt = addMonths(quotedAt, request.termMonths);
  const allowance = allowanceKm(band!, request.termMonths);
  const tiers = tierText!.map((t) => ({ fromKm: t.fromKm, rateMicro: rateMicroOf(t.ratePerKm) }));
  const years = request.termMonths / 12;
  const trail: TrailStep[] = [
    {
      step: 'product',
      detail: `${product.id}@${product.version}: GFV = P${Math.round(product.gfvQuantile * 100)} of the term-end value − ${(product.marginOfNewPrice * 100).toFixed(1)} % of the new price`,
    },
    {
      step: 'term',
      detail: `${request.termMonths} months from ${quotedAt.slice(0, 10)} to ${termEndAt.slice(0, 10)}; ${request.kmPerYear} km/year → band ${band} km/year → allowance ${allowance} km`,
      value: allowance,
    },
  ];
  let sohAtTermEnd: number | undefined;
  if (request.soh !== undefined) {
    sohAtTermEnd = projectedSoh(request.soh, years, allowance, port);
    trail.push({
      step: 'battery',
      detail:
        sohAtTermEnd === undefined
          ? `SOH ${request.soh} at sale; the engine gives no fade curve, so the term-end value assumes the SOH expected for age and distance`
          : `SOH ${request.soh} at sale × expected fade over ${years} years and ${allowance} km → ${sohAtTermEnd} at term end`,
      ...(sohAtTermEnd !== undefined ? { value: sohAtTermEnd } : {}),
    });
  }
  const forecast = await port.forecast(db, {
    make: request.make,
    model: request.model,
    ...(request.trim ? { trim: request.trim } : {}),
    year: request.year,
    fuel: request.fuel,
    ...(request.transmission ? { transmission: request.transmission } : {}),
    ...(request.engineL !== undefined ? { engineL: request.engineL } : {}),
    newPrice: major(newPriceMinor, currency),
    currency,
    atDate: termEndAt,
    odometerKm: allowance,
    ...(sohAtTermEnd !== undefined ? { soh: sohAtTermEnd } : {}),
  });
  const q = quantilesOf(forecast, currency, 'currency');
  for (const s of forecast.trail) trail.push({ ...s, step: `engine: ${s.step}` });
  const d = distributionOf(q);
  trail.push({
    step: 'distribution',
    detail: `two-piece log-normal through P10/P50/P90 = ${major(q.p10, currency)}/${major(q.p50, currency)}/${major(q.p90, currency)} ${currency}: σ below ${d.sigmaLow.toFixed(4)}, above ${d.sigmaHigh.toFixed(4)} (σ = ln(P50/P10)/${Z90.toFixed(4)})`,
  });
  const roundingMajor = product.gfvRoundingMajor[currency] ?? product.gfvRoundingMajor['*'] ?? 1;
  const roundingMinor = Math.max(1, Math.round(roundingMajor * 10 ** currencyExponent(currency)));
  const gfv = guaranteedFutureValue(d, newPriceMinor, {
    quantile: product.gfvQuantile,
    marginOfNewPrice: product.marginOfNewPrice,
    roundingMinor,
  });
  if (gfv.gfvMinor <= 0)
    throw conflict('no_guarantee', 'the forecast leaves nothing to guarantee after the margin', [
      { field: 'newPrice', message: 'the GFV would be 0' },
    ]);
  trail.push({
    step: 'gfv',
    detail: `P${Math.round(product.gfvQuantile * 100)} ${major(gfv.quantileValueMinor, currency)} − margin ${major(gfv.marginMinor, currency)} (${product.marginOfNewPrice * 100} % of ${major(newPriceMinor, currency)}), rounded down to ${roundingMajor} → ${major(gfv.gfvMinor, currency)} ${currency} = ${((100 * gfv.gfvMinor) / newPriceMinor).toFixed(2)} % of the new price`,
    value: major(gfv.gfvMinor, currency),
  });
  const samples = sampleValues(d, product.monteCarlo.samples, product.monteCarlo.seed);
  const cost = guaranteeCost(samples, gfv.gfvMinor);
  trail.push({
    step: 'expected cost',
    detail: `Monte Carlo, ${cost.samples} stratified draws (seed ${product.monteCarlo.seed}): E[max(0, GFV − V)] = ${major(Math.round(cost.expectedShortfall), currency)}, P(V < GFV) = ${(cost.probabilityOfLoss * 100).toFixed(2)} %, E[V] = ${major(Math.round(cost.expectedValue), currency)}`,
    value: major(Math.round(cost.expectedShortfall), currency),
  });
  const ownership = ownershipCost({
    newPriceMinor,
    termMonths: request.termMonths,
    gfvMinor: gfv.gfvMinor,
    p10Minor: q.p10,
    cost,
    feeLoading: product.guaranteeFeeLoading,
  });
  trail.push({
    step: 'ownership',
    detail: `monthly = (price paid − value at term end) / ${request.termMonths}; without: E[V], at P10: P10; with: price + fee ${major(ownership.guaranteeFeeMinor, currency)} (expected cost × ${1 + product.guaranteeFeeLoading}), E[max(V, GFV)], worst case GFV; running costs excluded (the same either way)`,
  });
  const id = newBuybackId('BQ', quotedAt);
  const validUntil = addDays(quotedAt, product.quoteValidityDays);
  const view = buildQuoteView({
    id,
    product,
    quotedAt,
    validUntil,
    request,
    powertrain: powertrain!,
    newPriceMinor,
    band: band!,
    allowance,
    termEndAt,
    forecast,
    q,
    gfvMinor: gfv.gfvMinor,
    cost,
    ownership,
    tiers,
    trail,
  });
  const terms: QuoteTerms = {
    product: { id: product.id, version: product.version, name: product.name },
    excessTiers: tiers,
    exerciseWindow: product.exerciseWindow,
    returnConditions: product.returnConditions,
    vehicle: {
      make: request.make,
      model: request.model,
      ...(request.trim ? { trim: request.trim } : {}),
      year: request.year,
      fuel: request.fuel,
      powertrain: powertrain!,
      ...(request.transmission ? { transmission: request.transmission } : {}),
      ...(request.engineL !== undefined ? { engineL: request.engineL } : {}),
      ...(request.soh !== undefined ? { sohAtSale: request.soh } : {}),
    },
    kmPerYear: request.kmPerYear,
    distanceBandKmPerYear: band!,
    forecastMinor: q,
  };
  await repo.insertQuote(db.kysely, {
    id,
    product_id: product.id,
    product_version: product.version,
    quoted_at: quotedAt,
    valid_until: validUntil,
    quoted_by: principal.partyId,
    make: request.make,
    model: request.model,
    powertrain: powertrain!,
    currency,
    new_price_minor: newPriceMinor,
    term_months: request.termMonths,
    allowance_km: allowance,
    term_end_at: termEndAt,
    p10_minor: q.p10,
    p50_minor: q.p50,
    p90_minor: q.p90,
    gfv_minor: gfv.gfvMinor,
    expected_cost_minor: Math.round(cost.expectedShortfall),
    model_version: forecast.modelVersion,
    body: JSON.stringify({ view, terms }),
  });
  return { ...view, contractId: null as string | null };
}

export async function getQuote(db: Db, principal: Principal, quoteId: string) {
  requirePermission(principal, 'buyback:read');
  const row = await repo.findQuote(db.kysely, quoteId);
  if (!row) throw notFound('quote_not_found', `no buyback quote ${quoteId}`);
  const contract = await repo.findContractOfQuote(db.kysely, quoteId);
  return quoteViewOf(row, contract?.id ?? null);
}

export function quoteTermsOf(row: repo.QuoteRow): QuoteTerms {
  return (JSON.parse(row.body) as { terms: QuoteTerms }).terms;
}

// ---------------------------------------------------------------- contract

/** What a contract keeps fixed from its quote and its sale (JSON in buyback_contracts.terms). */
export interface ContractTerms {
  product: QuoteTerms['product'];
  vehicle: QuoteTerms['vehicle'];
  excessTiers: ExcessTier[];
  returnConditions: string;
  accidentExclusion: string;
  kmPerYear: number;
  distanceBandKmPerYear: number;
  buyerRef: string;
  sellerPartyId: string;
  quoteForecast: Quantiles & { modelVersion: string | null; markedAt: string };
}

export const contractTermsOf = (row: repo.ContractRow): ContractTerms =>
  JSON.parse(row.terms) as ContractTerms;

const same = (a: string | null | undefined, b: string | null | undefined) =>
  (a ?? '').trim().toLowerCase() === (b ?? '').trim().toLowerCase();

/** The make as an opaque reference, when the maker is not a party of the platform (see vehicle.produced `source`). */
const makeRef = (make: string) =>
  `make:${
    make
      .toUpperCase()
      .replace(/[^A-Z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'UNKNOWN'
  }`;

export interface ContractOptions extends BuybackOptions {
  /** How the assets module registers a vehicle here (the composition root's hooks). */
  assetHooks?: AssetRegistrationHooks;
}

/**
 * Issue a contract from a quote at the sale: a `vehicle.sold` event carrying the guarantee, in the
 * same transaction as the contract's rows. A VIN the platform does not know is registered from the
 * quote's spec first, and its creation event says it was recorded at the point of sale.
 */
export function issueContract(db: Db, submitter: Submitter, raw: unknown, options: ContractOptions = {}) {
  // Registration of an unknown asset and its events must land together: one joined transaction.
  return inOneTransaction(db, (scoped) => issueContractWithin(scoped, submitter, raw, options));
}

async function issueContractWithin(
  db: Db,
  submitter: Submitter,
  raw: unknown,
  options: ContractOptions = {},
) {
  const principal = submitter.principal;
  requirePermission(principal, 'buyback:contract');
  const clock = options.clock ?? systemClock;
  const request: ContractRequest = parseInput(contractRequest, raw, 'invalid_contract');
  const now = clock();
  const quote = await repo.findQuote(db.kysely, request.quoteId);
  if (!quote) throw notFound('quote_not_found', `no buyback quote ${request.quoteId}`);
  const qt = quoteTermsOf(quote);
  const soldAt = timeOf(request.soldAt, 'soldAt', () => now);
  if (soldAt > now)
    throw invalid('invalid_time', 'soldAt is in the future', [
      { field: 'soldAt', message: `after now (${now})` },
    ]);
  if (soldAt < quote.quoted_at)
    throw invalid('invalid_time', 'the sale is before the quote was made', [
      { field: 'soldAt', message: `before the quote (${quote.quoted_at})` },
    ]);
  if (soldAt > quote.valid_until)
    throw conflict('quote_expired', `quote ${quote.id} was valid until ${quote.valid_until}; quote again`, [
      { field: 'quoteId', message: `expired on ${quote.valid_until}` },
    ]);
  const taken = await repo.findContractOfQuote(db.kysely, quote.id);
  if (taken)
    throw conflict('quote_taken', `quote ${quote.id} is already taken up by contract ${taken.id}`, [
      { field: 'quoteId', message: `contract ${taken.id}` },
    ]);
  const vin = request.vin;
  const vinReport = checkVin(vin);
  if (!vinReport.valid)
    throw invalid(
      'invalid_vin',
      `${vin} is not a valid VIN`,
      vinReport.errors.map((e) => ({
        field: e.field.startsWith('vin') ? e.field : `vin.${e.field}`,
        message: e.message,
      })),
    );
  const known = (await assetsById(db.kysely, [vin])).get(vin);
  if (known) await checkKnownVehicle(db, principal, known, qt);
  const salePriceMinor =
    request.salePrice === undefined
      ? quote.new_price_minor
      : toMinorUnits(request.salePrice, quote.currency, 'salePrice');
  const contractId = newBuybackId('BB', soldAt);
  const buyerRef = request.buyerRef ?? `customer:${contractId}`;
  const termEndAt = addMonths(soldAt, quote.term_months);
  const window = {
    opensAt: addDays(termEndAt, -qt.exerciseWindow.opensDaysBeforeTermEnd),
    closesAt: addDays(termEndAt, qt.exerciseWindow.closesDaysAfterTermEnd),
  };
  const conditions = returnConditionsByRef(qt.returnConditions);

  if (!known) {
    await registerAsset(
      db,
      principal,
      {
        kind: 'vehicle',
        vin,
        make: qt.vehicle.make,
        model: qt.vehicle.model,
        ...(qt.vehicle.trim ? { trim: qt.vehicle.trim } : {}),
        modelYear: qt.vehicle.year,
        powertrain: qt.vehicle.powertrain,
        newPrice: major(quote.new_price_minor, quote.currency),
        currency: quote.currency,
      },
      { ...(options.assetHooks ? { hooks: options.assetHooks } : {}), clock },
    );
  }
  const state = (await assetsById(db.kysely, [vin])).get(vin)?.state;
  const subject = { kind: 'vehicle' as const, id: vin };
  const money = (amountMinor: number) => ({ amountMinor, currency: quote.currency });
  const events: EventInput[] = [];
  if (state === 'registered') {
    events.push({
      type: 'vehicle.produced',
      subject,
      occurredAt: soldAt,
      payload: {
        manufacturerPartyId: makeRef(qt.vehicle.make),
        producedAt: soldAt,
        model: [qt.vehicle.model, qt.vehicle.trim].filter(Boolean).join(' ').slice(0, 200),
        modelYear: qt.vehicle.year,
        powertrain: qt.vehicle.powertrain,
        msrp: money(quote.new_price_minor),
        source: 'point_of_sale',
      },
    });
  }
  events.push({
    type: 'vehicle.sold',
    subject,
    occurredAt: soldAt,
    payload: {
      soldAt,
      sellerPartyId: principal.partyId,
      buyerPartyId: buyerRef,
      price: money(salePriceMinor),
      guarantee: {
        contractId,
        gfv: money(quote.gfv_minor),
        termMonths: quote.term_months,
        distanceAllowanceKm: quote.allowance_km,
      },
    },
  });
  if (request.odometerKm !== undefined) {
    events.push({
      type: 'vehicle.odometer_read',
      subject,
      occurredAt: soldAt,
      payload: { odometerKm: request.odometerKm, readAt: soldAt, source: 'inspection' },
    });
  }
  const saleIndex = state === 'registered' ? 1 : 0;
  const terms: ContractTerms = {
    product: qt.product,
    vehicle: qt.vehicle,
    excessTiers: qt.excessTiers,
    returnConditions: qt.returnConditions,
    accidentExclusion: conditions.accidentExclusion.description,
    kmPerYear: qt.kmPerYear,
    distanceBandKmPerYear: qt.distanceBandKmPerYear,
    buyerRef,
    sellerPartyId: principal.partyId,
    quoteForecast: { ...qt.forecastMinor, modelVersion: quote.model_version, markedAt: quote.quoted_at },
  };
  await appendEvents(db, submitter, events, {
    clock,
    project: async (trx, { eventIds }) => {
      await repo.insertContract(trx, {
        id: contractId,
        quote_id: quote.id,
        vin,
        status: 'active',
        product_id: quote.product_id,
        product_version: quote.product_version,
        make: qt.vehicle.make,
        model: qt.vehicle.model,
        powertrain: qt.vehicle.powertrain,
        currency: quote.currency,
        gfv_minor: quote.gfv_minor,
        new_price_minor: quote.new_price_minor,
        sale_price_minor: salePriceMinor,
        term_months: quote.term_months,
        allowance_km: quote.allowance_km,
        odometer_at_sale_km: request.odometerKm ?? 0,
        sold_at: soldAt,
        term_end_at: termEndAt,
        window_opens_at: window.opensAt,
        window_closes_at: window.closesAt,
        terms: JSON.stringify(terms),
        sale_event_id: eventIds[saleIndex] ?? null,
        created_at: now,
        updated_at: now,
        closed_at: null,
        close_reason: null,
      });
      await recordTransition(
        trx,
        contractId,
        soldAt,
        null,
        'active',
        eventIds[saleIndex] ?? null,
        'issued at sale',
      );
    },
  });
  return getContract(db, principal, contractId, { clock });
}

/** A known VIN must be the quoted vehicle and must not have been sold yet. */
async function checkKnownVehicle(
  db: Db,
  principal: Principal,
  known: { id: string; kind: string; state: string },
  qt: QuoteTerms,
): Promise<void> {
  if (known.kind !== 'vehicle')
    throw invalid('not_a_vehicle', 'the VIN names an asset that is not a vehicle', [
      { field: 'vin', message: `a ${known.kind}` },
    ]);
  const view = (await getAsset(db, principal, known.id)) as Record<string, unknown>;
  const errors: FieldError[] = [];
  if (!same(view.make as string, qt.vehicle.make))
    errors.push({
      field: 'vin',
      message: `the vehicle is a ${view.make}, the quote is for a ${qt.vehicle.make}`,
    });
  if (!same(view.model as string, qt.vehicle.model))
    errors.push({
      field: 'vin',
      message: `the vehicle is a ${view.model}, the quote is for a ${qt.vehicle.model}`,
    });
  if (view.powertrain !== qt.vehicle.powertrain)
    errors.push({
      field: 'vin',
      message: `the vehicle's powertrain is ${view.powertrain}, the quote's ${qt.vehicle.powertrain}`,
    });
  if (errors.length > 0) throw invalid('vehicle_mismatch', 'the VIN is not the quoted vehicle', errors);
  if (!['registered', 'produced'].includes(known.state))
    throw conflict(
      'vehicle_not_new',
      `the vehicle is in state '${known.state}': a guarantee is issued at the first sale of a new car`,
      [
        {
          field: 'vin',
          message: `state ${known.state}; expected produced (or registered, not yet produced)`,
        },
      ],
    );
}

export async function recordTransition(
  trx: Executor,
  contractId: string,
  at: string,
  from: ContractState | null,
  to: StoredStatus,
  eventId: string | null,
  reason: string | null,
): Promise<void> {
  await repo.insertTransition(trx, {
    id: newId(),
    contract_id: contractId,
    at,
    from_state: from,
    to_state: to,
    event_id: eventId,
    reason,
  });
}

export type ContractView = Awaited<ReturnType<typeof contractViewOf>>;

async function contractViewOf(db: Executor, row: repo.ContractRow, now: string) {
  const t = contractTermsOf(row);
  const c = row.currency;
  const m = (minor: number) => major(minor, c);
  const history = await repo.transitionsOf(db, row.id);
  const settlement = await repo.findSettlement(db, row.id);
  const mark = (await repo.latestMarks(db, [row.id])).get(row.id);
  const forecast = mark
    ? {
        p10: mark.p10_minor,
        p50: mark.p50_minor,
        p90: mark.p90_minor,
        markedAt: mark.marked_at,
        modelVersion: mark.model_version,
        source: 'remark',
      }
    : { ...t.quoteForecast, source: 'quote' };
  return {
    contractId: row.id,
    quoteId: row.quote_id,
    vin: row.vin,
    state: contractStateAt(
      row.status as StoredStatus,
      { opensAt: row.window_opens_at, closesAt: row.window_closes_at },
      now,
    ),
    productId: row.product_id,
    productVersion: row.product_version,
    productName: t.product.name,
    currency: c,
    gfv: m(row.gfv_minor),
    newPrice: m(row.new_price_minor),
    salePrice: m(row.sale_price_minor),
    termMonths: row.term_months,
    kmPerYear: t.kmPerYear,
    distanceBandKmPerYear: t.distanceBandKmPerYear,
    allowanceKm: row.allowance_km,
    odometerAtSaleKm: row.odometer_at_sale_km,
    soldAt: row.sold_at,
    termEndAt: row.term_end_at,
    exerciseWindow: { opensAt: row.window_opens_at, closesAt: row.window_closes_at },
    excessRates: t.excessTiers.map((x) => ({ fromKm: x.fromKm, ratePerKm: ratePerKmOf(x.rateMicro) })),
    returnConditions: t.returnConditions,
    accidentExclusion: t.accidentExclusion,
    vehicle: t.vehicle,
    buyerRef: t.buyerRef,
    sellerPartyId: t.sellerPartyId,
    saleEventId: row.sale_event_id,
    currentForecast: {
      p10: m(forecast.p10),
      p50: m(forecast.p50),
      p90: m(forecast.p90),
      markedAt: forecast.markedAt,
      modelVersion: forecast.modelVersion,
      source: forecast.source,
    },
    settlement: settlement
      ? {
          settledAt: settlement.settled_at,
          option: settlement.option,
          total: m(settlement.total_minor),
          paid: m(settlement.paid_minor),
        }
      : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    closedAt: row.closed_at,
    closeReason: row.close_reason,
    history: history.map((h) => ({
      at: h.at,
      from: h.from_state,
      to: h.to_state,
      eventId: h.event_id,
      reason: h.reason,
    })),
  };
}

export async function getContract(
  db: Db,
  principal: Principal,
  contractId: string,
  options: { clock?: Clock } = {},
) {
  requirePermission(principal, 'buyback:read');
  const row = await repo.findContract(db.kysely, contractId);
  if (!row) throw notFound('contract_not_found', `no buyback contract ${contractId}`);
  return contractViewOf(db.kysely, row, (options.clock ?? systemClock)());
}

/** Contracts by (derived) state and VIN, a page at a time in id order. */
export async function listContracts(
  db: Db,
  principal: Principal,
  query: { state?: ContractState; vin?: string; limit?: number; after?: string },
  options: { clock?: Clock } = {},
) {
  requirePermission(principal, 'buyback:read');
  const now = (options.clock ?? systemClock)();
  const limit = query.limit ?? 50;
  // `window_open` and an expiry not yet recorded are derived from stored `active` and the clock.
  const storedFor: Record<ContractState, StoredStatus[]> = {
    active: ['active'],
    window_open: ['active'],
    expired: ['active', 'expired'],
    exercised: ['exercised'],
    declined: ['declined'],
    cancelled: ['cancelled'],
  };
  const stored = query.state === undefined ? undefined : storedFor[query.state];
  const out: ContractView[] = [];
  let after = query.after;
  // Derived states (window_open, an expiry not yet recorded) are filtered after reading.
  for (;;) {
    const rows = await repo.listContracts(db.kysely, {
      ...(stored ? { statuses: stored } : {}),
      ...(query.vin ? { vin: query.vin } : {}),
      limit: limit * 2,
      ...(after ? { after } : {}),
    });
    for (const row of rows) {
      const view = await contractViewOf(db.kysely, row, now);
      if (query.state === undefined || view.state === query.state) out.push(view);
      if (out.length === limit) return out;
    }
    if (rows.length < limit * 2) return out;
    after = rows.at(-1)!.id;
  }
}

// ---------------------------------------------------------------- the contract's life

async function loadContract(db: Db, contractId: string): Promise<repo.ContractRow> {
  const row = await repo.findContract(db.kysely, contractId);
  if (!row) throw notFound('contract_not_found', `no buyback contract ${contractId}`);
  return row;
}

export const windowOf = (row: repo.ContractRow) => ({
  opensAt: row.window_opens_at,
  closesAt: row.window_closes_at,
});

/** The customer keeps the car in the exercise window (paid the GFV, refinanced, or part-exchanged it elsewhere). */
export async function declineBuyback(
  db: Db,
  submitter: Submitter,
  contractId: string,
  raw: unknown,
  options: BuybackOptions = {},
) {
  requirePermission(submitter.principal, 'buyback:settle');
  const clock = options.clock ?? systemClock;
  const request = parseInput(declineRequest, raw, 'invalid_decline');
  const row = await loadContract(db, contractId);
  const at = timeOf(request.at, 'at', clock);
  const move = applyContractAction(row.status as StoredStatus, windowOf(row), at, 'decline');
  await appendEvents(
    db,
    submitter,
    [
      {
        type: 'vehicle.buyback_declined',
        subject: { kind: 'vehicle', id: row.vin },
        occurredAt: at,
        payload: { contractId, declinedAt: at, option: request.option },
      },
    ],
    {
      clock,
      project: async (trx, { eventIds }) => {
        await repo.updateContractStatus(trx, contractId, {
          status: move.to,
          at: clock(),
          closedAt: at,
          closeReason: request.option,
        });
        await recordTransition(trx, contractId, at, move.from, move.to, eventIds[0]!, request.option);
      },
    },
  );
  return getContract(db, submitter.principal, contractId, { clock });
}

/** Void a contract before its end: the accident exclusion, a reversed sale, or the customer's request. */
export async function cancelContract(
  db: Db,
  submitter: Submitter,
  contractId: string,
  raw: unknown,
  options: BuybackOptions = {},
) {
  requirePermission(submitter.principal, 'buyback:settle');
  const clock = options.clock ?? systemClock;
  const request = parseInput(cancelRequest, raw, 'invalid_cancel');
  const row = await loadContract(db, contractId);
  const at = timeOf(request.at, 'at', clock);
  const move = applyContractAction(row.status as StoredStatus, windowOf(row), at, 'cancel');
  const reason = request.note ? `${request.reason}: ${request.note}` : request.reason;
  await appendEvents(
    db,
    submitter,
    [
      {
        type: 'vehicle.buyback_cancelled',
        subject: { kind: 'vehicle', id: row.vin },
        occurredAt: at,
        payload: { contractId, cancelledAt: at, reason: request.reason },
      },
    ],
    {
      clock,
      project: async (trx, { eventIds }) => {
        await repo.updateContractStatus(trx, contractId, {
          status: move.to,
          at: clock(),
          closedAt: at,
          closeReason: reason,
        });
        await recordTransition(trx, contractId, at, move.from, move.to, eventIds[0]!, reason);
      },
    },
  );
  return getContract(db, submitter.principal, contractId, { clock });
}

/**
 * Record the expiry of every contract whose exercise window has closed unused: a
 * `vehicle.buyback_declined` (option `lapsed`) on each vehicle, one transaction per contract so that
 * one vehicle in an unexpected state does not hold up the rest; those are reported, not hidden.
 */
export async function expireContracts(
  db: Db,
  submitter: Submitter,
  raw: unknown = {},
  options: BuybackOptions = {},
) {
  requirePermission(submitter.principal, 'buyback:settle');
  const clock = options.clock ?? systemClock;
  const request = parseInput(expireRequest, raw ?? {}, 'invalid_expire');
  const at = timeOf(request.at, 'at', clock);
  const due = await repo.contractsPastWindow(db.kysely, at);
  const expired: string[] = [];
  const failed: Array<{ contractId: string; reason: string }> = [];
  for (const row of due) {
    try {
      const move = applyContractAction(row.status as StoredStatus, windowOf(row), at, 'expire');
      const lapsedAt = row.window_closes_at;
      await appendEvents(
        db,
        submitter,
        [
          {
            type: 'vehicle.buyback_declined',
            subject: { kind: 'vehicle', id: row.vin },
            occurredAt: lapsedAt,
            payload: { contractId: row.id, declinedAt: lapsedAt, option: 'lapsed' },
          },
        ],
        {
          clock,
          project: async (trx, { eventIds }) => {
            await repo.updateContractStatus(trx, row.id, {
              status: move.to,
              at: clock(),
              closedAt: lapsedAt,
              closeReason: 'lapsed',
            });
            await recordTransition(
              trx,
              row.id,
              lapsedAt,
              move.from,
              move.to,
              eventIds[0]!,
              'exercise window closed unused',
            );
          },
        },
      );
      expired.push(row.id);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      failed.push({ contractId: row.id, reason: error.message });
    }
  }
  return { at, expired, failed };
}
