/**
 * The pure math of used-car operations: price ageing, holding cost, the reconditioning plan that pays
 * back, the legal gates, and the disposition decision — retail vs wholesale vs dismantle — with a
 * breakdown per route and reasons a manager can read (residual-value.md §6 "disposition optimiser").
 *
 * Every amount is an integer in minor units of the car's currency; table figures (major units of the
 * table's base currency) are converted once, by `Money`. A route's expected net is the exact sum of
 * its breakdown lines. No I/O.
 */
import { currencyExponent, formatMajorUnits } from '../../shared/money.ts';
import type { LegalGates, PriceTables } from './remarketing.config.ts';

export const routes = ['retail', 'wholesale', 'dismantle'] as const;
export type Route = (typeof routes)[number];
export type Grade = 1 | 2 | 3 | 4 | 5;
export type Condition = 'accident' | 'flood' | 'fire';

// ---------------------------------------------------------------- money

/** Table figures in the car's currency, rounded to whole minor units. */
export class Money {
  readonly scale: number;
  constructor(
    readonly currency: string,
    /** Major units of `currency` per major unit of the table's base currency. */
    readonly factor: number,
  ) {
    this.scale = 10 ** currencyExponent(currency);
  }
  /** A table amount (base-currency major units) in minor units of the car's currency. */
  table(major: number): number {
    return Math.round(major * this.factor * this.scale);
  }
  /** "CNY 123,400.00" for reasons and explanations. */
  text(minor: number): string {
    const plain = formatMajorUnits(minor, this.currency);
    const [whole, fraction] = plain.replace('-', '').split('.');
    const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    return `${minor < 0 ? '−' : ''}${this.currency} ${grouped}${fraction ? `.${fraction}` : ''}`;
  }
}

const pct = (v: number, digits = 1) => `${(v * 100).toFixed(digits).replace(/\.0+$/, '')} %`;

// ---------------------------------------------------------------- price ageing and holding

export interface AgeingRule {
  graceDays: number;
  ratePer30Days: number;
  floorRatio: number;
}

/**
 * The asking-price factor after `days` in stock: no markdown during the grace period, then
 * (1 − rate) per 30 days, never below the floor.
 */
export function ageingFactor(days: number, rule: AgeingRule): number {
  const periods = Math.max(0, days - rule.graceDays) / 30;
  return Math.max(rule.floorRatio, (1 - rule.ratePer30Days) ** periods);
}

/** The asking price after `days` in stock, in minor units. */
export function agedPrice(priceMinor: number, days: number, rule: AgeingRule): number {
  return Math.round(priceMinor * ageingFactor(days, rule));
}

/** Holding cost per day: the capital tied in the car at the floor-plan rate, plus the lot's daily cost. */
export function holdingPerDay(capitalMinor: number, tables: PriceTables, money: Money): number {
  const h = tables.pricing.holding;
  return Math.round((capitalMinor * h.capitalRatePerYear) / 365) + money.table(h.lotCostPerDay);
}

/** Whole days between two ISO instants (floor; 0 when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.max(0, Math.floor((Date.parse(to) - Date.parse(from)) / 86_400_000));
}

// ---------------------------------------------------------------- condition and reconditioning

/** GB/T 30323-2013 grade from a total score; 五级 (accident) is kept whatever the score. */
export function gradeOfScore(score: number, accident: boolean): Grade {
  if (accident) return 5;
  if (score >= 90) return 1;
  if (score >= 60) return 2;
  if (score >= 20) return 3;
  return 4;
}

export interface ConditionState {
  score: number;
  grade: Grade;
}

/**
 * How the retail value moves from one condition to another: the valuation engine's grade factor
 * ratio, times the per-point uplift for the points restored within or across grades.
 */
export function conditionMultiplier(
  from: ConditionState,
  to: ConditionState,
  gradeFactor: Record<string, number>,
  perPoint: number,
): number {
  const ratio = (gradeFactor[String(to.grade)] ?? 1) / (gradeFactor[String(from.grade)] ?? 1);
  return ratio * (1 + perPoint * (to.score - from.score));
}

/** One finding of an inspection, as the valuation module's appraisal scores it. */
export interface ScoredFinding {
  category: string;
  item: string;
  en: string;
  defect?: string | undefined;
  severity?: number | undefined;
  deduction: number;
}

