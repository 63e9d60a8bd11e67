/**
 * The book's risk: exposure by cohort (make and model, powertrain, term-end month) with stress
 * scenarios, and re-marking — a fresh forecast of every open contract's term-end value from the
 * active valuation model, kept as history.
 */
import type { Db } from '../../db/database.ts';
import { inTransaction } from '../../db/transaction.ts';
import { type Clock, systemClock } from '../../shared/clock.ts';
import { DomainError, notFound } from '../../shared/errors.ts';
import { type Principal, requirePermission } from '../parties/index.ts';
import { distributionOf, exactShortfall, yearsBetween } from './buyback.model.ts';
import * as repo from './buyback.repository.ts';
import { remarkRequest, stressScenario } from './buyback.schemas.ts';
import {
  type BuybackOptions,
  contractTermsOf,
  major,
  newBuybackId,
  parseInput,
  projectedSoh,
  quantilesOf,
  timeOf,
  windowOf,
} from './buyback.service.ts';
import { valuationEngine } from './buyback.valuation.ts';
import { contractStateAt, type StoredStatus } from './contract.machine.ts';
import stressDefaults from './data/stress-defaults.v1.json' with { type: 'json' };
import {
  aggregate,
  type Exposure,
  type Position,
  type StressAssumptions,
  stressFactor,
} from './portfolio.model.ts';

const assumptions: StressAssumptions = stressDefaults;
const assumptionsLabel = `${stressDefaults.table}@${stressDefaults.version}`;

/** Contracts that still carry risk at `at`: active or in their exercise window. */
async function openContracts(db: Db, at: string): Promise<repo.ContractRow[]> {
  const rows = await repo.listContracts(db.kysely, { statuses: ['active'] });
  return rows.filter((r) => {
    const state = contractStateAt(r.status as StoredStatus, windowOf(r), at);
    return state === 'active' || state === 'window_open';
  });
}

async function positionsOf(db: Db, rows: repo.ContractRow[]): Promise<Position[]> {
  const marks = await repo.latestMarks(
    db.kysely,
    rows.map((r) => r.id),
  );
  return rows.map((r) => {
    const t = contractTermsOf(r);
    const mark = marks.get(r.id);
    return {
      contractId: r.id,
      make: r.make,
      model: r.model,
      powertrain: r.powertrain,
      termEndAt: r.term_end_at,
      currency: r.currency,
      gfvMinor: r.gfv_minor,
      forecast: mark
        ? { p10: mark.p10_minor, p50: mark.p50_minor, p90: mark.p90_minor }
        : { p10: t.quoteForecast.p10, p50: t.quoteForecast.p50, p90: t.quoteForecast.p90 },
      markedAt: mark?.marked_at ?? t.quoteForecast.markedAt,
    };
  });
}

function exposureView(e: Exposure, currency: string) {
  const m = (minor: number) => major(minor, currency);
  return {
    contracts: e.contracts,
    totalGfv: m(e.totalGfvMinor),
    forecastP50: m(e.forecastP50Minor),
    forecastP10: m(e.forecastP10Minor),
    expectedLoss: m(e.expectedLossMinor),
    lossAtP10: m(e.lossAtP10Minor),
  };
}

/**
 * Exposure of the open book by cohort, each contract at its latest forecast (its last re-mark, else
 * its quote); with a scenario, the same under stress beside it.
 */
