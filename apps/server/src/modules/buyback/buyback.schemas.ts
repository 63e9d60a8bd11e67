/**
 * The buyback API contract (zod = request validation = OpenAPI): quote requests, contracts,
 * return inspections and settlements, stress scenarios, and the views returned.
 */
import { z } from '@hono/zod-openapi';
import { damageTypes } from './buyback.config.ts';
import { contractStates } from './contract.machine.ts';
import { stressScenarioSchema } from './portfolio.model.ts';
import { chipLocations, glassZones } from './settlement.model.ts';

const currency = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code in upper case, e.g. CNY');
const isoTime = z.iso.datetime({ message: 'an ISO 8601 UTC time, e.g. 2026-01-31T08:00:00Z' });
const amount = z
  .union([z.number().nonnegative(), z.string().regex(/^\d+(\.\d+)?$/, 'a decimal amount, e.g. 1200.50')])
  .openapi({ description: 'major units, e.g. 259800.00' });
const opaqueId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,99}$/, 'an opaque id: letters, digits and . _ : / - (max 100)');
const money = z.number().openapi({ description: 'major units of `currency`' });

// ---------------------------------------------------------------- quote

export const quoteRequest = z
  .strictObject({
    make: z.string().trim().min(1).max(100),
    model: z.string().trim().min(1).max(100),
    trim: z.string().trim().min(1).max(100).optional(),
    year: z.int().min(1950).max(2100).openapi({ description: 'model year' }),
    fuel: z.string().trim().min(1).max(40).openapi({
      description: 'petrol, diesel, hybrid, plug-in hybrid, electric (or ice/hev/phev/bev/erev/fcev)',
    }),
    transmission: z.string().trim().min(1).max(40).optional(),
    engineL: z.number().min(0).max(20).optional().openapi({ description: 'litres; 0 for electric' }),
    newPrice: amount,
    currency,
    termMonths: z.int().min(12).max(60).openapi({ description: 'term of the guarantee, 12–60 months' }),
    kmPerYear: z
      .int()
      .positive()
      .max(200_000)
      .openapi({ description: 'annual distance; rounded up to the product band' }),
    soh: z.number().gt(0).max(1.2).optional().openapi({
      description:
        'EV battery state of health at sale, a fraction (0–1; a new pack may read slightly above 1)',
    }),
    product: z.string().optional().openapi({ description: 'product id (default GFV-STANDARD)' }),
    productDefinition: z.looseObject({}).optional().openapi({
      description: 'a whole product definition instead of a built-in id (see examples/buyback-product.json)',
    }),
    at: isoTime.optional().openapi({ description: 'quote date; default now' }),
  })
  .openapi('BuybackQuoteRequest');
export type QuoteRequest = z.output<typeof quoteRequest>;

const quantiles = z.object({ p10: money, p50: money, p90: money });
const trailStep = z.object({
  step: z.string(),
  detail: z.string(),
  value: z.union([z.number(), z.string()]).optional(),
});
const excessRate = z.object({ fromKm: z.number(), ratePerKm: z.number() });

export const quoteView = z
  .object({
    quoteId: z.string(),
    productId: z.string(),
    productVersion: z.string(),
    quotedAt: z.string(),
    validUntil: z.string(),
    currency: z.string(),
    vehicle: z.looseObject({
      make: z.string(),
      model: z.string(),
      year: z.number(),
      fuel: z.string(),
      powertrain: z.string(),
    }),
    newPrice: money,
    termMonths: z.number(),
    kmPerYear: z.number(),
    distanceBandKmPerYear: z.number(),
    allowanceKm: z.number(),
    termEndAt: z.string(),
    forecast: quantiles.extend({
      atDate: z.string(),
      odometerKm: z.number(),
      modelVersion: z.string().nullable(),
    }),
    gfv: money,
    gfvPercent: z.number().openapi({ description: 'GFV as a fraction of the new price (0–1)' }),
    gfvQuantile: z.number(),
    expectedCost: money.openapi({ description: 'E[max(0, GFV − value at term end)], by Monte Carlo' }),
    probabilityOfLoss: z.number(),
    guaranteeFee: money,
    ownership: z.object({
      withoutGuarantee: z.object({ monthly: money, monthlyAtP10: money }),
      withGuarantee: z.object({ monthly: money, monthlyWorstCase: money }),
    }),
    excessRates: z.array(excessRate),
    exerciseWindow: z.object({ opensDaysBeforeTermEnd: z.number(), closesDaysAfterTermEnd: z.number() }),
    returnConditions: z.string(),
    contractId: z.string().nullable(),
    trail: z.array(trailStep),
  })
  .openapi('BuybackQuote');

// ---------------------------------------------------------------- contract

