/**
 * Pure battery math: state of health, resistance spread, grading by rules, expected material
 * content by chemistry, lot attribution, mass balance against recovery targets, recycled content.
 * No I/O: the tables it reads are the versioned data files under ./data.
 */
import elementFractions from './data/element-fractions.json' with { type: 'json' };
import gradingRules from './data/grading-rules.json' with { type: 'json' };
import materialIntensity from './data/material-intensity.json' with { type: 'json' };
import recoveryTargets from './data/recovery-targets.json' with { type: 'json' };

const round = (value: number, digits = 2) => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

// ---------------------------------------------------------------- state of health

export interface SohMeasurement {
  measuredEnergyKwh?: number | undefined;
  ratedEnergyKwh?: number | undefined;
  measuredCapacityAh?: number | undefined;
  ratedCapacityAh?: number | undefined;
  /** A value read from the BMS or a third-party report, when nothing was measured here. */
  sohPercent?: number | undefined;
}

export type SohBasis = 'capacity' | 'energy' | 'reported';

/**
 * SOH = measured / rated × 100 (GB/T 34015-2017 residual-energy test; for EV batteries the EU
 * passport's SOCE is the energy ratio, UN GTR 22). Capacity (Ah) wins when both pairs are given.
 */
export function stateOfHealth(m: SohMeasurement): { sohPercent: number; basis: SohBasis } | null {
  if (m.measuredCapacityAh !== undefined && m.ratedCapacityAh !== undefined && m.ratedCapacityAh > 0)
    return { sohPercent: round((m.measuredCapacityAh / m.ratedCapacityAh) * 100), basis: 'capacity' };
  if (m.measuredEnergyKwh !== undefined && m.ratedEnergyKwh !== undefined && m.ratedEnergyKwh > 0)
    return { sohPercent: round((m.measuredEnergyKwh / m.ratedEnergyKwh) * 100), basis: 'energy' };
  if (m.sohPercent !== undefined) return { sohPercent: round(m.sohPercent), basis: 'reported' };
  return null;
}

/** Spread of module or cell resistances: (max − min) / mean × 100; the weakest cell limits the string. */
export function resistanceSpreadPercent(values: readonly number[]): number | null {
  if (values.length < 2) return null;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  if (mean <= 0) return null;
  return round(((Math.max(...values) - Math.min(...values)) / mean) * 100);
}

// ---------------------------------------------------------------- grading

export const gradingRoutes = [
  'reuse_in_vehicle',
  'cascade_stationary_storage',
  'cascade_low_power',
  'recycle',
] as const;
export type GradingRoute = (typeof gradingRoutes)[number];

/** The lifecycle event's coarse route and use for each grading route. */
export const routeInLog: Record<
  GradingRoute,
  {
    route: 'reuse' | 'repurpose' | 'recycle';
    use: 'vehicle_reuse' | 'stationary_storage' | 'low_power' | 'recycling';
  }
> = {
  reuse_in_vehicle: { route: 'reuse', use: 'vehicle_reuse' },
  cascade_stationary_storage: { route: 'repurpose', use: 'stationary_storage' },
  cascade_low_power: { route: 'repurpose', use: 'low_power' },
  recycle: { route: 'recycle', use: 'recycling' },
};

export interface GradingConditions {
  minSohPercent?: number | undefined;
  maxResistanceSpreadPercent?: number | undefined;
  /** Without a measured spread the rule does not match (else the spread condition is skipped). */
  resistanceSpreadRequired?: boolean | undefined;
  noSafetyFindings?: boolean | undefined;
  anySafetyFinding?: readonly string[] | undefined;
}

export interface GradingRule {
  id: string;
  grade: 'A' | 'B' | 'C' | 'D';
  route: GradingRoute;
  when: GradingConditions;
  why: string;
}

export interface GradingRuleSet {
  version: string;
  source?: string | undefined;
  rules: readonly GradingRule[];
  routeApplications?: Partial<Record<GradingRoute, readonly string[]>> | undefined;
}

/** The versioned default rule set (data/grading-rules.json). */
export const defaultGradingRules = gradingRules as GradingRuleSet;

export interface GradingFacts {
  sohPercent: number;
  resistanceSpreadPercent: number | null;
  safetyFindings: readonly string[];
}

export interface ConditionOutcome {
  condition: string;
  passed: boolean;
  detail: string;
}

