/**
 * Pure rules of ELV dismantling: refusal checks at intake, the pre-treatment checklist, five-assembly
 * codes, ISO 22628 recyclability / recoverability rates, batch allocation, deadlines. No I/O.
 */
import type { FieldError } from '../../shared/errors.ts';
import { addWorkingDays, chinaDate } from '../../shared/working-days.ts';
import rulesJson from './data/elv-rules.json' with { type: 'json' };

export const intakeFlags = [
  'mortgaged',
  'frame-missing',
  'engine-missing',
  'battery-missing',
  'stolen',
] as const;
export type IntakeFlag = (typeof intakeFlags)[number];

export const materialCategories = [
  'ferrous',
  'aluminium',
  'copper',
  'plastics',
  'glass',
  'rubber',
  'fluids',
  'shredder_residue',
] as const;
export type MaterialCategory = (typeof materialCategories)[number];
export const treatments = ['recycling', 'energy_recovery', 'disposal'] as const;
export type Treatment = (typeof treatments)[number];

interface RefusalRule {
  code: string;
  message: string;
  rule: string;
  inForceFrom?: string;
}

export const rules = rulesJson as unknown as {
  version: string;
  refusals: Record<IntakeFlag, RefusalRule>;
  newEnergyPowertrains: { values: string[] };
  certificate: { numberPrefix: string };
  pretreatment: { minimumDrainageRate: number; source: string };
  traceability: { intakeReportWorkingDays: number; batteryOutboundWorkingDays: number; source: string };
  recoveryTargets: { reuseAndRecycling: number; reuseAndRecovery: number; source: string };
  materials: Record<MaterialCategory, { zh: string; defaultTreatment: Treatment }>;
};

export const isNewEnergy = (powertrain: string | null | undefined): boolean =>
  powertrain != null && rules.newEnergyPowertrains.values.includes(powertrain);

// ---------------------------------------------------------------- intake refusals

export interface RefusalReason {
  code: string;
  flag: IntakeFlag;
  message: string;
  rule: string;
}

export interface IntakeAssessment {
  refusals: RefusalReason[];
  /** Items recorded as missing on the vehicle.elv_received event (实施细则 Art. 20). */
  missingItems: string[];
  /** Facts that do not block the certificate but must be shown (e.g. written explanation needed). */
  warnings: string[];
}

/**
 * Which flags refuse a recycling certificate. The traction-battery rule (车电一体报废) applies to
 * vehicles received from 2026-04-01 on; before that a missing battery is an incompleteness the
 * owner explains in writing.
 */
export function assessIntake(flags: readonly IntakeFlag[], receivedAt: string): IntakeAssessment {
  const refusals: RefusalReason[] = [];
  const missingItems: string[] = [];
  const warnings: string[] = [];
  for (const flag of intakeFlags.filter((f) => flags.includes(f))) {
    const rule = rules.refusals[flag];
    if (
      flag === 'battery-missing' &&
      rule.inForceFrom &&
      Date.parse(receivedAt) < Date.parse(rule.inForceFrom)
    ) {
      missingItems.push('traction_battery');
      warnings.push(
        'received without its traction battery before the 2026 rule: the owner must explain in writing (实施细则 Art. 20)',
      );
      continue;
    }
    refusals.push({ code: rule.code, flag, message: rule.message, rule: rule.rule });
  }
  return { refusals, missingItems, warnings };
}

// ---------------------------------------------------------------- certificate numbers

export function certificateNumber(
  year: number,
  sequence: number,
  prefix = rules.certificate.numberPrefix,
): string {
  return `${prefix}-${year}-${String(sequence).padStart(7, '0')}`;
}

// ---------------------------------------------------------------- pre-treatment (GB 22128)

