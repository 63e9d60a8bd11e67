/**
 * The loop report's arithmetic, without I/O: vehicle stages from lifecycle states, value captured
 * per stage from the log's money facts, guarantee performance (GFV vs what the car realised), and
 * avoided emissions from the versioned factor table (data/avoided-emissions.v1.json).
 */
import { readFileSync } from 'node:fs';

/** The loop's stages and the vehicle lifecycle states each one covers (exactly one stage per state). */
export const vehicleStages = {
  registered_only: ['registered'],
  new: ['produced'],
  on_the_road: ['sold', 'in_use'],
  used_car_operations: ['returned', 'in_stock', 'listed', 'wholesaled'],
  end_of_life: ['elv_received', 'certified', 'deregistered'],
  dismantled: ['dismantled'],
} as const;
export type VehicleStage = keyof typeof vehicleStages;

export function stageOf(state: string): VehicleStage | 'other' {
  for (const [stage, states] of Object.entries(vehicleStages))
    if ((states as readonly string[]).includes(state)) return stage as VehicleStage;
  return 'other';
}

export function vehiclesByStage(byState: Record<string, number>) {
  const byStage: Record<string, number> = Object.fromEntries(Object.keys(vehicleStages).map((s) => [s, 0]));
  let total = 0;
  for (const [state, count] of Object.entries(byState)) {
    const stage = stageOf(state);
    byStage[stage] = (byStage[stage] ?? 0) + count;
    total += count;
  }
  return { total, byStage, byState };
}

// ---------------------------------------------------------------- value and guarantees from the log

type Payload = Record<string, unknown>;
interface Money {
  amountMinor: number;
  currency: string;
}
const moneyOf = (v: unknown): Money | null =>
  v && typeof v === 'object' && typeof (v as Money).amountMinor === 'number' ? (v as Money) : null;

interface Bucket {
  count: number;
  amountMinor: number;
}
const bucket = (): Bucket => ({ count: 0, amountMinor: 0 });

interface VehicleTrail {
  gfvMinor?: number;
  outcome?: 'exercised' | 'declined' | 'cancelled';
  paidMinor?: number;
  stockCostMinor?: number;
  reconditioningMinor: number;
  realisedMinor?: number;
}

interface PartFacts {
  category?: string;
  massKg?: number;
  fiveAssembly?: boolean;
  soldMinor?: number;
  destination?: string;
}

/** Accumulates the money and mass facts of the log, one event at a time. */
export class LoopLedger {
  currency: string | null = null;
  currencies = new Set<string>();
  sales = bucket();
  guaranteedSales = bucket();
  gfv = bucket();
  settlements = bucket();
  tradeIns = bucket();
  resales = bucket();
  wholesales = bucket();
  reconditioning = bucket();
  vehicles = new Map<string, VehicleTrail>();
  parts = new Map<string, PartFacts>();
  materials = new Map<string, { massKg: number; lots: number; treatment: Record<string, number> }>();
  batteryMaterials = new Map<string, { massKg: number; lots: number }>();
  shipped = bucket();
  secondLife = { products: 0, energyKwh: 0, byChemistry: {} as Record<string, number> };
  recycledBatteries: string[] = [];

  private money(m: Money | null, into: Bucket): number {
    if (!m) return 0;
    this.currencies.add(m.currency);
    this.currency ??= m.currency;
    into.count++;
    into.amountMinor += m.amountMinor;
    return m.amountMinor;
  }

  private trail(vin: string): VehicleTrail {
    let t = this.vehicles.get(vin);
    if (!t) {
      t = { reconditioningMinor: 0 };
      this.vehicles.set(vin, t);
    }
    return t;
  }

