import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../database.ts';

// Used-car operations: stock stays, appraisals, reconditioning work orders, prices, listings,
// reservations, realised sales (interchange columns for valuation training) and disposition decisions.
// Times are ISO 8601 UTC text, booleans 0/1, money integer minor units (bigint) next to a currency.
export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  // PostgreSQL `real` is 4-byte; distances, scores and masses need double precision there.
  const decimal = dialect === 'postgres' ? 'double precision' : 'real';

  await db.schema
    .createTable('remarketing_stock')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('vin', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('stocked_at', 'text', (c) => c.notNull())
    .addColumn('dealer_party_id', 'text', (c) => c.notNull())
    .addColumn('location_id', 'text')
    .addColumn('contract_id', 'text')
    .addColumn('acquisition_cost_minor', 'bigint')
    .addColumn('currency', 'text')
    .addColumn('documents', 'text', (c) => c.notNull())
    .addColumn('keys', 'integer', (c) => c.notNull())
    .addColumn('disclosed_accident', 'integer', (c) => c.notNull())
    .addColumn('disclosed_flood', 'integer', (c) => c.notNull())
    .addColumn('disclosed_fire', 'integer', (c) => c.notNull())
    .addColumn('disclosed_at', 'text')
    .addColumn('disclosure_note', 'text')
    .addColumn('intake_event_id', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('remarketing_stock_vin_idx')
    .on('remarketing_stock')
    .columns(['vin', 'stocked_at'])
    .execute();
  await db.schema
    .createIndex('remarketing_stock_status_idx')
    .on('remarketing_stock')
    .columns(['status', 'stocked_at'])
    .execute();
  // At most one open stay per car: a second intake of a car still in stock is refused by the database too.
  await db.schema
    .createIndex('remarketing_stock_open_uq')
    .on('remarketing_stock')
    .column('vin')
    .unique()
    .where(sql.ref('closed_at'), 'is', null)
    .execute();

  await db.schema
    .createTable('remarketing_appraisals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('stock_id', 'text', (c) => c.notNull().references('remarketing_stock.id'))
    .addColumn('vin', 'text', (c) => c.notNull())
    .addColumn('appraised_at', 'text', (c) => c.notNull())
    .addColumn('appraiser_party_id', 'text', (c) => c.notNull())
    .addColumn('odometer_km', decimal, (c) => c.notNull())
    .addColumn('score', decimal, (c) => c.notNull())
    .addColumn('grade', 'integer', (c) => c.notNull())
    .addColumn('accident', 'integer', (c) => c.notNull())
    .addColumn('flood', 'integer', (c) => c.notNull())
    .addColumn('fire', 'integer', (c) => c.notNull())
    .addColumn('inspection', 'text')
    .addColumn('appraisal', 'text', (c) => c.notNull())
    .addColumn('battery', 'text')
    .addColumn('valuation_id', 'text')
    .addColumn('retail_minor', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('value_source', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('remarketing_appraisals_stock_idx')
    .on('remarketing_appraisals')
    .columns(['stock_id', 'appraised_at'])
    .execute();

  await db.schema
    .createTable('remarketing_work_orders')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('stock_id', 'text', (c) => c.notNull().references('remarketing_stock.id'))
    .addColumn('vin', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('items', 'text', (c) => c.notNull())
    .addColumn('cost_minor', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('days', 'integer', (c) => c.notNull())
    .addColumn('points', decimal, (c) => c.notNull())
    .addColumn('opened_at', 'text', (c) => c.notNull())
    .addColumn('opened_by', 'text', (c) => c.notNull())
    .addColumn('completed_at', 'text')
    .addColumn('actual_cost_minor', 'bigint')
    .addColumn('event_id', 'text')
    .addColumn('note', 'text')
    .execute();
  await db.schema
    .createIndex('remarketing_work_orders_stock_idx')
    .on('remarketing_work_orders')
    .columns(['stock_id', 'opened_at'])
    .execute();

  await db.schema
    .createTable('remarketing_prices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('stock_id', 'text', (c) => c.notNull().references('remarketing_stock.id'))
    .addColumn('vin', 'text', (c) => c.notNull())
    .addColumn('priced_at', 'text', (c) => c.notNull())
    .addColumn('retail_minor', 'bigint', (c) => c.notNull())
    .addColumn('wholesale_minor', 'bigint', (c) => c.notNull())
    .addColumn('asking_minor', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('days_in_stock', 'integer', (c) => c.notNull())
    .addColumn('condition_score', decimal)
    .addColumn('condition_grade', 'integer')
    .addColumn('ageing', 'text', (c) => c.notNull())
    .addColumn('valuation_id', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('remarketing_prices_stock_idx')
    .on('remarketing_prices')
    .columns(['stock_id', 'priced_at'])
    .execute();

  await db.schema
    .createTable('remarketing_listings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('stock_id', 'text', (c) => c.notNull().references('remarketing_stock.id'))
    .addColumn('vin', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('price_minor', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('listed_at', 'text', (c) => c.notNull())
    .addColumn('listed_event_id', 'text', (c) => c.notNull())
    .addColumn('delisted_at', 'text')
    .addColumn('delist_reason', 'text')
    .addColumn('delisted_event_id', 'text')
    .execute();
  await db.schema
    .createIndex('remarketing_listings_stock_idx')
    .on('remarketing_listings')
    .columns(['stock_id', 'listed_at'])
    .execute();

  await db.schema
    .createTable('remarketing_reservations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('stock_id', 'text', (c) => c.notNull().references('remarketing_stock.id'))
    .addColumn('vin', 'text', (c) => c.notNull())
    .addColumn('holder_party_id', 'text', (c) => c.notNull())
    .addColumn('reserved_at', 'text', (c) => c.notNull())
    .addColumn('until', 'text', (c) => c.notNull())
    .addColumn('deposit_minor', 'bigint')
    .addColumn('currency', 'text')
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('released_at', 'text')
    .addColumn('release_reason', 'text')
    .addColumn('release_event_id', 'text')
    .execute();
  await db.schema
    .createIndex('remarketing_reservations_stock_idx')
    .on('remarketing_reservations')
    .columns(['stock_id', 'reserved_at'])
    .execute();

  await db.schema
    .createTable('remarketing_sales')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('stock_id', 'text', (c) => c.notNull().references('remarketing_stock.id'))
    .addColumn('vin', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('trade_channel', 'text')
    .addColumn('price_minor', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('sold_at', 'text', (c) => c.notNull())
    .addColumn('buyer_party_id', 'text', (c) => c.notNull())
    .addColumn('reservation_id', 'text')
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('make', 'text', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('year', 'integer')
    .addColumn('mileage_km', decimal)
    .addColumn('fuel', 'text')
    .addColumn('trim', 'text')
    .addColumn('condition_score', decimal)
    .addColumn('accident', 'integer')
    .addColumn('soh', decimal)
    .addColumn('country', 'text')
    .addColumn('new_price_minor', 'bigint')
    .execute();
  await db.schema
    .createIndex('remarketing_sales_sold_idx')
    .on('remarketing_sales')
    .columns(['sold_at', 'id'])
    .execute();
  // One sale per stay: a second sale of the same stay is refused by the database too.
  await db.schema
    .createIndex('remarketing_sales_stock_uq')
    .on('remarketing_sales')
    .column('stock_id')
    .unique()
    .execute();

  await db.schema
    .createTable('remarketing_decisions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('stock_id', 'text', (c) => c.notNull().references('remarketing_stock.id'))
    .addColumn('vin', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text', (c) => c.notNull())
    .addColumn('recommended', 'text', (c) => c.notNull())
    .addColumn('route', 'text')
    .addColumn('committed', 'integer', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('expected_net_minor', 'bigint', (c) => c.notNull())
    .addColumn('routes', 'text', (c) => c.notNull())
    .addColumn('reasons', 'text', (c) => c.notNull())
    .addColumn('facts', 'text', (c) => c.notNull())
    .addColumn('tables_version', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text')
    .execute();
  await db.schema
    .createIndex('remarketing_decisions_stock_idx')
    .on('remarketing_decisions')
    .columns(['stock_id', 'decided_at'])
    .execute();
}