export interface WorkItem {
  /** The inspection item it repairs (restores its deduction), if any. */
  finding: string | null;
  description: string;
  partsMinor: number;
  labourMinor: number;
  days: number;
  /** GB/T 30323 points the repair restores. */
  points: number;
}

/** The standard repair of each scored finding, priced from the reconditioning table. */
export function workItemsForFindings(
  findings: ScoredFinding[],
  tables: PriceTables,
  money: Money,
): WorkItem[] {
  const r = tables.reconditioning;
  const labour = (hours: number) => money.table(hours * r.labourRatePerHour);
  const items: WorkItem[] = [];
  for (const f of findings) {
    if (f.deduction <= 0) continue;
    let line: { en: string; parts: number; hours: number; days: number } | undefined;
    if (f.category === 'body') {
      const byItem = r.bodyItems[f.item];
      const byDefect = f.defect ? r.bodyDefects[f.defect] : undefined;
      const s = Math.min(4, Math.max(1, f.severity ?? 1)) - 1;
      if (byItem) line = byItem;
      else if (byDefect)
        line = {
          en: byDefect.en,
          parts: byDefect.parts[s]!,
          hours: byDefect.hours[s]!,
          days: byDefect.days[s]!,
        };
    } else {
      line = r.passFailItems[f.item] ?? r.passFailCategories[f.category];
    }
    if (!line) continue;
    items.push({
      finding: f.item,
      description: `${f.item} ${f.en}: ${line.en}`,
      partsMinor: money.table(line.parts),
      labourMinor: labour(line.hours),
      days: line.days,
      points: f.deduction,
    });
  }
  return items;
}

export const costOf = (items: readonly WorkItem[]) =>
  items.reduce((s, i) => s + i.partsMinor + i.labourMinor, 0);
export const pointsOf = (items: readonly WorkItem[]) => items.reduce((s, i) => s + i.points, 0);
/** Workshop days of a plan: items are done one after another, whole days. */
export const daysOf = (items: readonly WorkItem[]) => Math.ceil(items.reduce((s, i) => s + i.days, 0));

// ---------------------------------------------------------------- facts of one car

export interface BatteryFacts {
  energyKwh: number;
  massKg: number;
  chemistry: string;
  /** Where the pack facts come from: the registry, or the table's default for the powertrain. */
  source: 'registry' | 'default';
  sohPercent: number;
  sohSource: 'measured' | 'reported' | 'expected';
  /** kg of each element the pack holds (batteries module's material intensity). */
  elementsKg: Record<string, number>;
  grade: 'A' | 'B' | 'C' | 'D';
  gradeReason: string;
}

export interface ObservedPartPrices {
  /** Median realised price of sold parts of this model and category (minor units of the car's currency). */
  medianPriceMinor: number;
  /** Sold ÷ (sold + still in stock). */
  sellThrough: number;
  observations: number;
}

export interface DispositionFacts {
  vin: string;
  currency: string;
  asOf: string;
  daysInStock: number;
  powertrain: string;
  /** Age in years at `asOf`, from first registration (else the model year). */
  ageYears: number;
  ageBasis: string;
  odometerKm: number;
  useClass: string;
  useClassAssumed: boolean;
  appraised: ConditionState | null;
  /** Condition after completed reconditioning (= appraised when none). */
  current: ConditionState | null;
  conditions: Record<Condition, boolean>;
  conditionSources: Record<Condition, string[]>;
  disclosed: Record<Condition, boolean>;
  documents: string[];
  /** Valuation P50 (retail, B2C) as appraised, minor units; null when the car could not be valued. */
  retailMinor: number | null;
  retailSource: string;
  acquisitionCostMinor: number | null;
  /** Reconditioning still to do: the open work orders, else the recommended plan. */
  plan: { label: string; items: WorkItem[] };
  vehicleMassKg: number;
  vehicleMassSource: string;
  battery: BatteryFacts | null;
  observedParts: Record<string, ObservedPartPrices>;
}

// ---------------------------------------------------------------- legal gates

export interface GateFinding {
  gate: string;
  blocks: Route[];
  message: string;
  rule: string;
}

const gateRoutes = (blocks: readonly string[]): Route[] =>
  blocks.filter((b): b is Route => b !== 'dismantle');

/**
 * The legal gates that hold for this car: forced scrapping by use class (at the expected sale date),
 * the mileage guide, undisclosed accident/flood/fire, missing transfer papers. Dismantling is never
 * blocked: a qualified recycler may always take the car.
 */