export const contractRequest = z
  .strictObject({
    quoteId: z.string().min(1).max(100),
    vin: z.string().min(1).max(40),
    soldAt: isoTime.optional().openapi({ description: 'time of sale; default now' }),
    salePrice: amount.optional().openapi({ description: 'price paid; default the quoted new price' }),
    buyerRef: opaqueId.optional().openapi({
      description: "opaque buyer reference (never a person's name); default customer:<contractId>",
    }),
    odometerKm: z
      .number()
      .nonnegative()
      .max(1_000_000)
      .optional()
      .openapi({ description: 'odometer at delivery' }),
  })
  .openapi('BuybackContractRequest');
export type ContractRequest = z.output<typeof contractRequest>;

export const contractView = z
  .looseObject({
    contractId: z.string(),
    quoteId: z.string(),
    vin: z.string(),
    state: z.enum(contractStates),
    currency: z.string(),
    gfv: money,
    termMonths: z.number(),
    allowanceKm: z.number(),
    soldAt: z.string(),
    termEndAt: z.string(),
    exerciseWindow: z.object({ opensAt: z.string(), closesAt: z.string() }),
    excessRates: z.array(excessRate),
  })
  .openapi('BuybackContract');

export const contractQuery = z.object({
  state: z.enum(contractStates).optional(),
  vin: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  after: z.string().optional(),
});

// ---------------------------------------------------------------- return inspection and settlement

export const damageFinding = z
  .strictObject({
    item: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .openapi({ description: 'what and where, e.g. "front bumper scratch"' }),
    type: z.enum(damageTypes),
    sizeMm: z.number().positive().max(10_000).optional(),
    count: z.int().positive().max(1000).optional(),
    zone: z.enum(glassZones).optional(),
    location: z.enum(chipLocations).optional(),
    treadMm: z.number().min(0).max(30).optional(),
    conditions: z
      .array(z.string().regex(/^[A-Za-z]+$/))
      .max(20)
      .optional(),
    repairCost: amount,
    replaceCost: amount.optional(),
    repairable: z.boolean().optional(),
  })
  .openapi('BuybackDamageFinding');

export const missingItem = z.union([
  z.string().regex(/^[a-z_]+$/, 'an item code, e.g. key'),
  z.strictObject({
    item: z.string().regex(/^[a-z_]+$/, 'an item code, e.g. key'),
    count: z.int().positive().max(20).optional(),
    amount: amount.optional().openapi({ description: 'only for items the return conditions do not price' }),
  }),
]);

export const returnInspection = z
  .strictObject({
    inspectedAt: isoTime.optional(),
    inspectorPartyId: opaqueId.optional(),
    currency: currency.optional().openapi({ description: "if given, must be the contract's currency" }),
    appraisal: z
      .looseObject({})
      .optional()
      .openapi({ description: 'GB/T 30323-2013 inspection, scored by the valuation module' }),
    damage: z.array(damageFinding).max(500).default([]),
    missingItems: z.array(missingItem).max(50).default([]),
    stateOfChargePercent: z.number().min(0).max(100).optional(),
    sohPercent: z.number().min(0).max(120).optional(),
    notes: z.string().max(2000).optional(),
  })
  .openapi('BuybackReturnInspection');
export type ReturnInspection = z.output<typeof returnInspection>;

export const settlementOptions = ['hand_back', 'trade_in'] as const;

export const settleRequest = z
  .strictObject({
    odometerKm: z.number().nonnegative().max(10_000_000),
    inspection: returnInspection,
    option: z.enum(settlementOptions).default('hand_back').openapi({
      description: 'hand_back: we pay the statement total; trade_in: with equity, we buy at market value',
    }),
    at: isoTime.optional(),
    locationId: opaqueId.optional().openapi({ description: 'where the car is stocked' }),
    dealerPartyId: opaqueId
      .optional()
      .openapi({ description: 'who holds the stock; default the settling party' }),
  })
  .openapi('BuybackSettleRequest');
export type SettleRequest = z.input<typeof settleRequest>;

const charge = z.object({ item: z.string(), amount: money });
export const statementView = z
  .looseObject({
    contractId: z.string(),
    vin: z.string(),
    currency: z.string(),
    gfv: money,
    excessKm: z.number(),
    excessCharge: money,
    damageCharges: z.array(charge),
    missingItems: z.array(charge),
    total: money,
  })
  .openapi('BuybackStatement');

export const declineRequest = z
  .strictObject({
    option: z.enum(['kept_paid_gfv', 'refinanced', 'part_exchanged']),
    at: isoTime.optional(),
  })
  .openapi('BuybackDeclineRequest');

export const cancelReasons = ['accident_exclusion', 'sale_reversed', 'customer_request', 'other'] as const;
export const cancelRequest = z
  .strictObject({
    reason: z.enum(cancelReasons),
    note: z.string().max(500).optional(),
    at: isoTime.optional(),
  })
  .openapi('BuybackCancelRequest');

export const expireRequest = z.strictObject({ at: isoTime.optional() }).openapi('BuybackExpireRequest');

// ---------------------------------------------------------------- portfolio

export const stressScenario = stressScenarioSchema;
export const portfolioQuery = z.object({ at: isoTime.optional() });
export const remarkRequest = z.strictObject({ at: isoTime.optional() }).openapi('BuybackRemarkRequest');
