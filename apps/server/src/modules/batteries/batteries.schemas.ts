/**
 * The batteries module's API contract (zod = OpenAPI): SOH tests, grading, cascade products,
 * deployment, health readings, retirement, hand-overs, recycling, recovered lots, new batteries
 * made with recovered material. Units: kWh, Ah, kg, mΩ, percent; times ISO 8601 UTC.
 */
import { z } from '@hono/zod-openapi';
import { batterySafetyFindings } from '../lifecycle/index.ts';
import { elementMaterials, gradingRoutes } from './batteries.model.ts';

const instant = z.iso.datetime({ message: 'an ISO 8601 UTC time, e.g. 2026-01-31T08:00:00Z' });
const partyId = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,99}$/,
    'an opaque party id: letters, digits and . _ : / - (max 100)',
  );
const opaqueId = partyId;
const positive = (max: number) => z.number().positive().max(max);

export const sohTestMethods = ['capacity_discharge', 'pulse_discharge', 'eis', 'bms_readout'] as const;
export const secondLifeApplications = [
  'energy_storage',
  'base_station_backup',
  'charging_station_buffer',
  'low_speed_vehicle',
  'other',
] as const;
export const recyclingProcesses = [
  'pyrometallurgical',
  'hydrometallurgical',
  'direct',
  'mechanical_pretreatment',
] as const;
export const recoveryProcesses = ['pyrometallurgical', 'hydrometallurgical', 'direct', 'shredding'] as const;
export const lotMaterials = [...elementMaterials, 'black_mass', 'steel', 'plastics', 'other'] as const;
export const lotForms = ['metal', 'carbonate', 'hydroxide', 'sulfate', 'oxide', 'powder', 'scrap'] as const;
export const batteryChemistries = [
  'LFP',
  'NCM',
  'NCA',
  'LMO',
  'LCO',
  'LTO',
  'NiMH',
  'sodium_ion',
  'other',
] as const;

export const sohTestInput = z
  .strictObject({
    testedAt: instant,
    testerPartyId: partyId,
    method: z.enum(sohTestMethods),
    standard: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .openapi({ description: 'test standard, e.g. "GB/T 34015-2017"' }),
    measuredEnergyKwh: positive(1_000_000).optional(),
    ratedEnergyKwh: positive(1_000_000)
      .optional()
      .openapi({ description: "default: the battery's registered rated energy" }),
    measuredCapacityAh: positive(1_000_000).optional(),
    ratedCapacityAh: positive(1_000_000).optional(),
    sohPercent: z
      .number()
      .min(0)
      .max(120)
      .optional()
      .openapi({ description: 'only when nothing was measured here (BMS read-out, third-party report)' }),
    internalResistanceMilliohm: positive(1_000_000).optional(),
    moduleResistancesMilliohm: z
      .array(positive(1_000_000))
      .min(2)
      .max(10_000)
      .optional()
      .openapi({ description: 'resistance of each module or cell; gives the spread' }),
    resistanceSpreadPercent: z.number().min(0).max(10_000).optional(),
    safetyFindings: z.array(z.enum(batterySafetyFindings)).max(batterySafetyFindings.length).optional(),
  })
  .openapi('SohTestInput');
export type SohTestInput = z.infer<typeof sohTestInput>;

export const gradingRuleSet = z
  .strictObject({
    version: opaqueId,
    source: z.string().max(4_000).optional(),
    rules: z
      .array(
        z.strictObject({
          id: opaqueId,
          grade: z.enum(['A', 'B', 'C', 'D']),
          route: z.enum(gradingRoutes),
          when: z.strictObject({
            minSohPercent: z.number().min(0).max(120).optional(),
            maxResistanceSpreadPercent: z.number().min(0).max(10_000).optional(),
            resistanceSpreadRequired: z.boolean().optional(),
            noSafetyFindings: z.boolean().optional(),
            anySafetyFinding: z.array(z.enum(batterySafetyFindings)).min(1).optional(),
          }),
          why: z.string().min(1).max(500),
        }),
      )
      .min(1)
      .max(100)
      .refine((rules) => Object.keys(rules.at(-1)?.when ?? { x: 1 }).length === 0, {
        message: 'the last rule must be a catch-all (empty "when"), so every battery gets a grade',
      }),
    routeApplications: z.record(z.enum(gradingRoutes), z.array(z.enum(secondLifeApplications))).optional(),
  })
  .openapi('GradingRuleSet');

export const gradeInput = z
  .strictObject({
    gradedAt: instant,
    graderPartyId: partyId,
    testId: z.string().min(1).max(100).optional().openapi({ description: 'default: the latest SOH test' }),
    rules: gradingRuleSet.optional().openapi({ description: 'default: the versioned rule set' }),
  })
  .openapi('GradeInput');
export type GradeInput = z.infer<typeof gradeInput>;

