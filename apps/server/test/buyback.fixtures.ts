/**
 * Fixtures for the buyback tests: a small synthetic CNY transaction set in the valuation module's
 * interchange format (fitted in a second or two), a fixed valuation port for fast service tests, and
 * a return inspection.
 */
import type { Db } from '../src/db/database.ts';
import { seededRandom } from '../src/modules/buyback/buyback.model.ts';
import type { ValuationPort } from '../src/modules/buyback/index.ts';
import { localOperator } from '../src/modules/parties/index.ts';
import { fitModelFrom, registerModel, transactionsFrom } from '../src/modules/valuation/index.ts';
import { DomainError } from '../src/shared/errors.ts';

/** Synthetic used-car sales in CNY: geometric age decay, a mileage term and noise; four models. */
export function syntheticTransactionsCsv(rows = 480, seed = 11): string {
  const random = seededRandom(seed);
  const normal = () => {
    const u = Math.max(random(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
  const models = [
    {
      make: 'BYD',
      model: 'Seal',
      fuel: 'electric',
      transmission: 'automatic',
      engine: 0,
      newPrice: 259_800,
      decay: 0.15,
    },
    {
      make: 'BYD',
      model: 'Qin PLUS',
      fuel: 'plug-in hybrid',
      transmission: 'automatic',
      engine: 1.5,
      newPrice: 139_800,
      decay: 0.13,
    },
    {
      make: 'Volkswagen',
      model: 'Lavida',
      fuel: 'petrol',
      transmission: 'automatic',
      engine: 1.5,
      newPrice: 129_900,
      decay: 0.1,
    },
    {
      make: 'Toyota',
      model: 'Corolla',
      fuel: 'hybrid',
      transmission: 'automatic',
      engine: 1.8,
      newPrice: 139_800,
      decay: 0.09,
    },
  ];
  const lines = [
    'make,model,year,mileage_km,fuel,transmission,engine_l,power_kw,price,currency,sold_at,new_price',
  ];
  for (let i = 0; i < rows; i++) {
    const m = models[i % models.length]!;
    const year = 2017 + Math.floor(random() * 8);
    const soldYear = Math.max(year, 2023 + Math.floor(random() * 3));
    const month = 1 + Math.floor(random() * 12);
    const age = soldYear + (month - 0.5) / 12 - (year + 0.5);
    const km = Math.max(500, Math.round(age * 15_000 * (0.6 + 0.8 * random())));
    const price =
      m.newPrice * Math.exp(-m.decay * Math.max(0, age) - 0.025 * (km / 10_000) + 0.06 * normal());
    lines.push(
      [
        m.make,
        m.model,
        year,
        km,
        m.fuel,
        m.transmission,
        m.engine,
        '',
        price.toFixed(2),
        'CNY',
        `${soldYear}-${String(month).padStart(2, '0')}-15`,
        m.newPrice,
      ].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

let cachedArtefact: unknown;

/** Fit (once per test file) and activate a small CNY model in `db`. */
export async function seedValuationModel(db: Db): Promise<string> {
  cachedArtefact ??= fitModelFrom(transactionsFrom({ csv: syntheticTransactionsCsv() }));
  const summary = await registerModel(db, localOperator, cachedArtefact, { activate: true });
  return summary.modelVersion;
}

/**
 * A valuation port with fixed answers: P50 = 52 % of the new price at term end (less 1 % per
 * 10,000 km beyond 45,000), P10/P90 at ∓ 18 %/+ 12 %; GB/T 30323 from a `grade` the test puts in the
 * inspection's appraisal. Refuses make "Unknown" like the engine refuses a model without data.
 */
export const fixedValuation: ValuationPort = {
  async forecast(_db, q) {
    if (q.make === 'Unknown')
      throw new DomainError('invalid', 'no_comparable_data', 'unknown model with no comparable data', [
        { field: 'model', message: 'no comparable data' },
      ]);
    const base = (q.newPrice ?? 100_000) * 0.52 * (1 - Math.max(0, q.odometerKm - 45_000) / 1_000_000);
    return {
      p10: Math.round(base * 0.82),
      p50: Math.round(base),
      p90: Math.round(base * 1.12),
      currency: q.currency,
      modelVersion: 'fixed-1',
      priceBasis: 'b2c',
      trail: [{ step: 'fixed', detail: '52 % of the new price' }],
    };
  },
  async appraise(_db, inspection) {
    const i = inspection as { score?: number; grade?: 1 | 2 | 3 | 4 | 5; flood?: boolean };
    const score = i.score ?? 88;
    return {
      score,
      grade: i.grade ?? (score >= 90 ? 1 : 2),
      accident: i.grade === 5,
      flood: i.flood === true,
      fire: false,
      detail: i,
    };
  },
  expectedSoh: (years) => 1 - 0.02 * years,
};

/** A return inspection: two damage items beyond fair wear and tear, one within, one missing key. */
export const returnInspection = {
  inspectedAt: '2029-03-10T02:00:00Z',
  inspectorPartyId: 'party:inspector-07',
  currency: 'CNY',
  damage: [
    {
      item: 'front bumper: scratch through to primer',
      type: 'scratch',
      sizeMm: 60,
      conditions: ['primerShowing'],
      repairCost: '850.00',
      replaceCost: '3200.00',
    },
    { item: 'left rear door: dent', type: 'dent', sizeMm: 12, repairCost: '300.00' },
    { item: 'left front wheel: scuff', type: 'wheel_scuff', sizeMm: 30, repairCost: '0' },
    {
      item: 'windscreen: chip in the driver’s line of sight',
      type: 'glass',
      sizeMm: 14,
      zone: 'driver_view',
      repairCost: '400.00',
      replaceCost: '2600.00',
    },
  ],
  missingItems: ['key'],
  stateOfChargePercent: 45,
  notes: 'inspected after cleaning, in daylight',
};
