/**
 * One zod schema per event type: the payload each lifecycle event carries. Every payload is a
 * strict object (unknown fields are rejected) so that nothing unplanned — above all personal
 * data — slips into the permanent log.
 */
import { z } from 'zod';
import {
  assetRef,
  batteryCode,
  batteryCodeOf,
  distanceKm,
  energyKwh,
  guarantee,
  instant,
  massKg,
  money,
  opaqueId,
  partyId,
  percent,
  shortText,
  sohPercent,
  vin,
} from './lifecycle.schemas.ts';

// Order 715 (2019) Art. 10: the five major assemblies (五大总成).
export const fiveAssemblies = [
  'engine',
  'steering_gear',
  'transmission',
  'front_axle',
  'rear_axle',
  'frame',
] as const;
export const partCategories = [
  ...fiveAssemblies,
  'body_panel',
  'door',
  'lighting',
  'glass',
  'wheel',
  'seat',
  'electronic_module',
  'electric_motor',
  'air_conditioning',
  'other',
] as const;

const workItems = z.array(shortText).min(1).max(50);
const powertrains = ['ice', 'hev', 'phev', 'bev', 'erev', 'fcev'] as const;
const secondLifeApplications = [
  'energy_storage',
  'base_station_backup',
  'charging_station_buffer',
  'low_speed_vehicle',
  'other',
] as const;
const batteryChemistries = ['LFP', 'NCM', 'NCA', 'LMO', 'LCO', 'LTO', 'NiMH', 'sodium_ion', 'other'] as const;
// What a residual-energy test can find besides capacity (end-of-life.md §6: visual and safety screen first).
export const batterySafetyFindings = [
  'swelling',
  'leakage',
  'corrosion',
  'casing_damage',
  'thermal_event',
  'insulation_fault',
  'bms_fault',
  'water_ingress',
  'cell_voltage_imbalance',
] as const;

/**
 * GB/T 30323-2013 technical-condition grade from the total score: 一级 ≥ 90, 二级 60–90, 三级 20–60,
 * 四级 < 20. 五级 (事故车, accident car) overrides any score.
 */
export function conditionGradeOfScore(score: number): 1 | 2 | 3 | 4 {
  if (score >= 90) return 1;
  if (score >= 60) return 2;
  if (score >= 20) return 3;
  return 4;
}

// ---------------------------------------------------------------- vehicle: new-car life

const vehicleProduced = z.strictObject({
  manufacturerPartyId: partyId,
  producedAt: instant,
  model: shortText,
  modelYear: z.int().min(1950).max(2100),
  powertrain: z.enum(powertrains),
  plantId: opaqueId.optional(),
  curbMassKg: massKg.optional(),
  msrp: money.optional(),
  // A car the platform first meets at its sale (a buyback contract for a VIN nobody recorded before)
  // is created by the seller, who does not know the factory facts: the entry says so.
  source: z.enum(['manufacturer', 'point_of_sale']).optional().meta({
    description:
      'point_of_sale: recorded by the seller when the car first became known at its sale, not by the maker — producedAt is then the latest it can have been produced (the sale), and manufacturerPartyId names the make (make:<MAKE>) unless the maker is a party',
  }),
});

// MIIT 2018 traceability rule Art. 9: the vehicle maker uploads the VIN ↔ pack-code binding.
const packCode = batteryCodeOf(['battery-pack']);
const vehicleBatteryBound = z.strictObject({ packCode, boundAt: instant });

const sale = {
  soldAt: instant,
  sellerPartyId: partyId,
  buyerPartyId: partyId,
  price: money,
  guarantee: guarantee
    .optional()
    .meta({ description: 'present when sold with a guaranteed buyback (保值回购)' }),
};
const vehicleSold = z.strictObject(sale);

