/** zod schemas of the dismantling API: the contract for HTTP (OpenAPI), the CLI and the input files. */
import { z } from '@hono/zod-openapi';
import { drainedFluids, fiveAssemblies, partCategories, refrigerantTypes } from '../lifecycle/index.ts';
import { intakeFlags, materialCategories, treatments } from './dismantling.model.ts';

const isoTime = z.iso.datetime({ message: 'an ISO 8601 UTC time, e.g. 2026-01-31T08:00:00Z' });
const isoDate = z.iso.date({ message: 'a date, e.g. 2026-01-31' });
const opaqueId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,99}$/, 'an opaque id: letters, digits and . _ : / - (max 100)');
const mass = z.number().positive().max(100_000);
const currency = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code in upper case, e.g. CNY');
const amount = z
  .union([z.number().nonnegative(), z.string().regex(/^\d+(\.\d+)?$/, 'a decimal amount, e.g. 800.00')])
  .openapi({ description: 'major units, e.g. 800.00' });
const powertrains = ['ice', 'hev', 'phev', 'bev', 'erev', 'fcev'] as const;
// Directive 2000/53/EC Art. 2(1): M1 passenger cars, N1 light goods vehicles, three-wheelers; China: 乘用车 etc.
const vehicleClasses = ['M1', 'M2', 'M3', 'N1', 'N2', 'N3', 'L', 'other'] as const;
const otherMissingItems = [
  'steering_gear',
  'transmission',
  'front_axle',
  'rear_axle',
  'exhaust_aftertreatment',
] as const;

export const intakeInput = z
  .strictObject({
    vin: z.string().min(1).max(17),
    massKg: mass.openapi({ description: 'vehicle mass at intake (m_V of ISO 22628)' }),
    receivedAt: isoTime.optional(),
    flags: z
      .array(z.enum(intakeFlags))
      .max(intakeFlags.length)
      .optional()
      .openapi({ description: 'checks that refuse a recycling certificate' }),
    missingItems: z
      .array(z.enum(otherMissingItems))
      .max(otherMissingItems.length)
      .optional()
      .openapi({ description: 'other incomplete items; the owner explains in writing (实施细则 Art. 20)' }),
    make: z.string().min(1).max(100).optional(),
    model: z.string().min(1).max(100).optional(),
    modelYear: z.int().min(1950).max(2100).optional(),
    powertrain: z.enum(powertrains).optional(),
    vehicleClass: z.enum(vehicleClasses).optional(),
    engineNumber: z.string().min(1).max(40).optional(),
    firstRegisteredOn: isoDate.optional(),
    packCode: z.string().optional().openapi({ description: 'GB/T 34014 code of the traction pack received' }),
    siteId: opaqueId.optional(),
    certificateNumber: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9/-]{0,63}$/, 'letters, digits, / and - (max 64)')
      .optional()
      .openapi({ description: 'the number printed by the national system, if any; else Carloop numbers it' }),
    owner: z
      .strictObject({
        name: z.string().min(1).max(200),
        idType: z.enum(['resident_id', 'passport', 'uscc', 'other']).optional(),
        idNumber: z.string().min(1).max(60).optional(),
        address: z.string().min(1).max(400).optional(),
        nationality: z.string().min(2).max(60).optional(),
      })
      .optional()
      .openapi({ description: 'personal data: kept off the log, erasable' }),
    plateNumber: z.string().min(1).max(20).optional(),
    registrationCountry: z
      .string()
      .regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2, e.g. CN')
      .optional(),
    documents: z
      .strictObject({
        registrationCertificate: z.boolean(),
        drivingLicence: z.boolean(),
        platesReturned: z.int().min(0).max(2),
      })
      .optional()
      .openapi({ description: 'papers and plates taken back (Order 715 Art. 9)' }),
    photos: z
      .array(
        z.strictObject({
          kind: z.enum(['exterior', 'vin', 'engine_number', 'other']),
          uri: z.string().min(1).max(500),
          sha256: z
            .string()
            .regex(/^[0-9a-f]{64}$/)
            .optional(),
        }),
      )
      .max(50)
      .optional(),
  })
  .openapi('ElvIntake');
export type IntakeInput = z.infer<typeof intakeInput>;

export const deregistrationInput = z
  .strictObject({
    deregisteredAt: isoTime.optional(),
    authorityPartyId: opaqueId.optional(),
    reference: z.string().min(1).max(60).optional(),
  })
  .openapi('ElvDeregistration');
export type DeregistrationInput = z.infer<typeof deregistrationInput>;

const litres = z.number().nonnegative().max(10_000);

export const pretreatmentInput = z
  .strictObject({
    completedAt: isoTime,
    siteId: opaqueId,
    tractionBattery: z
      .strictObject({
        packCode: z.string(),
        highVoltageIsolatedAt: isoTime,
        removedAt: isoTime,
        massKg: mass.optional(),
      })
      .optional(),
    lowVoltageBattery: z.strictObject({ removed: z.boolean(), massKg: mass.optional() }),
    airbags: z.strictObject({
      fitted: z.int().min(0).max(40),
      neutralised: z.int().min(0).max(40),
      method: z.enum(['deployed_in_place', 'removed_and_deployed', 'none_fitted']).optional(),
    }),
    fluids: z
      .array(z.strictObject({ fluid: z.enum(drainedFluids), capacityLitres: litres, drainedLitres: litres }))
      .max(drainedFluids.length),
    refrigerant: z.strictObject({
      type: z.enum(refrigerantTypes),
      recoveredKg: z.number().nonnegative().max(100),
    }),
  })
  .openapi('ElvPretreatmentChecklist');
