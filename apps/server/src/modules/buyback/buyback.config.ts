/**
 * The buyback module's configuration tables — products and return conditions — read from versioned
 * JSON files beside this one, checked against these schemas once, and looked up by id/version.
 * A product file given by the user (`--product-file`) goes through the same schema.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { fieldErrorsFromZod, invalid } from '../../shared/errors.ts';
import productsFile from './data/products.v1.json' with { type: 'json' };
import conditionsFile from './data/return-conditions.v1.json' with { type: 'json' };

const currencyCode = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code in upper case, e.g. CNY');
/** A rate per km in major units as decimal text, at most 6 decimals (e.g. "0.0926" for 9.26p/km). */
const ratePerKm = z.string().regex(/^\d{1,6}(\.\d{1,6})?$/, 'a decimal rate per km, e.g. "0.50"');
const decimalAmount = z.string().regex(/^\d{1,12}(\.\d{1,4})?$/, 'a decimal amount, e.g. "1500.00"');
const bilingual = z.strictObject({ en: z.string().min(1), zh: z.string().min(1).optional() });

export const excessTierSchema = z.strictObject({
  fromKm: z.int().min(0).max(1_000_000),
  ratePerKm,
});

export const productSchema = z
  .looseObject({
    id: z.string().regex(/^[A-Z0-9][A-Z0-9-]{0,39}$/, 'upper-case letters, digits and -'),
    version: z.string().min(1).max(20),
    name: bilingual,
    gfvQuantile: z.number().gt(0).lt(1),
    marginOfNewPrice: z.number().min(0).lt(1),
    termMonths: z.strictObject({ min: z.int().min(1), max: z.int().max(120) }),
    distanceBandsKmPerYear: z.array(z.int().positive().max(200_000)).min(1),
    gfvRoundingMajor: z.record(z.string(), z.int().positive()),
    excessTiers: z.record(currencyCode, z.array(excessTierSchema).min(1)),
    exerciseWindow: z.strictObject({
      opensDaysBeforeTermEnd: z.int().min(0).max(365),
      closesDaysAfterTermEnd: z.int().min(0).max(365),
    }),
    quoteValidityDays: z.int().min(1).max(365),
    guaranteeFeeLoading: z.number().min(0).max(10),
    returnConditions: z.string().regex(/^[a-z0-9-]+@[0-9A-Za-z.-]+$/, 'table@version'),
    monteCarlo: z.strictObject({ samples: z.int().min(1000).max(1_000_000), seed: z.int() }),
  })
  .superRefine((p, ctx) => {
    if (p.termMonths.min > p.termMonths.max)
      ctx.addIssue({ code: 'custom', path: ['termMonths', 'min'], message: 'must not exceed max' });
    const bands = p.distanceBandsKmPerYear;
    if (bands.some((b, i) => i > 0 && b <= bands[i - 1]!))
      ctx.addIssue({
        code: 'custom',
        path: ['distanceBandsKmPerYear'],
        message: 'must be strictly increasing',
      });
    for (const [currency, tiers] of Object.entries(p.excessTiers)) {
      if (tiers[0]!.fromKm !== 0)
        ctx.addIssue({
          code: 'custom',
          path: ['excessTiers', currency, 0, 'fromKm'],
          message: 'the first tier starts at 0',
        });
      tiers.forEach((t, i) => {
        if (i > 0 && t.fromKm <= tiers[i - 1]!.fromKm)
          ctx.addIssue({
            code: 'custom',
            path: ['excessTiers', currency, i, 'fromKm'],
            message: 'tiers must start at strictly increasing distances',
          });
      });
    }
  });
export type Product = z.output<typeof productSchema>;

const productsTableSchema = z.looseObject({
  table: z.literal('buyback-products'),
  version: z.string(),
  products: z.array(productSchema).min(1),
  defaultProduct: z.string(),
});

