/**
 * Shared plumbing of the remarketing use cases: input parsing, ids, times, money and currencies, the
 * stay a command acts on. The use cases live in remarketing.stock.ts, .appraisal.ts,
 * .reconditioning.ts, .sales.ts and .disposition.ts; HTTP and CLI call those, so both obey the same
 * rules.
 */
import { checkVin } from '@carloop/codes';
import type { Db } from '../../db/database.ts';
import type { Executor } from '../../db/transaction.ts';
import { type Clock, normaliseUtc } from '../../shared/clock.ts';
import { conflict, fieldErrorsFromZod, invalid, notFound } from '../../shared/errors.ts';
import { newBytes } from '../../shared/ids.ts';
import { toMajorUnits, toMinorUnits } from '../../shared/money.ts';
import type { EventInput } from '../ledger/index.ts';
import type { Principal } from '../parties/index.ts';
import type { PriceTables } from './remarketing.config.ts';
import { type StayContext, vehicleHistory, vehicleRecord } from './remarketing.facts.ts';
import * as repo from './remarketing.repository.ts';

export interface ServiceOptions {
  clock?: Clock;
  /** Another price table (a newer version) instead of the shipped one. */
  tables?: PriceTables;
}

// ---------------------------------------------------------------- helpers

export const newId = (prefix: string, now: string) =>
  `${prefix}-${now.replace(/[-:.TZ]/g, '').slice(0, 14)}-${Buffer.from(newBytes(4)).toString('hex')}`;

export function parseInput<T>(
  schema: {
    safeParse(
      v: unknown,
    ):
      | { success: true; data: T }
      | { success: false; error: { issues: Parameters<typeof fieldErrorsFromZod>[0] } };
  },
  raw: unknown,
  what: string,
): T {
  const parsed = schema.safeParse(raw ?? {});
  if (!parsed.success) {
    const errors = fieldErrorsFromZod(parsed.error.issues);
    throw invalid(
      'invalid_request',
      `the ${what} failed validation: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`,
      errors,
    );
  }
  return parsed.data;
}

let knownCurrencies: Set<string> | undefined;
/** ISO 4217 codes the runtime knows (Intl), so an unknown currency is refused, not stored. */
export function isKnownCurrency(code: string): boolean {
  knownCurrencies ??= new Set(Intl.supportedValuesOf('currency'));
  return knownCurrencies.has(code);
}

export function requireCurrency(code: string, field: string): string {
  if (!/^[A-Z]{3}$/.test(code) || !isKnownCurrency(code))
    throw invalid('unknown_currency', `${code} is not a known ISO 4217 currency`, [
      { field, message: `unknown currency "${code}"` },
    ]);
  return code;
}

export function timeOr(value: string | undefined, clock: Clock, field: string): string {
  if (value === undefined) return clock();
  const normal = normaliseUtc(value);
  if (!normal)
    throw invalid('invalid_time', `${field} is not an ISO 8601 UTC time`, [
      { field, message: 'expected e.g. 2026-01-31T08:00:00Z' },
    ]);
  return normal;
}

export const major = (minor: number | null, currency: string | null) =>
  minor === null || currency === null ? null : toMajorUnits(minor, currency);

export function money(value: string | number, currency: string, field: string): number {
  const minor = toMinorUnits(value, currency, field);
  if (minor < 0)
    throw invalid('invalid_money', `${field} must not be negative`, [{ field, message: 'must be ≥ 0' }]);
  return minor;
}

const vehicleRef = (vin: string) => ({ kind: 'vehicle' as const, id: vin });

export function event(type: string, vin: string, at: string, payload: Record<string, unknown>): EventInput {
  return { type, subject: vehicleRef(vin), occurredAt: at, payload };
}

export function checkVinOrThrow(vin: string): void {
  const report = checkVin(vin);
  if (!report.valid)
    throw invalid(
      'invalid_vin',
      `${vin} is not a valid VIN: ${report.errors.map((e) => e.message).join('; ')}`,
      report.errors.map((e) => ({ field: 'vin', message: e.message })),
    );
}

export async function requireStay(db: Executor, vin: string): Promise<repo.StockRow> {
  const stay = await repo.latestStock(db, vin);
  if (!stay)
    throw notFound(
      'not_in_stock',
      `${vin} has never been in used-car stock (take it in with carloop remarketing intake)`,
    );
  return stay;
}

/** The open stay of a car that can still be worked on, or a refusal that says why not. */
export async function requireOpenStay(db: Executor, vin: string, action: string): Promise<repo.StockRow> {
  const stay = await requireStay(db, vin);
  if (stay.status === 'sold' || stay.status === 'wholesaled')
    throw conflict(
      'already_sold',
      `${vin} was already ${stay.status === 'sold' ? 'sold' : 'wholesaled'} (${stay.closed_at?.slice(0, 10) ?? ''}): cannot ${action}`,
      [{ field: 'vin', message: `${stay.status}; not in stock` }],
    );
  if (stay.status === 'dismantle')
    throw conflict('sent_to_dismantling', `${vin} was sent to dismantling: cannot ${action}`, [
      { field: 'vin', message: 'committed to dismantling; not for sale' },
    ]);
  return stay;
}

export const activeReservation = (r: repo.ReservationRow | undefined, now: string) =>
  r && r.released_at === null && r.until > now ? r : undefined;

export async function stayContext(db: Db, principal: Principal, stay: repo.StockRow): Promise<StayContext> {
  const [vehicle, history, appraisals, orders, prices] = await Promise.all([
    vehicleRecord(db, principal, stay.vin),
    vehicleHistory(db, principal, stay.vin),
    repo.latestAppraisals(db.kysely, [stay.id]),
    repo.workOrdersOf(db.kysely, stay.id),
    repo.latestPrices(db.kysely, [stay.id]),
  ]);
  if (!vehicle) throw notFound('vehicle_not_found', `${stay.vin} is not registered`);
  return { stay, vehicle, history, appraisal: appraisals.get(stay.id), orders, price: prices.get(stay.id) };
}
