/**
 * A small synthetic used-car market in the interchange format, for examples, tests and demos where
 * real transactions are not at hand. Prices follow a known law — exponential age decay by model,
 * a mileage term, a market trend, battery health for plug-in cars, log-normal noise — so that a
 * fitted model can be checked against the truth. Seeded and deterministic. Not market data.
 */
import { rng } from './gbm.model.ts';
import { expectedSoh } from './soh.model.ts';
import type { Transaction } from './transactions.ts';
import { ageInYears } from './transactions.ts';
import type { BatterySohTable } from './valuation.config.ts';

interface SyntheticModel {
  make: string;
  model: string;
  fuel: string;
  transmission: string;
  engineL: number;
  newPrice: number;
  decay: number;
  share: number;
}

/** New prices in CNY, decay rates per year: illustrative, not a price list. */
export const syntheticModels: SyntheticModel[] = [
  {
    make: 'BYD',
    model: 'Seal',
    fuel: 'electric',
    transmission: 'automatic',
    engineL: 0,
    newPrice: 229_800,
    decay: 0.17,
    share: 3,
  },
  {
    make: 'BYD',
    model: 'Qin PLUS',
    fuel: 'plug-in hybrid',
    transmission: 'automatic',
    engineL: 1.5,
    newPrice: 119_800,
    decay: 0.15,
    share: 4,
  },
  {
    make: 'BYD',
    model: 'Song PLUS',
    fuel: 'plug-in hybrid',
    transmission: 'automatic',
    engineL: 1.5,
    newPrice: 159_800,
    decay: 0.14,
    share: 3,
  },
  {
    make: 'Tesla',
    model: 'Model 3',
    fuel: 'electric',
    transmission: 'automatic',
    engineL: 0,
    newPrice: 245_900,
    decay: 0.14,
    share: 3,
  },
  {
    make: 'Tesla',
    model: 'Model Y',
    fuel: 'electric',
    transmission: 'automatic',
    engineL: 0,
    newPrice: 263_900,
    decay: 0.13,
    share: 4,
  },
  {
    make: 'Toyota',
    model: 'Camry',
    fuel: 'hybrid',
    transmission: 'automatic',
    engineL: 2.0,
    newPrice: 199_800,
    decay: 0.09,
    share: 3,
  },
  {
    make: 'Toyota',
    model: 'Corolla',
    fuel: 'petrol',
    transmission: 'automatic',
    engineL: 1.2,
    newPrice: 119_800,
    decay: 0.09,
    share: 4,
  },
  {
    make: 'Volkswagen',
    model: 'Lavida',
    fuel: 'petrol',
    transmission: 'manual',
    engineL: 1.5,
    newPrice: 109_900,
    decay: 0.11,
    share: 5,
  },
  {
    make: 'Volkswagen',
    model: 'Magotan',
    fuel: 'petrol',
    transmission: 'automatic',
    engineL: 2.0,
    newPrice: 189_900,
    decay: 0.12,
    share: 3,
  },
  {
    make: 'Honda',
    model: 'Accord',
    fuel: 'hybrid',
    transmission: 'automatic',
    engineL: 2.0,
    newPrice: 179_800,
    decay: 0.1,
    share: 3,
  },
  {
    make: 'Honda',
    model: 'Civic',
    fuel: 'petrol',
    transmission: 'automatic',
    engineL: 1.5,
    newPrice: 129_900,
    decay: 0.1,
    share: 3,
  },
  {
    make: 'Geely',
    model: 'Emgrand',
    fuel: 'petrol',
    transmission: 'manual',
    engineL: 1.5,
    newPrice: 79_800,
    decay: 0.14,
    share: 4,
  },
  {
    make: 'BMW',
    model: '3 Series',
    fuel: 'petrol',
    transmission: 'automatic',
    engineL: 2.0,
    newPrice: 299_900,
    decay: 0.15,
    share: 2,
  },
  {
    make: 'Mercedes-Benz',
    model: 'C-Class',
    fuel: 'petrol',
    transmission: 'automatic',
    engineL: 1.5,
    newPrice: 332_100,
    decay: 0.14,
    share: 2,
  },
  {
    make: 'Audi',
    model: 'A4L',
    fuel: 'petrol',
    transmission: 'automatic',
    engineL: 2.0,
    newPrice: 321_800,
    decay: 0.15,
    share: 2,
  },
];