export function evaluateGates(
  facts: DispositionFacts,
  gates: LegalGates,
  expectedDaysToSale: number,
): GateFinding[] {
  const found: GateFinding[] = [];
  const lifeYears = gates.forcedScrap.serviceLifeYearsByUseClass[facts.useClass] ?? null;
  const ageAtSale = facts.ageYears + expectedDaysToSale / 365.25;
  if (lifeYears !== null && ageAtSale >= lifeYears) {
    found.push({
      gate: 'forced_scrap',
      blocks: gateRoutes(gates.forcedScrap.blocks),
      message: `a ${facts.useClass.replace('_', '-')} car must be scrapped at ${lifeYears} years of service; this one is ${facts.ageYears.toFixed(1)} years old (${facts.ageBasis})${facts.ageYears < lifeYears ? ` and reaches the limit before it could be sold (${expectedDaysToSale} days)` : ''}: only a qualified recycler may take it`,
      rule: gates.forcedScrap.rule,
    });
  }
  const guideKm = gates.mileageGuide.kmByUseClass[facts.useClass] ?? null;
  if (guideKm !== null && facts.odometerKm >= guideKm) {
    found.push({
      gate: 'mileage_guide',
      blocks: gateRoutes(gates.mileageGuide.blocks),
      message: `${Math.round(facts.odometerKm).toLocaleString('en')} km is at or past the ${guideKm.toLocaleString('en')} km guided-scrapping mileage (引导报废) for a ${facts.useClass.replace('_', '-')} car: not retailed to a consumer`,
      rule: gates.mileageGuide.rule,
    });
  }
  for (const condition of gates.disclosure.conditions) {
    if (!facts.conditions[condition] || facts.disclosed[condition]) continue;
    const label = {
      accident: 'accident car (事故车)',
      flood: 'flood car (泡水车)',
      fire: 'fire car (火烧车)',
    }[condition];
    found.push({
      gate: `disclosure_${condition}`,
      blocks: gateRoutes(gates.disclosure.blocks),
      message: `${label} per ${facts.conditionSources[condition].join(' and ')}, not yet disclosed to buyers: record the disclosure before it is sold`,
      rule: gates.disclosure.rule,
    });
  }
  const missing = gates.transferDocuments.required.filter((d) => !facts.documents.includes(d));
  if (missing.length > 0) {
    found.push({
      gate: 'transfer_documents',
      blocks: gateRoutes(gates.transferDocuments.blocks),
      message: `missing ${missing.map((d) => gates.documents[d]?.en ?? d).join(' and ')}: ownership cannot be transferred`,
      rule: gates.transferDocuments.rule,
    });
  }
  return found;
}

// ---------------------------------------------------------------- routes

export interface BreakdownLine {
  item: string;
  amountMinor: number;
}

export interface RouteResult {
  route: Route;
  expectedNetMinor: number;
  allowed: boolean;
  blockedBy: string[];
  breakdown: BreakdownLine[];
  /** Expected days until the money comes in. */
  days: number;
  notes: string[];
}

const sum = (lines: readonly BreakdownLine[]) => lines.reduce((s, l) => s + l.amountMinor, 0);

function finish(route: Route, lines: BreakdownLine[], days: number, notes: string[]): RouteResult {
  const breakdown = lines.filter((l) => l.amountMinor !== 0);
  return { route, expectedNetMinor: sum(breakdown), allowed: true, blockedBy: [], breakdown, days, notes };
}

function daysToSellRetail(grade: Grade | null, tables: PriceTables): number {
  return tables.pricing.retail.daysToSellByGrade[String(grade ?? 3) as '3'] ?? 60;
}

/** The capital the car ties up: what was paid for it, else what the trade would pay. */
function capitalOf(facts: DispositionFacts, tables: PriceTables): number {
  if (facts.acquisitionCostMinor !== null) return facts.acquisitionCostMinor;
  return Math.round((facts.retailMinor ?? 0) * tables.pricing.wholesale.ratioOfRetail);
}

export interface ConditionTables {
  gradeFactor: Record<string, number>;
}

/** The retail value today: the valuation as appraised, moved by reconditioning already completed. */
export function retailNow(facts: DispositionFacts, tables: PriceTables, cond: ConditionTables): number {
  if (facts.retailMinor === null) return 0;
  if (!facts.appraised || !facts.current) return facts.retailMinor;
  const m = conditionMultiplier(
    facts.appraised,
    facts.current,
    cond.gradeFactor,
    tables.reconditioning.retailUpliftPerConditionPoint,
  );
  return Math.round(facts.retailMinor * m);
}

