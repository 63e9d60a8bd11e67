/**
 * The fleet: which cars exist and when they are born. New cars are sold through the years of the
 * simulation with the new-energy share of their year; a legacy fleet (cars sold before the world's
 * start) is already on the road on day one, so that end of life, dismantling and battery recycling
 * happen within a few simulated years. Births go through the services: registration (assets), the
 * OEM's production batch (cells → modules → pack → vehicle, linked in the composition graph by the
 * events), the sale — with a guarantee through the buyback module's quote and contract — and the
 * registration to the keeper.
 */
import { registerAssets } from '../modules/assets/index.ts';
import { issueContract, quoteGuarantee } from '../modules/buyback/index.ts';
import { appendEvents, type EventInput } from '../modules/ledger/index.ts';
import { batteryCodeFor, vinFor } from './identifiers.ts';
import type { Actor } from './parties.ts';
import type { Random } from './random.ts';
import { byYear, isNewEnergy, type ModelSpec, type Powertrain } from './world.config.ts';
import { addMonths, cny, DAY_MS, iso, type SimPack, type SimVehicle, type World, YEAR_MS } from './world.ts';

const REGIONS = ['CN-31', 'CN-11', 'CN-44', 'CN-32', 'CN-33', 'CN-51', 'CN-42', 'CN-37'];

/** Draw every vehicle of the world (identities, usage profile, fate), without touching the database. */
export function planFleet(world: World, count: number): SimVehicle[] {
  const { config, random } = world;
  const legacyCount = Math.round(count * config.sales.legacyShare);
  const perModelSerial = new Map<string, number>();
  const vehicles: SimVehicle[] = [];
  for (let n = 0; n < count; n++) {
    const r = random.fork(`vehicle-${n}`);
    const legacy = n < legacyCount;
    const soldAt = legacy
      ? world.start - r.uniform(config.sales.legacyAgeYears[0], config.sales.legacyAgeYears[1]) * YEAR_MS
      : world.start + r.uniform(0, 0.999) * (world.end - world.start);
    const year = new Date(soldAt).getUTCFullYear();
    const spec = pickModel(r, config.models, year, config, legacy);
    const modelYear = new Date(soldAt + 120 * DAY_MS).getUTCFullYear();
    const serial = (perModelSerial.get(spec.wmi) ?? 0) + 1;
    perModelSerial.set(spec.wmi, serial);
    const rideHailing = r.chance(config.usage.rideHailingShare);
    const kmPerYear =
      config.usage.kmPerYearMedian *
      Math.exp(config.usage.kmPerYearSigma * r.normal()) *
      (rideHailing ? config.usage.rideHailingFactor : 1);
    const lifespan = Math.max(4, config.usage.lifespanYearsMean + config.usage.lifespanYearsSd * r.normal());
    vehicles.push({
      n,
      vin: vinFor(spec.wmi, modelYear, serial),
      spec,
      modelYear,
      legacy,
      producedAt: soldAt - r.uniform(10, 60) * DAY_MS,
      soldAt,
      dealer: r.int(0, world.cast.dealers.length - 1),
      kmPerYear,
      rideHailing,
      odometerKm: 0,
      odometerAt: soldAt,
      nextServiceKm: config.usage.serviceEveryKm,
      phase: r.int(0, 11),
      scrapAt: soldAt + lifespan * YEAR_MS,
      damage: 0,
      structuralDamage: false,
      idiosyncrasy: 0.05 * r.normal(),
      pack: null,
      status: 'planned',
      contract: null,
      salePriceMinor: 0,
      stockCostMinor: 0,
    });
  }
  return vehicles;
}

