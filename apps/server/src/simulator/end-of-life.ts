/**
 * End of life at a qualified dismantler, through the dismantling module: intake and recycling
 * certificate, GB 22128 pre-treatment (the traction pack out first), deregistration, harvest of
 * reusable parts and the five assemblies, weighed material outputs (ISO 22628 rates), sales of some
 * parts, and the traction pack handed over to a repurposer (or straight to the recycler when it is
 * clearly spent).
 */
import { cancelContract } from '../modules/buyback/index.ts';
import {
  deregisterVehicle,
  handOverBattery,
  harvestVehicle,
  intakeVehicle,
  pretreatVehicle,
  sellPart,
  weighVehicle,
} from '../modules/dismantling/index.ts';
import { refused } from './guarantees.ts';
import type { Random } from './random.ts';
import { DAY_MS, iso, type SimPack, type SimVehicle, schedule, sohOf, type World } from './world.ts';

const PART_CATALOGUE = [
  { category: 'door', partNumber: 'DOOR-FL', name: 'front left door', massKg: 28, value: [300, 900] },
  { category: 'door', partNumber: 'DOOR-FR', name: 'front right door', massKg: 28, value: [300, 900] },
  { category: 'lighting', partNumber: 'LAMP-HL', name: 'headlamp', massKg: 4, value: [200, 1200] },
  { category: 'glass', partNumber: 'GLASS-WS', name: 'windscreen', massKg: 14, value: [150, 600] },
  { category: 'wheel', partNumber: 'WHEEL-17', name: 'alloy wheel', massKg: 11, value: [150, 500] },
  { category: 'seat', partNumber: 'SEAT-FL', name: 'driver seat', massKg: 22, value: [200, 800] },
  {
    category: 'electronic_module',
    partNumber: 'ECU-BCM',
    name: 'body control module',
    massKg: 1,
    value: [150, 700],
  },
  {
    category: 'air_conditioning',
    partNumber: 'AC-COMP',
    name: 'A/C compressor',
    massKg: 7,
    value: [250, 900],
  },
  { category: 'body_panel', partNumber: 'PANEL-BONNET', name: 'bonnet', massKg: 16, value: [200, 700] },
] as const;

const ASSEMBLY_MASS: Record<string, number> = {
  engine: 130,
  transmission: 55,
  steering_gear: 12,
  front_axle: 60,
  rear_axle: 55,
};

export interface EndOfLifeHooks {
  /** The traction pack has left the dismantler for `toParty` ('repurposer' | 'recycler'). */
  onPackHandedOver(v: SimVehicle, pack: SimPack, to: 'repurposer' | 'recycler', at: number): void;
}

/** Put the whole end-of-life chain of `v` on the calendar from `at`. */
export function scheduleEndOfLife(world: World, v: SimVehicle, at: number, hooks: EndOfLifeHooks): void {
  schedule(world, at, `elv-${v.n}`, async () => {
    try {
      await dismantle(world, v, at, hooks);
    } catch (error) {
      refused(world, error);
    }
  });
}

