/**
 * What remarketing reads about a car from the other modules (through their index.ts only): the
 * registry (assets), the lifecycle log (ledger), the valuation engine, the dismantling module's part
 * sales and the batteries module's grading rules and material content. Service layer: reads, no writes
 * of its own (the valuation engine stores every valuation it makes).
 */
import type { Db } from '../../db/database.ts';
import { DomainError, invalid } from '../../shared/errors.ts';
import { toMinorUnits } from '../../shared/money.ts';
import { getAsset } from '../assets/index.ts';
import { batteryContent, defaultGradingRules, intensityKeyOf } from '../batteries/index.ts';
import { searchStock } from '../dismantling/index.ts';
import { subjectHistory } from '../ledger/index.ts';
import type { Principal } from '../parties/index.ts';
import { currencyFactor, type PriceTables } from './remarketing.config.ts';
import { conditionsInHistory, summariseHistory, type VehicleHistorySummary } from './remarketing.history.ts';
import {
  type BatteryFacts,
  type Condition,
  type ConditionState,
  type DispositionFacts,
  daysBetween,
  type Grade,
  gradePack,
  Money,
  type ObservedPartPrices,
  type ScoredFinding,
  type WorkItem,
} from './remarketing.model.ts';
import type * as repo from './remarketing.repository.ts';
import {
  type AppraiseInputParsed,
  expectedSohFraction,
  type RetailValuation,
  valueRetail,
} from './remarketing.valuation.ts';

export interface VehicleRecord {
  vin: string;
  state: string;
  make: string;
  model: string;
  trim: string | null;
  modelYear: number | null;
  powertrain: string;
  newPriceMinor: number | null;
  currency: string | null;
  children: string[];
}

/** The registry's view of a vehicle, or null when it is not registered. */
export async function vehicleRecord(
  db: Db,
  principal: Principal,
  vin: string,
): Promise<VehicleRecord | null> {
  let view: Record<string, unknown>;
  try {
    view = (await getAsset(db, principal, vin)) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof DomainError && error.kind === 'not_found') return null;
    throw error;
  }
  if (view.kind !== 'vehicle')
    throw invalid('not_a_vehicle', `${vin} is a ${String(view.kind)}, not a vehicle`, [
      { field: 'vin', message: `registered as a ${String(view.kind)}` },
    ]);
  const currency = typeof view.currency === 'string' ? view.currency : null;
  return {
    vin,
    state: String(view.state),
    make: String(view.make ?? ''),
    model: String(view.model ?? ''),
    trim: typeof view.trim === 'string' ? view.trim : null,
    modelYear: typeof view.modelYear === 'number' ? view.modelYear : null,
    powertrain: String(view.powertrain ?? 'ice'),
    newPriceMinor:
      typeof view.newPrice === 'number' && currency
        ? toMinorUnits(view.newPrice, currency, 'newPrice')
        : null,
    currency,
    children: Array.isArray(view.children) ? (view.children as Array<{ id: string }>).map((c) => c.id) : [],
  };
}

/** The vehicle's history as the log tells it (empty when it has no events yet). */
export async function vehicleHistory(
  db: Db,
  principal: Principal,
  vin: string,
): Promise<VehicleHistorySummary> {
  try {
    const history = await subjectHistory(db, principal, vin);
    return summariseHistory(history.events);
  } catch (error) {
    if (error instanceof DomainError && error.kind === 'not_found') return summariseHistory([]);
    throw error;
  }
}

/** Age in years at `at`: from first registration, else 1 July of the model year. */
export function ageOf(
  vehicle: VehicleRecord,
  history: VehicleHistorySummary,
  at: string,
): { years: number; basis: string; since: string | null } {
  const registered = history.registration?.registeredAt;
  const modelYear = vehicle.modelYear ?? history.production?.modelYear ?? null;
  const since = registered ?? (modelYear ? `${modelYear}-07-01T00:00:00.000Z` : null);
  if (!since) return { years: 0, basis: 'age unknown: no registration or model year', since: null };
  const years = Math.max(0, (Date.parse(at) - Date.parse(since)) / (365.25 * 86_400_000));
  return {
    years,
    basis: registered ? `registered ${registered.slice(0, 10)}` : `model year ${modelYear}, 1 July assumed`,
    since,
  };
}

export const isNewEnergy = (powertrain: string) => ['bev', 'phev', 'erev', 'fcev'].includes(powertrain);

