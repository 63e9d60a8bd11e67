/**
 * A valid example payload for every event type, and example histories that walk each kind's state
 * machine end to end. Used by the tests, and reusable by the ledger's tests and the simulator.
 * Identifiers are valid (VINs with their check digit, GB/T 34014 codes built by @carloop/codes).
 */
import type { EventPayloads, EventType } from './lifecycle.payloads.ts';
import type { AssetKind } from './lifecycle.schemas.ts';

export const exampleIds = {
  vin: 'LRWYGCEK9PC123456',
  otherVin: 'LSJW74U33NZ004711',
  pack: '02FPEA1B2C3D4ED6F0001234',
  otherPack: '02FPEA1B2C3D4ED6F0005678',
  module: '02FMEA1B2C3D4ED6F0004321',
  otherModule: '02FMEA1B2C3D4ED6F0004322',
  cell: '02FCEA1B2C3D4ED6F0009876',
  otherCell: '02FCEA1B2C3D4ED6F0009877',
  // 19-character cascade-use codes (GB/T 34014 §4.2: no traceability field).
  cascadePack: '7QMPEB1M3A0000042RP',
  cascadeModule: '7QMMEB1M3A0000043RM',
  cascadeCell: '7QMCEB1M3A0000044RC',
  part: 'part-0b8e4c1a-engine',
  lot: 'lot-2039-ni-0007',
} as const;

const ids = exampleIds;
const cny = (yuan: number) => ({ amountMinor: yuan * 100, currency: 'CNY' });