const vehicleRegistered = z.strictObject({
  registeredAt: instant,
  region: z.string().regex(/^[A-Z]{2}(?:-[A-Z0-9]{1,3})?$/, 'an ISO 3166-1/3166-2 code, e.g. CN-31'),
  // 《机动车强制报废标准规定》 (2012): service-life and mileage limits depend on the use class.
  useClass: z.enum(['private', 'taxi', 'rental', 'ride_hailing', 'commercial']),
});

const vehicleOdometerRead = z.strictObject({
  odometerKm: distanceKm,
  readAt: instant,
  source: z.enum(['telematics', 'inspection', 'service', 'owner_report']),
});

const vehicleServiced = z.strictObject({
  servicedAt: instant,
  odometerKm: distanceKm,
  workshopPartyId: partyId,
  workItems,
  cost: money.optional(),
});

const vehicleAccidentReported = z.strictObject({
  occurredAt: instant,
  severity: z.enum(['minor', 'moderate', 'severe', 'total_loss']),
  // GB/T 30323-2013 表2: damage at a body-structure position makes an accident car (事故车, 五级).
  structural: z.boolean(),
  flood: z.boolean(),
  fire: z.boolean(),
  airbagDeployed: z.boolean().optional(),
  odometerKm: distanceKm.optional(),
  claimReference: opaqueId.optional(),
});

const vehicleBatteryHealthReported = z.strictObject({
  packCode,
  sohPercent,
  measuredAt: instant,
  method: z.enum(['bms', 'bench_test', 'third_party_report']),
  odometerKm: distanceKm.optional(),
});

// MIIT 2018 traceability rule Art. 10: a battery replaced in repair is reported to the OEM.
const vehicleBatteryReplaced = z
  .strictObject({
    oldPackCode: packCode,
    newPackCode: packCode,
    replacedAt: instant,
    reason: z.enum(['failure', 'degradation', 'accident', 'recall', 'upgrade']),
    workshopPartyId: partyId,
    odometerKm: distanceKm.optional(),
  })
  .refine((p) => p.oldPackCode !== p.newPackCode, {
    path: ['newPackCode'],
    message: 'must differ from oldPackCode',
  });

const vehicleOwnershipTransferred = z
  .strictObject({
    fromPartyId: partyId,
    toPartyId: partyId,
    transferredAt: instant,
    odometerKm: distanceKm.optional(),
  })
  .refine((p) => p.fromPartyId !== p.toPartyId, {
    path: ['toPartyId'],
    message: 'must differ from fromPartyId',
  });

// ---------------------------------------------------------------- vehicle: buyback and used-car operations

const vehicleBuybackExercised = z.strictObject({
  contractId: opaqueId,
  exercisedAt: instant,
  odometerKm: distanceKm,
  // Settlement = GFV − (excess distance + damage), the PCP hand-back mechanics (residual-value.md §4).
  settlement: z
    .strictObject({
      gfv: money,
      excessDistanceCharge: money,
      damageCharge: money,
      paid: money,
      // Missing keys, service history, charging cable… (residual-value.md §4), apart from damage.
      missingItemsCharge: money.optional(),
    })
    .optional(),
});

const vehicleBuybackDeclined = z.strictObject({
  contractId: opaqueId,
  declinedAt: instant,
  option: z.enum(['kept_paid_gfv', 'refinanced', 'part_exchanged', 'lapsed']),
});

// A guarantee voided before its end: the accident exclusion (GB/T 30323 事故车, flood, fire, total
// loss), a reversed sale, or the customer's request. The car stays where it is.
const vehicleBuybackCancelled = z.strictObject({
  contractId: opaqueId,
  cancelledAt: instant,
  reason: z.enum(['accident_exclusion', 'sale_reversed', 'customer_request', 'other']),
});

const vehicleStocked = z.strictObject({
  stockedAt: instant,
  dealerPartyId: partyId,
  source: z.enum(['buyback', 'trade_in', 'purchase', 'auction']),
  acquisitionCost: money.optional(),
  locationId: opaqueId.optional(),
});