function pickModel(r: Random, models: ModelSpec[], year: number, config: World['config'], legacy: boolean) {
  // Battery codes (GB/T 34014) start in 2011, and new-energy cars were a rounding error before 2014.
  const nev = year >= 2014 && r.chance(byYear(config.nevShare, year));
  const bev = r.chance(byYear(config.bevShareOfNev, year));
  const wanted = (p: Powertrain) =>
    nev ? (bev ? p === 'bev' : p === 'phev' || p === 'erev') : !isNewEnergy(p);
  const pool = models.filter((m) => wanted(m.powertrain) && (legacy || !m.legacyOnly));
  return r.weighted(pool, (m) => m.share);
}

/** The pack of a new-energy car: its code, four modules of four cells (cellScaling), fade profile. */
export function packFor(world: World, v: SimVehicle, madeAt = v.producedAt, odometerAtInstall = 0): SimPack {
  const spec = v.spec.pack!;
  const { modulesPerPack, cellsPerModule } = world.config.cellScaling;
  const r = world.random.fork(`pack-${v.n}-${madeAt}`);
  const producedAt = iso(madeAt - 10 * DAY_MS);
  const trace = v.spec.wmi.slice(0, 7);
  const code = (type: 'pack' | 'module' | 'cell') =>
    batteryCodeFor({
      maker: spec.maker,
      type,
      chemistry: spec.chemistry,
      spec: type === 'pack' ? 'P1' : type === 'module' ? 'M1' : 'C1',
      trace,
      producedAt,
      serial: world.counters.battery++ % 10_000_000,
    });
  const modules: string[] = [];
  const cells: string[] = [];
  const pack = code('pack');
  for (let m = 0; m < modulesPerPack; m++) {
    modules.push(code('module'));
    for (let c = 0; c < cellsPerModule; c++) cells.push(code('cell'));
  }
  const weak = r.chance(world.config.usage.weakPackShare) ? world.config.usage.weakPackFactor : 1;
  const u = world.config.usage;
  return {
    code: pack,
    modules,
    cells,
    chemistry: spec.chemistry,
    energyKwh: spec.energyKwh,
    massKg: spec.massKg,
    fadePerYear: u.fadePerYear * weak * Math.exp(0.2 * r.normal()),
    fadePer10000Km: u.fadePer10000Km * weak * Math.exp(0.2 * r.normal()),
    installedAt: madeAt,
    odometerAtInstall,
    spreadPercent: r.uniform(...world.config.batteries.testResistanceSpreadPercent) * weak,
    safetyFinding: r.chance(world.config.batteries.safetyFindingShare)
      ? r.pick(['swelling', 'casing_damage', 'water_ingress'] as const)
      : null,
  };
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** Scaled masses and energies of one pack's levels (cells 75 % of a module, modules 85 % of the pack). */
function levels(pack: SimPack, world: World) {
  const { modulesPerPack, cellsPerModule } = world.config.cellScaling;
  const moduleMass = round3((pack.massKg * 0.85) / modulesPerPack);
  const cellMass = round3((moduleMass * 0.75) / cellsPerModule);
  const moduleEnergy = round3(pack.energyKwh / modulesPerPack);
  const cellEnergy = round3(moduleEnergy / cellsPerModule);
  return { moduleMass, cellMass, moduleEnergy, cellEnergy };
}

function registrationsOf(world: World, v: SimVehicle, withVehicle = true): object[] {
  const out: object[] = [];
  if (withVehicle)
    out.push({
      kind: 'vehicle',
      vin: v.vin,
      make: v.spec.make,
      model: v.spec.model,
      modelYear: v.modelYear,
      powertrain: v.spec.powertrain,
      newPrice: String(v.spec.newPriceCny),
      currency: 'CNY',
    });
  if (v.pack) out.push(...packRegistrations(world, v.pack));
  return out;
}

/** Registrations of a pack, its modules and its cells. */
export function packRegistrations(world: World, pack: SimPack): object[] {
  const out: object[] = [];
  const l = levels(pack, world);
  out.push({
    kind: 'battery-pack',
    code: pack.code,
    chemistry: pack.chemistry,
    ratedCapacityKwh: pack.energyKwh,
    massKg: pack.massKg,
  });
  for (const m of pack.modules)
    out.push({
      kind: 'battery-module',
      code: m,
      chemistry: pack.chemistry,
      ratedCapacityKwh: l.moduleEnergy,
      massKg: l.moduleMass,
    });
  for (const c of pack.cells)
    out.push({
      kind: 'battery-cell',
      code: c,
      chemistry: pack.chemistry,
      ratedCapacityKwh: l.cellEnergy,
      massKg: l.cellMass,
    });
  return out;
}

/** The OEM's production events: cells, modules (with their cells), the pack (with its modules), the car, the fitting. */
function productionEvents(world: World, v: SimVehicle, oem: Actor): EventInput[] {
  const at = iso(v.producedAt);
  const manufacturer = oem.principal.partyId;
  const pack = v.pack;
  const events: EventInput[] = pack ? packProductionEvents(world, pack, oem) : [];
  events.push({
    type: 'vehicle.produced',
    subject: { kind: 'vehicle', id: v.vin },
    occurredAt: at,
    payload: {
      manufacturerPartyId: manufacturer,
      producedAt: at,
      model: v.spec.model,
      modelYear: v.modelYear,
      powertrain: v.spec.powertrain,
      curbMassKg: v.spec.curbMassKg,
      msrp: cny(v.spec.newPriceCny * 100),
    },
  });
  if (pack) {
    events.push({
      type: 'battery.installed',
      subject: { kind: 'battery-pack', id: pack.code },
      occurredAt: at,
      payload: { host: { kind: 'vehicle', id: v.vin }, installedAt: at },
    });
    events.push({
      type: 'vehicle.battery_bound',
      subject: { kind: 'vehicle', id: v.vin },
      occurredAt: at,
      payload: { packCode: pack.code, boundAt: at },
    });
  }
  return events;
}

/** The production of a pack: its cells, its modules (with their cells), the pack (with its modules). */
export function packProductionEvents(world: World, pack: SimPack, oem: Actor): EventInput[] {
  const events: EventInput[] = [];
  const manufacturer = oem.principal.partyId;
  {
    const l = levels(pack, world);
    const batteryAt = iso(pack.installedAt - 10 * DAY_MS);
    const produced = (
      code: string,
      kind: 'battery-pack' | 'battery-module' | 'battery-cell',
      energy: number,
      mass: number,
      components?: string[],
    ): EventInput => ({
      type: 'battery.produced',
      subject: { kind, id: code },
      occurredAt: batteryAt,
      payload: {
        manufacturerPartyId: manufacturer,
        producedAt: batteryAt,
        chemistry: pack.chemistry,
        nominalEnergyKwh: energy,
        massKg: mass,
        batteryStatus: 'original',
        ...(components ? { componentCodes: components } : {}),
      },
    });
    for (const c of pack.cells) events.push(produced(c, 'battery-cell', l.cellEnergy, l.cellMass));
    const per = world.config.cellScaling.cellsPerModule;
    for (const [i, m] of pack.modules.entries())
      events.push(
        produced(m, 'battery-module', l.moduleEnergy, l.moduleMass, pack.cells.slice(i * per, (i + 1) * per)),
      );
    events.push(produced(pack.code, 'battery-pack', pack.energyKwh, pack.massKg, pack.modules));
  }
  return events;
}

async function appendInChunks(world: World, submitter: Actor, events: EventInput[], size = 20_000) {
  for (let i = 0; i < events.length; i += size) {
    await appendEvents(world.db, submitter, events.slice(i, i + size));
    world.tally.serviceCalls++;
  }
}

const customerRef = (world: World) =>
  `customer:sim-${(world.counters.buyer++).toString(36).padStart(6, '0')}`;

/**
 * Bring `born` to life: register, produce, sell (with or without a guarantee), register to the keeper.
 * One registration call and one production batch per OEM; one quote and contract per guaranteed sale.
 */
export async function bringToLife(world: World, born: SimVehicle[]): Promise<void> {
  if (born.length === 0) return;
  const byMake = new Map<string, SimVehicle[]>();
  for (const v of born) {
    if (v.spec.pack) v.pack = packFor(world, v);
    byMake.set(v.spec.make, [...(byMake.get(v.spec.make) ?? []), v]);
  }
  for (const [make, group] of byMake) {
    const oem = world.cast.oems.get(make)!;
    const result = await registerAssets(
      world.db,
      oem.principal,
      group.flatMap((v) => registrationsOf(world, v)),
    );
    world.tally.serviceCalls++;
    if (result.rejected.length > 0)
      throw new Error(`simulator: registration refused: ${JSON.stringify(result.rejected.slice(0, 3))}`);
    await appendInChunks(
      world,
      oem,
      group.flatMap((v) => productionEvents(world, v, oem)),
    );
  }
  const sales = new Map<number, EventInput[]>();
  const add = (dealer: number, e: EventInput) => sales.set(dealer, [...(sales.get(dealer) ?? []), e]);
  for (const v of born) {
    const r = world.random.fork(`sale-${v.n}`);
    const discount = r.uniform(...world.config.sales.salePriceDiscount);
    v.salePriceMinor = Math.round(v.spec.newPriceCny * (1 - discount)) * 100;
    const dealer = world.cast.dealers[v.dealer]!;
    const guaranteed = !v.legacy && !v.rideHailing && r.chance(world.config.sales.guaranteeShareOfNewSales);
    if (guaranteed) await sellWithGuarantee(world, v, dealer, r);
    else
      add(v.dealer, {
        type: 'vehicle.sold',
        subject: { kind: 'vehicle', id: v.vin },
        occurredAt: iso(v.soldAt),
        payload: {
          soldAt: iso(v.soldAt),
          sellerPartyId: dealer.principal.partyId,
          buyerPartyId: customerRef(world),
          price: cny(v.salePriceMinor),
        },
      });
    const registeredAt = iso(v.soldAt + 3 * DAY_MS);
    add(v.dealer, {
      type: 'vehicle.registered',
      subject: { kind: 'vehicle', id: v.vin },
      occurredAt: registeredAt,
      payload: {
        registeredAt,
        region: r.pick(REGIONS),
        useClass: v.rideHailing ? 'ride_hailing' : 'private',
      },
    });
    v.status = 'in_use';
  }
  for (const [dealer, events] of [...sales].sort((a, b) => a[0] - b[0]))
    await appendInChunks(world, world.cast.dealers[dealer]!, events);
}

async function sellWithGuarantee(world: World, v: SimVehicle, dealer: Actor, r: Random): Promise<void> {
  const termMonths = r.pick(world.config.sales.guaranteeTermsMonths);
  const soldAt = iso(v.soldAt);
  const quote = await quoteGuarantee(world.db, dealer.principal, {
    make: v.spec.make,
    model: v.spec.model,
    year: v.modelYear,
    fuel: v.spec.fuel,
    transmission: v.spec.transmission,
    engineL: v.spec.engineL,
    newPrice: v.spec.newPriceCny,
    currency: 'CNY',
    termMonths,
    kmPerYear: Math.min(40_000, Math.max(5_000, Math.round(v.kmPerYear / 1000) * 1000)),
    ...(v.pack ? { soh: 1 } : {}),
    at: soldAt,
  });
  const contract = await issueContract(world.db, dealer, {
    quoteId: quote.quoteId,
    vin: v.vin,
    soldAt,
    salePrice: v.salePriceMinor / 100,
    buyerRef: customerRef(world),
    odometerKm: 10,
  });
  world.tally.serviceCalls += 2;
  v.contract = {
    id: contract.contractId,
    termEndAt: addMonths(v.soldAt, termMonths),
    gfvMinor: Math.round(contract.gfv * 100),
  };
}