const sizeRule = z.looseObject({
  zh: z.string().optional(),
  maxSizeMm: z.number().positive().optional(),
  maxTotalSizeMm: z.number().positive().optional(),
  maxCountPerPanel: z.int().positive().optional(),
  maxCountOnDoorEdge: z.int().positive().optional(),
  maxCountOnForwardFacingPanel: z.int().positive().optional(),
  maxSizeMmByZone: z.record(z.string(), z.number().positive().nullable()).optional(),
  minTreadMm: z.number().positive().optional(),
  notAcceptableIf: z.array(z.string()).optional(),
  acceptableIf: z.array(z.string()).optional(),
  acceptable: z.boolean().optional(),
});

export const damageTypes = [
  'chip',
  'dent',
  'scratch',
  'moulding_scuff',
  'wheel_scuff',
  'wheel_damage',
  'glass',
  'panoramic_roof',
  'tyre',
  'interior',
  'other',
] as const;
export type DamageType = (typeof damageTypes)[number];

const returnConditionsSchema = z.looseObject({
  table: z.literal('fair-wear-and-tear'),
  version: z.string(),
  damage: z.strictObject(
    Object.fromEntries(damageTypes.map((t) => [t, sizeRule])) as Record<DamageType, typeof sizeRule>,
  ),
  missingItems: z.record(
    z.string().regex(/^[a-z_]+$/),
    z.looseObject({ zh: z.string(), en: z.string(), charge: z.record(currencyCode, decimalAmount) }),
  ),
  evStateOfCharge: z.looseObject({
    minPercent: z.number().min(0).max(100),
    charge: z.record(currencyCode, decimalAmount),
  }),
  accidentExclusion: z.looseObject({
    description: z.string(),
    appraisalGrade: z.int().min(1).max(5),
    appraisalFlags: z.array(z.string()),
    reportedAccident: z.looseObject({
      structural: z.boolean(),
      flood: z.boolean(),
      fire: z.boolean(),
      severities: z.array(z.string()),
    }),
  }),
});
export type ReturnConditions = z.output<typeof returnConditionsSchema>;

let cache:
  | { products: Map<string, Product>; defaultProduct: string; conditions: Map<string, ReturnConditions> }
  | undefined;

function tables() {
  if (cache) return cache;
  const products = productsTableSchema.parse(productsFile);
  const conditions = returnConditionsSchema.parse(conditionsFile);
  cache = {
    products: new Map(products.products.map((p) => [p.id, p])),
    defaultProduct: products.defaultProduct,
    conditions: new Map([[`${conditions.table}@${conditions.version}`, conditions]]),
  };
  return cache;
}

/** Every built-in product, in file order. */
export function builtInProducts(): Product[] {
  return [...tables().products.values()];
}

/** A built-in product by id (the default product when none is named). */
export function productById(id: string | undefined): Product {
  const { products, defaultProduct } = tables();
  const product = products.get(id ?? defaultProduct);
  if (!product)
    throw invalid('unknown_product', `no buyback product ${id}`, [
      { field: 'product', message: `one of ${[...products.keys()].join(', ')}` },
    ]);
  return product;
}

/** A product definition from the user (a JSON document, e.g. examples/buyback-product.json). */
export function parseProduct(raw: unknown, field = 'product'): Product {
  const parsed = productSchema.safeParse(raw);
  if (!parsed.success)
    throw invalid(
      'invalid_product',
      'the product definition is invalid',
      fieldErrorsFromZod(parsed.error.issues, field),
    );
  returnConditionsByRef(parsed.data.returnConditions, `${field}.returnConditions`);
  return parsed.data;
}

export function readProductFile(path: string): Product {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw invalid('invalid_product', `cannot read the product file ${path}`, [
      { field: 'productFile', message: (error as Error).message },
    ]);
  }
  return parseProduct(raw, 'productFile');
}

/** Return conditions by `table@version`, as a contract names them. */
export function returnConditionsByRef(ref: string, field = 'returnConditions'): ReturnConditions {
  const found = tables().conditions.get(ref);
  if (!found)
    throw invalid('unknown_return_conditions', `no return conditions ${ref}`, [
      { field, message: `one of ${[...tables().conditions.keys()].join(', ')}` },
    ]);
  return found;
}

export function allReturnConditions(): ReturnConditions[] {
  return [...tables().conditions.values()];
}
