/**
 * What the lifecycle log says about a car that enters used-car stock: accidents (with flood and fire),
 * odometer readings and their flags, battery health, use class and registration, its pack and curb
 * mass. Pure: reads a history as the ledger returns it.
 */

export interface HistoryEventLike {
  seq: number;
  type: string;
  occurredAt: string;
  payloadStatus: 'disclosed' | 'withheld' | 'redacted';
  payload?: unknown;
  flags: Array<{ code: string; message: string }>;
}

export interface VehicleHistorySummary {
  events: number;
  /** Events whose payload this party may not see, or that were erased. */
  undisclosedEvents: number;
  registration: { registeredAt: string; useClass: string; region: string } | null;
  production: { producedAt: string | null; modelYear: number | null; curbMassKg: number | null } | null;
  accidents: Array<{
    occurredAt: string;
    severity: string;
    structural: boolean;
    flood: boolean;
    fire: boolean;
    airbagDeployed: boolean | null;
  }>;
  odometer: {
    latestKm: number | null;
    highestKm: number | null;
    readings: number;
    flags: Array<{ code: string; message: string; occurredAt: string }>;
  };
  batteryHealth: Array<{ sohPercent: number; measuredAt: string; method: string; packCode: string | null }>;
  packCode: string | null;
  ownershipTransfers: number;
  buyback: { contractId: string; exercisedAt: string } | null;
  flags: Array<{ code: string; message: string; occurredAt: string }>;
}

type Payload = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' ? v : null);
const num = (v: unknown) => (typeof v === 'number' ? v : null);

export function summariseHistory(events: readonly HistoryEventLike[]): VehicleHistorySummary {
  const summary: VehicleHistorySummary = {
    events: events.length,
    undisclosedEvents: 0,
    registration: null,
    production: null,
    accidents: [],
    odometer: { latestKm: null, highestKm: null, readings: 0, flags: [] },
    batteryHealth: [],
    packCode: null,
    ownershipTransfers: 0,
    buyback: null,
    flags: [],
  };
  for (const e of events) {
    for (const f of e.flags) {
      const flag = { ...f, occurredAt: e.occurredAt };
      summary.flags.push(flag);
      if (f.code.startsWith('odometer')) summary.odometer.flags.push(flag);
    }
    if (e.payloadStatus !== 'disclosed' || typeof e.payload !== 'object' || e.payload === null) {
      summary.undisclosedEvents += 1;
      continue;
    }
    const p = e.payload as Payload;
    const km = num(p.odometerKm);
    if (km !== null) {
      summary.odometer.readings += 1;
      summary.odometer.latestKm = km;
      summary.odometer.highestKm = Math.max(summary.odometer.highestKm ?? km, km);
    }
    switch (e.type) {
      case 'vehicle.produced':
      case 'vehicle.enrolled':
        summary.production = {
          producedAt: str(p.producedAt) ?? str(p.enrolledAt),
          modelYear: num(p.modelYear),
          curbMassKg: num(p.curbMassKg),
        };
        break;
      case 'vehicle.registered':
        summary.registration = {
          registeredAt: str(p.registeredAt) ?? e.occurredAt,
          useClass: str(p.useClass) ?? 'private',
          region: str(p.region) ?? '',
        };
        break;
      case 'vehicle.accident_reported':
        summary.accidents.push({
          occurredAt: str(p.occurredAt) ?? e.occurredAt,
          severity: str(p.severity) ?? 'unknown',
          structural: p.structural === true,
          flood: p.flood === true,
          fire: p.fire === true,
          airbagDeployed: typeof p.airbagDeployed === 'boolean' ? p.airbagDeployed : null,
        });
        break;
      case 'vehicle.battery_bound':
        summary.packCode = str(p.packCode);
        break;
      case 'vehicle.battery_replaced':
        summary.packCode = str(p.newPackCode);
        break;
      case 'vehicle.battery_health_reported':
        summary.batteryHealth.push({
          sohPercent: num(p.sohPercent) ?? 0,
          measuredAt: str(p.measuredAt) ?? e.occurredAt,
          method: str(p.method) ?? 'unknown',
          packCode: str(p.packCode),
        });
        summary.packCode ??= str(p.packCode);
        break;
      case 'vehicle.ownership_transferred':
        summary.ownershipTransfers += 1;
        break;
      case 'vehicle.buyback_exercised':
        summary.buyback = {
          contractId: str(p.contractId) ?? '',
          exercisedAt: str(p.exercisedAt) ?? e.occurredAt,
        };
        break;
    }
  }
  return summary;
}

/** Accident, flood and fire as the log reports them, with where each came from. */
export function conditionsInHistory(summary: VehicleHistorySummary): {
  accident: string[];
  flood: string[];
  fire: string[];
} {
  const out = { accident: [] as string[], flood: [] as string[], fire: [] as string[] };
  for (const a of summary.accidents) {
    const at = a.occurredAt.slice(0, 10);
    if (a.structural || a.severity === 'total_loss')
      out.accident.push(`the log (${a.severity} structural accident ${at})`);
    if (a.flood) out.flood.push(`the log (flood ${at})`);
    if (a.fire) out.fire.push(`the log (fire ${at})`);
  }
  return out;
}
