/**
 * The versioned coefficient tables of the valuation module (config/*.json), checked on load. Each
 * file names its table, version and sources; every result that used one records `table@version`.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const versioned = {
  table: z.string(),
  version: z.string(),
  description: z.string(),
  sources: z.array(z.string()),
};
const bilingual = { zh: z.string(), en: z.string() };

const passFailItem = z.object({ code: z.string(), ...bilingual, deduct: z.number().nonnegative() });
const bodyItem = z.object({ code: z.string(), ...bilingual });

export const checklistSchema = z.object({
  ...versioned,
  standard: z.string(),
  categories: z
    .array(
      z.discriminatedUnion('kind', [
        z.object({
          code: z.string(),
          ...bilingual,
          points: z.number().positive(),
          kind: z.literal('body-defects'),
          items: z.array(bodyItem),
        }),
        z.object({
          code: z.string(),
          ...bilingual,
          points: z.number().positive(),
          kind: z.literal('pass-fail'),
          items: z.array(passFailItem),
        }),
      ]),
    )
    .refine(
      (cs) => Math.abs(cs.reduce((s, c) => s + c.points, 0) - 100) < 1e-9,
      'category points must add up to 100',
    ),
  minorShare: z.number().min(0).max(1),
  bodyDefects: z.object({
    codes: z.record(z.string(), z.object(bilingual)),
    severity: z.record(z.string(), z.object({ en: z.string(), deduct: z.number().nonnegative() })),
    maxPerItem: z.number().positive(),
  }),
  structure: z.object({
    positions: z.array(z.object({ code: z.string(), ...bilingual })),
    defects: z.record(z.string(), z.object(bilingual)),
    note: z.string(),
  }),
  grades: z.array(z.object({ grade: z.number().int(), zh: z.string(), minScore: z.number() })),
  accidentGrade: z.object({ grade: z.literal(5), zh: z.string(), rule: z.string() }),
  flood: z.object({
    minItems: z.number().int().positive(),
    rule: z.string(),
    items: z.array(z.object({ code: z.string(), ...bilingual })),
    itemsNote: z.string(),
  }),
  fire: z.object({ minAreaM2: z.number().nonnegative(), rule: z.string() }),
  floodOrFireMakesAccident: z.boolean(),
  floodOrFireNote: z.string(),
});
export type Checklist = z.infer<typeof checklistSchema>;

const level = z.object({ zh: z.string(), value: z.number().positive() });
export const newnessSchema = z.object({
  ...versioned,
  useClasses: z.record(
    z.string(),
    z
      .object({ zh: z.string(), serviceLifeYears: z.number().positive(), mileageKm: z.number().positive() })
      .loose(),
  ),
  compositeWeights: z
    .object({ K1: z.number(), K2: z.number(), K3: z.number(), K4: z.number(), K5: z.number() })
    .refine((w) => Math.abs(w.K1 + w.K2 + w.K3 + w.K4 + w.K5 - 1) < 1e-9, 'K weights must add up to 1'),
  compositeFactors: z.object({
    K1: z.object({ ...bilingual, levels: z.record(z.string(), level) }),
    K2: z.object({ ...bilingual, levels: z.record(z.string(), level) }),
    K3: z.object({ ...bilingual, levels: z.record(z.string(), level) }),
    K4: z.object({ ...bilingual, levels: z.record(z.string(), level) }),
    K5: z.object({ ...bilingual, levels: z.record(z.string(), level) }),
  }),
  technicalConditionFromGrade: z.record(z.string(), z.string()),
  replacementCost: z.object({ feesRate: z.number().min(0), note: z.string() }),
});
export type NewnessTable = z.infer<typeof newnessSchema>;
export type CompositeFactor = keyof NewnessTable['compositeWeights'];

export const batterySohSchema = z
  .object({
    ...versioned,
    fadePerYear: z.number().min(0).max(0.2),
    baselineKmPerYear: z.number().positive(),
    extraFadePer100kKmAboveBaseline: z.number().min(0),
    sohFloor: z.number().min(0).max(1),
    batteryValueShare: z.object({ bev: z.number(), phev: z.number(), hev: z.number(), ice: z.number() }),
    maxUplift: z.number().min(0).max(1),
  })
  .loose();
export type BatterySohTable = z.infer<typeof batterySohSchema>;

export const methodsSchema = z.object({
  ...versioned,
  weights: z.object({
    learned: z.number().min(0),
    marketComparison: z.number().min(0),
    replacementCost: z.number().min(0),
    note: z.string(),
  }),
  marketComparison: z
    .object({
      maxComparables: z.number().int().positive(),
      minComparables: z.number().int().positive(),
      maxAgeGapYears: z.number().positive(),
      maxMileageRatio: z.number().min(1),
      fullWeightAt: z.number().int().positive(),
      defaultAgeDecayPerYear: z.number().min(0).max(1),
      defaultMileageElasticity: z.number().max(0),
    })
    .loose(),
  condition: z.object({
    note: z.string(),
    gradeFactor: z.record(z.string(), z.number().positive()),
    floodFactor: z.number().positive(),
    fireFactor: z.number().positive(),
  }),
  uncalibratedSpread: z.object({ p10: z.number().positive(), p90: z.number().positive(), note: z.string() }),
  forecast: z.object({ marketVolatilityPerYear: z.number().min(0), note: z.string() }),
});
export type MethodsTable = z.infer<typeof methodsSchema>;

function load<T>(file: string, schema: z.ZodType<T>): T {
  const raw = JSON.parse(readFileSync(new URL(`./config/${file}`, import.meta.url), 'utf8')) as unknown;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new Error(`valuation config ${file} is invalid: ${parsed.error.message}`);
  return parsed.data;
}

export interface ValuationConfig {
  checklist: Checklist;
  newness: NewnessTable;
  batterySoh: BatterySohTable;
  methods: MethodsTable;
}

let cached: ValuationConfig | undefined;

/** The shipped tables (config/*.v1.json). */
export function valuationConfig(): ValuationConfig {
  cached ??= {
    checklist: load('gbt30323-2013.checklist.v1.json', checklistSchema),
    newness: load('newness.v1.json', newnessSchema),
    batterySoh: load('battery-soh.v1.json', batterySohSchema),
    methods: load('valuation-methods.v1.json', methodsSchema),
  };
  return cached;
}

/** `table@version`, the label a result records for each table it used. */
export const tableLabel = (t: { table: string; version: string }) => `${t.table}@${t.version}`;