/** The condition after a plan: its points restored, the grade re-derived (an accident car stays 五级). */
export function afterPlan(current: ConditionState, items: readonly WorkItem[]): ConditionState {
  const score = Math.min(100, Math.round((current.score + pointsOf(items)) * 100) / 100);
  return { score, grade: gradeOfScore(score, current.grade === 5) };
}

/**
 * Retail: the valuation's retail price, moved by reconditioning (done and planned), marked down by
 * price ageing at the expected sale date, less the plan's cost, preparation, selling costs and the
 * holding cost until the sale.
 */
export function retailRoute(
  facts: DispositionFacts,
  tables: PriceTables,
  money: Money,
  cond: ConditionTables,
  items: readonly WorkItem[] = facts.plan.items,
  planLabel = facts.plan.label,
): RouteResult {
  const lines: BreakdownLine[] = [];
  const notes: string[] = [];
  const base = facts.retailMinor ?? 0;
  lines.push({ item: `retail price (${facts.retailSource})`, amountMinor: base });
  const now = retailNow(facts, tables, cond);
  if (now !== base && facts.appraised && facts.current)
    lines.push({
      item: `reconditioning completed (score ${facts.appraised.score} → ${facts.current.score})`,
      amountMinor: now - base,
    });
  let priced = now;
  let grade = facts.current?.grade ?? null;
  if (items.length > 0 && facts.current) {
    const after = afterPlan(facts.current, items);
    const m = conditionMultiplier(
      facts.current,
      after,
      cond.gradeFactor,
      tables.reconditioning.retailUpliftPerConditionPoint,
    );
    const uplift = Math.round(now * m) - now;
    lines.push({
      item: `reconditioning uplift (${planLabel}: ${items.length} item(s), score ${facts.current.score} → ${after.score}, grade ${facts.current.grade} → ${after.grade})`,
      amountMinor: uplift,
    });
    priced = now + uplift;
    grade = after.grade;
  }
  const reconDays = daysOf(items);
  const toSell = daysToSellRetail(grade, tables);
  const days = reconDays + toSell;
  const saleDay = facts.daysInStock + days;
  const aged = agedPrice(priced, saleDay, tables.pricing.ageing);
  lines.push({
    item: `price ageing (sold on day ${saleDay} in stock: asking × ${ageingFactor(saleDay, tables.pricing.ageing).toFixed(4)})`,
    amountMinor: aged - priced,
  });
  if (items.length > 0)
    lines.push({
      item: `reconditioning cost (${planLabel}, ${reconDays} day(s))`,
      amountMinor: -costOf(items),
    });
  lines.push({
    item: 'preparation (valeting, photos, inspection report)',
    amountMinor: -money.table(tables.pricing.retail.preparation),
  });
  const selling = Math.round(aged * tables.pricing.retail.sellingCostRate);
  lines.push({
    item: `selling cost (warranty reserve and commission, ${pct(tables.pricing.retail.sellingCostRate)} of the price)`,
    amountMinor: -selling,
  });
  const perDay = holdingPerDay(capitalOf(facts, tables), tables, money);
  lines.push({
    item: `holding cost (${days} days × ${money.text(perDay)}: ${reconDays} reconditioning + ${toSell} to sell at grade ${grade ?? 'unknown'})`,
    amountMinor: -perDay * days,
  });
  notes.push(
    `assumes ${toSell} days to sell at grade ${grade ?? 'unknown (grade 3 assumed)'}${reconDays ? ` after ${reconDays} day(s) of reconditioning` : ''}; by then (day ${saleDay} in stock) the asking price is ${pct(ageingFactor(saleDay, tables.pricing.ageing))} of retail`,
  );
  return finish('retail', lines, days, notes);
}

