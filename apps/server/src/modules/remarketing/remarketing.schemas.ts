/** zod schemas of the remarketing API: the request and response contract (= OpenAPI). */
import { z } from '@hono/zod-openapi';
import { inspectionSchema } from '../valuation/index.ts';

const instant = z.iso
  .datetime({ message: 'an ISO 8601 UTC time, e.g. 2026-01-31T08:00:00Z' })
  .openapi({ description: 'ISO 8601 UTC time; default now' });
const decimal = z
  .union([z.string(), z.number()])
  .openapi({ description: 'a decimal amount in major units, e.g. "128000.00"' });
const currency = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code in upper case, e.g. CNY');
const opaque = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,99}$/, 'an opaque id: letters, digits and . _ : / - (max 100)');

export const stockSources = ['buyback', 'trade-in', 'purchase'] as const;
export const stockStates = [
  'in_stock',
  'reconditioning',
  'listed',
  'reserved',
  'sold',
  'wholesaled',
  'dismantle',
] as const;
export type StockState = (typeof stockStates)[number];
export const routeNames = ['retail', 'wholesale', 'dismantle'] as const;

export const intakeInput = z
  .strictObject({
    vin: z.string().min(1).max(17),
    source: z
      .enum([...stockSources, 'trade_in'])
      .openapi({ description: 'buyback, trade-in or purchase (trade_in is accepted too)' }),
    stockedAt: instant.optional(),
    dealerPartyId: opaque.optional().openapi({ description: 'default: the caller' }),
    locationId: opaque.optional(),
    acquisitionCost: decimal.optional(),
    currency: currency.optional(),
    documents: z.array(z.string().min(1).max(40)).max(20).optional().openapi({
      description: 'papers handed over: registration_certificate, driving_licence, purchase_invoice, …',
    }),
    keys: z.int().min(0).max(10).optional(),
    odometerKm: z.number().nonnegative().max(10_000_000).optional(),
    vehicle: z
      .strictObject({
        make: z.string().min(1).max(100),
        model: z.string().min(1).max(100),
        modelYear: z.int().min(1950).max(2100).optional(),
        powertrain: z.enum(['ice', 'hev', 'phev', 'bev', 'erev', 'fcev']),
        trim: z.string().max(100).optional(),
        newPrice: decimal.optional(),
        currency: currency.optional(),
      })
      .optional()
      .openapi({
        description: 'for a car the platform does not know yet: registered and enrolled at intake',
      }),
  })
  .openapi('StockIntake');
export type IntakeInput = z.output<typeof intakeInput>;

export const batteryCheckInput = z.strictObject({
  sohPercent: z.number().min(0).max(120),
  method: z.enum(['bms', 'bench_test', 'third_party_report']).default('bms'),
  packCode: z.string().min(19).max(24).optional(),
  measuredAt: instant.optional(),
});

export const appraiseInput = z
  .strictObject({
    inspection: inspectionSchema,
    odometerKm: z.number().nonnegative().max(10_000_000),
    appraisedAt: instant.optional(),
    appraiserPartyId: opaque.optional(),
    battery: batteryCheckInput.optional().openapi({
      description: 'EV battery health check (required for bev/phev/erev without a recent report)',
    }),
    value: decimal.optional().openapi({
      description: "the appraiser's retail value, used only when the valuation engine cannot value the car",
    }),
  })
  .openapi('StockAppraisal');
export type AppraiseInput = z.output<typeof appraiseInput>;

export const workItemInput = z.strictObject({
  description: z.string().min(1).max(200),
  finding: z.string().max(20).optional().openapi({ description: 'the inspection item it repairs, e.g. B13' }),
  parts: decimal,
  labour: decimal,
  days: z.number().min(0).max(60),
  points: z.number().min(0).max(100).optional().openapi({ description: 'GB/T 30323 points it restores' }),
});

export const workOrderInput = z
  .strictObject({
    items: z.array(workItemInput).min(1).max(50).optional(),
    fromPlan: z.boolean().optional().openapi({ description: 'open the recommended plan' }),
    currency: currency.optional(),
    note: z.string().max(500).optional(),
    openedAt: instant.optional(),
  })
  .openapi('WorkOrder');
export type WorkOrderInput = z.output<typeof workOrderInput>;