export async function portfolioExposure(
  db: Db,
  principal: Principal,
  query: { at?: string; scenario?: unknown } = {},
  options: { clock?: Clock } = {},
) {
  requirePermission(principal, 'buyback:portfolio');
  const clock = options.clock ?? systemClock;
  const at = timeOf(query.at, 'at', clock);
  const scenario =
    query.scenario === undefined
      ? undefined
      : parseInput(stressScenario, query.scenario, 'invalid_scenario', 'scenario');
  const positions = await positionsOf(db, await openContracts(db, at));
  const factorOf = scenario
    ? (p: Position) => stressFactor(scenario, p, Math.max(0, yearsBetween(at, p.termEndAt)), assumptions)
    : undefined;
  const { cohorts, totals } = aggregate(positions, factorOf);
  const withStress = (x: { currency: string; base: Exposure; stressed?: Exposure }) => ({
    ...exposureView(x.base, x.currency),
    ...(x.stressed ? { stressed: exposureView(x.stressed, x.currency) } : {}),
  });
  return {
    asOf: at,
    method:
      'each open contract at its latest forecast of the term-end value (last re-mark, else the quote); expected loss = E[max(0, GFV − V)] in closed form on the two-piece log-normal through P10/P50/P90; lossAtP10 = Σ max(0, GFV − P10)',
    ...(scenario ? { scenario: { ...scenario, assumptions: assumptionsLabel } } : {}),
    totals: totals.map((t) => ({ currency: t.currency, ...withStress(t) })),
    cohorts: cohorts.map((c) => ({
      make: c.make,
      model: c.model,
      powertrain: c.powertrain,
      termEndMonth: c.termEndMonth,
      currency: c.currency,
      ...withStress(c),
    })),
  };
}

// ---------------------------------------------------------------- re-marking

/**
 * Re-mark the open book: forecast every open contract's value at its term end (at its contracted
 * distance) with the active model, keep each mark, and summarise the run. A contract the engine
 * refuses keeps its previous mark and is listed with the reason; a missing model refuses the run.
 */
export async function remarkPortfolio(
  db: Db,
  principal: Principal,
  raw: unknown = {},
  options: BuybackOptions = {},
) {
  requirePermission(principal, 'buyback:remark');
  const clock = options.clock ?? systemClock;
  const port = options.valuation ?? valuationEngine;
  const request = parseInput(remarkRequest, raw ?? {}, 'invalid_remark');
  const asOf = timeOf(request.at, 'at', clock);
  const markedAt = clock();
  const rows = await openContracts(db, asOf);
  const remarkId = newBuybackId('RM', markedAt);
  const marks: repo.MarkRow[] = [];
  const refusals: Array<{ contractId: string; reason: string }> = [];
  let noModel: DomainError | undefined;
  for (const row of rows) {
    const v = contractTermsOf(row).vehicle;
    // The pack's SOH at sale carried down the expected fade curve, as at the quote.
    const soh =
      v.sohAtSale === undefined
        ? undefined
        : projectedSoh(v.sohAtSale, row.term_months / 12, row.allowance_km, port);
    try {
      const forecast = await port.forecast(db, {
        make: v.make,
        model: v.model,
        ...(v.trim ? { trim: v.trim } : {}),
        year: v.year,
        fuel: v.fuel,
        ...(v.transmission ? { transmission: v.transmission } : {}),
        ...(v.engineL !== undefined ? { engineL: v.engineL } : {}),
        newPrice: major(row.new_price_minor, row.currency),
        currency: row.currency,
        atDate: row.term_end_at,
        odometerKm: row.odometer_at_sale_km + row.allowance_km,
        ...(soh !== undefined ? { soh } : {}),
      });
      const q = quantilesOf(forecast, row.currency, 'currency');
      marks.push({
        remark_id: remarkId,
        contract_id: row.id,
        marked_at: markedAt,
        currency: row.currency,
        p10_minor: q.p10,
        p50_minor: q.p50,
        p90_minor: q.p90,
        expected_loss_minor: Math.round(exactShortfall(distributionOf(q), row.gfv_minor)),
        model_version: forecast.modelVersion,
      });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      if (error.code === 'no_valuation_model') noModel = error;
      refusals.push({ contractId: row.id, reason: error.message });
    }
  }
  // No model for any of the book: say so (with the instruction) instead of writing an empty run.
  if (marks.length === 0 && noModel) throw noModel;
  const totals = new Map<
    string,
    {
      currency: string;
      contracts: number;
      totalGfvMinor: number;
      p50Minor: number;
      p10Minor: number;
      expectedLossMinor: number;
    }
  >();
  const gfvOf = new Map(rows.map((r) => [r.id, r.gfv_minor]));
  for (const m of marks) {
    const t = totals.get(m.currency) ?? {
      currency: m.currency,
      contracts: 0,
      totalGfvMinor: 0,
      p50Minor: 0,
      p10Minor: 0,
      expectedLossMinor: 0,
    };
    t.contracts += 1;
    t.totalGfvMinor += gfvOf.get(m.contract_id)!;
    t.p50Minor += m.p50_minor;
    t.p10Minor += m.p10_minor;
    t.expectedLossMinor += m.expected_loss_minor;
    totals.set(m.currency, t);
  }
  const summary = {
    totals: [...totals.values()]
      .sort((a, b) => a.currency.localeCompare(b.currency))
      .map((t) => ({
        currency: t.currency,
        contracts: t.contracts,
        totalGfv: major(t.totalGfvMinor, t.currency),
        forecastP50: major(t.p50Minor, t.currency),
        forecastP10: major(t.p10Minor, t.currency),
        expectedLoss: major(t.expectedLossMinor, t.currency),
      })),
    modelVersions: [...new Set(marks.map((m) => m.model_version).filter((v): v is string => v !== null))],
    refusals,
  };
  await inTransaction(db, (trx) =>
    repo.insertRemark(
      trx,
      {
        id: remarkId,
        marked_at: markedAt,
        as_of: asOf,
        marked_by: principal.partyId,
        contracts: marks.length,
        refused: refusals.length,
        summary: JSON.stringify(summary),
      },
      marks,
    ),
  );
  return { remarkId, markedAt, asOf, contracts: marks.length, refused: refusals.length, ...summary };
}

