/**
 * The passports module's API contract: the operator's passport declaration (model data the log does
 * not hold), passport queries, and the China traceability report.
 */
import { z } from '@hono/zod-openapi';
import { accessLevels } from './passports.longlist.ts';

const text = z.string().min(1).max(500);
const url = z.url({ message: 'an absolute URL' }).max(2_000);
const bpnl = z.string().regex(/^BPNL[a-zA-Z0-9]{12}$/, 'a Catena-X BPNL, e.g. BPNL0123456789ZZ');
const bpna = z.string().regex(/^BPNA[a-zA-Z0-9]{12}$/, 'a Catena-X BPNA, e.g. BPNA0123456789ZZ');
const percent = z.number().min(0).max(100);
const address = z.strictObject({ streetAddress: text, postalCode: text, addressCountry: text });
const contact = z.strictObject({
  name: text,
  streetAddress: text,
  postalCode: text,
  addressCountry: text,
  identifier: text.optional(),
  emailAddress: z.email().optional(),
  webAddress: url.optional(),
});

/** What the economic operator declares for the passport, beyond what the log knows. All optional. */
export const passportDeclaration = z
  .strictObject({
    batteryCategory: z.enum(['lmt', 'ev', 'industrial', 'stationary']).optional(),
    manufacturer: contact.optional(),
    operator: contact.optional(),
    manufacturingPlace: address.optional(),
    warranty: z
      .strictObject({
        value: z.number().int().positive().max(1_000),
        unit: z.enum(['month', 'year', 'cycle']),
      })
      .optional(),
    partNumber: text.optional(),
    nameAtManufacturer: text.optional(),
    economicOperatorBpnl: bpnl.optional(),
    manufacturerBpnl: bpnl.optional(),
    facilityBpna: bpna.optional(),
    carbonFootprint: z
      .strictObject({
        kgCo2ePerKwh: z.number().nonnegative(),
        perLifecycleStage: z
          .strictObject({
            RawMaterialExtraction: z.number().nonnegative().optional(),
            MainProduction: z.number().nonnegative().optional(),
            Distribution: z.number().nonnegative().optional(),
            Recycling: z.number().nonnegative().optional(),
          })
          .optional(),
        performanceClass: z.string().min(1).max(20),
        studyUrl: url,
        absoluteKgCo2e: z.number().nonnegative().optional(),
      })
      .optional(),
    dueDiligence: z
      .strictObject({
        reportUrl: url,
        thirdPartyAssurancesUrl: url.optional(),
        supplyChainIndices: z.number().optional(),
      })
      .optional(),
    hazardousSubstances: z
      .array(
        z.strictObject({
          class: z.enum(['AcuteToxicity', 'SkinCorrosionOrIrritation', 'EyeDamageOrIrritation']),
          name: text,
          casNumber: z.string().regex(/^\d{2,7}-\d{2}-\d$/, 'a CAS number, e.g. 21324-40-3'),
          concentrationPercent: percent,
          impact: z.array(text).max(20),
          componentName: text,
        }),
      )
      .max(100)
      .optional(),
    documents: z
      .strictObject({
        dismantlingManualUrl: url.optional(),
        removalManualUrl: url.optional(),
        billOfMaterialUrl: url.optional(),
        safetyInstructionsUrl: url.optional(),
        declarationOfConformityUrl: url.optional(),
        testReportUrl: url.optional(),
        wastePreventionUrl: url.optional(),
        separateCollectionUrl: url.optional(),
        informationOnCollectionUrl: url.optional(),
        cycleLifeTestUrl: url.optional(),
        backupReferenceUrl: url.optional(),
      })
      .optional(),
    extinguishingAgents: z.array(text).max(10).optional(),
    sparePartSources: z
      .array(
        z.strictObject({
          nameOfSupplier: text,
          address,
          emailAddress: z.string().regex(/^[\w.-]+@[\w.-]+\.[A-Za-z]{2,}$/, 'an e-mail address'),
          webAddress: url,
          components: z.array(z.strictObject({ partName: text, partNumber: text })).max(500),
        }),
      )
      .max(100)
      .optional(),
    renewableContentPercent: percent.optional(),
    technical: z
      .strictObject({
        nominalVoltageV: z.number().positive().optional(),
        minimumVoltageV: z.number().positive().optional(),
        maximumVoltageV: z.number().positive().optional(),
        ratedCapacityAh: z.number().positive().optional(),
        ratedMaximumPowerW: z.number().positive().optional(),
        powerAt20SocW: z.number().positive().optional(),
        powerAt80SocW: z.number().positive().optional(),
        expectedLifetimeYears: z.number().int().positive().max(100).optional(),
        expectedNumberOfCycles: z.number().int().positive().optional(),
        initialSelfDischargePercent: percent.optional(),
        roundTripEfficiencyPercent: percent.optional(),
        roundTripEfficiencyAt50PercentCycleLifePercent: percent.optional(),
        roundTripEfficiencyFadePercent: percent.optional(),
        powerFadePercent: percent.optional(),
        initialInternalResistanceOhm: z
          .strictObject({
            pack: z.number().positive().optional(),
            module: z.number().positive().optional(),
            cell: z.number().positive().optional(),
          })
          .optional(),
        capacityThresholdForExhaustionPercent: percent.optional(),
        cRate: z.number().positive().optional(),
        cRateLifeCycleTest: z.number().positive().optional(),
        temperatureRangeIdleState: z
          .strictObject({ minimum: z.number().min(-100).max(200), maximum: z.number().min(-100).max(200) })
          .optional(),
      })
      .optional(),
    labels: z
      .array(
        z.strictObject({
          subject: z.enum([
            'SeparateCollection',
            'HazardousMaterial',
            'CarbonFootPrint',
            'ExtinguishingAgent',
          ]),
          symbolUrl: url,
          meaning: z.record(z.string().min(2).max(10), text),
        }),
      )
      .max(20)
      .optional(),
  })
  .openapi('PassportDeclaration');