export interface PretreatmentChecklist {
  completedAt: string;
  siteId: string;
  tractionBattery?: {
    packCode: string;
    highVoltageIsolatedAt: string;
    removedAt: string;
    massKg?: number | undefined;
  };
  lowVoltageBattery: { removed: boolean; massKg?: number | undefined };
  airbags: { fitted: number; neutralised: number; method?: string | undefined };
  fluids: Array<{ fluid: string; capacityLitres: number; drainedLitres: number }>;
  refrigerant: { type: string; recoveredKg: number };
}

export interface PretreatmentContext {
  receivedAt: string;
  /** NEV per the traceability rules: a traction battery must come out first. */
  newEnergy: boolean;
  /** Pack code recorded at intake, if any. */
  packCodeAtIntake: string | null;
}

export interface FluidDrainage {
  fluid: string;
  capacityLitres: number;
  drainedLitres: number;
  /** drained / capacity; 1 when the system was empty (capacity 0). */
  rate: number;
}

export const drainageRate = (capacityLitres: number, drainedLitres: number): number =>
  capacityLitres === 0 ? 1 : drainedLitres / capacityLitres;

/**
 * Every reason the checklist is not a complete GB 22128 pre-treatment, as field errors; an empty
 * list means dismantling may start.
 */
export function checkPretreatment(
  checklist: PretreatmentChecklist,
  context: PretreatmentContext,
): FieldError[] {
  const errors: FieldError[] = [];
  const at = (iso: string) => Date.parse(iso);
  if (at(checklist.completedAt) < at(context.receivedAt))
    errors.push({
      field: 'completedAt',
      message: `is before the vehicle was received (${context.receivedAt})`,
    });
  const battery = checklist.tractionBattery;
  if (context.newEnergy && !battery) {
    errors.push({
      field: 'tractionBattery',
      message: 'a new-energy vehicle: the traction battery must be removed in pre-treatment (GB 22128-2019)',
    });
  }
  if (battery) {
    if (context.packCodeAtIntake && battery.packCode !== context.packCodeAtIntake)
      errors.push({
        field: 'tractionBattery.packCode',
        message: `${battery.packCode} is not the pack received with the vehicle (${context.packCodeAtIntake})`,
      });
    // High-voltage isolation comes before any work on the pack.
    if (at(battery.highVoltageIsolatedAt) > at(battery.removedAt))
      errors.push({
        field: 'tractionBattery.highVoltageIsolatedAt',
        message: 'the high-voltage system must be isolated before the traction battery is removed',
      });
    if (at(battery.removedAt) > at(checklist.completedAt))
      errors.push({ field: 'tractionBattery.removedAt', message: 'is after completedAt' });
    if (at(battery.highVoltageIsolatedAt) < at(context.receivedAt))
      errors.push({
        field: 'tractionBattery.highVoltageIsolatedAt',
        message: 'is before the vehicle was received',
      });
  }
  if (!checklist.lowVoltageBattery.removed)
    errors.push({
      field: 'lowVoltageBattery.removed',
      message: 'the 12 V battery must be removed in pre-treatment',
    });
  if (checklist.airbags.neutralised !== checklist.airbags.fitted)
    errors.push({
      field: 'airbags.neutralised',
      message: `${checklist.airbags.neutralised} of ${checklist.airbags.fitted} airbags neutralised: all must be deployed or removed and detonated`,
    });
  if (checklist.airbags.neutralised > checklist.airbags.fitted)
    errors.push({ field: 'airbags.fitted', message: 'fewer than the airbags neutralised' });
  const minimum = rules.pretreatment.minimumDrainageRate;
  const seen = new Set<string>();
  checklist.fluids.forEach((f, i) => {
    if (seen.has(f.fluid)) errors.push({ field: `fluids.${i}.fluid`, message: `${f.fluid} is listed twice` });
    seen.add(f.fluid);
    const rate = drainageRate(f.capacityLitres, f.drainedLitres);
    if (rate < minimum)
      errors.push({
        field: `fluids.${i}.drainedLitres`,
        message: `${f.fluid}: drained ${f.drainedLitres} of ${f.capacityLitres} l = ${percent(rate)} < ${percent(minimum)} (GB 22128 drainage rate)`,
      });
  });
  if (checklist.fluids.length === 0)
    errors.push({
      field: 'fluids',
      message: 'list every fluid drained, with its capacity and drained volume',
    });
  if (checklist.refrigerant.type === 'none' && checklist.refrigerant.recoveredKg !== 0)
    errors.push({ field: 'refrigerant.recoveredKg', message: 'must be 0 when the type is none' });
  return errors;
}