export const completeInput = z
  .strictObject({
    completedAt: instant.optional(),
    actualCost: decimal.optional(),
    odometerKm: z.number().nonnegative().max(10_000_000).optional(),
  })
  .openapi('WorkOrderCompletion');

export const ageingOverride = z.strictObject({
  graceDays: z.int().min(0).max(365).optional(),
  ratePer30Days: z.number().min(0).max(0.5).optional(),
  floorRatio: z.number().min(0).max(1).optional(),
});

export const priceInput = ageingOverride.extend({ asOf: instant.optional() }).openapi('PriceRequest');

export const listInput = z
  .strictObject({
    channel: z.enum(['online', 'retail_lot', 'auction']).default('online'),
    price: decimal.optional().openapi({ description: 'default: the current aged asking price' }),
    currency: currency.optional(),
    listedAt: instant.optional(),
  })
  .openapi('Listing');

export const delistInput = z
  .strictObject({
    reason: z
      .enum(['price_review', 'reconditioning', 'withdrawn', 'disposition_change'])
      .default('withdrawn'),
    delistedAt: instant.optional(),
  })
  .openapi('Delisting');

export const reserveInput = z
  .strictObject({
    holderPartyId: opaque.openapi({ description: 'opaque id of the buyer (no personal data)' }),
    until: instant.optional(),
    days: z.int().min(1).max(90).optional().openapi({ description: 'instead of until; default 7' }),
    deposit: decimal.optional(),
    currency: currency.optional(),
    reservedAt: instant.optional(),
  })
  .openapi('Reservation');

export const releaseInput = z
  .strictObject({ reason: z.enum(['cancelled']).default('cancelled'), releasedAt: instant.optional() })
  .openapi('ReservationRelease');

export const sellInput = z
  .strictObject({
    price: decimal,
    currency: z.string().min(1).max(10),
    channel: z.enum(['retail', 'wholesale']),
    buyerPartyId: opaque.optional().openapi({ description: 'default: a new opaque customer id' }),
    reservationId: opaque.optional().openapi({ description: 'sell to the holder of this reservation' }),
    tradeChannel: z
      .enum(['auction', 'trade_buyer', 'export'])
      .optional()
      .openapi({ description: 'wholesale only' }),
    soldAt: instant.optional(),
  })
  .openapi('Sale');
export type SellInput = z.output<typeof sellInput>;

export const decideInput = z
  .strictObject({
    asOf: instant.optional(),
    commit: z.boolean().default(false).openapi({ description: 'record the decision in the log' }),
    route: z
      .enum(routeNames)
      .optional()
      .openapi({ description: 'with commit: take this allowed route instead of the chosen one' }),
  })
  .openapi('DispositionRequest');

export const documentsInput = z
  .strictObject({
    documents: z.array(z.string().min(1).max(40)).max(20),
    keys: z.int().min(0).max(10).optional(),
  })
  .openapi('StockDocuments');

export const disclosureInput = z
  .strictObject({
    accident: z.boolean().optional(),
    flood: z.boolean().optional(),
    fire: z.boolean().optional(),
    note: z.string().max(500).optional(),
    disclosedAt: instant.optional(),
  })
  .openapi('Disclosure');

// ---------------------------------------------------------------- responses

export const breakdownLine = z.object({ item: z.string(), amount: z.number() });
export const routeView = z
  .object({
    route: z.enum(routeNames),
    expectedNet: z.number(),
    currency: z.string(),
    allowed: z.boolean(),
    blockedBy: z.array(z.string()),
    breakdown: z.array(breakdownLine),
    days: z.number(),
  })
  .openapi('DispositionRoute');
export const decisionView = z
  .looseObject({
    vin: z.string(),
    decisionId: z.string(),
    routes: z.array(routeView),
    chosen: z.enum(routeNames),
    reasons: z.array(z.string()),
    explanation: z.string(),
    gates: z.array(
      z.object({ gate: z.string(), blocks: z.array(z.string()), message: z.string(), rule: z.string() }),
    ),
    tablesVersion: z.string(),
    committed: z.boolean(),
  })
  .openapi('DispositionDecision');
export const stockItemView = z
  .looseObject({ stockId: z.string(), vin: z.string(), state: z.enum(stockStates), daysInStock: z.number() })
  .openapi('StockItem');
export const anyObject = z.looseObject({});