const vehicleAppraised = z
  .strictObject({
    appraisedAt: instant,
    appraiserPartyId: partyId,
    odometerKm: distanceKm,
    score: z
      .number()
      .min(0)
      .max(100)
      .meta({ description: 'GB/T 30323-2013 technical-condition total (max 100)' }),
    grade: z.int().min(1).max(5).meta({ description: 'GB/T 30323-2013 grade 一级…五级; 5 = accident car' }),
    value: money,
    // Always label the price type: C2B buy-in, wholesale/auction or B2C retail (residual-value.md §3.1).
    priceBasis: z.enum(['c2b', 'wholesale', 'b2c']),
    valuationId: opaqueId.optional(),
  })
  .refine((p) => p.grade === 5 || p.grade === conditionGradeOfScore(p.score), {
    path: ['grade'],
    message:
      'grades 1–4 follow the score (≥ 90: 1, ≥ 60: 2, ≥ 20: 3, else 4); only 5 (accident car) overrides it',
  });

const vehicleReconditioned = z.strictObject({
  completedAt: instant,
  workItems,
  cost: money,
  odometerKm: distanceKm.optional(),
});

const vehicleListed = z.strictObject({
  listedAt: instant,
  price: money,
  channel: z.enum(['retail_lot', 'online', 'auction']),
  listingId: opaqueId.optional(),
});

const vehicleDelisted = z.strictObject({
  delistedAt: instant,
  reason: z.enum(['price_review', 'reconditioning', 'withdrawn', 'disposition_change']),
});

const vehicleResold = z.strictObject(sale);

const vehicleWholesaled = z.strictObject({
  soldAt: instant,
  buyerPartyId: partyId,
  price: money,
  channel: z.enum(['auction', 'trade_buyer', 'export']),
});

// A commercial hold of a stock car for one buyer (usually against a deposit): the car's lifecycle
// state does not change (a listed car stays listed), but nobody else may buy it until `until`.
const vehicleReserved = z.strictObject({
  reservedAt: instant,
  reservationId: opaqueId,
  holderPartyId: partyId.meta({ description: 'opaque id of the buyer holding the car (no personal data)' }),
  until: instant,
  deposit: money.optional(),
});

const vehicleReservationReleased = z.strictObject({
  releasedAt: instant,
  reservationId: opaqueId,
  reason: z.enum(['expired', 'cancelled']),
});

// The used-car operator's disposition decision: resell, wholesale or dismantle (residual-value.md
// §6), with the expected net value of the route taken (signed: a route can cost more than it brings)
// and the versioned price tables it was worked out with.
const vehicleDispositionDecided = z.strictObject({
  decidedAt: instant,
  deciderPartyId: partyId,
  route: z.enum(['retail', 'wholesale', 'dismantle']),
  recommendedRoute: z.enum(['retail', 'wholesale', 'dismantle']),
  expectedNet: z.strictObject({
    amountMinor: z.int().meta({ description: 'signed integer minor units' }),
    currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code in upper case, e.g. CNY'),
  }),
  decisionId: opaqueId,
  tablesVersion: opaqueId,
});

// ---------------------------------------------------------------- vehicle: end of life

// 实施细则 (2020) Art. 20: what may be missing when an ELV arrives; Art. 21 of the 2026 battery rules
// adds the traction battery (车电一体报废).
export const elvMissingItems = [...fiveAssemblies, 'exhaust_aftertreatment', 'traction_battery'] as const;

const vehicleElvReceived = z.strictObject({
  receivedAt: instant,
  dismantlerPartyId: partyId,
  massKg,
  missingItems: z.array(z.enum(elvMissingItems)).max(elvMissingItems.length).optional(),
  packCode: packCode
    .optional()
    .meta({ description: 'traction battery received with the vehicle (MIIT 2018 Art. 13)' }),
});

const vehicleRecyclingCertificateIssued = z.strictObject({
  certificateNumber: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9/-]{0,63}$/, 'a certificate number (max 64)'),
  issuedAt: instant,
  issuerPartyId: partyId,
  // Order 715 Art. 9 《报废机动车回收证明》; Directive 2000/53/EC Art. 5(3) Certificate of Destruction.
  scheme: z.enum(['cn_elv_recycling_certificate', 'eu_certificate_of_destruction']),
});