/** The findings of a stored appraisal, flattened with their category. */
export function findingsOf(appraisal: repo.AppraisalRow | undefined): ScoredFinding[] {
  if (!appraisal) return [];
  const detail = JSON.parse(appraisal.appraisal) as {
    categories?: Array<{
      code: string;
      findings: Array<{ item: string; en: string; defect?: string; severity?: number; deduction: number }>;
    }>;
  };
  return (detail.categories ?? []).flatMap((c) =>
    c.findings.map((f) => ({
      category: c.code,
      item: f.item,
      en: f.en,
      defect: f.defect,
      severity: f.severity,
      deduction: f.deduction,
    })),
  );
}

export function workItemsOf(order: repo.WorkOrderRow): WorkItem[] {
  return JSON.parse(order.items) as WorkItem[];
}

/** Appraised condition, and the condition after the work orders already completed. */
export function conditionOf(
  appraisal: repo.AppraisalRow | undefined,
  orders: readonly repo.WorkOrderRow[],
): { appraised: ConditionState | null; current: ConditionState | null } {
  if (!appraisal) return { appraised: null, current: null };
  const appraised: ConditionState = { score: appraisal.score, grade: appraisal.grade as Grade };
  const restored = orders
    .filter((o) => o.status === 'completed')
    .flatMap(workItemsOf)
    .reduce((s, i) => s + i.points, 0);
  const score = Math.min(100, Math.round((appraisal.score + restored) * 100) / 100);
  const accident = appraisal.grade === 5;
  const grade: Grade = accident ? 5 : score >= 90 ? 1 : score >= 60 ? 2 : score >= 20 ? 3 : 4;
  return { appraised, current: { score, grade } };
}

/** Accident, flood and fire from the latest appraisal and from the log, with their sources. */
export function conditionsOf(
  appraisal: repo.AppraisalRow | undefined,
  history: VehicleHistorySummary,
): { conditions: Record<Condition, boolean>; sources: Record<Condition, string[]> } {
  const sources = conditionsInHistory(history);
  if (appraisal?.accident)
    sources.accident.unshift(`the appraisal of ${appraisal.appraised_at.slice(0, 10)}`);
  if (appraisal?.flood) sources.flood.unshift(`the appraisal of ${appraisal.appraised_at.slice(0, 10)}`);
  if (appraisal?.fire) sources.fire.unshift(`the appraisal of ${appraisal.appraised_at.slice(0, 10)}`);
  return {
    conditions: {
      accident: sources.accident.length > 0,
      flood: sources.flood.length > 0,
      fire: sources.fire.length > 0,
    },
    sources,
  };
}

/** Money of a table for a car's currency, or a refusal naming the currency. */
export function moneyFor(tables: PriceTables, currency: string): Money {
  const factor = currencyFactor(tables, currency);
  if (factor === null)
    throw invalid(
      'no_price_table',
      `the price table ${tables.table}@${tables.version} has no figures for ${currency} (it has ${[tables.baseCurrency, ...Object.keys(tables.currencyFactors).filter((k) => k !== 'note')].join(', ')})`,
      [{ field: 'currency', message: `no ${currency} figures in the price table` }],
    );
  return new Money(currency, factor);
}

/** The traction pack of a car: registry facts, else the table's default for the powertrain. */
async function packOf(
  db: Db,
  principal: Principal,
  vehicle: VehicleRecord,
  history: VehicleHistorySummary,
  tables: PriceTables,
): Promise<{
  code: string | null;
  energyKwh: number;
  massKg: number;
  chemistry: string;
  source: 'registry' | 'default';
} | null> {
  const fallback = tables.dismantle.battery.defaultPackByPowertrain[vehicle.powertrain];
  const candidates = [history.packCode, ...vehicle.children].filter((c): c is string => !!c);
  for (const code of candidates) {
    let view: Record<string, unknown>;
    try {
      view = (await getAsset(db, principal, code)) as Record<string, unknown>;
    } catch {
      continue;
    }
    if (view.kind !== 'battery-pack') continue;
    const energy = typeof view.ratedCapacityKwh === 'number' ? view.ratedCapacityKwh : fallback?.energyKwh;
    const mass = typeof view.massKg === 'number' ? view.massKg : fallback?.massKg;
    if (!energy || !mass) continue;
    return {
      code,
      energyKwh: energy,
      massKg: mass,
      chemistry: typeof view.chemistry === 'string' ? view.chemistry : (fallback?.chemistry ?? 'NCM'),
      source: 'registry',
    };
  }
  return fallback ? { code: null, ...fallback, source: 'default' } : null;
}