async function dismantle(world: World, v: SimVehicle, at: number, hooks: EndOfLifeHooks): Promise<void> {
  const r = world.random.fork(`elv-${v.n}`);
  const dismantler = world.cast.dismantlers[v.n % world.cast.dismantlers.length]!;
  const site = `site:sim-${dismantler.duns}`;
  const call = () => world.tally.serviceCalls++;
  if (v.contract) {
    // A guarantee still running on a car that is being scrapped ends with it.
    await cancelContract(world.db, world.cast.buyback, v.contract.id, {
      reason: 'other',
      note: 'vehicle scrapped',
      at: iso(at - DAY_MS),
    });
    call();
    v.contract = null;
  }
  const mass = Math.round(v.spec.curbMassKg * r.uniform(0.97, 1.0));
  const intake = await intakeVehicle(world.db, dismantler, {
    vin: v.vin,
    massKg: mass,
    receivedAt: iso(at),
    ...(v.pack ? { packCode: v.pack.code } : {}),
    siteId: site,
    documents: { registrationCertificate: true, drivingLicence: true, platesReturned: 2 },
  });
  call();
  if (intake.refused) return;
  v.status = 'end_of_life';
  const t = (days: number) => iso(at + days * DAY_MS);
  const ice = !v.pack || v.spec.powertrain !== 'bev';
  await pretreatVehicle(world.db, dismantler, v.vin, {
    completedAt: t(2),
    siteId: site,
    ...(v.pack
      ? {
          tractionBattery: {
            packCode: v.pack.code,
            highVoltageIsolatedAt: t(1),
            removedAt: t(1.1),
            massKg: v.pack.massKg,
          },
        }
      : {}),
    lowVoltageBattery: { removed: true, massKg: 14 },
    airbags: { fitted: v.spec.airbags, neutralised: v.spec.airbags, method: 'deployed_in_place' },
    fluids: fluids(ice, r),
    refrigerant: {
      type: v.modelYear >= 2018 ? 'R1234yf' : 'R134a',
      recoveredKg: Math.round(r.uniform(0.3, 0.6) * 100) / 100,
    },
  });
  call();
  await deregisterVehicle(world.db, dismantler, v.vin, {
    deregisteredAt: t(5),
    authorityPartyId: 'authority:cn-vehicle-registration',
  });
  call();
  const partCount = r.int(...world.config.endOfLife.partsPerVehicle);
  const parts = [...PART_CATALOGUE]
    .sort(() => r.next() - 0.5)
    .slice(0, v.damage >= 1 ? Math.min(2, partCount) : partCount)
    .map((p) => ({
      category: p.category,
      partNumber: `${v.spec.wmi.slice(0, 3)}-${p.partNumber}`,
      name: p.name,
      condition: r.pick(['good', 'fair', 'fair'] as const),
      value: Math.round(r.uniform(p.value[0], p.value[1])),
      massKg: p.massKg,
      compatibleModels: [v.spec.model],
    }));
  const assemblies = (ice ? ['engine', 'transmission'] : [])
    .concat(['steering_gear', 'front_axle', 'rear_axle', 'frame'])
    .map((type) => {
      const reman = type !== 'frame' && r.chance(world.config.endOfLife.remanufactureShareOfAssemblies);
      return reman
        ? {
            type,
            destination: 'remanufacturing',
            receiverPartyId: 'party:remanufacturer-sim',
            price: Math.round(r.uniform(300, 2500)),
            massKg: ASSEMBLY_MASS[type],
          }
        : { type, destination: 'scrap', route: 'shredding' };
    });
  const harvest = await harvestVehicle(world.db, dismantler, v.vin, {
    harvestedAt: t(10),
    siteId: site,
    currency: 'CNY',
    parts,
    assemblies,
  });
  call();
  v.status = 'dismantled';
  // The hulk (what is left after parts, remanufactured assemblies and the pack) goes to the shredder.
  const out =
    parts.reduce((s, p) => s + p.massKg, 0) +
    assemblies.reduce((s, a) => s + ('massKg' in a ? (a.massKg ?? 0) : 0), 0) +
    (v.pack?.massKg ?? 0);
  const hulk = Math.max(0, mass - out);
  const outputs = Object.entries(world.config.endOfLife.shredderYield)
    .map(([material, share]) => ({ material, massKg: Math.round(hulk * share * 10) / 10 }))
    .filter((o) => o.massKg > 0);
  if (outputs.length > 0) {
    await weighVehicle(world.db, dismantler, v.vin, { weighedAt: t(20), outputs });
    call();
  }
  for (const [i, p] of harvest.parts.entries()) {
    if (!r.chance(world.config.endOfLife.partSaleProbability)) continue;
    const part = p as { partId: string };
    await sellPart(world.db, dismantler, part.partId, {
      buyerPartyId: `workshop:sim-${(v.n + i) % 97}`,
      price: parts[i]!.value,
      currency: 'CNY',
      soldAt: t(r.uniform(15, 120)),
    });
    call();
  }
  if (v.pack) {
    const soh = sohOf(v.pack, at, v.odometerKm);
    const to = soh >= 0.6 && !v.pack.safetyFinding ? 'repurposer' : 'recycler';
    const receiver = to === 'repurposer' ? world.cast.repurposer : world.cast.recycler;
    const handedAt = at + r.uniform(3, 14) * DAY_MS;
    await handOverBattery(world.db, dismantler, v.pack.code, {
      toPartyId: receiver.principal.partyId,
      receiverCode: receiver.duns,
      purpose: to === 'repurposer' ? 'repurposing' : 'recycling',
      handedOverAt: iso(handedAt),
    });
    call();
    hooks.onPackHandedOver(v, v.pack, to, handedAt);
  }
}

function fluids(ice: boolean, r: Random) {
  const drain = (fluid: string, capacity: number) => ({
    fluid,
    capacityLitres: capacity,
    drainedLitres: Math.round(capacity * r.uniform(0.92, 0.99) * 100) / 100,
  });
  return ice
    ? [
        drain('fuel', 8),
        drain('engine_oil', 4.2),
        drain('transmission_oil', 3),
        drain('brake_fluid', 0.8),
        drain('coolant', 6),
        drain('washer_fluid', 2),
      ]
    : [drain('brake_fluid', 0.8), drain('coolant', 5), drain('battery_coolant', 6), drain('washer_fluid', 2)];
}
