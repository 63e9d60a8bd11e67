/**
 * The simulated world as data (data/world.v1.json): the cars on sale, the new-energy share per year,
 * usage, fade, accidents, end of life and the parties. Sources and assumptions are in the file.
 */
import { readFileSync } from 'node:fs';

export type Powertrain = 'ice' | 'hev' | 'phev' | 'bev' | 'erev';

export interface PackSpec {
  chemistry: 'LFP' | 'NCM';
  energyKwh: number;
  massKg: number;
  /** GB/T 34014 positions 1–3: the pack maker's code (ASSUMPTION: illustrative codes). */
  maker: string;
}

export interface ModelSpec {
  make: string;
  model: string;
  powertrain: Powertrain;
  fuel: string;
  transmission: string;
  engineL: number;
  newPriceCny: number;
  curbMassKg: number;
  /** Log-value decay per year of the market law (market.ts). */
  decay: number;
  share: number;
  /** VIN positions 1–8 (WMI + VDS). */
  wmi: string;
  airbags: number;
  legacyOnly?: boolean;
  pack?: PackSpec;
}

export interface WorldConfig {
  version: string;
  cellScaling: { modulesPerPack: number; cellsPerModule: number };
  nevShare: Record<string, number>;
  bevShareOfNev: Record<string, number>;
  models: ModelSpec[];
  usage: {
    kmPerYearMedian: number;
    kmPerYearSigma: number;
    rideHailingShare: number;
    rideHailingFactor: number;
    odometerReadsPerYear: number;
    batteryHealthReadsPerYear: number;
    serviceEveryKm: number;
    serviceCostCny: [number, number];
    accidentRatePerYear: number;
    accidentSeverity: Record<'minor' | 'moderate' | 'severe' | 'total_loss', number>;
    fadePerYear: number;
    fadePer10000Km: number;
    weakPackShare: number;
    weakPackFactor: number;
    lifespanYearsMean: number;
    lifespanYearsSd: number;
    mandatoryScrapKm: number;
  };
  sales: {
    guaranteeShareOfNewSales: number;
    guaranteeTermsMonths: number[];
    salePriceDiscount: [number, number];
    tradeInShareAtTermEnd: number;
    privateResaleRatePerYear: number;
    legacyShare: number;
    legacyAgeYears: [number, number];
  };
  endOfLife: {
    reusablePartShare: number;
    partsPerVehicle: [number, number];
    partSaleProbability: number;
    remanufactureShareOfAssemblies: number;
    shredderYield: Record<string, number>;
  };
  batteries: {
    testResistanceSpreadPercent: [number, number];
    safetyFindingShare: number;
    recycleProcess: 'pyrometallurgical' | 'hydrometallurgical' | 'direct';
    recoveryYield: Record<string, number>;
    secondLifeYears: [number, number];
  };
  parties: { dealers: number; dismantlers: number };
}

let loaded: WorldConfig | undefined;

/** The world table (read once). */
export function worldConfig(): WorldConfig {
  loaded ??= JSON.parse(
    readFileSync(new URL('./data/world.v1.json', import.meta.url), 'utf8'),
  ) as WorldConfig;
  return loaded;
}

/** A year-keyed table read with the nearest earlier key (or the first key). */
export function byYear(table: Record<string, number>, year: number): number {
  const keys = Object.keys(table)
    .map(Number)
    .sort((a, b) => a - b);
  let value = table[String(keys[0])]!;
  for (const k of keys) if (k <= year) value = table[String(k)]!;
  return value;
}

export const isNewEnergy = (p: Powertrain) => p === 'bev' || p === 'phev' || p === 'erev';
