/** All SQL of the valuation module (Kysely, the portable subset: one code path for SQLite and PostgreSQL). */
import type { Executor } from '../../db/transaction.ts';
import type { ComparableTransaction } from './market.model.ts';

export interface ModelRow {
  modelVersion: string;
  createdAt: string;
  registeredAt: string;
  registeredBy: string | null;
  currency: string;
  active: boolean;
  rowsUsed: number;
  summary: unknown;
  metrics: unknown;
}

const modelColumns = [
  'model_version',
  'created_at',
  'registered_at',
  'registered_by',
  'currency',
  'active',
  'rows_used',
  'summary',
  'metrics',
] as const;

function toModelRow(r: {
  model_version: string;
  created_at: string;
  registered_at: string;
  registered_by: string | null;
  currency: string;
  active: number;
  rows_used: number;
  summary: string;
  metrics: string;
}): ModelRow {
  return {
    modelVersion: r.model_version,
    createdAt: r.created_at,
    registeredAt: r.registered_at,
    registeredBy: r.registered_by,
    currency: r.currency,
    active: Number(r.active) === 1,
    rowsUsed: Number(r.rows_used),
    summary: JSON.parse(r.summary) as unknown,
    metrics: JSON.parse(r.metrics) as unknown,
  };
}

export async function insertModel(
  db: Executor,
  row: Omit<ModelRow, 'active' | 'summary' | 'metrics'> & {
    summary: string;
    metrics: string;
    artefact: string;
  },
): Promise<void> {
  await db
    .insertInto('valuation_models')
    .values({
      model_version: row.modelVersion,
      created_at: row.createdAt,
      registered_at: row.registeredAt,
      registered_by: row.registeredBy,
      currency: row.currency,
      active: 0,
      rows_used: row.rowsUsed,
      summary: row.summary,
      metrics: row.metrics,
      artefact: row.artefact,
    })
    .execute();
}

export async function modelExists(db: Executor, modelVersion: string): Promise<boolean> {
  const row = await db
    .selectFrom('valuation_models')
    .select('model_version')
    .where('model_version', '=', modelVersion)
    .executeTakeFirst();
  return row !== undefined;
}

export async function listModels(db: Executor, limit: number, after?: string): Promise<ModelRow[]> {
  let q = db.selectFrom('valuation_models').select(modelColumns).orderBy('model_version');
  if (after) q = q.where('model_version', '>', after);
  return (await q.limit(limit).execute()).map(toModelRow);
}

export async function getModel(db: Executor, modelVersion: string): Promise<ModelRow | undefined> {
  const r = await db
    .selectFrom('valuation_models')
    .select(modelColumns)
    .where('model_version', '=', modelVersion)
    .executeTakeFirst();
  return r ? toModelRow(r) : undefined;
}

export async function modelArtefactText(db: Executor, modelVersion: string): Promise<string | undefined> {
  const r = await db
    .selectFrom('valuation_models')
    .select('artefact')
    .where('model_version', '=', modelVersion)
    .executeTakeFirst();
  return r?.artefact;
}

export async function activeModels(db: Executor): Promise<ModelRow[]> {
  return (
    await db
      .selectFrom('valuation_models')
      .select(modelColumns)
      .where('active', '=', 1)
      .orderBy('currency')
      .execute()
  ).map(toModelRow);
}

/** Make one model the active one of its currency (the others of that currency stop being active). */
export async function activateModel(db: Executor, modelVersion: string, currency: string): Promise<void> {
  await db.updateTable('valuation_models').set({ active: 0 }).where('currency', '=', currency).execute();
  await db
    .updateTable('valuation_models')
    .set({ active: 1 })
    .where('model_version', '=', modelVersion)
    .execute();
}

// ---------------------------------------------------------------- stored valuations

export interface ValuationRecord {
  id: string;
  kind: string;
  vehicleId: string | null;
  modelVersion: string | null;
  currency: string | null;
  p10Minor: number | null;
  p50Minor: number | null;
  p90Minor: number | null;
  inputs: unknown;
  result: unknown;
  createdAt: string;
  createdBy: string;
}

export async function insertValuations(db: Executor, records: ValuationRecord[]): Promise<void> {
  for (let i = 0; i < records.length; i += 200) {
    await db
      .insertInto('valuations')
      .values(
        records.slice(i, i + 200).map((r) => ({
          id: r.id,
          kind: r.kind,
          vehicle_id: r.vehicleId,
          model_version: r.modelVersion,
          currency: r.currency,
          p10_minor: r.p10Minor,
          p50_minor: r.p50Minor,
          p90_minor: r.p90Minor,
          inputs: JSON.stringify(r.inputs),
          result: JSON.stringify(r.result),
          created_at: r.createdAt,
          created_by: r.createdBy,
        })),
      )
      .execute();
  }
}