export interface BatteryCheck {
  sohPercent: number;
  source: 'measured' | 'reported' | 'expected';
  measuredAt: string | null;
  method: string | null;
  packCode: string | null;
}

/** The battery facts of the dismantle route: pack, SOH, element content, grade by the batteries rules. */
async function batteryFacts(
  db: Db,
  principal: Principal,
  vehicle: VehicleRecord,
  history: VehicleHistorySummary,
  appraisal: repo.AppraisalRow | undefined,
  conditions: Record<Condition, boolean>,
  age: { years: number },
  odometerKm: number,
  tables: PriceTables,
): Promise<BatteryFacts | null> {
  const pack = await packOf(db, principal, vehicle, history, tables);
  if (!pack) return null;
  const measured = appraisal?.battery ? (JSON.parse(appraisal.battery) as { sohPercent: number }) : null;
  const reported = history.batteryHealth.at(-1);
  const soh = measured
    ? { value: measured.sohPercent, source: 'measured' as const }
    : reported
      ? { value: reported.sohPercent, source: 'reported' as const }
      : {
          value: Math.round(expectedSohFraction(age.years, odometerKm) * 1000) / 10,
          source: 'expected' as const,
        };
  const key =
    intensityKeyOf(pack.chemistry) ??
    intensityKeyOf(tables.dismantle.battery.defaultPackByPowertrain[vehicle.powertrain]?.chemistry) ??
    'LFP';
  const content = batteryContent(pack.code ?? 'pack', key, pack.energyKwh, pack.massKg);
  const elementsKg = Object.fromEntries(
    Object.entries(content.elements).map(([el, v]) => [el, v.expectedKg]),
  );
  const findings = [
    ...(conditions.flood ? ['water_ingress'] : []),
    ...(conditions.fire ? ['thermal_event'] : []),
  ];
  const graded = gradePack(defaultGradingRules.rules, soh.value, findings);
  return {
    energyKwh: pack.energyKwh,
    massKg: pack.massKg,
    chemistry: key,
    source: pack.source,
    sohPercent: soh.value,
    sohSource: soh.source,
    elementsKg,
    grade: graded.grade,
    gradeReason: `${graded.reason} (rules ${defaultGradingRules.version})`,
  };
}

/**
 * Sold and unsold harvested parts of the same model in the dismantling module's stock: the median
 * realised price and the sell-through per category. Empty when the caller may not read that stock.
 */
async function observedParts(
  db: Db,
  principal: Principal,
  model: string,
  currency: string,
): Promise<Record<string, ObservedPartPrices>> {
  const read = async (status: 'sold' | 'in_stock') => {
    try {
      return (await searchStock(db, principal, { model, status, limit: 500 })).items;
    } catch (error) {
      if (error instanceof DomainError) return [];
      throw error;
    }
  };
  const [sold, unsold] = await Promise.all([read('sold'), read('in_stock')]);
  const out: Record<string, ObservedPartPrices> = {};
  const categories = new Set([...sold, ...unsold].map((p) => p.category));
  for (const category of categories) {
    const prices = sold
      .filter((p) => p.category === category && p.currency === currency && typeof p.price === 'number')
      .map((p) => toMinorUnits(p.price, currency, 'price'))
      .sort((a, b) => a - b);
    const left = unsold.filter((p) => p.category === category).length;
    if (prices.length === 0) continue;
    const mid = Math.floor(prices.length / 2);
    out[category] = {
      medianPriceMinor: prices.length % 2 ? prices[mid]! : Math.round((prices[mid - 1]! + prices[mid]!) / 2),
      sellThrough: prices.length / (prices.length + left),
      observations: prices.length,
    };
  }
  return out;
}

export interface StayContext {
  stay: repo.StockRow;
  vehicle: VehicleRecord;
  history: VehicleHistorySummary;
  appraisal: repo.AppraisalRow | undefined;
  orders: repo.WorkOrderRow[];
  price: repo.PriceRow | undefined;
}

/** The currency a stay is priced in: what was paid, else the registry's, else the appraisal's. */
export function stayCurrency(ctx: Pick<StayContext, 'stay' | 'vehicle' | 'appraisal'>): string | null {
  return ctx.stay.currency ?? ctx.vehicle.currency ?? ctx.appraisal?.currency ?? null;
}

export function odometerOf(ctx: Pick<StayContext, 'history' | 'appraisal'>): number {
  return Math.max(ctx.appraisal?.odometer_km ?? 0, ctx.history.odometer.highestKm ?? 0);
}