export interface RuleEvaluation {
  ruleId: string;
  route: GradingRoute;
  grade: GradingRule['grade'];
  matched: boolean;
  conditions: ConditionOutcome[];
}

export interface GradingResult {
  rule: GradingRule;
  reason: string;
  evaluations: RuleEvaluation[];
}

const pct = (v: number) => `${round(v)} %`;

function checkConditions(when: GradingConditions, facts: GradingFacts): ConditionOutcome[] {
  const out: ConditionOutcome[] = [];
  if (when.anySafetyFinding !== undefined) {
    const hits = facts.safetyFindings.filter((f) => when.anySafetyFinding!.includes(f));
    out.push({
      condition: 'anySafetyFinding',
      passed: hits.length > 0,
      detail: hits.length > 0 ? `safety finding: ${hits.join(', ')}` : 'no disqualifying safety finding',
    });
  }
  if (when.noSafetyFindings) {
    const none = facts.safetyFindings.length === 0;
    out.push({
      condition: 'noSafetyFindings',
      passed: none,
      detail: none ? 'no safety findings' : `safety findings: ${facts.safetyFindings.join(', ')}`,
    });
  }
  if (when.minSohPercent !== undefined) {
    const passed = facts.sohPercent >= when.minSohPercent;
    out.push({
      condition: 'minSohPercent',
      passed,
      detail: `SOH ${pct(facts.sohPercent)} ${passed ? '≥' : '<'} ${pct(when.minSohPercent)}`,
    });
  }
  if (when.maxResistanceSpreadPercent !== undefined) {
    const spread = facts.resistanceSpreadPercent;
    if (spread === null) {
      const required = when.resistanceSpreadRequired === true;
      out.push({
        condition: 'maxResistanceSpreadPercent',
        passed: !required,
        detail: required
          ? 'resistance spread not measured (required for this route)'
          : 'resistance spread not measured (condition skipped)',
      });
    } else {
      const passed = spread <= when.maxResistanceSpreadPercent;
      out.push({
        condition: 'maxResistanceSpreadPercent',
        passed,
        detail: `resistance spread ${pct(spread)} ${passed ? '≤' : '>'} ${pct(when.maxResistanceSpreadPercent)}`,
      });
    }
  }
  return out;
}

/**
 * Grade by the first rule whose conditions all hold (rules are ordered from the safety screen to
 * the catch-all). The reason names the matched rule's conditions and why each earlier route failed.
 */
export function gradeBattery(ruleSet: GradingRuleSet, facts: GradingFacts): GradingResult {
  const evaluations: RuleEvaluation[] = [];
  for (const rule of ruleSet.rules) {
    const conditions = checkConditions(rule.when, facts);
    const matched = conditions.every((c) => c.passed);
    evaluations.push({ ruleId: rule.id, route: rule.route, grade: rule.grade, matched, conditions });
    if (!matched) continue;
    const held = conditions.map((c) => c.detail);
    const failedBefore = evaluations.slice(0, -1).map(
      (e) =>
        `not ${e.ruleId}: ${e.conditions
          .filter((c) => !c.passed)
          .map((c) => c.detail)
          .join('; ')}`,
    );
    const reason = [
      `${rule.id} → ${rule.route} (grade ${rule.grade}): ${rule.why}`,
      held.length > 0 ? held.join('; ') : null,
      ...failedBefore,
    ]
      .filter((p): p is string => p !== null)
      .join('. ');
    return { rule, reason, evaluations };
  }
  throw new Error(`rule set ${ruleSet.version} has no catch-all rule`);
}

/** Whether a graded route permits a second-life application (rule set's routeApplications). */
export function routePermits(ruleSet: GradingRuleSet, route: GradingRoute, application: string): boolean {
  const allowed = ruleSet.routeApplications?.[route];
  if (allowed === undefined) return route !== 'recycle';
  return allowed.includes(application);
}

// ---------------------------------------------------------------- material content by chemistry

export const contentElements = [
  'lithium',
  'nickel',
  'cobalt',
  'manganese',
  'copper',
  'graphite',
  'iron',
] as const;
export type ContentElement = (typeof contentElements)[number];
/** Materials counted by element in the mass balance (aluminium has no sourced intensity). */
export const elementMaterials = [...contentElements, 'aluminium'] as const;
export type ElementMaterial = (typeof elementMaterials)[number];

