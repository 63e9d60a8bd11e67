/**
 * A month of driving: odometer readings and battery health from the OEMs' telematics, services at the
 * workshops (the dealers), annual inspections, accidents. These are the high-volume facts, so they go
 * to the ledger the way a fleet feed would — one `appendEvents` batch per submitter per month (the
 * same ledger service the API's POST /ledger/events uses). Accidents and old age also put module
 * actions on the calendar (a voided guarantee, an end-of-life intake).
 */
import { appendEvents, type EventInput } from '../modules/ledger/index.ts';
import type { Actor } from './parties.ts';
import type { Random } from './random.ts';
import { WARRANTY_SOH_FLOOR } from './replacement.ts';
import { isNewEnergy } from './world.config.ts';
import { advanceOdometer, cny, DAY_MS, iso, type SimVehicle, sohOf, type World, YEAR_MS } from './world.ts';

const SERVICE_ITEMS = [
  ['engine oil', 'oil filter'],
  ['cabin filter', 'brake fluid'],
  ['tyre rotation', 'wheel alignment'],
  ['brake pads front'],
  ['coolant', 'wiper blades'],
];
const EV_SERVICE_ITEMS = [
  ['cabin filter', 'brake fluid'],
  ['tyre rotation'],
  ['battery coolant check', 'software update'],
];

export interface MonthHooks {
  /** A car's guarantee is void (an accident car, GB/T 30323 五级). */
  onAccidentExclusion(v: SimVehicle, at: number): void;
  /** The pack's health fell below the warranty floor: the OEM replaces it. */
  onBatteryWorn(v: SimVehicle, at: number): void;
  /** A car reaches the end of its life (age, distance or a total loss). */
  onEndOfLife(v: SimVehicle, at: number): void;
}

/** Append one month of usage for every car on the road; returns the number of events. */
export async function driveMonth(world: World, from: number, to: number, hooks: MonthHooks): Promise<number> {
  const batches = new Map<Actor, EventInput[]>();
  const add = (who: Actor, e: EventInput) => {
    let list = batches.get(who);
    if (!list) {
      list = [];
      batches.set(who, list);
    }
    list.push(e);
  };
  const month = new Date(from).getUTCMonth();
  for (const v of world.vehicles) {
    if (v.status !== 'in_use' || v.soldAt >= to) continue;
    const r = world.random.fork(`use-${v.n}-${from}`);
    const oem = world.cast.oems.get(v.spec.make)!;
    const workshop = world.cast.dealers[v.dealer]!;
    const start = Math.max(from, v.soldAt + 4 * DAY_MS);
    if (start >= to) continue;
    const mid = start + r.uniform(0.1, 0.9) * (to - start);
    const subject = { kind: 'vehicle' as const, id: v.vin };
    // Telematics (new-energy cars, every quarter): odometer and the pack's state of health.
    if (v.pack && (month + v.phase) % 3 === 0) {
      const km = advanceOdometer(v, mid);
      const at = iso(mid);
      const soh = sohOf(v.pack, mid, km);
      // Warranty: 8 years from the sale (ASSUMPTION, see replacement.ts).
      if (soh < WARRANTY_SOH_FLOOR && !v.replacing && mid - v.soldAt < 8 * YEAR_MS) {
        v.replacing = true;
        hooks.onBatteryWorn(v, to + r.uniform(5, 40) * DAY_MS);
      }
      add(oem, {
        type: 'vehicle.odometer_read',
        subject,
        occurredAt: at,
        payload: { odometerKm: km, readAt: at, source: 'telematics' },
      });
      add(oem, {
        type: 'vehicle.battery_health_reported',
        subject,
        occurredAt: at,
        payload: {
          packCode: v.pack.code,
          sohPercent: Math.round(soh * 1000) / 10,
          measuredAt: at,
          method: 'bms',
          odometerKm: km,
        },
      });
    } else if (!v.pack && month === v.phase) {
      // Annual inspection (年检) reading for cars without telematics.
      const km = advanceOdometer(v, mid);
      add(workshop, {
        type: 'vehicle.odometer_read',
        subject,
        occurredAt: iso(mid),
        payload: { odometerKm: km, readAt: iso(mid), source: 'inspection' },
      });
    }
    const endKm = advanceOdometer(v, to - DAY_MS);
    if (endKm >= v.nextServiceKm) {
      const at = to - 2 * DAY_MS;
      const items = r.pick(
        isNewEnergy(v.spec.powertrain) && v.spec.powertrain === 'bev' ? EV_SERVICE_ITEMS : SERVICE_ITEMS,
      );
      add(workshop, {
        type: 'vehicle.serviced',
        subject,
        occurredAt: iso(at),
        payload: {
          servicedAt: iso(at),
          odometerKm: endKm,
          workshopPartyId: workshop.principal.partyId,
          workItems: items,
          cost: cny(r.uniform(...world.config.usage.serviceCostCny) * 100),
        },
      });
      v.nextServiceKm = endKm + world.config.usage.serviceEveryKm;
    }
    if (r.chance(world.config.usage.accidentRatePerYear / 12))
      accident(world, v, r, to, workshop, add, hooks);
    if (v.status === 'in_use' && (to >= v.scrapAt || endKm >= world.config.usage.mandatoryScrapKm)) {
      v.status = 'end_of_life';
      hooks.onEndOfLife(v, to + r.uniform(1, 20) * DAY_MS);
    }
  }
  let count = 0;
  for (const [who, events] of [...batches].sort((a, b) =>
    a[0].principal.name < b[0].principal.name ? -1 : 1,
  )) {
    for (let i = 0; i < events.length; i += 20_000) {
      await appendEvents(world.db, who, events.slice(i, i + 20_000));
      world.tally.serviceCalls++;
    }
    count += events.length;
  }
  return count;
}

function accident(
  world: World,
  v: SimVehicle,
  r: Random,
  to: number,
  workshop: Actor,
  add: (who: Actor, e: EventInput) => void,
  hooks: MonthHooks,
): void {
  const severity = r.category(world.config.usage.accidentSeverity);
  const at = to - r.uniform(3, 20) * DAY_MS;
  const structural =
    severity === 'total_loss' || severity === 'severe' || (severity === 'moderate' && r.chance(0.3));
  const fire = severity === 'total_loss' && r.chance(0.1);
  const km = advanceOdometer(v, at);
  add(workshop, {
    type: 'vehicle.accident_reported',
    subject: { kind: 'vehicle', id: v.vin },
    occurredAt: iso(at),
    payload: {
      occurredAt: iso(at),
      severity,
      structural,
      flood: false,
      fire,
      airbagDeployed: severity !== 'minor',
      odometerKm: km,
    },
  });
  v.damage += { minor: 0.02, moderate: 0.06, severe: 0.15, total_loss: 1 }[severity];
  if (structural) {
    v.structuralDamage = true;
    if (v.contract) hooks.onAccidentExclusion(v, to + DAY_MS);
  }
  if (severity === 'total_loss') {
    v.status = 'end_of_life';
    hooks.onEndOfLife(v, to + r.uniform(2, 25) * DAY_MS);
  }
}
