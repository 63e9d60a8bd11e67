/**
 * The versioned tables of used-car operations (data/*.json): prices and costs, and the legal gates of
 * the disposition decision. Loaded and checked once; a caller may pass another price table (a newer
 * version) that passes the same checks.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { fieldErrorsFromZod, invalid } from '../../shared/errors.ts';

const amount = z.number().finite();
const nonNegative = z.number().finite().nonnegative();
const fraction = z.number().min(0).max(1);
const perSeverity = z.array(nonNegative).length(4);
const workItem = z.object({
  en: z.string(),
  zh: z.string(),
  parts: nonNegative,
  hours: nonNegative,
  days: nonNegative,
});
const powertrainList = z.array(z.enum(['ice', 'hev', 'phev', 'erev', 'bev', 'fcev'])).optional();

export const priceTablesSchema = z.object({
  table: z.literal('remarketing-prices'),
  version: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,40}$/),
  description: z.string().optional(),
  sources: z.array(z.string()).optional(),
  baseCurrency: z.string().regex(/^[A-Z]{3}$/),
  currencyFactors: z.record(z.string(), z.union([z.number().positive(), z.string()])),
  pricing: z.object({
    retail: z.object({
      sellingCostRate: fraction,
      preparation: nonNegative,
      daysToSellByGrade: z.record(z.enum(['1', '2', '3', '4', '5']), z.number().int().positive()),
      note: z.string().optional(),
    }),
    wholesale: z.object({
      ratioOfRetail: z.number().positive().max(1.5),
      feeRate: fraction,
      transport: nonNegative,
      daysToSell: z.number().int().nonnegative(),
      note: z.string().optional(),
    }),
    ageing: z.object({
      graceDays: z.number().int().nonnegative(),
      ratePer30Days: z.number().min(0).max(0.5),
      floorRatio: fraction,
      note: z.string().optional(),
    }),
    holding: z.object({
      capitalRatePerYear: z.number().min(0).max(1),
      lotCostPerDay: nonNegative,
      note: z.string().optional(),
    }),
  }),
  reconditioning: z.object({
    labourRatePerHour: nonNegative,
    retailUpliftPerConditionPoint: z.number().min(0).max(0.05),
    note: z.string().optional(),
    bodyDefects: z.record(
      z.string(),
      z.object({ en: z.string(), zh: z.string(), parts: perSeverity, hours: perSeverity, days: perSeverity }),
    ),
    bodyItems: z.record(z.string(), workItem),
    passFailCategories: z.record(z.string(), workItem),
    passFailItems: z.record(z.string(), workItem),
  }),
  dismantle: z.object({
    labourRatePerHour: nonNegative,
    vehicleMassKgByPowertrain: z.record(z.string(), z.number().positive()),
    ageDemand: z.array(z.object({ maxYears: z.number().positive().nullable(), factor: nonNegative })).min(1),
    minObservations: z.number().int().positive(),
    conditionByGrade: z.record(z.enum(['1', '2', '3', '4', '5']), nonNegative),
    floodFactors: z.record(z.string(), nonNegative),
    fireFactors: z.record(z.string(), nonNegative),
    parts: z.record(
      z.string(),
      z.object({
        en: z.string(),
        zh: z.string(),
        value: nonNegative,
        count: z.number().int().positive(),
        hours: nonNegative,
        massKg: nonNegative,
        sellThrough: fraction,
        powertrains: powertrainList,
      }),
    ),
    assemblies: z.record(
      z.enum(['engine', 'transmission', 'steering_gear', 'front_axle', 'rear_axle', 'frame']),
      z.object({
        en: z.string(),
        zh: z.string(),
        remanufacturingCore: nonNegative,
        massKg: nonNegative,
        hours: nonNegative,
        powertrains: powertrainList,
        note: z.string().optional(),
      }),
    ),
    assemblyRules: z.object({
      maxGradeForRemanufacturing: z.number().int().min(1).max(5),
      maxAgeYearsForRemanufacturing: z.number().positive(),
    }),
    battery: z.object({
      secondLifePerKwh: z.record(z.enum(['A', 'B', 'C']), nonNegative),
      recyclingPayablePerKg: z.record(z.string(), amount),
      recyclingChargePerKgPack: nonNegative,
      defaultPackByPowertrain: z.record(
        z.string(),
        z.object({ energyKwh: z.number().positive(), massKg: z.number().positive(), chemistry: z.string() }),
      ),
    }),
    materials: z.object({
      fluidsShare: fraction,
      hulkShares: z.record(z.string(), fraction),
      recovery: z.record(z.string(), fraction),
      pricePerKg: z.record(z.string(), amount),
    }),
    costs: z.object({
      towing: nonNegative,
      pretreatment: nonNegative,
      highVoltageRemoval: nonNegative,
      baseHours: nonNegative,
      administration: nonNegative,
      hazardousWaste: nonNegative,
    }),
  }),
});
export type PriceTables = z.infer<typeof priceTablesSchema>;

const useClassNumbers = z.record(z.string(), z.number().positive().nullable());
const routeList = z.array(z.enum(['retail', 'wholesale']));

export const legalGatesSchema = z.object({
  table: z.literal('remarketing-legal-gates'),
  version: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,40}$/),
  forcedScrap: z.object({ serviceLifeYearsByUseClass: useClassNumbers, blocks: routeList, rule: z.string() }),
  mileageGuide: z.object({ kmByUseClass: useClassNumbers, blocks: routeList, rule: z.string() }),
  disclosure: z.object({
    conditions: z.array(z.enum(['accident', 'flood', 'fire'])),
    blocks: routeList,
    rule: z.string(),
  }),
  transferDocuments: z.object({ required: z.array(z.string()), blocks: routeList, rule: z.string() }),
  documents: z.record(z.string(), z.object({ zh: z.string(), en: z.string() })),
});
export type LegalGates = z.infer<typeof legalGatesSchema>;

function load<T>(file: string, schema: z.ZodType<T>): T {
  const raw = JSON.parse(readFileSync(new URL(`./data/${file}`, import.meta.url), 'utf8')) as unknown;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new Error(`remarketing table ${file} is invalid: ${parsed.error.message}`);
  return parsed.data;
}

let prices: PriceTables | undefined;
let gates: LegalGates | undefined;

/** The shipped price table (data/price-tables.v1.json). */
export function defaultPriceTables(): PriceTables {
  prices ??= load('price-tables.v1.json', priceTablesSchema);
  return prices;
}

/** The shipped legal gates (data/legal-gates.v1.json). */
export function legalGates(): LegalGates {
  gates ??= load('legal-gates.v1.json', legalGatesSchema);
  return gates;
}

/** A price table given by a caller (e.g. a newer version in a file): checked like the shipped one. */
export function parsePriceTables(raw: unknown, field = 'prices'): PriceTables {
  const parsed = priceTablesSchema.safeParse(raw);
  if (!parsed.success)
    throw invalid(
      'invalid_price_tables',
      'the price table failed validation',
      fieldErrorsFromZod(parsed.error.issues, field),
    );
  return parsed.data;
}

/** `table@version`: what a result records for each table it used. */
export const tableLabel = (t: { table: string; version: string }) => `${t.table}@${t.version}`;

/**
 * How many major units of `currency` one major unit of the table's base currency is worth, or null
 * when the table has no figure for that currency.
 */
export function currencyFactor(tables: PriceTables, currency: string): number | null {
  if (currency === tables.baseCurrency) return 1;
  const factor = tables.currencyFactors[currency];
  return typeof factor === 'number' ? factor : null;
}