const vehicleDeregistered = z.strictObject({ deregisteredAt: instant, authorityPartyId: partyId });

// GB 22128-2019 拆解预处理 (pre-treatment) before any dismantling: traction battery out with the
// high-voltage system isolated first, 12 V battery out, airbags neutralised, fluids drained and
// collected (volumes kept for the drainage-rate check), refrigerant recovered by type.
export const drainedFluids = [
  'fuel',
  'engine_oil',
  'transmission_oil',
  'differential_oil',
  'power_steering_fluid',
  'brake_fluid',
  'coolant',
  'washer_fluid',
  'battery_coolant',
] as const;
export const refrigerantTypes = ['R12', 'R134a', 'R1234yf', 'R744', 'other', 'none'] as const;

const vehiclePretreated = z.strictObject({
  completedAt: instant,
  siteId: opaqueId,
  tractionPackCode: packCode.optional().meta({ description: 'the traction pack removed, if any' }),
  highVoltageIsolatedAt: instant.optional(),
  lowVoltageBatteryRemoved: z.boolean(),
  airbagsNeutralised: z.int().min(0).max(40),
  fluids: z
    .array(
      z.strictObject({
        fluid: z.enum(drainedFluids),
        capacityLitres: z.number().nonnegative().max(10_000),
        drainedLitres: z.number().nonnegative().max(10_000),
      }),
    )
    .max(drainedFluids.length),
  refrigerant: z.strictObject({
    type: z.enum(refrigerantTypes),
    recoveredKg: z.number().nonnegative().max(100),
  }),
});

const vehicleDismantled = z.strictObject({
  dismantledAt: instant,
  siteId: opaqueId,
  // 实施细则 Art. 23: large operating vehicles and school buses under police on-site or video supervision.
  supervision: z.enum(['none', 'police_on_site', 'police_video']),
  // GB 22128 pre-treatment: fluids drained and collected before dismantling.
  fluidsDrained: z.boolean(),
  massKg: massKg.optional(),
});

// A vehicle the platform has never followed (an ELV from outside the loop, a car registered by import
// without events) enters the log with what its papers declare at that moment; nothing earlier is
// claimed, so its history honestly starts here.
const vehicleEnrolled = z.strictObject({
  enrolledAt: instant,
  enrollerPartyId: partyId,
  context: z.enum(['elv_intake', 'used_car_intake', 'other']),
  model: shortText.optional(),
  modelYear: z.int().min(1950).max(2100).optional(),
  powertrain: z.enum(powertrains).optional(),
});

// ---------------------------------------------------------------- batteries: packs, modules, cells

const batteryProduced = z.strictObject({
  manufacturerPartyId: partyId,
  producedAt: instant,
  chemistry: z.enum(batteryChemistries),
  nominalEnergyKwh: energyKwh,
  massKg,
  // Battery Pass GeneralProductInformation.batteryStatus; a repurposed product is a new battery
  // with a new code (GB/T 34014 §4.1, Reg. (EU) 2023/1542 Art. 77(7)).
  batteryStatus: z.enum(['original', 'repurposed', 'remanufactured']),
  componentCodes: z
    .array(batteryCode)
    .max(10_000)
    .optional()
    .meta({ description: 'modules (or cells, cell-to-pack) of a pack; cells of a module' }),
  // Reg. (EU) 2023/1542 Art. 8: recovered material lots used, so recycled content can be computed.
  recycledInputs: z
    .array(z.strictObject({ lotId: opaqueId, massKg }))
    .min(1)
    .max(1_000)
    .optional()
    .meta({ description: 'recovered material lots used in this battery (mass of lot material used)' }),
});