  add(type: string, subjectId: string, p: Payload): void {
    switch (type) {
      case 'vehicle.sold': {
        this.money(moneyOf(p.price), this.sales);
        const g = p.guarantee as { gfv?: unknown } | undefined;
        if (g) {
          this.money(moneyOf(p.price), this.guaranteedSales);
          this.trail(subjectId).gfvMinor = this.money(moneyOf(g.gfv), this.gfv);
        }
        break;
      }
      case 'vehicle.buyback_exercised': {
        const t = this.trail(subjectId);
        t.outcome = 'exercised';
        const s = p.settlement as { paid?: unknown } | undefined;
        if (s) t.paidMinor = this.money(moneyOf(s.paid), this.settlements);
        break;
      }
      case 'vehicle.buyback_declined':
        this.trail(subjectId).outcome = 'declined';
        break;
      case 'vehicle.buyback_cancelled':
        this.trail(subjectId).outcome = 'cancelled';
        break;
      case 'vehicle.stocked': {
        const t = this.trail(subjectId);
        const cost = moneyOf(p.acquisitionCost);
        t.stockCostMinor = cost?.amountMinor ?? t.stockCostMinor;
        t.reconditioningMinor = 0;
        t.realisedMinor = undefined;
        if (p.source === 'trade_in') this.money(cost, this.tradeIns);
        break;
      }
      case 'vehicle.reconditioned':
        this.trail(subjectId).reconditioningMinor += this.money(moneyOf(p.cost), this.reconditioning);
        break;
      case 'vehicle.resold':
        this.trail(subjectId).realisedMinor = this.money(moneyOf(p.price), this.resales);
        break;
      case 'vehicle.wholesaled':
        this.trail(subjectId).realisedMinor = this.money(moneyOf(p.price), this.wholesales);
        break;
      case 'part.harvested': {
        const part = this.parts.get(subjectId) ?? {};
        part.category = String(p.category);
        part.fiveAssembly = p.fiveAssembly === true;
        if (typeof p.massKg === 'number') part.massKg = p.massKg;
        this.parts.set(subjectId, part);
        break;
      }
      case 'part.sold': {
        const part = this.parts.get(subjectId) ?? {};
        const price = moneyOf(p.price);
        if (price) {
          this.currencies.add(price.currency);
          part.soldMinor = price.amountMinor;
        }
        part.destination = String(p.destination);
        this.parts.set(subjectId, part);
        break;
      }
      case 'material-lot.recovered': {
        const fromBattery =
          Array.isArray(p.sources) &&
          p.sources.some((s) => String((s as { kind?: string }).kind).startsWith('battery'));
        const material = String(p.material);
        const mass = Number(p.massKg) || 0;
        if (fromBattery) {
          const m = this.batteryMaterials.get(material) ?? { massKg: 0, lots: 0 };
          m.massKg += mass;
          m.lots++;
          this.batteryMaterials.set(material, m);
        } else {
          const m = this.materials.get(material) ?? { massKg: 0, lots: 0, treatment: {} };
          m.massKg += mass;
          m.lots++;
          const treatment = typeof p.treatment === 'string' ? p.treatment : 'recycling';
          m.treatment[treatment] = (m.treatment[treatment] ?? 0) + mass;
          this.materials.set(material, m);
        }
        break;
      }
      case 'material-lot.shipped':
        this.money(moneyOf(p.price), this.shipped);
        break;
      case 'battery.produced':
        if (p.batteryStatus === 'repurposed') {
          this.secondLife.products++;
          const kwh = Number(p.nominalEnergyKwh) || 0;
          this.secondLife.energyKwh += kwh;
          const chem = String(p.chemistry);
          this.secondLife.byChemistry[chem] = (this.secondLife.byChemistry[chem] ?? 0) + kwh;
        }
        break;
      case 'battery.recycled':
        this.recycledBatteries.push(subjectId);
        break;
    }
  }
}

/** Event types the loop report reads. */
export const reportedEventTypes = [
  'vehicle.sold',
  'vehicle.buyback_exercised',
  'vehicle.buyback_declined',
  'vehicle.buyback_cancelled',
  'vehicle.stocked',
  'vehicle.reconditioned',
  'vehicle.resold',
  'vehicle.wholesaled',
  'part.harvested',
  'part.sold',
  'material-lot.recovered',
  'material-lot.shipped',
  'battery.produced',
  'battery.recycled',
] as const;

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;
const major = (minor: number) => round(minor / 100);

/** Value captured per stage of the loop (money in major units of `currency`). */
export function valueCaptured(l: LoopLedger) {
  let resaleMargin = 0;
  let resaleMarginCount = 0;
  for (const t of l.vehicles.values()) {
    if (t.realisedMinor === undefined || t.stockCostMinor === undefined) continue;
    resaleMargin += t.realisedMinor - t.stockCostMinor - t.reconditioningMinor;
    resaleMarginCount++;
  }
  const parts = { reuse: bucket(), remanufacturing: bucket(), scrap: bucket() };
  for (const p of l.parts.values()) {
    if (p.soldMinor === undefined) continue;
    const b = parts[(p.destination as keyof typeof parts) ?? 'reuse'] ?? parts.reuse;
    b.count++;
    b.amountMinor += p.soldMinor;
  }
  const money = (b: Bucket) => ({ count: b.count, amount: major(b.amountMinor) });
  return {
    currency: l.currency ?? 'CNY',
    sales: { ...money(l.sales), withGuarantee: money(l.guaranteedSales) },
    guarantees: { contracts: l.gfv.count, guaranteedFutureValue: major(l.gfv.amountMinor) },
    buybackSettlements: { handBacks: money(l.settlements), tradeIns: money(l.tradeIns) },
    resales: {
      retail: money(l.resales),
      wholesale: money(l.wholesales),
      reconditioningCost: major(l.reconditioning.amountMinor),
      margin: { vehicles: resaleMarginCount, amount: major(resaleMargin) },
    },
    parts: {
      reuse: money(parts.reuse),
      remanufacturing: money(parts.remanufacturing),
      scrap: money(parts.scrap),
    },
    batterySecondLife: { products: l.secondLife.products, energyKwh: round(l.secondLife.energyKwh, 1) },
    materials: {
      fromVehiclesKg: round(
        [...l.materials.values()].reduce((s, m) => s + m.massKg, 0),
        1,
      ),
      fromBatteriesKg: round(
        [...l.batteryMaterials.values()].reduce((s, m) => s + m.massKg, 0),
        1,
      ),
      shipped: money(l.shipped),
    },
  };
}