export const percent = (rate: number) => `${(Math.round(rate * 1000) / 10).toFixed(1)} %`;

export function drainageOf(checklist: PretreatmentChecklist): FluidDrainage[] {
  return checklist.fluids.map((f) => ({
    ...f,
    rate: round(drainageRate(f.capacityLitres, f.drainedLitres), 4),
  }));
}

// ---------------------------------------------------------------- five assemblies

const assemblyCodeSuffix: Record<string, string> = {
  engine: 'EN',
  steering_gear: 'SG',
  transmission: 'TR',
  front_axle: 'FA',
  rear_axle: 'RA',
  frame: 'FR',
};

/** Default code of the n-th (1-based) assembly of a type: the VIN, then the type, e.g. `<VIN>-FR1`. */
export const defaultAssemblyCode = (vin: string, type: string, n: number): string =>
  `${vin}-${assemblyCodeSuffix[type] ?? 'AS'}${n}`;

/**
 * 实施细则: assemblies sold for remanufacturing are coded and the frame's code must carry the original
 * VIN. Carloop holds every five-assembly code to the same rule, so each assembly traces to its ELV.
 */
export function assemblyCodeCarriesVin(code: string, vin: string): boolean {
  return code.includes(vin);
}

// ---------------------------------------------------------------- ISO 22628 rates

export interface MassBalanceInput {
  /** Vehicle mass recorded at intake (m_V). */
  massKg: number;
  /** Parts for reuse and assemblies to remanufacturing (m_D reuse). */
  reuseKg: number;
  /** Traction battery removed in pre-treatment (m_P), counted as recycled unless reused. */
  batteryKg: number;
  batteryReused: boolean;
  outputs: Array<{ treatment: Treatment; massKg: number }>;
}

export interface RecoveryRates {
  massKg: number;
  reuseKg: number;
  recycleKg: number;
  energyRecoveryKg: number;
  disposalKg: number;
  unaccountedKg: number;
  /** (reuse + recycling) / vehicle mass — ISO 22628 R_cyc, as a fraction. */
  recyclabilityRate: number;
  /** (reuse + recycling + energy recovery) / vehicle mass — ISO 22628 R_cov, as a fraction. */
  recoverabilityRate: number;
  targets: { recyclability: number; recoverability: number };
  meetsTargets: { recyclability: boolean; recoverability: boolean };
}

const round = (value: number, digits: number) => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

/** ISO 22628 / GB/T 19515 §6 rates from a vehicle's (or a period's summed) mass balance. */
export function recoveryRates(input: MassBalanceInput): RecoveryRates {
  const sum = (t: Treatment) =>
    input.outputs.filter((o) => o.treatment === t).reduce((s, o) => s + o.massKg, 0);
  const reuseKg = input.reuseKg + (input.batteryReused ? input.batteryKg : 0);
  const recycleKg = sum('recycling') + (input.batteryReused ? 0 : input.batteryKg);
  const energyRecoveryKg = sum('energy_recovery');
  const disposalKg = sum('disposal');
  const recyclability = input.massKg > 0 ? (reuseKg + recycleKg) / input.massKg : 0;
  const recoverability = input.massKg > 0 ? (reuseKg + recycleKg + energyRecoveryKg) / input.massKg : 0;
  const targets = {
    recyclability: rules.recoveryTargets.reuseAndRecycling,
    recoverability: rules.recoveryTargets.reuseAndRecovery,
  };
  return {
    massKg: round(input.massKg, 3),
    reuseKg: round(reuseKg, 3),
    recycleKg: round(recycleKg, 3),
    energyRecoveryKg: round(energyRecoveryKg, 3),
    disposalKg: round(disposalKg, 3),
    unaccountedKg: round(input.massKg - reuseKg - recycleKg - energyRecoveryKg - disposalKg, 3),
    recyclabilityRate: round(recyclability, 4),
    recoverabilityRate: round(recoverability, 4),
    targets,
    meetsTargets: {
      recyclability: recyclability >= targets.recyclability,
      recoverability: recoverability >= targets.recoverability,
    },
  };
}