export const examplePayloads: { readonly [T in EventType]: EventPayloads[T] } = {
  'vehicle.produced': {
    manufacturerPartyId: 'party:oem-01',
    producedAt: '2023-06-20T02:00:00Z',
    model: 'Model 3 RWD',
    modelYear: 2023,
    powertrain: 'bev',
    plantId: 'plant:shanghai',
    curbMassKg: 1760,
    msrp: cny(259_800),
  },
  'vehicle.battery_bound': { packCode: ids.pack, boundAt: '2023-06-20T03:00:00Z' },
  'vehicle.sold': {
    soldAt: '2023-07-01T06:00:00Z',
    sellerPartyId: 'party:dealer-sh-01',
    buyerPartyId: 'customer:7f3c9a2e',
    price: cny(245_900),
    guarantee: {
      contractId: 'bb-2023-000123',
      gfv: cny(135_000),
      termMonths: 36,
      distanceAllowanceKm: 60_000,
    },
  },
  'vehicle.registered': { registeredAt: '2023-07-03T01:00:00Z', region: 'CN-31', useClass: 'private' },
  'vehicle.odometer_read': { odometerKm: 12_040, readAt: '2024-01-15T08:00:00Z', source: 'telematics' },
  'vehicle.serviced': {
    servicedAt: '2024-07-02T03:00:00Z',
    odometerKm: 20_310,
    workshopPartyId: 'party:workshop-17',
    workItems: ['cabin filter', 'brake fluid'],
    cost: cny(680),
  },
  'vehicle.accident_reported': {
    occurredAt: '2025-02-11T11:30:00Z',
    severity: 'minor',
    structural: false,
    flood: false,
    fire: false,
    airbagDeployed: false,
    odometerKm: 34_900,
  },
  'vehicle.battery_health_reported': {
    packCode: ids.pack,
    sohPercent: 94.5,
    measuredAt: '2025-06-01T00:00:00Z',
    method: 'bms',
    odometerKm: 41_200,
  },
  'vehicle.battery_replaced': {
    oldPackCode: ids.pack,
    newPackCode: ids.otherPack,
    replacedAt: '2025-09-10T05:00:00Z',
    reason: 'failure',
    workshopPartyId: 'party:workshop-17',
    odometerKm: 47_800,
  },
  'vehicle.ownership_transferred': {
    fromPartyId: 'customer:7f3c9a2e',
    toPartyId: 'customer:c41d0e88',
    transferredAt: '2025-10-01T02:00:00Z',
    odometerKm: 49_000,
  },
  'vehicle.buyback_exercised': {
    contractId: 'bb-2023-000123',
    exercisedAt: '2026-07-01T02:00:00Z',
    odometerKm: 61_500,
    settlement: {
      gfv: cny(135_000),
      excessDistanceCharge: cny(450),
      damageCharge: cny(1_200),
      paid: cny(133_350),
    },
  },
  'vehicle.buyback_declined': {
    contractId: 'bb-2023-000123',
    declinedAt: '2026-07-01T02:00:00Z',
    option: 'kept_paid_gfv',
  },
  'vehicle.buyback_cancelled': {
    contractId: 'bb-2023-000123',
    cancelledAt: '2025-02-20T02:00:00Z',
    reason: 'accident_exclusion',
  },
  'vehicle.stocked': {
    stockedAt: '2026-07-02T02:00:00Z',
    dealerPartyId: 'party:dealer-sh-01',
    source: 'buyback',
    acquisitionCost: cny(133_350),
    locationId: 'yard:sh-jiading',
  },
  'vehicle.appraised': {
    appraisedAt: '2026-07-02T06:00:00Z',
    appraiserPartyId: 'party:appraiser-04',
    odometerKm: 61_520,
    score: 86,
    grade: 2,
    value: cny(131_000),
    priceBasis: 'c2b',
    valuationId: 'val-2026-88213',
  },
  'vehicle.reconditioned': {
    completedAt: '2026-07-09T09:00:00Z',
    workItems: ['paint correction front bumper', 'tyres x2'],
    cost: cny(3_800),
    odometerKm: 61_540,
  },
  'vehicle.listed': {
    listedAt: '2026-07-10T02:00:00Z',
    price: cny(149_800),
    channel: 'online',
    listingId: 'lst-77120',
  },
  'vehicle.delisted': { delistedAt: '2026-08-01T02:00:00Z', reason: 'price_review' },
  'vehicle.resold': {
    soldAt: '2026-08-20T06:00:00Z',
    sellerPartyId: 'party:dealer-sh-01',
    buyerPartyId: 'customer:0a9d5b17',
    price: cny(146_500),
  },
  'vehicle.wholesaled': {
    soldAt: '2026-09-15T06:00:00Z',
    buyerPartyId: 'party:trade-buyer-09',
    price: cny(118_000),
    channel: 'auction',
  },
  'vehicle.reserved': {
    reservedAt: '2026-08-12T03:00:00Z',
    reservationId: 'rsv-2026-00042',
    holderPartyId: 'customer:0a9d5b17',
    until: '2026-08-19T03:00:00Z',
    deposit: cny(5_000),
  },
  'vehicle.reservation_released': {
    releasedAt: '2026-08-19T03:00:00Z',
    reservationId: 'rsv-2026-00042',
    reason: 'expired',
  },
  'vehicle.disposition_decided': {
    decidedAt: '2026-07-03T02:00:00Z',
    deciderPartyId: 'party:dealer-sh-01',
    route: 'retail',
    recommendedRoute: 'retail',
    expectedNet: cny(139_200),
    decisionId: 'dsp-2026-00017',
    tablesVersion: 'remarketing-2026-11',
  },
  'vehicle.elv_received': {
    receivedAt: '2038-03-01T02:00:00Z',
    dismantlerPartyId: 'party:dismantler-js-03',
    massKg: 1_740,
    missingItems: [],
    packCode: ids.pack,
  },
  'vehicle.recycling_certificate_issued': {
    certificateNumber: 'JS-2038-0003117',
    issuedAt: '2038-03-05T02:00:00Z',
    issuerPartyId: 'party:dismantler-js-03',
    scheme: 'cn_elv_recycling_certificate',
  },
  'vehicle.deregistered': {
    deregisteredAt: '2038-03-08T02:00:00Z',
    authorityPartyId: 'authority:cn-32-traffic-police',
  },
  'vehicle.dismantled': {
    dismantledAt: '2038-04-02T06:00:00Z',
    siteId: 'site:js-03-line-1',
    supervision: 'none',
    fluidsDrained: true,
    massKg: 1_310,
  },
  'vehicle.enrolled': {
    enrolledAt: '2038-03-01T01:30:00Z',
    enrollerPartyId: 'party:dismantler-js-03',
    context: 'elv_intake',
    model: 'Qin EV',
    modelYear: 2024,
    powertrain: 'bev',
  },
  'vehicle.pretreated': {
    completedAt: '2038-03-10T06:00:00Z',
    siteId: 'site:js-03-line-1',
    tractionPackCode: ids.pack,
    highVoltageIsolatedAt: '2038-03-10T01:30:00Z',
    lowVoltageBatteryRemoved: true,
    airbagsNeutralised: 6,
    fluids: [
      { fluid: 'brake_fluid', capacityLitres: 0.8, drainedLitres: 0.75 },
      { fluid: 'coolant', capacityLitres: 7.5, drainedLitres: 7.0 },
    ],
    refrigerant: { type: 'R1234yf', recoveredKg: 0.48 },
  },
  'battery.produced': {
    manufacturerPartyId: 'party:cell-maker-02',
    producedAt: '2023-06-15T00:00:00Z',
    chemistry: 'NCM',
    nominalEnergyKwh: 60,
    massKg: 380,
    batteryStatus: 'original',
    componentCodes: [ids.module, ids.otherModule],
  },
  'battery.installed': { host: { kind: 'vehicle', id: ids.vin }, installedAt: '2023-06-20T03:00:00Z' },
  'battery.health_reported': { sohPercent: 93.8, measuredAt: '2025-06-01T00:00:00Z', method: 'bms' },
  'battery.removed': {
    host: { kind: 'vehicle', id: ids.vin },
    removedAt: '2038-03-10T02:00:00Z',
    reason: 'vehicle_end_of_life',
  },
  'battery.handed_over': {
    fromPartyId: 'party:dismantler-js-03',
    toPartyId: 'party:cascade-energy-01',
    handedOverAt: '2038-03-20T02:00:00Z',
    purpose: 'repurposing',
  },
  'battery.soh_tested': {
    testedAt: '2038-03-25T02:00:00Z',
    testerPartyId: 'party:cascade-energy-01',
    sohPercent: 76.4,
    method: 'capacity_discharge',
    remainingEnergyKwh: 45.8,
    internalResistanceMilliohm: 92,
  },
  'battery.graded': {
    gradedAt: '2038-03-26T02:00:00Z',
    graderPartyId: 'party:cascade-energy-01',
    grade: 'B',
    route: 'repurpose',
  },
  'battery.repurposed': {
    originalCode: ids.pack,
    newCode: ids.cascadePack,
    repurposedAt: '2038-04-10T02:00:00Z',
    operatorPartyId: 'party:cascade-energy-01',
    intendedApplication: 'base_station_backup',
  },
  'battery.deployed': {
    deployedAt: '2038-05-01T02:00:00Z',
    application: 'base_station_backup',
    siteId: 'site:bts-js-1187',
    operatorPartyId: 'party:telecom-js',
    usableEnergyKwh: 42,
  },
  'battery.retired': { retiredAt: '2044-05-01T02:00:00Z', reason: 'end_of_service', sohPercent: 58 },
  'battery.disassembled': {
    disassembledAt: '2038-04-03T02:00:00Z',
    operatorPartyId: 'party:cascade-energy-01',
    componentCodes: [ids.module, ids.otherModule],
  },
  'battery.recycled': {
    recycledAt: '2044-06-01T02:00:00Z',
    recyclerPartyId: 'party:recycler-01',
    process: 'hydrometallurgical',
    inputMassKg: 372,
    batchId: 'batch-2044-0601-a',
  },
  'battery.enrolled': {
    enrolledAt: '2038-03-01T01:30:00Z',
    enrollerPartyId: 'party:dismantler-js-03',
    host: { kind: 'vehicle', id: ids.vin },
    chemistry: 'LFP',
    nominalEnergyKwh: 48,
    massKg: 360,
  },
  'part.harvested': {
    vin: ids.vin,
    harvestedAt: '2038-04-02T08:00:00Z',
    category: 'electric_motor',
    fiveAssembly: false,
    partNumber: '1120980-00-F',
    condition: 'good',
    massKg: 45,
  },
  'part.produced': {
    manufacturerPartyId: 'party:reman-05',
    producedAt: '2030-01-10T00:00:00Z',
    category: 'transmission',
    partNumber: 'TX-4471-R',
    remanufactured: true,
    massKg: 62,
  },
  'part.stocked': {
    stockedAt: '2038-04-03T02:00:00Z',
    locationId: 'shelf:js-03-b12',
    askingPrice: cny(4_200),
  },
  'part.sold': {
    soldAt: '2038-05-06T02:00:00Z',
    buyerPartyId: 'party:workshop-17',
    price: cny(3_900),
    destination: 'reuse',
    reusedPartMarked: true,
  },
  'part.installed': {
    vin: ids.otherVin,
    installedAt: '2038-05-08T02:00:00Z',
    workshopPartyId: 'party:workshop-17',
  },
  'part.scrapped': { scrappedAt: '2045-01-10T02:00:00Z', route: 'smelting', massKg: 45 },
  'material-lot.recovered': {
    recoveredAt: '2044-06-20T02:00:00Z',
    recyclerPartyId: 'party:recycler-01',
    material: 'nickel',
    form: 'sulfate',
    massKg: 84.5,
    process: 'hydrometallurgical',
    sources: [
      { kind: 'battery-pack', id: ids.cascadePack },
      { kind: 'battery-pack', id: ids.otherPack },
    ],
  },
  'material-lot.assayed': {
    assayedAt: '2044-06-22T02:00:00Z',
    laboratoryPartyId: 'party:lab-12',
    purityPercent: 99.2,
  },
  'material-lot.shipped': {
    shippedAt: '2044-07-01T02:00:00Z',
    buyerPartyId: 'party:cathode-maker-03',
    massKg: 84.5,
    destinationUse: 'battery_material',
    price: cny(2_450),
  },
};

