/**
 * The market model: what a car is worth on a given day. One law for the whole world — log value =
 * log new price − decay × age − a mileage term + a market trend + a battery-health term for plug-in
 * cars − accident damage + the car's own idiosyncrasy — with the shape of the valuation module's
 * synthetic market (exponential age decay, log-mileage and linear mileage terms). The transactions
 * the valuation engine learns from are drawn from this law with sale noise; the world's buyback,
 * trade-in, resale and wholesale prices use it too, so the engine is judged against the truth.
 */
import type { Random } from './random.ts';
import { isNewEnergy, type ModelSpec } from './world.config.ts';

const YEAR_MS = 365.25 * 86_400_000;
/** Market level change per year (log), from the world's start: used-car prices drift down (ASSUMPTION). */
export const TREND_PER_YEAR = -0.03;
export const TREND_ORIGIN = Date.parse('2020-01-01T00:00:00Z');

export interface ValueFacts {
  spec: ModelSpec;
  modelYear: number;
  /** Days: when the value is wanted. */
  at: number;
  odometerKm: number;
  /** 0–1, plug-in cars only. */
  soh?: number;
  /** Accumulated accident damage as a log-value loss (0 = none). */
  damage: number;
  /** The car's own deviation from its model (log), fixed for its life. */
  idiosyncrasy: number;
}

export const ageYears = (modelYear: number, at: number) =>
  Math.max(0, (at - Date.UTC(modelYear, 6, 1)) / YEAR_MS);

/** Fair (B2C retail) value in CNY, major units. */
export function marketValue(f: ValueFacts): number {
  const age = ageYears(f.modelYear, f.at);
  let log =
    Math.log(f.spec.newPriceCny) -
    f.spec.decay * age -
    0.04 * Math.log1p(f.odometerKm / 1_000) -
    0.012 * (f.odometerKm / 10_000) +
    TREND_PER_YEAR * ((f.at - TREND_ORIGIN) / YEAR_MS);
  if (f.soh !== undefined && isNewEnergy(f.spec.powertrain)) {
    // Expected SOH of a healthy pack at this age; below it the car loses value (bev more than phev).
    const expected = Math.max(0.7, 1 - 0.02 * age - 0.012 * (f.odometerKm / 10_000));
    const weight = f.spec.powertrain === 'bev' ? 0.4 : 0.15;
    log += Math.log(Math.max(0.3, 1 + weight * ((f.soh - expected) / Math.max(0.05, expected - 0.6))));
  }
  log += f.idiosyncrasy - f.damage;
  return Math.max(500, Math.exp(log));
}

export interface MarketRow extends Record<string, unknown> {
  make: string;
  model: string;
  year: number;
  mileage_km: number;
  fuel: string;
  transmission: string;
  engine_l: number;
  price: number;
  currency: string;
  sold_at: string;
  new_price: number;
  soh?: number;
}

/**
 * Used-car transactions of the years before `until`, in the valuation interchange format: the
 * history the first model is fitted on.
 */
export function marketHistory(random: Random, models: ModelSpec[], n: number, until: number): MarketRow[] {
  const rows: MarketRow[] = [];
  for (let i = 0; i < n; i++) {
    const spec = random.weighted(models, (m) => m.share);
    const at = until - random.uniform(0, 3) * YEAR_MS;
    const soldYear = new Date(at).getUTCFullYear();
    const modelYear = soldYear - random.int(0, 10);
    const age = ageYears(modelYear, at);
    const kmPerYear = 13_000 * Math.exp(0.35 * random.normal());
    const odometerKm = Math.round(age * kmPerYear);
    const plugIn = isNewEnergy(spec.powertrain);
    const soh = plugIn
      ? Math.min(1, Math.max(0.6, 1 - 0.02 * age - 0.012 * (odometerKm / 10_000) + 0.03 * random.normal()))
      : undefined;
    const value = marketValue({
      spec,
      modelYear,
      at,
      odometerKm,
      damage: 0,
      idiosyncrasy: 0.06 * random.normal(),
      ...(soh !== undefined ? { soh } : {}),
    });
    rows.push({
      make: spec.make,
      model: spec.model,
      year: modelYear,
      mileage_km: odometerKm,
      fuel: spec.fuel,
      transmission: spec.transmission,
      engine_l: spec.engineL,
      price: Math.round(value / 100) * 100,
      currency: 'CNY',
      sold_at: new Date(at).toISOString().slice(0, 10),
      new_price: spec.newPriceCny,
      ...(soh !== undefined ? { soh: Number(soh.toFixed(3)) } : {}),
    });
  }
  return rows;
}
