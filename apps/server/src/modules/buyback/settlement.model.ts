/**
 * Pure settlement math of a returned car: the tiered excess-distance charge, fair wear and tear
 * versus damage (BVRLA thresholds, residual-value.md §4), repair-not-replace recharges, missing
 * items, and the statement total GFV − excess − damage − missing items, never below zero.
 * Money in integer minor units; rates per km in millionths of a major unit (exact integers).
 */
import type { DamageType, ReturnConditions } from './buyback.config.ts';

// ---------------------------------------------------------------- excess distance

/** One tier of the excess-distance charge: from `fromKm` beyond the allowance, `rateMicro` per km. */
export interface ExcessTier {
  fromKm: number;
  /** Rate per km in millionths of a major unit (0.50 CNY/km = 500000). */
  rateMicro: number;
}

/** "0.0926" → 92600 (millionths). The text form is the one the product file and the API carry. */
export function rateMicroOf(ratePerKm: string): number {
  const match = /^(\d+)(?:\.(\d{1,6}))?$/.exec(ratePerKm);
  if (!match) throw new RangeError(`not a rate per km: ${ratePerKm}`);
  return Number(match[1]) * 1_000_000 + Number((match[2] ?? '').padEnd(6, '0'));
}

/** Millionths of a major unit → the decimal number shown in JSON (92600 → 0.0926). */
export const ratePerKmOf = (rateMicro: number) => rateMicro / 1_000_000;

export interface ExcessLine {
  fromKm: number;
  /** Exclusive end of the tier's band, null for the last tier. */
  toKm: number | null;
  km: number;
  rateMicro: number;
  amountMinor: number;
}

/** Micro-major × km → minor units, rounded half up (amounts are never negative here). */
function microToMinor(micro: number, exponent: number): number {
  // micro / 10^6 major = micro × 10^exponent / 10^6 minor; integers throughout until the last step.
  const scaled = micro * 10 ** exponent;
  return Math.floor((scaled + 500_000) / 1_000_000);
}

/**
 * The excess-distance charge: each tier's rate applies to the kilometres inside its band (like tax
 * brackets), so the charge never jumps when a threshold is crossed. The charge is the sum of the
 * lines as shown on the statement.
 */
export function excessDistanceCharge(
  excessKm: number,
  tiers: readonly ExcessTier[],
  currencyExponent: number,
): { chargeMinor: number; lines: ExcessLine[] } {
  const lines: ExcessLine[] = [];
  const km = Math.max(0, Math.floor(excessKm));
  tiers.forEach((tier, i) => {
    const next = tiers[i + 1]?.fromKm ?? null;
    const inBand = Math.max(0, Math.min(km, next ?? km) - tier.fromKm);
    if (inBand === 0 && i > 0) return;
    lines.push({
      fromKm: tier.fromKm,
      toKm: next,
      km: inBand,
      rateMicro: tier.rateMicro,
      amountMinor: microToMinor(inBand * tier.rateMicro, currencyExponent),
    });
  });
  return { chargeMinor: lines.reduce((s, l) => s + l.amountMinor, 0), lines };
}

/** Distance beyond the allowance: what was driven under the contract minus the allowance, whole km. */
export function excessKmOf(odometerKm: number, odometerAtSaleKm: number, allowanceKm: number): number {
  return Math.max(0, Math.floor(odometerKm - odometerAtSaleKm) - allowanceKm);
}

// ---------------------------------------------------------------- fair wear and tear

export const glassZones = ['driver_view', 'wiper_swept', 'outside_swept'] as const;
export const chipLocations = ['panel', 'door_edge', 'forward_facing'] as const;

/** One finding of the return inspection, as the inspector records it. */
export interface DamageFinding {
  item: string;
  type: DamageType;
  /** Longest dimension in mm (for wheel scuffs: the total length around the rim). */
  sizeMm?: number;
  /** How many of this finding on the panel (chips, dents, scratches); default 1. */
  count?: number;
  zone?: (typeof glassZones)[number];
  location?: (typeof chipLocations)[number];
  treadMm?: number;
  /** Aggravating or mitigating facts, named as in the rules: rusted, paintBroken, onSwageLine, cleanable… */
  conditions?: string[];
  repairCostMinor: number;
  replaceCostMinor?: number;
  /** false when the only repair is a replacement (a cracked windscreen, a tyre below the legal tread). */
  repairable?: boolean;
}

export interface DamageAssessment {
  item: string;
  type: DamageType;
  withinFairWearAndTear: boolean;
  /** Why: the rule that made it acceptable or chargeable. */
  reason: string;
  basis: 'none' | 'repair' | 'replace';
  amountMinor: number;
}