export const repurposeInput = z
  .strictObject({
    newCode: z.string().openapi({
      description:
        'GB/T 34014 19-character cascade-use code of the new product (no traceability field, ends R + P/M/C)',
    }),
    sourceCodes: z
      .array(z.string())
      .min(1)
      .max(1_000)
      .openapi({ description: 'the graded packs or modules used' }),
    operatorPartyId: partyId,
    application: z.enum(secondLifeApplications),
    repurposedAt: instant,
    ratedEnergyKwh: positive(1_000_000)
      .optional()
      .openapi({ description: 'default: the sum of the sources’ measured remaining energy' }),
    massKg: positive(10_000_000).optional().openapi({ description: 'default: the sum of the sources’ mass' }),
  })
  .openapi('RepurposeInput');
export type RepurposeInput = z.infer<typeof repurposeInput>;

export const deployInput = z
  .strictObject({
    siteId: opaqueId,
    operatorPartyId: partyId,
    application: z.enum(secondLifeApplications),
    commissionedAt: instant,
    usableEnergyKwh: positive(1_000_000).optional(),
  })
  .openapi('DeployInput');
export type DeployInput = z.infer<typeof deployInput>;

export const healthInput = z
  .strictObject({
    measuredAt: instant,
    sohPercent: z.number().min(0).max(120),
    method: z.enum(['bms', 'bench_test', 'third_party_report']),
  })
  .openapi('HealthReadingInput');
export type HealthInput = z.infer<typeof healthInput>;

export const retireInput = z
  .strictObject({
    retiredAt: instant,
    reason: z.enum(['end_of_service', 'failed_test', 'damaged', 'recall']),
    sohPercent: z.number().min(0).max(120).optional(),
  })
  .openapi('RetireInput');
export type RetireInput = z.infer<typeof retireInput>;

export const handOverInput = z
  .strictObject({
    fromPartyId: partyId,
    toPartyId: partyId,
    handedOverAt: instant,
    purpose: z.enum(['testing', 'repurposing', 'recycling', 'storage']),
  })
  .openapi('HandOverInput');
export type HandOverInput = z.infer<typeof handOverInput>;

export const recycleInput = z
  .strictObject({
    recycledAt: instant,
    recyclerPartyId: partyId,
    process: z.enum(recyclingProcesses),
    inputMassKg: positive(10_000_000).optional().openapi({ description: 'default: the battery’s mass' }),
    batchId: opaqueId.optional(),
  })
  .openapi('RecycleInput');
export type RecycleInput = z.infer<typeof recycleInput>;

export const recoverInput = z
  .strictObject({
    lotId: opaqueId.optional(),
    material: z.enum(lotMaterials),
    form: z.enum(lotForms),
    massKg: positive(10_000_000),
    elementMassKg: positive(10_000_000).optional().openapi({
      description: 'element content of the lot; default: lot mass × the form’s stoichiometric fraction',
    }),
    process: z.enum(recoveryProcesses),
    recyclerPartyId: partyId,
    recoveredAt: instant,
    sourceCodes: z.array(z.string()).min(1).max(10_000).optional(),
    batchId: opaqueId.optional().openapi({ description: 'every battery recycled in this batch' }),
    inputLotIds: z.array(opaqueId).min(1).max(1_000).optional().openapi({
      description: 'intermediate lots (black mass) refined into this one; their origin carries over',
    }),
  })
  .refine((v) => v.sourceCodes || v.batchId || v.inputLotIds, {
    path: ['sourceCodes'],
    message: 'name the origin: sourceCodes, batchId or inputLotIds',
  })
  .openapi('RecoverInput');
export type RecoverInput = z.infer<typeof recoverInput>;

export const produceInput = z
  .strictObject({
    code: z.string().openapi({ description: 'GB/T 34014 code of the new battery' }),
    chemistry: z.enum(batteryChemistries),
    chemistryVariant: z
      .string()
      .regex(/^[A-Za-z0-9]{2,12}$/)
      .optional()
      .openapi({ description: 'e.g. NMC811, for the expected material content' }),
    nominalEnergyKwh: positive(1_000_000),
    massKg: positive(10_000_000),
    manufacturerPartyId: partyId,
    producedAt: instant,
    componentCodes: z.array(z.string()).max(10_000).optional(),
    recycledInputs: z
      .array(z.strictObject({ lotId: opaqueId, massKg: positive(10_000_000) }))
      .min(1)
      .max(1_000)
      .optional()
      .openapi({ description: 'recovered lots used, with the mass of lot material used' }),
  })
  .openapi('ProduceInput');
export type ProduceInput = z.infer<typeof produceInput>;

export const massBalanceQuery = z.object({
  batchId: z.string().optional(),
  at: z
    .string()
    .optional()
    .openapi({ description: 'date the targets are checked on (default: recycling date)' }),
});

export const batteryResult = z.looseObject({}).openapi('BatteryResult');
