/**
 * The benchmark's workload: a fleet of registered vehicles and a stream of their lifecycle events,
 * as a fleet operator's feed would send them — every vehicle at its own point in life, so each batch
 * mixes creation, sale, registration, odometer, service, accident and battery-health events.
 *
 * Deterministic: vehicle v and event k are the same on every run and every dialect.
 */
import { makeVin } from '@carloop/codes';
import { exampleIds } from '../apps/server/src/modules/lifecycle/index.ts';

/** Events per vehicle life in the stream (one creation event and nine later facts). */
export const EVENTS_PER_VEHICLE = 10;

export interface RawEvent {
  type: string;
  subject: { kind: 'vehicle'; id: string };
  occurredAt: string;
  payload: Record<string, unknown>;
}

// VIN positions 1–8 per make (ISO 3780 WMI + VDS), position 10 the model year, 11 the plant.
const makes = [
  { wmi: 'LRWYGCEK', make: 'Tesla', model: 'Model 3 RWD', powertrain: 'bev', msrpYuan: 231_900 },
  { wmi: 'LSJW74U3', make: 'SAIC', model: 'MG4 Electric', powertrain: 'bev', msrpYuan: 129_800 },
  { wmi: 'LGXCE4CB', make: 'BYD', model: 'Qin PLUS DM-i', powertrain: 'phev', msrpYuan: 99_800 },
  { wmi: 'LFV2A21K', make: 'FAW-VW', model: 'ID.4 CROZZ', powertrain: 'bev', msrpYuan: 189_900 },
] as const;
// VIN year code (ISO 3779 / GB 16735 position 10): N = 2022, P = 2023, R = 2024.
const modelYears = [
  { code: 'N', year: 2022 },
  { code: 'P', year: 2023 },
  { code: 'R', year: 2024 },
] as const;
const plantCodes = 'ABCDEFGHJKLMNPRSTUVWXYZ';
const regions = ['CN-31', 'CN-11', 'CN-44', 'CN-32', 'CN-33', 'CN-51'];
const useClasses = ['private', 'private', 'private', 'ride_hailing', 'rental', 'taxi'] as const;
const serviceItems = [
  ['cabin filter', 'brake fluid'],
  ['tyre rotation'],
  ['12V battery replacement', 'wiper blades'],
  ['coolant top-up', 'brake pad inspection', 'software update 2024.20'],
];
const packCodes = [exampleIds.pack, exampleIds.otherPack];

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const cny = (yuan: number) => ({ amountMinor: Math.round(yuan * 100), currency: 'CNY' });

/** VIN of the v-th vehicle (valid check digit; unique for v < 23 · 10^6). */
export function vinOf(v: number): string {
  const make = makes[v % makes.length]!;
  const year = modelYears[v % modelYears.length]!;
  const plant = plantCodes[Math.floor(v / 1_000_000) % plantCodes.length]!;
  return makeVin(make.wmi, `${year.code}${plant}${String(v % 1_000_000).padStart(6, '0')}`);
}

/** The registration of the v-th vehicle, as `registerAssets` takes it. */
export function vehicleRegistration(v: number) {
  const make = makes[v % makes.length]!;
  return {
    kind: 'vehicle',
    vin: vinOf(v),
    make: make.make,
    model: make.model,
    modelYear: modelYears[v % modelYears.length]!.year,
    powertrain: make.powertrain,
    newPrice: `${make.msrpYuan}.00`,
    currency: 'CNY',
  };
}