/** Wholesale: the trade price (a share of retail, as the car stands), less fees, transport and a week's holding. */
export function wholesaleRoute(
  facts: DispositionFacts,
  tables: PriceTables,
  money: Money,
  cond: ConditionTables,
): RouteResult {
  const w = tables.pricing.wholesale;
  const trade = Math.round(retailNow(facts, tables, cond) * w.ratioOfRetail);
  const perDay = holdingPerDay(capitalOf(facts, tables), tables, money);
  const lines: BreakdownLine[] = [
    { item: `trade price (retail × ${w.ratioOfRetail}, as it stands)`, amountMinor: trade },
    { item: `auction or trade-buyer fee (${pct(w.feeRate)})`, amountMinor: -Math.round(trade * w.feeRate) },
    { item: 'transport to the buyer', amountMinor: -money.table(w.transport) },
    {
      item: `holding cost (${w.daysToSell} days × ${money.text(perDay)})`,
      amountMinor: -perDay * w.daysToSell,
    },
  ];
  return finish('wholesale', lines, w.daysToSell, [
    `the trade takes the car as it stands within ${w.daysToSell} days`,
  ]);
}

function ageDemand(ageYears: number, tables: PriceTables): number {
  const bands = tables.dismantle.ageDemand;
  return (bands.find((b) => b.maxYears === null || ageYears <= b.maxYears) ?? bands.at(-1)!).factor;
}

function damageFactor(category: string, facts: DispositionFacts, tables: PriceTables): number {
  const d = tables.dismantle;
  let f = 1;
  if (facts.conditions.flood) f *= d.floodFactors[category] ?? d.floodFactors.default ?? 1;
  if (facts.conditions.fire) f *= d.fireFactors[category] ?? d.fireFactors.default ?? 1;
  return f;
}

/** Whether an assembly may go to a remanufacturer (Order 715 Art. 12), and why not. */
function remanufacturable(name: string, facts: DispositionFacts, tables: PriceTables): string | null {
  const r = tables.dismantle.assemblyRules;
  if (facts.conditions.flood) return 'flood car';
  if (facts.conditions.fire) return 'fire car';
  if ((name === 'frame' || name.endsWith('axle')) && facts.conditions.accident) return 'structural damage';
  const grade = facts.current?.grade ?? 3;
  if (grade > r.maxGradeForRemanufacturing) return `grade ${grade}`;
  if (facts.ageYears > r.maxAgeYearsForRemanufacturing) return `${facts.ageYears.toFixed(0)} years old`;
  return null;
}

const isNewEnergy = (powertrain: string) => ['bev', 'phev', 'erev', 'fcev'].includes(powertrain);

/**
 * Dismantling: harvestable parts by their demand, the five assemblies to remanufacturing or scrap,
 * the traction battery by its grade (second life or recycling), the hulk's materials by mass and
 * price, less harvesting labour and the dismantler's costs.
 */