/** Sum several vehicles' balances (EU targets are by average weight, i.e. summed masses). */
export function sumBalances(balances: readonly MassBalanceInput[]): MassBalanceInput {
  return {
    massKg: balances.reduce((s, b) => s + b.massKg, 0),
    reuseKg: balances.reduce((s, b) => s + b.reuseKg + (b.batteryReused ? b.batteryKg : 0), 0),
    batteryKg: balances.reduce((s, b) => s + (b.batteryReused ? 0 : b.batteryKg), 0),
    batteryReused: false,
    outputs: balances.flatMap((b) => b.outputs),
  };
}

/** Mass accounted for so far: what may not exceed the vehicle's mass. */
export const accountedKg = (b: MassBalanceInput): number =>
  b.reuseKg + b.batteryKg + b.outputs.reduce((s, o) => s + o.massKg, 0);

/**
 * Split a batch output (a shredder campaign) over its vehicles in proportion to their intake
 * masses, to the gram, by largest remainder: the shares are never negative and add up to the whole.
 */
export function allocateByMass(totalKg: number, vehicleMasses: readonly number[]): number[] {
  const total = vehicleMasses.reduce((s, m) => s + m, 0);
  const grams = Math.round(totalKg * 1000);
  const exact = vehicleMasses.map((m) => (grams * m) / total);
  const shares = exact.map(Math.floor);
  let left = grams - shares.reduce((s, g) => s + g, 0);
  const byRemainder = exact
    .map((x, i) => ({ i, r: x - Math.floor(x) }))
    .sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of byRemainder) {
    if (left <= 0) break;
    shares[i]! += 1;
    left -= 1;
  }
  return shares.map((g) => g / 1000);
}

// ---------------------------------------------------------------- deadlines

export type DeadlineStatus = 'on_time' | 'late' | 'pending' | 'overdue';

/** 15 working days (MIIT 2018 Art. 13) after an event, in China's calendar. */
export const workingDayDeadline = (eventAt: string, days: number): string => addWorkingDays(eventAt, days);

/** Whether a duty done at `doneAt` (or not yet, as of `asOf`) met its deadline date (inclusive). */
export function deadlineStatus(deadline: string, doneAt: string | null, asOf: string): DeadlineStatus {
  if (doneAt !== null) return chinaDate(doneAt) <= deadline ? 'on_time' : 'late';
  return chinaDate(asOf) <= deadline ? 'pending' : 'overdue';
}

// ---------------------------------------------------------------- receiving enterprise codes

const usccAlphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const usccWeights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** GB 32100-2015 unified social credit code check character for the first 17 characters. */
export function usccCheckCharacter(first17: string): string | null {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = usccAlphabet.indexOf(first17[i] ?? '?');
    if (value < 0) return null;
    sum += value * usccWeights[i]!;
  }
  return usccAlphabet[(31 - (sum % 31)) % 31]!;
}

/** A receiver code: an 18-character USCC (GB 32100-2015, check character verified) or a 9-digit DUNS. */
export function checkEnterpriseCode(code: string): string | null {
  if (/^\d{9}$/.test(code)) return null;
  if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(code))
    return 'an 18-character unified social credit code (GB 32100-2015) or a 9-digit DUNS number';
  const expected = usccCheckCharacter(code.slice(0, 17));
  return expected === code[17] ? null : `check character should be ${expected} (GB 32100-2015)`;
}
