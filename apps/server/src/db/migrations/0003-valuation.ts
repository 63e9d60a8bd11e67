import type { Kysely } from 'kysely';
import type { DialectName } from '../database.ts';

// Valuation: the model registry, every stored valuation, and the comparable-sales pool.
// Times are ISO strings, booleans 0/1 integers, money integer minor units (see 0001-foundation).
export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  await db.schema
    .createTable('valuation_models')
    .addColumn('model_version', 'text', (c) => c.primaryKey())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('registered_at', 'text', (c) => c.notNull())
    .addColumn('registered_by', 'text')
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rows_used', 'integer', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('metrics', 'text', (c) => c.notNull())
    .addColumn('artefact', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('valuation_models_registered_idx')
    .on('valuation_models')
    .columns(['registered_at', 'model_version'])
    .execute();

  await db.schema
    .createTable('valuations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('vehicle_id', 'text')
    .addColumn('model_version', 'text')
    .addColumn('currency', 'text')
    .addColumn('p10_minor', 'bigint')
    .addColumn('p50_minor', 'bigint')
    .addColumn('p90_minor', 'bigint')
    .addColumn('inputs', 'text', (c) => c.notNull())
    .addColumn('result', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('valuations_vehicle_idx')
    .on('valuations')
    .columns(['vehicle_id', 'created_at'])
    .execute();
  await db.schema.createIndex('valuations_kind_idx').on('valuations').columns(['kind', 'id']).execute();

  await db.schema
    .createTable('valuation_transactions')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('line', 'integer', (c) => c.notNull())
    .addColumn('make_key', 'text', (c) => c.notNull())
    .addColumn('model_key', 'text', (c) => c.notNull())
    .addColumn('make', 'text', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('mileage_km', 'real', (c) => c.notNull())
    .addColumn('fuel', 'text')
    .addColumn('transmission', 'text')
    .addColumn('engine_l', 'real')
    .addColumn('price_minor', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('sold_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('valuation_transactions_pk', ['source', 'line'])
    .execute();
  await db.schema
    .createIndex('valuation_transactions_model_idx')
    .on('valuation_transactions')
    .columns(['source', 'model_key', 'currency'])
    .execute();
}
