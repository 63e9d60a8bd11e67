/**
 * EV battery state of health (SOH) as a value input. The SOH expected for an age and odometer comes
 * from fleet fade rates (residual-value.md §2.2); a pack better or worse than expected moves the
 * battery's share of the car's value in proportion to its remaining usable life above the floor.
 * Pure: no I/O.
 */
import type { BatterySohTable } from './valuation.config.ts';

export type Powertrain = 'bev' | 'phev' | 'hev' | 'ice' | 'unknown';

const fuelSynonyms: Record<string, string> = {
  gasoline: 'petrol',
  gas: 'petrol',
  benzin: 'petrol',
  benzine: 'petrol',
  essence: 'petrol',
  汽油: 'petrol',
  柴油: 'diesel',
  ev: 'electric',
  bev: 'electric',
  'battery electric': 'electric',
  纯电动: 'electric',
  elektro: 'electric',
  hev: 'hybrid',
  'petrol hybrid': 'hybrid',
  'diesel hybrid': 'hybrid',
  'full hybrid': 'hybrid',
  'mild hybrid': 'hybrid',
  phev: 'plug-in hybrid',
  'plug-in': 'plug-in hybrid',
  'plugin hybrid': 'plug-in hybrid',
  插电混动: 'plug-in hybrid',
  erev: 'plug-in hybrid',
  'range extender': 'plug-in hybrid',
};

/** Fuel text in one vocabulary: lower case, common synonyms folded (unknown values kept as given). */
export function normaliseFuel(fuel: string | undefined): string {
  if (!fuel) return '';
  const key = fuel.trim().toLowerCase().replace(/\s+/g, ' ');
  return fuelSynonyms[key] ?? key;
}

export function powertrainOf(fuel: string | undefined): Powertrain {
  const f = normaliseFuel(fuel);
  if (f === '') return 'unknown';
  if (f === 'electric') return 'bev';
  if (f === 'plug-in hybrid') return 'phev';
  if (f.includes('hybrid')) return 'hev';
  return 'ice';
}

/** SOH expected at this age and odometer (fraction, 0–1). */
export function expectedSoh(table: BatterySohTable, ageYears: number, odometerKm: number): number {
  const excessKm = Math.max(0, odometerKm - table.baselineKmPerYear * ageYears);
  const soh = 1 - table.fadePerYear * ageYears - (table.extraFadePer100kKmAboveBaseline * excessKm) / 100_000;
  return Math.min(1, Math.max(table.sohFloor, soh));
}

export interface SohAdjustment {
  powertrain: Powertrain;
  soh: number;
  expectedSoh: number;
  batteryValueShare: number;
  /** Multiplier on the vehicle value (1 = no change). */
  factor: number;
  explanation: string;
}

/**
 * The value factor of a measured SOH: the battery's share of value scales with its usable life above
 * the floor, relative to what a pack of this age and mileage is expected to have left.
 */
export function sohAdjustment(
  table: BatterySohTable,
  fuel: string | undefined,
  soh: number,
  ageYears: number,
  odometerKm: number,
): SohAdjustment {
  const powertrain = powertrainOf(fuel);
  const share = powertrain === 'unknown' ? 0 : table.batteryValueShare[powertrain];
  const expected = expectedSoh(table, ageYears, odometerKm);
  const life = Math.max(0, soh - table.sohFloor) / Math.max(1e-6, expected - table.sohFloor);
  const raw = 1 + share * (life - 1);
  const factor = Math.min(1 + share * table.maxUplift, Math.max(1 - share, raw));
  const pct = ((factor - 1) * 100).toFixed(1);
  const explanation =
    share === 0
      ? `SOH ${(soh * 100).toFixed(1)}% recorded; no traction-battery share of value for a ${powertrain} powertrain`
      : `SOH ${(soh * 100).toFixed(1)}% vs ${(expected * 100).toFixed(1)}% expected at ${ageYears.toFixed(1)} years and ${Math.round(odometerKm)} km: battery share ${(share * 100).toFixed(0)}% of value × usable life ${(life * 100).toFixed(0)}% of expected → ${Number(pct) >= 0 ? '+' : ''}${pct}%`;
  return { powertrain, soh, expectedSoh: expected, batteryValueShare: share, factor, explanation };
}