const valuationColumns = [
  'id',
  'kind',
  'vehicle_id',
  'model_version',
  'currency',
  'p10_minor',
  'p50_minor',
  'p90_minor',
  'inputs',
  'result',
  'created_at',
  'created_by',
] as const;

function toValuation(r: {
  id: string;
  kind: string;
  vehicle_id: string | null;
  model_version: string | null;
  currency: string | null;
  p10_minor: number | null;
  p50_minor: number | null;
  p90_minor: number | null;
  inputs: string;
  result: string;
  created_at: string;
  created_by: string;
}): ValuationRecord {
  const n = (v: number | null) => (v === null ? null : Number(v));
  return {
    id: r.id,
    kind: r.kind,
    vehicleId: r.vehicle_id,
    modelVersion: r.model_version,
    currency: r.currency,
    p10Minor: n(r.p10_minor),
    p50Minor: n(r.p50_minor),
    p90Minor: n(r.p90_minor),
    inputs: JSON.parse(r.inputs) as unknown,
    result: JSON.parse(r.result) as unknown,
    createdAt: r.created_at,
    createdBy: r.created_by,
  };
}

export async function getValuation(db: Executor, id: string): Promise<ValuationRecord | undefined> {
  const r = await db
    .selectFrom('valuations')
    .select(valuationColumns)
    .where('id', '=', id)
    .executeTakeFirst();
  return r ? toValuation(r) : undefined;
}

export async function listValuations(
  db: Executor,
  filter: { kind?: string; vehicleId?: string; limit: number; after?: string },
): Promise<ValuationRecord[]> {
  let q = db.selectFrom('valuations').select(valuationColumns).orderBy('id');
  if (filter.kind) q = q.where('kind', '=', filter.kind);
  if (filter.vehicleId) q = q.where('vehicle_id', '=', filter.vehicleId);
  if (filter.after) q = q.where('id', '>', filter.after);
  return (await q.limit(filter.limit).execute()).map(toValuation);
}

// ---------------------------------------------------------------- comparable-sales pool

export interface PoolRow {
  line: number;
  makeKey: string;
  modelKey: string;
  make: string;
  model: string;
  year: number;
  mileageKm: number;
  fuel: string | null;
  transmission: string | null;
  engineL: number | null;
  priceMinor: number;
  currency: string;
  soldAt: string;
}

export async function insertPool(db: Executor, source: string, rows: PoolRow[]): Promise<void> {
  await db.deleteFrom('valuation_transactions').where('source', '=', source).execute();
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto('valuation_transactions')
      .values(
        rows.slice(i, i + 500).map((r) => ({
          source,
          line: r.line,
          make_key: r.makeKey,
          model_key: r.modelKey,
          make: r.make,
          model: r.model,
          year: r.year,
          mileage_km: r.mileageKm,
          fuel: r.fuel,
          transmission: r.transmission,
          engine_l: r.engineL,
          price_minor: r.priceMinor,
          currency: r.currency,
          sold_at: r.soldAt,
        })),
      )
      .execute();
  }
}

/** Sales of one model in one currency from a pool (the nearest are chosen by the method itself). */
export async function poolFor(
  db: Executor,
  source: string,
  modelKey: string,
  currency: string,
  toMajor: (minor: number) => number,
  limit = 5000,
): Promise<ComparableTransaction[]> {
  const rows = await db
    .selectFrom('valuation_transactions')
    .select([
      'line',
      'make',
      'model',
      'year',
      'mileage_km',
      'fuel',
      'transmission',
      'engine_l',
      'price_minor',
      'currency',
      'sold_at',
    ])
    .where('source', '=', source)
    .where('model_key', '=', modelKey)
    .where('currency', '=', currency)
    .orderBy('line')
    .limit(limit)
    .execute();
  return rows.map((r) => {
    const c: ComparableTransaction = {
      id: `${source}:${r.line}`,
      make: r.make,
      model: r.model,
      year: Number(r.year),
      mileageKm: Number(r.mileage_km),
      price: toMajor(Number(r.price_minor)),
      currency: r.currency,
      soldAt: r.sold_at,
    };
    if (r.fuel !== null) c.fuel = r.fuel;
    if (r.transmission !== null) c.transmission = r.transmission;
    if (r.engine_l !== null) c.engineL = Number(r.engine_l);
    return c;
  });
}

export async function poolSize(db: Executor, source: string): Promise<number> {
  const r = await db
    .selectFrom('valuation_transactions')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('source', '=', source)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
