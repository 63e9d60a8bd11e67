/**
 * The valuation engine as remarketing uses it (modules/valuation/index.ts): GB/T 30323 scoring of an
 * inspection, the retail (B2C) value of a stock car with its condition and battery health, the SOH a
 * pack is expected to have, and the grade factors that move a value when reconditioning changes the
 * grade. The wholesale price is derived from the retail value by the price table (the engine values
 * one price basis at a time).
 */
import type { Db } from '../../db/database.ts';
import { currencyExponent } from '../../shared/money.ts';
import type { Principal } from '../parties/index.ts';
import {
  type Appraisal,
  expectedSoh,
  type Inspection,
  type InspectionInput,
  type SohAdjustment,
  scoreTechnicalCondition,
  sohAdjustment,
  valuationConfig,
  valueVehicle,
} from '../valuation/index.ts';
import type { VehicleHistorySummary } from './remarketing.history.ts';

export type AppraiseInputParsed = Inspection;

export interface RetailValuation {
  retailMinor: number;
  p10Minor: number;
  p90Minor: number;
  currency: string;
  valuationId: string;
  modelVersion: string | null;
  /** How the value is labelled in breakdowns, e.g. "valuation val-… P50, b2c". */
  source: string;
  explanation: string;
}

/** Score an inspection with the valuation module's checklist (throws a DomainError naming bad fields). */
export function scoreInspection(inspection: InspectionInput): Appraisal {
  return scoreTechnicalCondition(inspection, valuationConfig().checklist);
}

/** The grade factors the valuation engine applies to a market value (valuation-methods table). */
export function conditionTables(): { gradeFactor: Record<string, number>; label: string } {
  const methods = valuationConfig().methods as unknown as {
    table?: string;
    version?: string;
    condition: { gradeFactor: Record<string, number> };
  };
  return {
    gradeFactor: methods.condition.gradeFactor,
    label: `${methods.table ?? 'valuation-methods'}@${methods.version ?? '?'}`,
  };
}

/** SOH (fraction) a pack is expected to have at this age and odometer (battery-soh table). */
export function expectedSohFraction(ageYears: number, odometerKm: number): number {
  return expectedSoh(valuationConfig().batterySoh, ageYears, odometerKm);
}

const fuelOfPowertrain: Record<string, string> = {
  bev: 'electric',
  phev: 'plug-in hybrid',
  erev: 'plug-in hybrid',
  hev: 'hybrid',
  fcev: 'hydrogen',
};

export const fuelOf = (powertrain: string): string | null => fuelOfPowertrain[powertrain] ?? null;

/** The value factor of a measured SOH against the SOH expected at this age and mileage. */
export function batteryAdjustment(
  powertrain: string,
  sohFraction: number,
  ageYears: number,
  odometerKm: number,
): SohAdjustment {
  return sohAdjustment(
    valuationConfig().batterySoh,
    fuelOf(powertrain) ?? 'petrol',
    sohFraction,
    ageYears,
    odometerKm,
  );
}

const valuationUseClasses = new Set(['private', 'taxi', 'rental', 'ride_hailing', 'driving_school']);

/**
 * The retail (B2C) value of a stock car from the valuation engine: the registry's make, model and
 * year, the odometer, first registration and use class from the log, the inspection and SOH when
 * given. The engine stores the valuation; its id is kept as provenance.
 */
export async function valueRetail(
  db: Db,
  principal: Principal,
  ctx: {
    vehicle: { vin: string; make: string; model: string; modelYear: number | null; trim: string | null };
    history: VehicleHistorySummary;
    appraisal?: { odometer_km: number; inspection: string | null; battery: string | null } | undefined;
  },
  currency: string,
  asOf: string,
  inspection: Inspection | undefined,
  sohFraction?: number,
  odometerKm?: number,
): Promise<RetailValuation> {
  const year = ctx.vehicle.modelYear ?? ctx.history.production?.modelYear ?? undefined;
  const stored = ctx.appraisal?.inspection ? (JSON.parse(ctx.appraisal.inspection) as Inspection) : undefined;
  const soh =
    sohFraction ??
    (ctx.appraisal?.battery
      ? (JSON.parse(ctx.appraisal.battery) as { sohPercent: number }).sohPercent / 100
      : undefined);
  const useClass = ctx.history.registration?.useClass;
  const km = odometerKm ?? Math.max(ctx.appraisal?.odometer_km ?? 0, ctx.history.odometer.highestKm ?? 0);
  const valuation = await valueVehicle(db, principal, {
    vehicle: {
      vin: ctx.vehicle.vin,
      make: ctx.vehicle.make,
      model: ctx.vehicle.model,
      ...(year ? { year } : {}),
      odometerKm: km,
      currency,
      ...(soh !== undefined ? { soh: Math.min(1, Math.max(0, soh)) } : {}),
      ...(ctx.history.registration
        ? { registeredAt: ctx.history.registration.registeredAt.slice(0, 10) }
        : {}),
      ...(useClass && valuationUseClasses.has(useClass) ? { useClass } : {}),
    },
    valuationDate: asOf.slice(0, 10),
    ...((inspection ?? stored) ? { inspection: (inspection ?? stored)! } : {}),
    priceBasis: 'b2c',
    recordEvent: false,
  });
  const scale = 10 ** currencyExponent(currency);
  const minor = (major: number) => Math.round(major * scale);
  return {
    retailMinor: minor(valuation.final.p50),
    p10Minor: minor(valuation.final.p10),
    p90Minor: minor(valuation.final.p90),
    currency,
    valuationId: valuation.id,
    modelVersion: valuation.modelVersion,
    source: `valuation ${valuation.id} P50, b2c${valuation.modelVersion ? `, model ${valuation.modelVersion}` : ''}`,
    explanation: valuation.explanation,
  };
}