// Batteries sit in, and contain, different things depending on their kind.
const batteryVariants: Partial<Record<AssetKind, Partial<{ [T in EventType]: EventPayloads[T] }>>> = {
  'battery-module': {
    'battery.produced': {
      ...examplePayloads['battery.produced'],
      nominalEnergyKwh: 5,
      massKg: 32,
      componentCodes: [ids.cell, ids.otherCell],
    },
    'battery.installed': {
      ...examplePayloads['battery.installed'],
      host: { kind: 'battery-pack', id: ids.pack },
    },
    'battery.removed': {
      ...examplePayloads['battery.removed'],
      host: { kind: 'battery-pack', id: ids.pack },
      reason: 'repair',
    },
    'battery.disassembled': {
      ...examplePayloads['battery.disassembled'],
      componentCodes: [ids.cell, ids.otherCell],
    },
    'battery.repurposed': {
      ...examplePayloads['battery.repurposed'],
      originalCode: ids.module,
      newCode: ids.cascadeModule,
    },
  },
  'battery-cell': {
    'battery.produced': {
      ...withoutComponents(examplePayloads['battery.produced']),
      nominalEnergyKwh: 0.2,
      massKg: 0.9,
    },
    'battery.installed': {
      ...examplePayloads['battery.installed'],
      host: { kind: 'battery-module', id: ids.module },
    },
    'battery.removed': {
      ...examplePayloads['battery.removed'],
      host: { kind: 'battery-module', id: ids.module },
      reason: 'repair',
    },
    'battery.repurposed': {
      ...examplePayloads['battery.repurposed'],
      originalCode: ids.cell,
      newCode: ids.cascadeCell,
    },
  },
};