// A traction pack first seen inside an enrolled vehicle (an ELV from outside the loop): recorded in
// its host as found, without inventing its production.
const batteryEnrolled = z.strictObject({
  enrolledAt: instant,
  enrollerPartyId: partyId,
  host: z.strictObject({ kind: z.literal('vehicle'), id: vin }),
  chemistry: z.enum(batteryChemistries).optional(),
  nominalEnergyKwh: energyKwh.optional(),
  massKg: massKg.optional(),
});

// Which host a battery sits in depends on the battery's kind; applyTransition checks the pairing.
const batteryHost = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('vehicle'), id: vin }),
  z.strictObject({ kind: z.literal('battery-pack'), id: batteryCodeOf(['battery-pack']) }),
  z.strictObject({ kind: z.literal('battery-module'), id: batteryCodeOf(['battery-module']) }),
]);

const batteryInstalled = z.strictObject({ host: batteryHost, installedAt: instant });

const batteryHealthReported = z.strictObject({
  sohPercent,
  measuredAt: instant,
  method: z.enum(['bms', 'bench_test', 'third_party_report']),
});

// MIIT 2018 traceability rule Art. 13: removal and hand-out by the dismantler, within 15 working days.
const batteryRemoved = z.strictObject({
  host: batteryHost,
  removedAt: instant,
  reason: z.enum(['vehicle_end_of_life', 'replacement', 'repair', 'recall']),
});

// MIIT 2018 Art. 13–15: every hand-over names the receiving enterprise (its party id carries the USCC).
const batteryHandedOver = z
  .strictObject({
    fromPartyId: partyId,
    toPartyId: partyId,
    handedOverAt: instant,
    purpose: z.enum(['testing', 'repurposing', 'recycling', 'storage']),
  })
  .refine((p) => p.fromPartyId !== p.toPartyId, {
    path: ['toPartyId'],
    message: 'must differ from fromPartyId',
  });

// GB/T 34015-2017 residual-energy test; pulse and EIS judge consistency beyond capacity (end-of-life.md §6).
const batterySohTested = z.strictObject({
  testedAt: instant,
  testerPartyId: partyId,
  sohPercent,
  method: z.enum(['capacity_discharge', 'pulse_discharge', 'eis', 'bms_readout']),
  remainingEnergyKwh: energyKwh.optional(),
  internalResistanceMilliohm: z.number().positive().max(1_000_000).optional(),
  // The test standard (e.g. GB/T 34015-2017), the spread of module/cell resistances and the safety
  // findings: what the grading rules read besides SOH.
  standard: shortText.optional(),
  resistanceSpreadPercent: z.number().min(0).max(10_000).optional(),
  safetyFindings: z.array(z.enum(batterySafetyFindings)).max(batterySafetyFindings.length).optional(),
});

const batteryGraded = z.strictObject({
  gradedAt: instant,
  graderPartyId: partyId,
  grade: z.enum(['A', 'B', 'C', 'D']),
  route: z.enum(['reuse', 'repurpose', 'recycle']),
  // The grading rule that matched, its rule-set version, the second-life use it routes to and why.
  use: z.enum(['vehicle_reuse', 'stationary_storage', 'low_power', 'recycling']).optional(),
  ruleId: opaqueId.optional(),
  rulesVersion: opaqueId.optional(),
  reason: z.string().min(1).max(2_000).optional(),
});

// GB/T 34014 §4.1–4.2 and Reg. (EU) 2023/1542 Art. 77(7): the cascade product gets a new code
// linked to the original; the original code is kept on record.
const batteryRepurposed = z
  .strictObject({
    originalCode: batteryCode,
    newCode: batteryCode,
    repurposedAt: instant,
    operatorPartyId: partyId,
    intendedApplication: z.enum(secondLifeApplications),
  })
  .refine((p) => p.originalCode !== p.newCode, {
    path: ['newCode'],
    message: 'must differ from originalCode',
  });

const batteryDeployed = z.strictObject({
  deployedAt: instant,
  application: z.enum(secondLifeApplications),
  siteId: opaqueId,
  operatorPartyId: partyId,
  usableEnergyKwh: energyKwh.optional(),
});