/** The retail value to decide with: the latest price, else the appraisal's, else a fresh valuation. */
async function retailFor(
  db: Db,
  principal: Principal,
  ctx: StayContext,
  currency: string,
  asOf: string,
): Promise<{ minor: number | null; source: string; condition: ConditionState | null }> {
  const appraised = ctx.appraisal
    ? { score: ctx.appraisal.score, grade: ctx.appraisal.grade as Grade }
    : null;
  const latest = [ctx.price, ctx.appraisal]
    .filter((r): r is NonNullable<typeof r> => r !== undefined && r.currency === currency)
    .map((r) => ({
      minor: r.retail_minor,
      at: 'priced_at' in r ? r.priced_at : r.appraised_at,
      source:
        'priced_at' in r
          ? `${r.source}, priced ${r.priced_at.slice(0, 10)}`
          : `${r.value_source}, appraised ${r.appraised_at.slice(0, 10)}`,
      // A price stands for the condition it was priced at (reconditioning done by then included).
      condition:
        'priced_at' in r && r.condition_score !== null && r.condition_grade !== null
          ? { score: r.condition_score, grade: r.condition_grade as Grade }
          : appraised,
    }))
    .sort((a, b) => b.at.localeCompare(a.at))[0];
  if (latest) return latest;
  try {
    const v = await valueRetail(db, principal, ctx, currency, asOf, undefined);
    return { minor: v.retailMinor, source: v.source, condition: appraised };
  } catch (error) {
    if (error instanceof DomainError) return { minor: null, source: error.message, condition: appraised };
    throw error;
  }
}

/** Every fact the disposition decision needs about one stay, at `asOf`. */
export async function dispositionFacts(
  db: Db,
  principal: Principal,
  ctx: StayContext,
  tables: PriceTables,
  asOf: string,
  plan: { label: string; items: WorkItem[] },
  options: { light?: boolean } = {},
): Promise<DispositionFacts> {
  const currency = stayCurrency(ctx);
  if (!currency)
    throw invalid(
      'no_currency',
      `${ctx.vehicle.vin} has no currency yet: appraise it or give its acquisition cost`,
      [{ field: 'currency', message: 'unknown for this car' }],
    );
  const age = ageOf(ctx.vehicle, ctx.history, asOf);
  const odometerKm = odometerOf(ctx);
  const { conditions, sources } = conditionsOf(ctx.appraisal, ctx.history);
  const { appraised, current } = conditionOf(ctx.appraisal, ctx.orders);
  const retail = options.light
    ? { minor: null, source: 'not valued', condition: appraised }
    : await retailFor(db, principal, ctx, currency, asOf);
  const curb = ctx.history.production?.curbMassKg ?? null;
  const defaultMass = tables.dismantle.vehicleMassKgByPowertrain[ctx.vehicle.powertrain] ?? 1500;
  return {
    vin: ctx.vehicle.vin,
    currency,
    asOf,
    daysInStock: daysBetween(ctx.stay.stocked_at, asOf),
    powertrain: ctx.vehicle.powertrain,
    ageYears: age.years,
    ageBasis: age.basis,
    odometerKm,
    useClass: ctx.history.registration?.useClass ?? 'private',
    useClassAssumed: !ctx.history.registration,
    // The condition the retail value stands for; reconditioning completed since moves it to `current`.
    appraised: retail.condition,
    current,
    conditions,
    conditionSources: sources,
    disclosed: {
      accident: ctx.stay.disclosed_accident === 1,
      flood: ctx.stay.disclosed_flood === 1,
      fire: ctx.stay.disclosed_fire === 1,
    },
    documents: JSON.parse(ctx.stay.documents) as string[],
    retailMinor: retail.minor,
    retailSource: retail.source,
    acquisitionCostMinor: ctx.stay.currency === currency ? ctx.stay.acquisition_cost_minor : null,
    plan,
    vehicleMassKg: curb ?? defaultMass,
    vehicleMassSource: curb
      ? 'curb mass from the log'
      : `typical ${ctx.vehicle.powertrain} mass from the price table`,
    battery: options.light
      ? null
      : await batteryFacts(
          db,
          principal,
          ctx.vehicle,
          ctx.history,
          ctx.appraisal,
          conditions,
          age,
          odometerKm,
          tables,
        ),
    observedParts: options.light ? {} : await observedParts(db, principal, ctx.vehicle.model, currency),
  };
}

export type { AppraiseInputParsed, RetailValuation };