export function dismantleRoute(facts: DispositionFacts, tables: PriceTables, money: Money): RouteResult {
  const d = tables.dismantle;
  const lines: BreakdownLine[] = [];
  const notes: string[] = [];
  const labourRate = money.table(d.labourRatePerHour);
  const grade = facts.current?.grade ?? 3;
  const condition = d.conditionByGrade[String(grade) as '3'] ?? 0.75;
  const demand = ageDemand(facts.ageYears, tables);
  let harvestHours = 0;
  let removedKg = 0;
  for (const [category, part] of Object.entries(d.parts)) {
    if (part.powertrains && !part.powertrains.includes(facts.powertrain as 'bev')) continue;
    const damage = damageFactor(category, facts, tables);
    if (damage === 0) continue;
    const seen = facts.observedParts[category];
    const observed = seen !== undefined && seen.observations >= d.minObservations;
    const unit = observed ? seen.medianPriceMinor : money.table(part.value);
    const sells = observed ? seen.sellThrough : part.sellThrough;
    const factor = (observed ? 1 : demand) * condition * damage * sells;
    const value = Math.round(part.count * unit * factor);
    if (value <= 0) continue;
    harvestHours += part.count * part.hours;
    removedKg += part.count * part.massKg;
    lines.push({
      item: `parts: ${part.en} (${part.count} × ${money.text(unit)}${observed ? ` median of ${seen.observations} sold` : ` × demand ${demand}`} × condition ${condition}${damage !== 1 ? ` × damage ${damage}` : ''} × sells ${pct(sells, 0)})`,
      amountMinor: value,
    });
  }
  const ferrousPrice = d.materials.pricePerKg.ferrous ?? 0;
  const ferrousRecovery = d.materials.recovery.ferrous ?? 1;
  for (const [name, a] of Object.entries(d.assemblies)) {
    if (a.powertrains && !a.powertrains.includes(facts.powertrain as 'bev')) continue;
    if (a.remanufacturingCore === 0 && a.massKg === 0) continue;
    const why = remanufacturable(name, facts, tables);
    removedKg += a.massKg;
    if (why === null && a.remanufacturingCore > 0) {
      harvestHours += a.hours;
      lines.push({
        item: `five assemblies: ${a.en} (${a.zh}) → remanufacturing core`,
        amountMinor: money.table(a.remanufacturingCore),
      });
    } else {
      lines.push({
        item: `five assemblies: ${a.en} (${a.zh}) → scrap metal, ${a.massKg} kg${why ? ` (${why})` : ''}`,
        amountMinor: money.table(a.massKg * ferrousRecovery * ferrousPrice),
      });
    }
  }
  if (facts.battery) {
    const b = facts.battery;
    removedKg += b.massKg;
    if (b.grade !== 'D') {
      const perKwh = d.battery.secondLifePerKwh[b.grade] ?? 0;
      const remainingKwh = (b.energyKwh * b.sohPercent) / 100;
      lines.push({
        item: `traction battery: grade ${b.grade} second life (${b.energyKwh} kWh × SOH ${b.sohPercent} % × ${money.text(money.table(perKwh))}/kWh)`,
        amountMinor: money.table(remainingKwh * perKwh),
      });
    } else {
      const payable = Object.entries(b.elementsKg).reduce(
        (s, [element, kg]) => s + kg * (d.battery.recyclingPayablePerKg[element] ?? 0),
        0,
      );
      lines.push({
        item: `traction battery: grade D to recycling (${b.chemistry}, ${b.energyKwh} kWh: contained metals)`,
        amountMinor: money.table(payable),
      });
      lines.push({
        item: `traction battery: recycler's charge (${b.massKg} kg)`,
        amountMinor: -money.table(b.massKg * d.battery.recyclingChargePerKgPack),
      });
    }
    notes.push(
      `battery ${b.energyKwh} kWh ${b.chemistry} (${b.source}), SOH ${b.sohPercent} % (${b.sohSource}) → grade ${b.grade}: ${b.gradeReason}`,
    );
  }
  const hulkKg = Math.max(0, facts.vehicleMassKg * (1 - d.materials.fluidsShare) - removedKg);
  for (const [material, share] of Object.entries(d.materials.hulkShares)) {
    const kg = hulkKg * share * (d.materials.recovery[material] ?? 1);
    const price = d.materials.pricePerKg[material] ?? 0;
    lines.push({
      item: `materials: ${material.replace('_', ' ')} (${Math.round(kg)} kg of a ${Math.round(hulkKg)} kg hulk × ${money.text(money.table(price))}/kg)`,
      amountMinor: money.table(kg * price),
    });
  }
  const c = d.costs;
  if (harvestHours > 0)
    lines.push({
      item: `harvesting labour (${harvestHours.toFixed(1)} h × ${money.text(labourRate)})`,
      amountMinor: -Math.round(harvestHours * labourRate),
    });
  lines.push({ item: 'towing to the dismantler', amountMinor: -money.table(c.towing) });
  lines.push({
    item: 'pre-treatment (fluids, airbags, refrigerant; GB 22128-2019)',
    amountMinor: -money.table(c.pretreatment),
  });
  if (isNewEnergy(facts.powertrain) || facts.battery)
    lines.push({
      item: 'high-voltage isolation and traction-pack removal',
      amountMinor: -money.table(c.highVoltageRemoval),
    });
  lines.push({
    item: `dismantling labour (${c.baseHours} h × ${money.text(labourRate)})`,
    amountMinor: -Math.round(c.baseHours * labourRate),
  });
  lines.push({
    item: 'certificate and system entries (回收证明, MOFCOM)',
    amountMinor: -money.table(c.administration),
  });
  lines.push({ item: 'hazardous-waste disposal', amountMinor: -money.table(c.hazardousWaste) });
  notes.push(
    `values ${facts.vehicleMassKg} kg (${facts.vehicleMassSource}); parts demand ${demand} at ${facts.ageYears.toFixed(1)} years, condition factor ${condition} at grade ${grade}`,
  );
  return finish('dismantle', lines, 0, notes);
}

// ---------------------------------------------------------------- reconditioning plan