/** Which limits a finding breaks; empty = fair wear and tear. */
export function wearAndTearBreaches(finding: DamageFinding, rules: ReturnConditions): string[] {
  const rule = rules.damage[finding.type];
  const breaches: string[] = [];
  const conditions = new Set(finding.conditions ?? []);
  const count = finding.count ?? 1;
  if (rule.acceptable === false) return [`${finding.type.replace('_', ' ')} is never fair wear and tear`];
  for (const c of rule.notAcceptableIf ?? []) if (conditions.has(c)) breaches.push(`${c}`);
  if (rule.acceptableIf && !rule.acceptableIf.some((c) => conditions.has(c)))
    breaches.push(`not ${rule.acceptableIf.join(' or ')}`);
  const size = finding.sizeMm;
  if (rule.maxSizeMm !== undefined && size !== undefined && size > rule.maxSizeMm)
    breaches.push(`${size} mm > ${rule.maxSizeMm} mm`);
  if (rule.maxTotalSizeMm !== undefined && size !== undefined && size > rule.maxTotalSizeMm)
    breaches.push(`${size} mm in total > ${rule.maxTotalSizeMm} mm`);
  if (rule.maxSizeMmByZone && size !== undefined) {
    const limit = rule.maxSizeMmByZone[finding.zone ?? 'outside_swept'];
    if (limit !== null && limit !== undefined && size > limit)
      breaches.push(
        `${size} mm > ${limit} mm in the ${(finding.zone ?? 'outside_swept').replace('_', ' ')} zone`,
      );
  }
  const countLimit =
    finding.location === 'door_edge'
      ? (rule.maxCountOnDoorEdge ?? rule.maxCountPerPanel)
      : finding.location === 'forward_facing'
        ? (rule.maxCountOnForwardFacingPanel ?? rule.maxCountPerPanel)
        : rule.maxCountPerPanel;
  if (countLimit !== undefined && count > countLimit) breaches.push(`${count} on the panel > ${countLimit}`);
  if (rule.minTreadMm !== undefined && finding.treadMm !== undefined && finding.treadMm < rule.minTreadMm)
    breaches.push(`tread ${finding.treadMm} mm < ${rule.minTreadMm} mm`);
  return breaches;
}

/** The measurements a rule needs to judge a finding; missing ones are input errors, never guesses. */
export function missingMeasurements(finding: DamageFinding, rules: ReturnConditions): string[] {
  const rule = rules.damage[finding.type];
  if (rule.acceptable === false) return [];
  const needs: string[] = [];
  const needsSize =
    rule.maxSizeMm !== undefined || rule.maxTotalSizeMm !== undefined || rule.maxSizeMmByZone !== undefined;
  if (needsSize && finding.sizeMm === undefined) needs.push('sizeMm');
  if (rule.maxSizeMmByZone !== undefined && finding.zone === undefined) needs.push('zone');
  if (rule.minTreadMm !== undefined && finding.treadMm === undefined) needs.push('treadMm');
  return needs;
}

/**
 * Fair wear and tear costs nothing; damage is recharged at the cost of repair, not of replacement
 * (residual-value.md §4, repair-rather-than-replace), and never at more than a replacement would
 * cost. Where replacement is the only repair, the replacement cost is charged.
 */
export function assessDamage(finding: DamageFinding, rules: ReturnConditions): DamageAssessment {
  const breaches = wearAndTearBreaches(finding, rules);
  if (breaches.length === 0) {
    return {
      item: finding.item,
      type: finding.type,
      withinFairWearAndTear: true,
      reason: 'within fair wear and tear',
      basis: 'none',
      amountMinor: 0,
    };
  }
  const replace = finding.repairable === false;
  const amountMinor = replace
    ? (finding.replaceCostMinor ?? finding.repairCostMinor)
    : Math.min(finding.repairCostMinor, finding.replaceCostMinor ?? Number.POSITIVE_INFINITY);
  return {
    item: finding.item,
    type: finding.type,
    withinFairWearAndTear: false,
    reason: breaches.join('; '),
    basis: replace ? 'replace' : 'repair',
    amountMinor,
  };
}

// ---------------------------------------------------------------- the statement

export interface ChargeLine {
  item: string;
  amountMinor: number;
}

/** GFV − excess-distance charge − damage recharges − missing items, never below zero. */
export function settlementTotal(input: {
  gfvMinor: number;
  excessChargeMinor: number;
  damageCharges: readonly ChargeLine[];
  missingItems: readonly ChargeLine[];
}): number {
  const damage = input.damageCharges.reduce((s, c) => s + c.amountMinor, 0);
  const missing = input.missingItems.reduce((s, c) => s + c.amountMinor, 0);
  return Math.max(0, input.gfvMinor - input.excessChargeMinor - damage - missing);
}