export type PassportDeclaration = z.infer<typeof passportDeclaration>;

export const accessQuery = z.object({
  access: z
    .enum(accessLevels)
    .optional()
    .openapi({ description: 'default: the highest level the caller may see' }),
});

export const exportQuery = z.object({ format: z.enum(['batterypass', 'catenax']).default('batterypass') });

export const traceabilityQuery = z.object({
  from: z.string().openapi({ description: 'YYYY-MM-DD (China date) or ISO 8601 time' }),
  to: z.string().openapi({ description: 'YYYY-MM-DD (inclusive) or ISO 8601 time' }),
  party: z.string().optional(),
  format: z.enum(['csv', 'json']).default('json'),
  asOf: z.string().optional().openapi({ description: 'status as of this time (default now)' }),
});

export const submissionInput = z
  .strictObject({
    eventIds: z.array(z.string().min(1).max(100)).min(1).max(10_000).optional(),
    batteryCode: z.string().optional(),
    event: z.string().optional(),
    reportedAt: z.iso.datetime({ message: 'an ISO 8601 UTC time' }),
    reference: z.string().min(1).max(200).optional(),
  })
  .refine((v) => v.eventIds || v.batteryCode, {
    path: ['eventIds'],
    message: 'name the events: eventIds, or batteryCode (with event)',
  })
  .openapi('TraceabilitySubmission');

export const traceabilityRow = z
  .object({
    event: z.string(),
    party: z.string(),
    batteryCode: z.string().nullable(),
    vin: z.string().nullable(),
    occurredAt: z.string(),
    deadline: z.string(),
    reportedAt: z.string().nullable(),
    status: z.enum(['on_time', 'late', 'overdue', 'due_soon', 'pending']),
  })
  .openapi('TraceabilityRow');