export interface PlanResult {
  recommended: WorkItem[];
  rejected: Array<{ item: WorkItem; reason: string }>;
  /** Retail net with the plan minus without any reconditioning. */
  gainMinor: number;
  withPlan: RouteResult;
  withoutPlan: RouteResult;
  /** For each recommended item, what dropping it would cost (its marginal contribution). */
  marginal: Array<{ item: WorkItem; contributionMinor: number }>;
}

const exhaustiveLimit = 12;

/**
 * The reconditioning plan that pays back: of the candidate repairs, the subset that maximises the
 * retail route's expected net (uplift and faster sale against cost and workshop days). Every subset
 * is tried up to 12 candidates, else items are added greedily while they pay. Empty when nothing pays.
 */
export function recommendPlan(
  facts: DispositionFacts,
  candidates: WorkItem[],
  tables: PriceTables,
  money: Money,
  cond: ConditionTables,
): PlanResult {
  const netOf = (items: WorkItem[]) =>
    retailRoute(facts, tables, money, cond, items, 'plan').expectedNetMinor;
  const none = netOf([]);
  let best: WorkItem[] = [];
  let bestNet = none;
  if (facts.retailMinor !== null && facts.current && candidates.length > 0) {
    if (candidates.length <= exhaustiveLimit) {
      for (let mask = 1; mask < 1 << candidates.length; mask++) {
        const subset = candidates.filter((_, i) => mask & (1 << i));
        const net = netOf(subset);
        if (net > bestNet) {
          best = subset;
          bestNet = net;
        }
      }
    } else {
      const left = [...candidates];
      for (;;) {
        let pick = -1;
        let pickNet = bestNet;
        left.forEach((c, i) => {
          const net = netOf([...best, c]);
          if (net > pickNet) {
            pick = i;
            pickNet = net;
          }
        });
        if (pick < 0) break;
        best = [...best, left.splice(pick, 1)[0]!];
        bestNet = pickNet;
      }
    }
  }
  const marginal = best.map((item) => ({
    item,
    contributionMinor: bestNet - netOf(best.filter((i) => i !== item)),
  }));
  const rejected = candidates
    .filter((c) => !best.includes(c))
    .map((item) => {
      const added = netOf([...best, item]) - bestNet;
      return {
        item,
        reason: `costs ${money.text(item.partsMinor + item.labourMinor)} and ${item.days} day(s); adding it changes the retail net by ${money.text(added)}`,
      };
    });
  return {
    recommended: best,
    rejected,
    gainMinor: bestNet - none,
    withPlan: retailRoute(facts, tables, money, cond, best, 'recommended plan'),
    withoutPlan: retailRoute(facts, tables, money, cond, [], 'none'),
    marginal,
  };
}

// ---------------------------------------------------------------- the decision

export interface Decision {
  routes: RouteResult[];
  chosen: Route;
  reasons: string[];
  gates: GateFinding[];
}

/** The allowed route with the highest expected net; ties go to the earlier of retail, wholesale, dismantle. */
export function chooseRoute(results: readonly RouteResult[]): Route {
  let best: RouteResult | undefined;
  for (const route of routes) {
    const r = results.find((x) => x.route === route);
    if (!r?.allowed) continue;
    if (!best || r.expectedNetMinor > best.expectedNetMinor) best = r;
  }
  return best?.route ?? 'dismantle';
}

const routeName: Record<Route, string> = {
  retail: 'Retail',
  wholesale: 'Wholesale',
  dismantle: 'Dismantling',
};

/**
 * Work out every route, apply the legal gates, choose, and say why in sentences a manager can act on:
 * the choice and its margin over the others, what blocks a route and how to lift it, what each
 * route assumes, and the result against what the car cost.
 */