function remarkView(row: repo.RemarkRow) {
  return {
    remarkId: row.id,
    markedAt: row.marked_at,
    asOf: row.as_of,
    markedBy: row.marked_by,
    contracts: row.contracts,
    refused: row.refused,
    ...(JSON.parse(row.summary) as Record<string, unknown>),
  };
}

/** Re-mark runs, newest first. */
export async function remarkHistory(
  db: Db,
  principal: Principal,
  query: { limit?: number; before?: string } = {},
) {
  requirePermission(principal, 'buyback:portfolio');
  return (await repo.listRemarks(db.kysely, query.limit ?? 50, query.before)).map(remarkView);
}

/** One re-mark run with every contract's mark. */
export async function getRemark(db: Db, principal: Principal, remarkId: string) {
  requirePermission(principal, 'buyback:portfolio');
  const row = await repo.findRemark(db.kysely, remarkId);
  if (!row) throw notFound('remark_not_found', `no re-mark ${remarkId}`);
  const marks = await repo.marksOfRemark(db.kysely, remarkId);
  return {
    ...remarkView(row),
    marks: marks.map((m) => ({
      contractId: m.contract_id,
      currency: m.currency,
      p10: major(m.p10_minor, m.currency),
      p50: major(m.p50_minor, m.currency),
      p90: major(m.p90_minor, m.currency),
      expectedLoss: major(m.expected_loss_minor, m.currency),
      modelVersion: m.model_version,
    })),
  };
}

/** A contract's forecast over time: the quote's, then every re-mark. */
export async function contractMarks(db: Db, principal: Principal, contractId: string) {
  requirePermission(principal, 'buyback:portfolio');
  const row = await repo.findContract(db.kysely, contractId);
  if (!row) throw notFound('contract_not_found', `no buyback contract ${contractId}`);
  const t = contractTermsOf(row);
  const c = row.currency;
  const quoteLoss = Math.round(exactShortfall(distributionOf(t.quoteForecast), row.gfv_minor));
  const marks = await repo.marksOfContract(db.kysely, contractId);
  return {
    contractId,
    currency: c,
    gfv: major(row.gfv_minor, c),
    marks: [
      {
        source: 'quote',
        remarkId: null,
        markedAt: t.quoteForecast.markedAt,
        p10: major(t.quoteForecast.p10, c),
        p50: major(t.quoteForecast.p50, c),
        p90: major(t.quoteForecast.p90, c),
        expectedLoss: major(quoteLoss, c),
        modelVersion: t.quoteForecast.modelVersion,
      },
      ...marks.map((m) => ({
        source: 'remark',
        remarkId: m.remark_id,
        markedAt: m.marked_at,
        p10: major(m.p10_minor, c),
        p50: major(m.p50_minor, c),
        p90: major(m.p90_minor, c),
        expectedLoss: major(m.expected_loss_minor, c),
        modelVersion: m.model_version,
      })),
    ],
  };
}
