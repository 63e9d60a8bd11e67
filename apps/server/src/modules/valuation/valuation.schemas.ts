/** zod schemas of the valuation API: the request contract (= OpenAPI). */
import { z } from '@hono/zod-openapi';
import { inspectionSchema } from './appraisal.model.ts';

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T.*)?$/, 'an ISO date, e.g. 2029-06-30')
  .openapi({ description: 'ISO 8601 date (a date-time is cut to its day)' });
const currency = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code in upper case, e.g. CNY');
const fraction = z.number().min(0).max(1);
const km = z.number().nonnegative().max(10_000_000);

export const inspection = inspectionSchema.openapi('Inspection', {
  description:
    'GB/T 30323-2013 inspection: findings by checklist item code (B01–B26 body with defect code and severity; E, C, S, R, U items fail or minor), structural positions, flood-line items, burnt area',
});

const vehicleFields = {
  make: z.string().min(1).max(100),
  model: z.string().min(1).max(100),
  year: z.int().min(1900).max(2100).openapi({ description: 'model year' }),
  fuel: z
    .string()
    .max(40)
    .optional()
    .openapi({ description: 'petrol, diesel, hybrid, plug-in hybrid, electric…' }),
  transmission: z.string().max(40).optional(),
  engineL: z.number().min(0).max(20).optional().openapi({ description: 'litres; 0 for electric cars' }),
  powerKw: z.number().positive().max(2000).optional(),
  body: z.string().max(40).optional(),
  trim: z.string().max(100).optional(),
  newPrice: z.number().positive().optional().openapi({ description: 'current new price, major units' }),
  soh: fraction.optional().openapi({ description: 'traction-battery state of health, 0–1' }),
};

export const valueRequest = z
  .strictObject({
    vehicle: z.strictObject({
      vin: z
        .string()
        .max(17)
        .optional()
        .openapi({ description: 'a registered vehicle: missing fields are taken from the registry' }),
      ...vehicleFields,
      make: vehicleFields.make.optional(),
      model: vehicleFields.model.optional(),
      year: vehicleFields.year.optional(),
      odometerKm: km,
      currency: currency.optional(),
      registeredAt: isoDate
        .optional()
        .openapi({ description: 'first registration; default 1 July of the model year' }),
      useClass: z
        .string()
        .max(40)
        .optional()
        .openapi({ description: 'private (default), taxi, rental, ride_hailing, driving_school' }),
    }),
    valuationDate: isoDate.optional().openapi({ description: 'default: today' }),
    inspection: inspection.optional(),
    composite: z
      .strictObject({
        K1: z.union([z.string(), z.number()]).optional(),
        K2: z.union([z.string(), z.number()]).optional(),
        K3: z.union([z.string(), z.number()]).optional(),
        K4: z.union([z.string(), z.number()]).optional(),
        K5: z.union([z.string(), z.number()]).optional(),
      })
      .optional()
      .openapi({
        description:
          '综合分析法 factors by level name (e.g. "average") or value; K1 defaults from the inspection grade',
      }),
    comparables: z
      .array(
        z.strictObject({
          id: z.string().max(100).optional(),
          make: z.string().min(1).max(100),
          model: z.string().min(1).max(100),
          year: z.int().min(1900).max(2100),
          mileageKm: km,
          fuel: z.string().max(40).optional(),
          transmission: z.string().max(40).optional(),
          engineL: z.number().min(0).max(20).optional(),
          price: z.number().positive(),
          currency,
          soldAt: isoDate,
        }),
      )
      .max(500)
      .optional()
      .openapi({
        description: 'comparable sales for the 现行市价法; default: the active model’s training sales',
      }),
    modelVersion: z
      .string()
      .max(100)
      .optional()
      .openapi({ description: 'value with this model instead of the active one' }),
    priceBasis: z
      .enum(['c2b', 'wholesale', 'b2c'])
      .default('b2c')
      .openapi({ description: 'the price type the value stands for' }),
    recordEvent: z.boolean().default(false).openapi({
      description:
        'append a vehicle.appraised event to the ledger (needs vin of a registered vehicle and an inspection)',
    }),
  })
  .openapi('ValuationRequest');
export type ValueRequest = z.output<typeof valueRequest>;

export const forecastRequest = z
  .strictObject({
    ...vehicleFields,
    vin: z.string().max(17).optional(),
    currency,
    atDate: isoDate,
    odometerKm: km,
    conditionScore: z.number().min(0).max(100).optional(),
    modelVersion: z.string().max(100).optional(),
  })
  .openapi('ForecastRequest');
export type ForecastRequest = z.output<typeof forecastRequest>;

export const remarkRequest = z
  .strictObject({
    atDate: isoDate,
    currency,
    vehicles: z
      .array(
        z.strictObject({
          id: z.string().max(100).optional(),
          ...vehicleFields,
          odometerKm: km,
        }),
      )
      .min(1)
      .max(5000),
    modelVersion: z.string().max(100).optional(),
  })
  .openapi('RemarkRequest');
export type RemarkRequest = z.output<typeof remarkRequest>;

const transactionsInput = {
  csv: z.string().optional().openapi({ description: 'the interchange CSV, header included' }),
  transactions: z
    .array(z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])))
    .max(20_000)
    .optional()
    .openapi({ description: 'rows as objects with the interchange columns (snake_case or camelCase)' }),
};

export const backtestRequest = z
  .strictObject({
    ...transactionsInput,
    split: z
      .string()
      .default('random:0.2:42')
      .openapi({ description: 'random:<test fraction>:<seed> or time:<ISO date>' }),
  })
  .openapi('BacktestRequest');
export type BacktestRequest = z.output<typeof backtestRequest>;

export const fitRequest = z
  .strictObject({
    ...transactionsInput,
    activate: z.boolean().default(false),
    storeComparables: z.boolean().default(true),
  })
  .openapi('FitRequest');
export type FitRequest = z.output<typeof fitRequest>;

export const modelVersionParam = z.object({
  modelVersion: z.string().openapi({ param: { name: 'modelVersion', in: 'path' } }),
});
export const valuationIdParam = z.object({
  id: z.string().openapi({ param: { name: 'id', in: 'path' } }),
});