const batteryRetired = z.strictObject({
  retiredAt: instant,
  reason: z.enum(['end_of_service', 'failed_test', 'damaged', 'recall']),
  sohPercent: sohPercent.optional(),
});

// GB/T 33598-2017: disassembly of packs and modules into their components.
const batteryDisassembled = z.strictObject({
  disassembledAt: instant,
  operatorPartyId: partyId,
  componentCodes: z.array(batteryCode).min(1).max(10_000),
});

const batteryRecycled = z.strictObject({
  recycledAt: instant,
  recyclerPartyId: partyId,
  process: z.enum(['pyrometallurgical', 'hydrometallurgical', 'direct', 'mechanical_pretreatment']),
  inputMassKg: massKg,
  batchId: opaqueId.optional(),
});

// ---------------------------------------------------------------- parts

const partHarvested = z
  .strictObject({
    vin,
    harvestedAt: instant,
    category: z.enum(partCategories),
    fiveAssembly: z.boolean().meta({ description: 'one of the five major assemblies (Order 715 Art. 10)' }),
    partNumber: z.string().min(1).max(100).optional(),
    condition: z.enum(['good', 'fair', 'poor']),
    massKg: massKg.optional(),
  })
  .refine((p) => p.fiveAssembly === (fiveAssemblies as readonly string[]).includes(p.category), {
    path: ['fiveAssembly'],
    message: `true exactly when category is one of ${fiveAssemblies.join(', ')}`,
  });

const partProduced = z.strictObject({
  manufacturerPartyId: partyId,
  producedAt: instant,
  category: z.enum(partCategories),
  partNumber: z.string().min(1).max(100),
  // 2021 《汽车零部件再制造规范管理暂行办法》: remanufactured parts carry the "再制造" mark.
  remanufactured: z.boolean(),
  massKg: massKg.optional(),
});

const partStocked = z.strictObject({
  stockedAt: instant,
  locationId: opaqueId,
  askingPrice: money.optional(),
});

const partSold = z
  .strictObject({
    soldAt: instant,
    buyerPartyId: partyId,
    price: money,
    destination: z.enum(['reuse', 'remanufacturing', 'scrap_metal']),
    reusedPartMarked: z.boolean().meta({ description: 'marked 报废机动车回用件 (Order 715 Art. 12)' }),
  })
  .refine((p) => p.destination !== 'reuse' || p.reusedPartMarked, {
    path: ['reusedPartMarked'],
    message: 'a part sold for reuse must be marked 报废机动车回用件 (Order 715 Art. 12)',
  });

const partInstalled = z.strictObject({ vin, installedAt: instant, workshopPartyId: partyId });

const partScrapped = z.strictObject({
  scrappedAt: instant,
  // 实施细则: non-remanufacturable assemblies go to smelting or shredding enterprises.
  route: z.enum(['smelting', 'shredding']),
  massKg: massKg.optional(),
});

// ---------------------------------------------------------------- material lots

const recoveredMaterials = [
  'lithium',
  'nickel',
  'cobalt',
  'manganese',
  'copper',
  'aluminium',
  'iron',
  'steel',
  'graphite',
  'black_mass',
  'plastics',
  'glass',
  // ELV dismantling and shredder outputs (Decision 2005/293/EC material categories).
  'ferrous',
  'rubber',
  'fluids',
  'shredder_residue',
  'other',
] as const;

const materialLotRecovered = z.strictObject({
  recoveredAt: instant,
  recyclerPartyId: partyId,
  material: z.enum(recoveredMaterials),
  form: z.enum(['metal', 'carbonate', 'hydroxide', 'sulfate', 'oxide', 'powder', 'scrap']),
  massKg,
  process: z.enum(['pyrometallurgical', 'hydrometallurgical', 'direct', 'shredding', 'dismantling']),
  sources: z
    .array(assetRef)
    .min(1)
    .max(10_000)
    .meta({ description: 'the assets the material was recovered from' }),
  // ISO 22628 / Directive 2000/53/EC: what the lot counts as in the recycling and recovery rates.
  treatment: z.enum(['recycling', 'energy_recovery', 'disposal']).optional(),
  // An intermediate lot (e.g. black mass) this lot was refined from; the origin stays in `sources`.
  inputLotIds: z.array(opaqueId).min(1).max(1_000).optional(),
});

