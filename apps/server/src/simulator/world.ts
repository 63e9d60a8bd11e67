/**
 * The simulated world's state between steps: its vehicles with their packs, where each one is in
 * the loop, and the calendar of module actions still to come. Nothing here writes to the database;
 * the steps (fleet, usage, guarantees, used cars, end of life, second life) do, through the services.
 */
import type { Db } from '../db/database.ts';
import type { Cast } from './parties.ts';
import type { Random } from './random.ts';
import type { ModelSpec, WorldConfig } from './world.config.ts';

export const DAY_MS = 86_400_000;
export const YEAR_MS = 365.25 * DAY_MS;

export const iso = (ms: number) => new Date(Math.round(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

export interface SimPack {
  code: string;
  modules: string[];
  cells: string[];
  chemistry: 'LFP' | 'NCM';
  energyKwh: number;
  massKg: number;
  /** SOH lost per year and per 10,000 km (a weak pack fades faster). */
  fadePerYear: number;
  fadePer10000Km: number;
  installedAt: number;
  /** The vehicle's odometer when the pack was fitted (a replacement pack starts later). */
  odometerAtInstall: number;
  /** Resistance spread a bench test would find (%), and a safety finding if the pack has one. */
  spreadPercent: number;
  safetyFinding: 'swelling' | 'casing_damage' | 'water_ingress' | null;
}

export type VehicleStatus =
  | 'planned'
  | 'in_use'
  | 'in_stock'
  | 'sold_to_trade'
  | 'end_of_life'
  | 'dismantled';

export interface SimVehicle {
  n: number;
  vin: string;
  spec: ModelSpec;
  modelYear: number;
  legacy: boolean;
  producedAt: number;
  soldAt: number;
  dealer: number;
  kmPerYear: number;
  rideHailing: boolean;
  /** Odometer at `odometerAt`. */
  odometerKm: number;
  odometerAt: number;
  nextServiceKm: number;
  /** Month offset of this car's periodic readings (spreads them over the calendar). */
  phase: number;
  scrapAt: number;
  damage: number;
  structuralDamage: boolean;
  idiosyncrasy: number;
  pack: SimPack | null;
  /** A warranty pack replacement is on the calendar. */
  replacing?: boolean;
  status: VehicleStatus;
  contract: { id: string; termEndAt: number; gfvMinor: number } | null;
  salePriceMinor: number;
  stockCostMinor: number;
}

export interface Action {
  at: number;
  /** Tie-break so the calendar order never depends on insertion order. */
  key: string;
  run: () => Promise<void>;
}

export interface Tally {
  serviceCalls: number;
  refused: Record<string, number>;
}

export interface World {
  db: Db;
  seed: string;
  config: WorldConfig;
  random: Random;
  cast: Cast;
  start: number;
  end: number;
  vehicles: SimVehicle[];
  /** Module actions due, in calendar order. */
  actions: Action[];
  /** The simulated clock (ms), only ever moving forward. */
  now: number;
  counters: { cascade: number; battery: number; buyer: number };
  tally: Tally;
}

/** Odometer of a vehicle at `at` (it only goes up). */
export function odometerAt(v: SimVehicle, at: number): number {
  if (at <= v.odometerAt) return v.odometerKm;
  return Math.round(v.odometerKm + ((at - v.odometerAt) / YEAR_MS) * v.kmPerYear);
}

export function advanceOdometer(v: SimVehicle, at: number): number {
  v.odometerKm = odometerAt(v, at);
  v.odometerAt = Math.max(v.odometerAt, at);
  return v.odometerKm;
}

/** SOH (0–1) of a pack at `at` given the vehicle's odometer then, never below 0.4. */
export function sohOf(pack: SimPack, at: number, odometerKm: number): number {
  const kmSinceInstall = Math.max(0, odometerKm - pack.odometerAtInstall);
  const years = Math.max(0, (at - pack.installedAt) / YEAR_MS);
  const soh = 1.0 - pack.fadePerYear * years - pack.fadePer10000Km * (kmSinceInstall / 10_000);
  return Math.max(0.4, Math.round(soh * 1000) / 1000);
}

export function schedule(world: World, at: number, key: string, run: () => Promise<void>): void {
  world.actions.push({ at, key, run });
}

/** Add months to an instant (UTC calendar months, day clamped). */
export function addMonths(ms: number, months: number): number {
  const d = new Date(ms);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
  const days = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  return Date.UTC(
    target.getUTCFullYear(),
    target.getUTCMonth(),
    Math.min(d.getUTCDate(), days),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
  );
}

export const cny = (minor: number) => ({ amountMinor: Math.round(minor), currency: 'CNY' });