type Intensity = Record<ContentElement, number>;
interface IntensityTable {
  version: string;
  source: string;
  containmentTolerancePercent: number;
  chemistries: Record<string, Intensity | { expected: string; upperBound: string[] }>;
  aliases: Record<string, string>;
}
const intensity = materialIntensity as unknown as IntensityTable;

export const materialIntensityVersion = intensity.version;

/**
 * The table key for a chemistry name: 'NMC622', 'NCM523' (Chinese order), 'LFP', 'NCA', or the
 * generic 'NCM' (GB/T 34014 letter E). Null when the table has no row for it.
 */
export function intensityKeyOf(chemistry: string | null | undefined): string | null {
  if (!chemistry) return null;
  const key = chemistry.toUpperCase().replace(/[^A-Z0-9]/g, '');
  const resolved = intensity.aliases[key] ?? key;
  return Object.hasOwn(intensity.chemistries, resolved) ? resolved : null;
}

export interface ElementContent {
  /** kg per kWh used for the expected content. */
  expectedKgPerKwh: number;
  /** kg per kWh used for "more than it could contain". */
  maxKgPerKwh: number;
}

/** Expected and upper-bound intensity of each element for a chemistry key. */
export function intensityOf(key: string): Record<ContentElement, ElementContent> {
  const row = intensity.chemistries[key];
  if (row === undefined) throw new Error(`no material intensity for ${key}`);
  const expected = 'expected' in row ? (intensity.chemistries[row.expected] as Intensity) : row;
  const bounds = 'expected' in row ? row.upperBound.map((k) => intensity.chemistries[k] as Intensity) : [row];
  const out = {} as Record<ContentElement, ElementContent>;
  for (const element of contentElements) {
    out[element] = {
      expectedKgPerKwh: expected[element],
      maxKgPerKwh: Math.max(...bounds.map((b) => b[element])),
    };
  }
  return out;
}

export interface BatteryContent {
  code: string;
  chemistryKey: string;
  energyKwh: number;
  massKg: number | null;
  /** kg of each element the battery is expected to hold, and at most could hold. */
  elements: Record<ContentElement, { expectedKg: number; maxKg: number }>;
}

export function batteryContent(
  code: string,
  chemistryKey: string,
  energyKwh: number,
  massKg: number | null,
): BatteryContent {
  const table = intensityOf(chemistryKey);
  const tolerance = 1 + intensity.containmentTolerancePercent / 100;
  const elements = {} as BatteryContent['elements'];
  for (const element of contentElements) {
    elements[element] = {
      expectedKg: round(table[element].expectedKgPerKwh * energyKwh, 3),
      maxKg: round(table[element].maxKgPerKwh * energyKwh * tolerance, 3),
    };
  }
  return { code, chemistryKey, energyKwh, massKg, elements };
}

/** The content of several batteries together (a cascade product holds what its originals held). */
export function sumContents(
  code: string,
  massKg: number | null,
  parts: readonly BatteryContent[],
): BatteryContent {
  const elements = {} as BatteryContent['elements'];
  for (const element of contentElements) {
    elements[element] = {
      expectedKg: round(
        parts.reduce((s, p) => s + p.elements[element].expectedKg, 0),
        3,
      ),
      maxKg: round(
        parts.reduce((s, p) => s + p.elements[element].maxKg, 0),
        3,
      ),
    };
  }
  const keys = [...new Set(parts.map((p) => p.chemistryKey))];
  return {
    code,
    chemistryKey: keys.length === 1 ? keys[0]! : keys.join('+'),
    energyKwh: round(
      parts.reduce((s, p) => s + p.energyKwh, 0),
      3,
    ),
    massKg,
    elements,
  };
}

// ---------------------------------------------------------------- recovered lots

interface FractionTable {
  version: string;
  fractions: Record<string, Record<string, { compound: string; fraction: number }>>;
}
const fractions = elementFractions as FractionTable;

export const isElementMaterial = (material: string): material is ElementMaterial =>
  (elementMaterials as readonly string[]).includes(material);

/** The element mass a lot holds: stated, else lot mass × the form's stoichiometric fraction. */
export function elementMassOf(
  material: string,
  form: string,
  massKg: number,
  statedKg?: number,
): { elementMassKg: number; basis: string } | { error: string } {
  if (!isElementMaterial(material))
    return { error: `${material} is not counted by element (only ${elementMaterials.join(', ')})` };
  if (statedKg !== undefined) {
    if (statedKg > massKg) return { error: `element mass ${statedKg} kg exceeds the lot mass ${massKg} kg` };
    return { elementMassKg: statedKg, basis: 'stated' };
  }
  const entry = fractions.fractions[material]?.[form];
  if (!entry)
    return {
      error: `no stoichiometric fraction for ${material} as ${form} (data/element-fractions.json); state elementMassKg`,
    };
  return { elementMassKg: round(massKg * entry.fraction, 3), basis: `${entry.compound} × ${entry.fraction}` };
}