export function decideDisposition(
  facts: DispositionFacts,
  tables: PriceTables,
  gates: LegalGates,
  money: Money,
  cond: ConditionTables,
): Decision {
  const retail = retailRoute(facts, tables, money, cond);
  const wholesale = wholesaleRoute(facts, tables, money, cond);
  const dismantle = dismantleRoute(facts, tables, money);
  const found = evaluateGates(facts, gates, retail.days);
  const results = [retail, wholesale, dismantle];
  for (const r of results) {
    if (r.route === 'dismantle') continue;
    if (facts.retailMinor === null) r.blockedBy.push('no_valuation');
    for (const g of found) if (g.blocks.includes(r.route)) r.blockedBy.push(g.gate);
    r.allowed = r.blockedBy.length === 0;
  }
  const chosen = chooseRoute(results);
  const pick = results.find((r) => r.route === chosen)!;
  const reasons: string[] = [];
  const others = results.filter((r) => r.route !== chosen);
  reasons.push(
    `${routeName[chosen]} is chosen: expected net ${money.text(pick.expectedNetMinor)}${others
      .map(
        (o) =>
          `; ${o.route} ${money.text(o.expectedNetMinor)}${o.allowed ? ` (${money.text(pick.expectedNetMinor - o.expectedNetMinor)} less)` : ' (blocked)'}`,
      )
      .join('')}.`,
  );
  if (facts.retailMinor === null)
    reasons.push(
      `Retail and wholesale cannot be valued: ${facts.retailSource}. Appraise and price the car to compare them.`,
    );
  for (const g of found)
    reasons.push(`${g.blocks.map((b) => routeName[b]).join(' and ')} blocked — ${g.message}.`);
  for (const r of results.filter((x) => !x.allowed && x.expectedNetMinor > pick.expectedNetMinor)) {
    const liftable = r.blockedBy.every((b) => b.startsWith('disclosure_') || b === 'transfer_documents');
    if (liftable)
      reasons.push(
        `${routeName[r.route]} would net ${money.text(r.expectedNetMinor)} (${money.text(r.expectedNetMinor - pick.expectedNetMinor)} more) once ${r.blockedBy.map((b) => (b === 'transfer_documents' ? 'the transfer papers are in' : `the ${b.replace('disclosure_', '')} is disclosed`)).join(' and ')}.`,
      );
  }
  for (const r of results) for (const n of r.notes) reasons.push(`${routeName[r.route]}: ${n}.`);
  if (facts.plan.items.length > 0)
    reasons.push(
      `Retail includes ${facts.plan.label} (${facts.plan.items.length} item(s), ${money.text(costOf(facts.plan.items))}).`,
    );
  if (facts.acquisitionCostMinor !== null) {
    const margin = pick.expectedNetMinor - facts.acquisitionCostMinor;
    reasons.push(
      `Against the acquisition cost of ${money.text(facts.acquisitionCostMinor)} the chosen route ${margin >= 0 ? 'makes' : 'loses'} ${money.text(Math.abs(margin))}; the acquisition cost is sunk and does not change the choice.`,
    );
  }
  if (facts.useClassAssumed)
    reasons.push('Use class not in the log: private (非营运) assumed for the legal gates.');
  return { routes: results, chosen, reasons, gates: found };
}

// ---------------------------------------------------------------- battery grade

export interface GradingRuleLike {
  id: string;
  grade: 'A' | 'B' | 'C' | 'D';
  route: string;
  why: string;
  when: {
    minSohPercent?: number | undefined;
    maxResistanceSpreadPercent?: number | undefined;
    resistanceSpreadRequired?: boolean | undefined;
    noSafetyFindings?: boolean | undefined;
    anySafetyFinding?: readonly string[] | undefined;
  };
}

/**
 * The batteries module's rule set applied to what remarketing knows of a pack in a car: its SOH, no
 * resistance spread (not measured in the car), and a safety finding for a flood (water ingress) or
 * fire (thermal event). First matching rule wins, as in the batteries module's grading.
 */
export function gradePack(
  rules: readonly GradingRuleLike[],
  sohPercent: number,
  safetyFindings: readonly string[],
): { grade: 'A' | 'B' | 'C' | 'D'; reason: string } {
  for (const rule of rules) {
    const w = rule.when;
    const holds =
      (w.anySafetyFinding === undefined || safetyFindings.some((f) => w.anySafetyFinding!.includes(f))) &&
      (!w.noSafetyFindings || safetyFindings.length === 0) &&
      (w.minSohPercent === undefined || sohPercent >= w.minSohPercent) &&
      (w.maxResistanceSpreadPercent === undefined || !w.resistanceSpreadRequired);
    if (holds) return { grade: rule.grade, reason: `rule ${rule.id} (${rule.route}): ${rule.why}` };
  }
  return { grade: 'D', reason: 'no rule matched: recycling' };
}

// ---------------------------------------------------------------- stock ageing

export const ageingBands = [
  { band: '0-30', max: 30 },
  { band: '31-60', max: 60 },
  { band: '61-90', max: 90 },
  { band: '91+', max: Number.POSITIVE_INFINITY },
] as const;

export const bandOf = (days: number) => ageingBands.find((b) => days <= b.max)!.band;