/** Event `step` (0 … EVENTS_PER_VEHICLE − 1) in the life of vehicle v, whose VIN is given. */
export function vehicleEvent(v: number, vin: string, step: number): RawEvent {
  const make = makes[v % makes.length]!;
  const producedAt = Date.parse('2023-01-02T00:00:00Z') + (v % 700) * DAY + (v % 86_400) * 1000;
  // Daily distance varies per vehicle (ride-hailing cars drive far more); readings only go up.
  const kmPerDay = 20 + (v % 7) * 15;
  const at = producedAt + [0, 12, 14, 90, 180, 270, 365, 400, 540, 600][step]! * DAY;
  const odometerKm = Math.round(((at - producedAt) / DAY) * kmPerDay);
  const event = (type: string, payload: Record<string, unknown>): RawEvent => ({
    type,
    subject: { kind: 'vehicle', id: vin },
    occurredAt: iso(at),
    payload,
  });
  switch (step) {
    case 0:
      return event('vehicle.produced', {
        manufacturerPartyId: `party:oem-${make.make.toLowerCase()}`,
        producedAt: iso(at),
        model: make.model,
        modelYear: modelYears[v % modelYears.length]!.year,
        powertrain: make.powertrain,
        plantId: `plant:${v % 5}`,
        curbMassKg: 1_600 + (v % 300),
        msrp: cny(make.msrpYuan),
      });
    case 1:
      return event('vehicle.sold', {
        soldAt: iso(at),
        sellerPartyId: `party:dealer-${v % 97}`,
        buyerPartyId: `customer:${(v * 2_654_435_761) % 4_294_967_296}`,
        price: cny(make.msrpYuan - (v % 20) * 500),
        ...(v % 2 === 0
          ? {
              guarantee: {
                contractId: `bb-${v}`,
                gfv: cny(Math.round(make.msrpYuan * 0.55)),
                termMonths: 36,
                distanceAllowanceKm: 60_000,
              },
            }
          : {}),
      });
    case 2:
      return event('vehicle.registered', {
        registeredAt: iso(at),
        region: regions[v % regions.length]!,
        useClass: useClasses[v % useClasses.length]!,
      });
    case 3:
    case 5:
      return event('vehicle.odometer_read', { odometerKm, readAt: iso(at), source: 'telematics' });
    case 4:
    case 8:
      return event('vehicle.serviced', {
        servicedAt: iso(at),
        odometerKm,
        workshopPartyId: `party:workshop-${v % 211}`,
        workItems: serviceItems[(v + step) % serviceItems.length]!,
        cost: cny(300 + (v % 9) * 120),
      });
    case 6:
    case 9:
      return event('vehicle.battery_health_reported', {
        packCode: packCodes[v % packCodes.length]!,
        sohPercent: Math.round(1000 - step * 4 - (v % 10)) / 10,
        measuredAt: iso(at),
        method: 'bms',
        odometerKm,
      });
    case 7:
      return v % 4 === 0
        ? event('vehicle.accident_reported', {
            occurredAt: iso(at),
            severity: 'minor',
            structural: false,
            flood: false,
            fire: false,
            airbagDeployed: false,
            odometerKm,
          })
        : event('vehicle.odometer_read', { odometerKm, readAt: iso(at), source: 'inspection' });
    default:
      throw new RangeError(`no step ${step} in a vehicle life`);
  }
}

/**
 * The first `events` events of a fleet of `vehicles`, in batches of `batchSize`. A feed of `lanes`
 * vehicles at a time: lane s starts `s mod 10` rounds late, so after the first ten rounds every
 * batch holds each step of a life in equal measure; a lane takes the next vehicle when one finishes.
 */
export function* eventBatches(options: {
  vehicles: number;
  events: number;
  batchSize: number;
  vinFor: (v: number) => string;
  lanes?: number;
}): Generator<RawEvent[]> {
  const { vehicles, batchSize, vinFor } = options;
  const lanes = options.lanes ?? Math.max(batchSize, EVENTS_PER_VEHICLE);
  const total = Math.min(options.events, vehicles * EVENTS_PER_VEHICLE);
  let batch: RawEvent[] = [];
  let emitted = 0;
  for (let round = 0; emitted < total; round++) {
    for (let lane = 0; lane < lanes && emitted < total; lane++) {
      const local = round - (lane % EVENTS_PER_VEHICLE);
      if (local < 0) continue;
      const v = lane + lanes * Math.floor(local / EVENTS_PER_VEHICLE);
      if (v >= vehicles) continue;
      batch.push(vehicleEvent(v, vinFor(v), local % EVENTS_PER_VEHICLE));
      emitted++;
      if (batch.length === batchSize) {
        yield batch;
        batch = [];
      }
    }
  }
  if (batch.length > 0) yield batch;
}