export interface AttributionSource {
  code: string;
  /** Expected kg of the element (weights the split). */
  expectedKg: number;
  /** Most kg of the element it could contain. */
  maxKg: number;
  /** kg of the element already attributed to it by earlier lots. */
  alreadyKg: number;
}

export interface Attribution {
  code: string;
  attributedKg: number;
  totalKg: number;
  maxKg: number;
}

/**
 * Split a lot's element mass over its source batteries in proportion to their expected content
 * (by their energy and chemistry), and name every battery that would then hold more than it could.
 */
export function attributeElement(
  element: string,
  elementKg: number,
  sources: readonly AttributionSource[],
): { attributions: Attribution[]; violations: string[] } {
  const weightTotal = sources.reduce((s, x) => s + x.expectedKg, 0);
  const maxTotal = sources.reduce((s, x) => s + x.maxKg, 0);
  const weights =
    weightTotal > 0
      ? sources.map((s) => s.expectedKg / weightTotal)
      : maxTotal > 0
        ? sources.map((s) => s.maxKg / maxTotal)
        : sources.map(() => 1 / sources.length);
  const attributions = sources.map((s, i) => {
    const attributedKg = round(elementKg * weights[i]!, 4);
    return { code: s.code, attributedKg, totalKg: round(s.alreadyKg + attributedKg, 4), maxKg: s.maxKg };
  });
  const violations = attributions
    .filter((a) => a.totalKg > a.maxKg + 1e-6)
    .map((a) =>
      a.maxKg === 0
        ? `${a.code} contains no ${element} (its chemistry has none); ${a.attributedKg} kg cannot come from it`
        : `${a.code} could contain at most ${a.maxKg} kg of ${element}; this lot would bring what was recovered from it to ${a.totalKg} kg`,
    );
  return { attributions, violations };
}

/** Whole-lot mass check (black mass, plastics …): what came out cannot outweigh the batteries. */
export function massViolations(
  lotKg: number,
  sources: ReadonlyArray<{ code: string; massKg: number | null; alreadyKg: number }>,
): string[] {
  const known = sources.filter((s) => s.massKg !== null);
  if (known.length !== sources.length) return [];
  const capacity = known.reduce((s, x) => s + (x.massKg as number), 0);
  const already = known.reduce((s, x) => s + x.alreadyKg, 0);
  return already + lotKg > capacity + 1e-6
    ? [
        `the source batteries weigh ${round(capacity, 3)} kg together; ${round(already, 3)} kg of lots already came from them, so ${lotKg} kg more cannot`,
      ]
    : [];
}

// ---------------------------------------------------------------- recovery targets

interface TargetsTable {
  version: string;
  china: {
    title: string;
    source: string;
    published: string;
    materialRecoveryPercent: Record<string, number>;
    unverified: Record<string, string>;
  };
  eu: {
    title: string;
    source: string;
    materialRecovery: Array<{ from: string; percent: Record<string, number> }>;
    recyclingEfficiencyLithiumBased: Array<{ from: string; percent: number }>;
  };
}
const targets = recoveryTargets as TargetsTable;
export const recoveryTargetsVersion = targets.version;

export interface TargetCheck {
  scheme: string;
  targetPercent: number | null;
  inForce: boolean;
  /** When the target applies from (EU "by 31 December 2027" = from that day). */
  from: string | null;
  met: boolean | null;
  note?: string;
  next?: { from: string; targetPercent: number };
}

export function chinaRecoveryCheck(element: string, ratePercent: number | null): TargetCheck {
  const target = targets.china.materialRecoveryPercent[element];
  if (target === undefined) {
    const note = targets.china.unverified[element];
    return {
      scheme: 'CN 规范条件 2024',
      targetPercent: null,
      inForce: false,
      from: null,
      met: null,
      note: note ?? `no ${element} recovery rate in the 2024 conditions`,
    };
  }
  return {
    scheme: 'CN 规范条件 2024',
    targetPercent: target,
    inForce: true,
    from: targets.china.published,
    met: ratePercent === null ? null : ratePercent >= target,
  };
}