export interface SyntheticOptions {
  n: number;
  seed?: number;
  currency?: string;
  /** Sales spread uniformly between these ISO dates. */
  soldFrom?: string;
  soldTo?: string;
  /** Include a measured SOH for plug-in cars. */
  withSoh?: boolean;
  /** Market level change per year (log), e.g. −0.03. */
  trendPerYear?: number;
  noise?: number;
  sohTable: BatterySohTable;
}

/** Deterministic synthetic transactions with the columns of the interchange format. */
export function syntheticTransactions(options: SyntheticOptions): Transaction[] {
  const random = rng(options.seed ?? 7);
  const gauss = () => {
    const u = Math.max(1e-12, random());
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
  const from = Date.parse(`${options.soldFrom ?? '2023-01-01'}T00:00:00Z`);
  const to = Date.parse(`${options.soldTo ?? '2025-12-31'}T00:00:00Z`);
  const shares = syntheticModels.reduce((s, m) => s + m.share, 0);
  const out: Transaction[] = [];
  for (let i = 0; i < options.n; i++) {
    const pick = random() * shares;
    let cumulative = 0;
    const m =
      syntheticModels.find((x) => {
        cumulative += x.share;
        return pick < cumulative;
      }) ?? syntheticModels[0]!;
    const soldAt = new Date(from + random() * (to - from)).toISOString().slice(0, 10);
    const soldYear = Number(soldAt.slice(0, 4));
    const year = soldYear - Math.floor(random() * 9);
    const age = ageInYears(year, soldAt);
    const kmPerYear = 8_000 + random() * 22_000;
    const mileageKm = Math.round(age * kmPerYear + random() * 3_000);
    let log =
      Math.log(m.newPrice) -
      m.decay * age -
      0.04 * Math.log1p(mileageKm / 1_000) -
      0.012 * (mileageKm / 10_000);
    log +=
      (options.trendPerYear ?? -0.03) * ((Date.parse(`${soldAt}T00:00:00Z`) - from) / (365.25 * 86_400_000));
    let soh: number | undefined;
    const plugIn = m.fuel === 'electric' || m.fuel === 'plug-in hybrid';
    if (plugIn) {
      const expected = expectedSoh(options.sohTable, age, mileageKm);
      soh = Math.min(1, Math.max(0.6, expected + 0.03 * gauss()));
      const share = m.fuel === 'electric' ? 0.4 : 0.15;
      log += Math.log(1 + share * ((soh - 0.7) / Math.max(0.01, expected - 0.7) - 1));
    }
    log += (options.noise ?? 0.06) * gauss();
    const t: Transaction = {
      line: i + 2,
      make: m.make,
      model: m.model,
      year,
      mileageKm,
      fuel: m.fuel,
      transmission: m.transmission,
      engineL: m.engineL,
      price: Math.round(Math.exp(log) / 100) * 100,
      currency: options.currency ?? 'CNY',
      soldAt,
      newPrice: m.newPrice,
    };
    if (options.withSoh && soh !== undefined) t.soh = Number(soh.toFixed(3));
    out.push(t);
  }
  return out;
}

export const syntheticHeader = [
  'make',
  'model',
  'year',
  'mileage_km',
  'fuel',
  'transmission',
  'engine_l',
  'price',
  'currency',
  'sold_at',
  'soh',
  'new_price',
];

/** Rows for a CSV with `syntheticHeader`. */
export function syntheticRows(transactions: Transaction[]): string[][] {
  return transactions.map((t) => [
    t.make,
    t.model,
    String(t.year),
    String(t.mileageKm),
    t.fuel ?? '',
    t.transmission ?? '',
    t.engineL === undefined ? '' : String(t.engineL),
    String(t.price),
    t.currency,
    t.soldAt,
    t.soh === undefined ? '' : String(t.soh),
    t.newPrice === undefined ? '' : String(t.newPrice),
  ]);
}