/** GFV against what the guaranteed cars realised (their resale or wholesale price after a hand-back). */
export function guaranteePerformance(l: LoopLedger) {
  const outcomes = { exercised: 0, declined: 0, cancelled: 0, open: 0 };
  let gfv = 0;
  let realised = 0;
  let shortfall = 0;
  let resold = 0;
  let paid = 0;
  for (const t of l.vehicles.values()) {
    if (t.gfvMinor === undefined) continue;
    outcomes[t.outcome ?? 'open']++;
    if (t.outcome === 'exercised') paid += t.paidMinor ?? 0;
    if (t.outcome !== 'exercised' || t.realisedMinor === undefined) continue;
    resold++;
    gfv += t.gfvMinor;
    realised += t.realisedMinor;
    shortfall += Math.max(0, t.gfvMinor - t.realisedMinor);
  }
  return {
    contracts: l.gfv.count,
    outcomes,
    exerciseRate: l.gfv.count
      ? round(outcomes.exercised / Math.max(1, l.gfv.count - outcomes.open), 4)
      : null,
    settledPaid: major(paid),
    handedBackAndResold: {
      vehicles: resold,
      gfv: major(gfv),
      realised: major(realised),
      realisedOverGfv: gfv > 0 ? round(realised / gfv, 4) : null,
      shortfall: major(shortfall),
    },
  };
}

// ---------------------------------------------------------------- avoided emissions

interface EmissionTable {
  version: string;
  source: string;
  materials: Record<string, { factor: number }>;
  reusedParts: Record<string, { factor: number }>;
  remanufacturedAssemblies: Record<string, { perUnit?: number; factor?: number }>;
  secondLifeBatteries: { perKwh: Record<string, number> };
  notCounted: string[];
}

let table: EmissionTable | undefined;
export function emissionFactors(): EmissionTable {
  table ??= JSON.parse(
    readFileSync(new URL('./data/avoided-emissions.v1.json', import.meta.url), 'utf8'),
  ) as EmissionTable;
  return table;
}

/** kg CO2e avoided, by source, with the table version it was worked out with. */
export function avoidedEmissions(l: LoopLedger) {
  const t = emissionFactors();
  let materials = 0;
  for (const [name, m] of l.materials)
    materials += (m.treatment.recycling ?? 0) * (t.materials[name]?.factor ?? 0);
  for (const [name, m] of l.batteryMaterials)
    if (name === 'copper') materials += m.massKg * (t.materials.copper?.factor ?? 0);
  let parts = 0;
  let assemblies = 0;
  for (const p of l.parts.values()) {
    if (p.destination === 'reuse' && !p.fiveAssembly)
      parts += (p.massKg ?? 0) * (t.reusedParts[p.category ?? '']?.factor ?? t.reusedParts.default!.factor);
    if (p.destination === 'remanufacturing') {
      const f = t.remanufacturedAssemblies[p.category ?? ''] ?? t.remanufacturedAssemblies.default!;
      assemblies += f.perUnit ?? (p.massKg ?? 0) * (f.factor ?? 0);
    }
  }
  let secondLife = 0;
  for (const [chem, kwh] of Object.entries(l.secondLife.byChemistry))
    secondLife += kwh * (t.secondLifeBatteries.perKwh[chem] ?? t.secondLifeBatteries.perKwh.default ?? 0);
  const kg = {
    recycledMaterials: round(materials, 1),
    reusedParts: round(parts, 1),
    remanufacturedAssemblies: round(assemblies, 1),
    batterySecondLife: round(secondLife, 1),
  };
  return {
    unit: 'kg CO2e',
    total: round(
      Object.values(kg).reduce((a, b) => a + b, 0),
      1,
    ),
    bySource: kg,
    factors: { table: 'avoided-emissions', version: t.version, source: t.source },
    notCounted: t.notCounted,
  };
}