/** The EU Annex XII Part C material-recovery target in force on `date` (YYYY-MM-DD), and the next one. */
export function euRecoveryCheck(element: string, date: string, ratePercent: number | null): TargetCheck {
  const steps = targets.eu.materialRecovery.filter((s) => s.percent[element] !== undefined);
  if (steps.length === 0)
    return {
      scheme: 'EU 2023/1542 Annex XII',
      targetPercent: null,
      inForce: false,
      from: null,
      met: null,
      note: `Annex XII sets no ${element} recovery target`,
    };
  const current = steps.filter((s) => s.from <= date).at(-1);
  const next = steps.find((s) => s.from > date);
  return {
    scheme: 'EU 2023/1542 Annex XII',
    targetPercent: current?.percent[element] ?? null,
    inForce: current !== undefined,
    from: current?.from ?? null,
    met: current === undefined || ratePercent === null ? null : ratePercent >= current.percent[element]!,
    ...(current === undefined ? { note: `no ${element} recovery target in force on ${date}` } : {}),
    ...(next ? { next: { from: next.from, targetPercent: next.percent[element]! } } : {}),
  };
}

/** EU Annex XII Part B recycling efficiency (lithium-based batteries, average weight) on `date`. */
export function euRecyclingEfficiencyCheck(date: string, percent: number | null): TargetCheck {
  const steps = targets.eu.recyclingEfficiencyLithiumBased;
  const current = steps.filter((s) => s.from <= date).at(-1);
  const next = steps.find((s) => s.from > date);
  return {
    scheme: 'EU 2023/1542 Annex XII Part B (lithium-based)',
    targetPercent: current?.percent ?? null,
    inForce: current !== undefined,
    from: current?.from ?? null,
    met: current === undefined || percent === null ? null : percent >= current.percent,
    ...(current === undefined ? { note: `no recycling-efficiency target in force on ${date}` } : {}),
    ...(next ? { next: { from: next.from, targetPercent: next.percent } } : {}),
  };
}

export interface ElementBalance {
  element: ElementMaterial;
  expectedKg: number | null;
  recoveredKg: number;
  ratePercent: number | null;
  china: TargetCheck;
  eu: TargetCheck;
}

/** Recovery rate per element = recovered / expected content, checked against both regimes on `date`. */
export function elementBalances(
  contents: readonly BatteryContent[],
  recovered: Partial<Record<ElementMaterial, number>>,
  date: string,
): ElementBalance[] {
  return elementMaterials.map((element) => {
    const expected =
      element === 'aluminium'
        ? null
        : round(
            contents.reduce((s, c) => s + c.elements[element].expectedKg, 0),
            3,
          );
    const recoveredKg = round(recovered[element] ?? 0, 3);
    const ratePercent = expected === null || expected === 0 ? null : round((recoveredKg / expected) * 100);
    return {
      element,
      expectedKg: expected,
      recoveredKg,
      ratePercent,
      china: chinaRecoveryCheck(element, ratePercent),
      eu: euRecoveryCheck(element, date, ratePercent),
    };
  });
}

// ---------------------------------------------------------------- recycled content

/** Art. 8 recycled-content materials, and lead, which the passport lists too. */
export const recycledContentMaterials = ['cobalt', 'lithium', 'nickel', 'lead'] as const;

export interface RecycledShare {
  material: (typeof recycledContentMaterials)[number];
  recycledKg: number;
  contentKg: number | null;
  /** Post-consumer: recovered from waste batteries (every lot here is). */
  postConsumerSharePercent: number;
  preConsumerSharePercent: number;
}

/** Share of each Art. 8 material that came from recovered lots: recycled element kg / content kg. */
export function recycledShares(
  content: BatteryContent | null,
  recycledKg: Partial<Record<string, number>>,
): RecycledShare[] {
  return recycledContentMaterials.map((material) => {
    const recycled = round(recycledKg[material] ?? 0, 3);
    const contentKg =
      material === 'lead' || content === null
        ? null
        : content.elements[material as ContentElement].expectedKg;
    const share =
      contentKg === null || contentKg === 0 ? 0 : Math.min(100, round((recycled / contentKg) * 100));
    return {
      material,
      recycledKg: recycled,
      contentKg,
      postConsumerSharePercent: share,
      preConsumerSharePercent: 0,
    };
  });
}
