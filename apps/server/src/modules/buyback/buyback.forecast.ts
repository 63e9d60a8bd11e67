/**
 * What the buyback module needs from the valuation engine, behind one small interface: a value
 * forecast at a future date and odometer, and the GB/T 30323 scoring of a return inspection. The
 * service takes a `ValuationPort`; `valuationEngine` is the real one (modules/valuation/index.ts),
 * and tests may pass a fixed one.
 */
import type { Db } from '../../db/database.ts';

export interface ForecastQuery {
  make: string;
  model: string;
  trim?: string;
  year: number;
  fuel: string;
  transmission?: string;
  engineL?: number;
  /** New (list) price in major units of `currency`. */
  newPrice?: number;
  currency: string;
  /** The date the value is wanted for (ISO 8601). */
  atDate: string;
  odometerKm: number;
  /** Battery state of health at `atDate`, 0–1. */
  soh?: number;
  /** GB/T 30323 technical-condition score (0–100), when an appraisal is at hand. */
  conditionScore?: number;
}

export interface TrailStep {
  step: string;
  detail: string;
  value?: number | string;
}

export interface ValueForecast {
  /** Major units of `currency`. */
  p10: number;
  p50: number;
  p90: number;
  currency: string;
  modelVersion: string | null;
  /** The price type of the values (C2B buy-in, wholesale or B2C retail), when the engine says. */
  priceBasis?: 'c2b' | 'wholesale' | 'b2c';
  /** How the engine got there, step by step. */
  trail: TrailStep[];
}

/** GB/T 30323-2013 technical-condition result of a return inspection. */
export interface ConditionAppraisal {
  score: number;
  /** 1–4 from the score; 5 = accident car (事故车) whatever the score. */
  grade: 1 | 2 | 3 | 4 | 5;
  accident: boolean;
  flood: boolean;
  fire: boolean;
  /** The engine's full result (categories, deductions, trail), kept on the statement. */
  detail: unknown;
}

export interface ValuationPort {
  /** The term-end value distribution; throws a DomainError (with an instruction) when it cannot. */
  forecast(db: Db, query: ForecastQuery): Promise<ValueForecast>;
  /** Score a GB/T 30323 inspection; throws a DomainError naming bad fields. */
  appraise(db: Db, inspection: unknown): Promise<ConditionAppraisal>;
  /** SOH (0–1) a new pack is expected to have after `ageYears` and `odometerKm`, if the engine has a fade curve. */
  expectedSoh?(ageYears: number, odometerKm: number): number | undefined;
}