const materialLotAssayed = z.strictObject({
  assayedAt: instant,
  laboratoryPartyId: partyId,
  purityPercent: percent,
});

const materialLotShipped = z.strictObject({
  shippedAt: instant,
  buyerPartyId: partyId,
  massKg,
  destinationUse: z.enum(['battery_material', 'metallurgy', 'other']),
  price: money.optional(),
});

/** Every event type and its payload schema. The keys are the event type strings. */
export const payloadSchemas = {
  'vehicle.produced': vehicleProduced,
  'vehicle.battery_bound': vehicleBatteryBound,
  'vehicle.sold': vehicleSold,
  'vehicle.registered': vehicleRegistered,
  'vehicle.odometer_read': vehicleOdometerRead,
  'vehicle.serviced': vehicleServiced,
  'vehicle.accident_reported': vehicleAccidentReported,
  'vehicle.battery_health_reported': vehicleBatteryHealthReported,
  'vehicle.battery_replaced': vehicleBatteryReplaced,
  'vehicle.ownership_transferred': vehicleOwnershipTransferred,
  'vehicle.buyback_exercised': vehicleBuybackExercised,
  'vehicle.buyback_declined': vehicleBuybackDeclined,
  'vehicle.buyback_cancelled': vehicleBuybackCancelled,
  'vehicle.stocked': vehicleStocked,
  'vehicle.appraised': vehicleAppraised,
  'vehicle.reconditioned': vehicleReconditioned,
  'vehicle.listed': vehicleListed,
  'vehicle.delisted': vehicleDelisted,
  'vehicle.resold': vehicleResold,
  'vehicle.wholesaled': vehicleWholesaled,
  'vehicle.reserved': vehicleReserved,
  'vehicle.reservation_released': vehicleReservationReleased,
  'vehicle.disposition_decided': vehicleDispositionDecided,
  'vehicle.elv_received': vehicleElvReceived,
  'vehicle.recycling_certificate_issued': vehicleRecyclingCertificateIssued,
  'vehicle.deregistered': vehicleDeregistered,
  'vehicle.dismantled': vehicleDismantled,
  'vehicle.enrolled': vehicleEnrolled,
  'vehicle.pretreated': vehiclePretreated,
  'battery.produced': batteryProduced,
  'battery.installed': batteryInstalled,
  'battery.health_reported': batteryHealthReported,
  'battery.removed': batteryRemoved,
  'battery.handed_over': batteryHandedOver,
  'battery.soh_tested': batterySohTested,
  'battery.graded': batteryGraded,
  'battery.repurposed': batteryRepurposed,
  'battery.deployed': batteryDeployed,
  'battery.retired': batteryRetired,
  'battery.disassembled': batteryDisassembled,
  'battery.recycled': batteryRecycled,
  'battery.enrolled': batteryEnrolled,
  'part.harvested': partHarvested,
  'part.produced': partProduced,
  'part.stocked': partStocked,
  'part.sold': partSold,
  'part.installed': partInstalled,
  'part.scrapped': partScrapped,
  'material-lot.recovered': materialLotRecovered,
  'material-lot.assayed': materialLotAssayed,
  'material-lot.shipped': materialLotShipped,
} as const;

export type EventType = keyof typeof payloadSchemas;
/** Parsed payload of each event type. */
export type EventPayloads = { [T in EventType]: z.output<(typeof payloadSchemas)[T]> };

export const eventTypes = Object.keys(payloadSchemas) as EventType[];

export const isEventType = (type: string): type is EventType => Object.hasOwn(payloadSchemas, type);