export type PretreatmentInput = z.infer<typeof pretreatmentInput>;

const reusableCategories = partCategories.filter(
  (c) => !(fiveAssemblies as readonly string[]).includes(c),
) as [string, ...string[]];

export const harvestInput = z
  .strictObject({
    harvestedAt: isoTime.optional(),
    siteId: opaqueId.optional(),
    supervision: z.enum(['none', 'police_on_site', 'police_video']).optional(),
    currency: currency.optional(),
    parts: z
      .array(
        z.strictObject({
          category: z.enum(reusableCategories),
          partNumber: z.string().min(1).max(100),
          name: z.string().min(1).max(200).optional(),
          condition: z.enum(['good', 'fair', 'poor']),
          value: amount,
          massKg: mass.optional(),
          compatibleModels: z.array(z.string().min(1).max(100)).max(50).optional(),
          locationId: opaqueId.optional(),
        }),
      )
      .max(500),
    assemblies: z
      .array(
        z.strictObject({
          type: z.enum(fiveAssemblies),
          code: z.string().min(1).max(100).optional(),
          destination: z.enum(['remanufacturing', 'scrap']),
          receiverPartyId: opaqueId.optional(),
          price: amount.optional(),
          route: z.enum(['smelting', 'shredding']).optional(),
          partNumber: z.string().min(1).max(100).optional(),
          condition: z.enum(['good', 'fair', 'poor']).optional(),
          massKg: mass.optional(),
        }),
      )
      .max(20),
  })
  .openapi('ElvHarvest');
export type HarvestInput = z.infer<typeof harvestInput>;

const materialOutput = z.strictObject({
  material: z.enum(materialCategories),
  massKg: mass,
  treatment: z.enum(treatments).optional(),
  process: z.enum(['dismantling', 'shredding']).optional(),
});

export const materialsInput = z
  .strictObject({
    weighedAt: isoTime.optional(),
    outputs: z.array(materialOutput).min(1).max(100),
  })
  .openapi('ElvMaterials');
export type MaterialsInput = z.infer<typeof materialsInput>;

export const batchMaterialsInput = z
  .strictObject({
    batchId: opaqueId,
    vins: z.array(z.string().min(1).max(17)).min(1).max(1000),
    weighedAt: isoTime.optional(),
    outputs: z.array(materialOutput).min(1).max(100),
  })
  .openapi('ElvBatchMaterials');
export type BatchMaterialsInput = z.infer<typeof batchMaterialsInput>;

export const reservationInput = z
  .strictObject({ partyId: opaqueId, until: isoTime.optional() })
  .openapi('PartReservation');
export type ReservationInput = z.infer<typeof reservationInput>;

export const saleInput = z
  .strictObject({
    buyerPartyId: opaqueId,
    price: amount,
    currency: currency.optional(),
    soldAt: isoTime.optional(),
  })
  .openapi('PartSale');
export type SaleInput = z.infer<typeof saleInput>;

export const outboundInput = z
  .strictObject({
    toPartyId: opaqueId,
    receiverName: z.string().min(1).max(200).optional(),
    receiverCode: z.string().min(1).max(18).openapi({ description: 'USCC (GB 32100-2015) or DUNS number' }),
    purpose: z.enum(['repurposing', 'recycling']),
    handedOverAt: isoTime.optional(),
  })
  .openapi('BatteryOutbound');
export type OutboundInput = z.infer<typeof outboundInput>;

export const facilityInput = z
  .strictObject({
    name: z.string().min(1).max(200),
    address: z.string().min(1).max(400).optional(),
    permitNumber: z.string().min(1).max(100).optional(),
    authorityName: z.string().min(1).max(200).optional(),
    authorityAddress: z.string().min(1).max(400).optional(),
    country: z
      .string()
      .regex(/^[A-Z]{2}$/)
      .optional(),
  })
  .openapi('DismantlingFacility');
export type FacilityInput = z.infer<typeof facilityInput>;

export const erasureInput = z.strictObject({ reason: z.string().min(1).max(200) }).openapi('OwnerErasure');

export const reportQuery = z.object({
  from: isoDate.or(isoTime).openapi({ description: 'first day (inclusive)' }),
  to: isoDate.or(isoTime).openapi({ description: 'last day (inclusive)' }),
  format: z.enum(['json', 'csv']).optional(),
});

export const stockQuery = z.object({
  partNumber: z.string().min(1).max(100).optional(),
  model: z.string().min(1).max(100).optional(),
  status: z.enum(['in_stock', 'sold']).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
  after: z.string().optional(),
});

/** A document of the dismantling API (loose on purpose: the fields are listed in the README). */
export const dismantlingDocument = z.object({}).catchall(z.unknown()).openapi('DismantlingDocument');

export const refusalDocument = z
  .object({
    refused: z.literal(true),
    vin: z.string(),
    reasons: z.array(z.object({ code: z.string(), flag: z.string(), message: z.string(), rule: z.string() })),
  })
  .openapi('ElvIntakeRefusal');