function withoutComponents(payload: EventPayloads['battery.produced']): EventPayloads['battery.produced'] {
  const { componentCodes: _components, ...rest } = payload;
  return rest;
}

/** The example payload of an event type, adapted to the subject kind where that matters. */
export function examplePayloadFor<T extends EventType>(type: T, kind: AssetKind): EventPayloads[T] {
  const variant = batteryVariants[kind]?.[type] as EventPayloads[T] | undefined;
  return variant ?? examplePayloads[type];
}

export interface ExampleHistory {
  name: string;
  kind: AssetKind;
  subjectId: string;
  events: Array<{ type: EventType; payload: unknown }>;
  /** State after the last event. */
  finalState: string;
}

type Step = EventType | { type: EventType; payload: unknown };

function history(
  name: string,
  kind: AssetKind,
  subjectId: string,
  steps: Step[],
  finalState: string,
): ExampleHistory {
  const events = steps.map((step) =>
    typeof step === 'string' ? { type: step, payload: examplePayloadFor(step, kind) } : step,
  );
  return { name, kind, subjectId, events, finalState };
}

/** Whole lives, one per path through the loop; each replays cleanly through `applyTransition`. */
export const exampleHistories: readonly ExampleHistory[] = [
  history(
    'vehicle: guaranteed sale, buyback, resale, end of life',
    'vehicle',
    ids.vin,
    [
      'vehicle.produced',
      'vehicle.battery_bound',
      'vehicle.sold',
      'vehicle.registered',
      'vehicle.odometer_read',
      'vehicle.serviced',
      'vehicle.accident_reported',
      'vehicle.battery_health_reported',
      'vehicle.buyback_exercised',
      'vehicle.stocked',
      'vehicle.appraised',
      'vehicle.reconditioned',
      'vehicle.listed',
      'vehicle.delisted',
      'vehicle.listed',
      'vehicle.resold',
      'vehicle.elv_received',
      'vehicle.recycling_certificate_issued',
      'vehicle.deregistered',
      'vehicle.dismantled',
    ],
    'dismantled',
  ),
  history(
    'vehicle: from outside the loop, enrolled at end-of-life intake and dismantled',
    'vehicle',
    ids.otherVin,
    [
      'vehicle.enrolled',
      'vehicle.elv_received',
      'vehicle.recycling_certificate_issued',
      'vehicle.pretreated',
      'vehicle.deregistered',
      'vehicle.dismantled',
    ],
    'dismantled',
  ),
  history(
    'battery pack: vehicle life, removal, test, grade, repurpose',
    'battery-pack',
    ids.pack,
    [
      'battery.produced',
      'battery.installed',
      'battery.health_reported',
      'battery.removed',
      'battery.handed_over',
      'battery.soh_tested',
      'battery.graded',
      'battery.repurposed',
    ],
    'repurposed',
  ),
  history(
    'cascade-use pack: deployed, retired, recycled',
    'battery-pack',
    ids.cascadePack,
    [
      {
        type: 'battery.produced',
        payload: {
          ...withoutComponents(examplePayloads['battery.produced']),
          manufacturerPartyId: 'party:cascade-energy-01',
          producedAt: '2038-04-10T02:00:00Z',
          nominalEnergyKwh: 45,
          batteryStatus: 'repurposed',
        },
      },
      'battery.deployed',
      'battery.health_reported',
      'battery.retired',
      'battery.handed_over',
      'battery.recycled',
    ],
    'recycled',
  ),
  history(
    'battery module: removed from a pack and disassembled',
    'battery-module',
    ids.module,
    [
      'battery.produced',
      'battery.installed',
      'battery.removed',
      'battery.soh_tested',
      'battery.disassembled',
    ],
    'disassembled',
  ),
  history(
    'battery cell: repurposed',
    'battery-cell',
    ids.cell,
    [
      'battery.produced',
      'battery.installed',
      'battery.removed',
      'battery.soh_tested',
      'battery.graded',
      'battery.repurposed',
    ],
    'repurposed',
  ),
  history(
    'part: harvested, stocked, sold, installed, scrapped',
    'part',
    ids.part,
    ['part.harvested', 'part.stocked', 'part.sold', 'part.installed', 'part.scrapped'],
    'scrapped',
  ),
  history(
    'material lot: recovered, assayed, shipped',
    'material-lot',
    ids.lot,
    ['material-lot.recovered', 'material-lot.assayed', 'material-lot.shipped'],
    'shipped',
  ),
];
