import { z } from '@hono/zod-openapi';

export const assetKinds = [
  'vehicle',
  'battery-pack',
  'battery-module',
  'battery-cell',
  'part',
  'material-lot',
] as const;
export type AssetKind = (typeof assetKinds)[number];
export const batteryKinds = ['battery-pack', 'battery-module', 'battery-cell'] as const;

export const powertrains = ['ice', 'hev', 'phev', 'bev', 'erev', 'fcev'] as const;
// Order 715 Art. 10 (2019): engine, steering gear, transmission, front/rear axles, frame.
export const fiveAssemblies = [
  'engine',
  'steering_gear',
  'transmission',
  'front_axle',
  'rear_axle',
  'frame',
] as const;

const currency = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code in upper case, e.g. CNY');
const isoTime = z.iso.datetime({ message: 'an ISO 8601 UTC time, e.g. 2026-01-31T08:00:00Z' });

export const vehicleInput = z
  .strictObject({
    kind: z.literal('vehicle'),
    vin: z.string(),
    make: z.string().min(1).max(100),
    model: z.string().min(1).max(100),
    trim: z.string().max(100).optional(),
    modelYear: z.int().min(1950).max(2100).optional(),
    powertrain: z.enum(powertrains),
    newPrice: z
      .union([z.number().nonnegative(), z.string()])
      .optional()
      .openapi({ description: 'major units, e.g. 259800.00' }),
    currency: currency.optional(),
  })
  .openapi('VehicleRegistration');

export const batteryInput = z
  .strictObject({
    kind: z.enum(batteryKinds),
    code: z.string().openapi({ description: 'GB/T 34014-2017 code (24 characters, or 19 for cascade use)' }),
    chemistry: z.string().min(1).max(40).optional(),
    ratedCapacityKwh: z.number().positive().max(10000).optional(),
    massKg: z.number().positive().max(100000).optional(),
    originalCode: z
      .string()
      .optional()
      .openapi({ description: 'for a cascade-use product: the code it was made from' }),
  })
  .openapi('BatteryRegistration');

export const partInput = z
  .strictObject({
    kind: z.literal('part'),
    id: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,99}$/)
      .optional(),
    partNumber: z.string().min(1).max(100),
    serial: z.string().min(1).max(100).optional(),
    name: z.string().max(200).optional(),
    fiveAssembly: z.boolean().optional(),
    assemblyType: z.enum(fiveAssemblies).optional(),
    massKg: z.number().positive().max(100000).optional(),
  })
  .openapi('PartRegistration');

export const materialLotInput = z
  .strictObject({
    kind: z.literal('material-lot'),
    id: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,99}$/)
      .optional(),
    material: z.string().min(1).max(60),
    massKg: z.number().positive().max(10_000_000),
  })
  .openapi('MaterialLotRegistration');

export const assetInput = z.discriminatedUnion('kind', [
  vehicleInput,
  batteryInput,
  partInput,
  materialLotInput,
]);
export type AssetInput = z.infer<typeof assetInput>;
export type VehicleInput = z.infer<typeof vehicleInput>;
export type BatteryInput = z.infer<typeof batteryInput>;
export type PartInput = z.infer<typeof partInput>;
export type MaterialLotInput = z.infer<typeof materialLotInput>;

export const linkInput = z
  .strictObject({
    parentId: z.string().min(1),
    childId: z.string().min(1),
    validFrom: isoTime.optional(),
  })
  .openapi('CompositionLink');

export const unlinkInput = z
  .strictObject({ childId: z.string().min(1), validTo: isoTime.optional() })
  .openapi('CompositionUnlink');

export const assetView = z
  .object({
    id: z.string(),
    kind: z.enum(assetKinds),
    state: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .catchall(z.unknown())
  .openapi('Asset');
