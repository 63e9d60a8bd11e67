import type { Kysely } from 'kysely';
import type { DialectName } from '../database.ts';

// Guaranteed buyback: quotes, contracts and their state changes, settlements, portfolio re-marks.
// Times are ISO 8601 UTC text, money integer minor units (bigint) next to a currency, JSON as text:
// the same statements run on SQLite and PostgreSQL.
export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  await db.schema
    .createTable('buyback_quotes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('product_id', 'text', (c) => c.notNull())
    .addColumn('product_version', 'text', (c) => c.notNull())
    .addColumn('quoted_at', 'text', (c) => c.notNull())
    .addColumn('valid_until', 'text', (c) => c.notNull())
    .addColumn('quoted_by', 'text', (c) => c.notNull())
    .addColumn('make', 'text', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('powertrain', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('new_price_minor', 'bigint', (c) => c.notNull())
    .addColumn('term_months', 'integer', (c) => c.notNull())
    .addColumn('allowance_km', 'integer', (c) => c.notNull())
    .addColumn('term_end_at', 'text', (c) => c.notNull())
    .addColumn('p10_minor', 'bigint', (c) => c.notNull())
    .addColumn('p50_minor', 'bigint', (c) => c.notNull())
    .addColumn('p90_minor', 'bigint', (c) => c.notNull())
    .addColumn('gfv_minor', 'bigint', (c) => c.notNull())
    .addColumn('expected_cost_minor', 'bigint', (c) => c.notNull())
    .addColumn('model_version', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('buyback_contracts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('quote_id', 'text', (c) => c.notNull().references('buyback_quotes.id'))
    .addColumn('vin', 'text', (c) => c.notNull().references('assets.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('product_id', 'text', (c) => c.notNull())
    .addColumn('product_version', 'text', (c) => c.notNull())
    .addColumn('make', 'text', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('powertrain', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('gfv_minor', 'bigint', (c) => c.notNull())
    .addColumn('new_price_minor', 'bigint', (c) => c.notNull())
    .addColumn('sale_price_minor', 'bigint', (c) => c.notNull())
    .addColumn('term_months', 'integer', (c) => c.notNull())
    .addColumn('allowance_km', 'integer', (c) => c.notNull())
    .addColumn('odometer_at_sale_km', 'real', (c) => c.notNull())
    .addColumn('sold_at', 'text', (c) => c.notNull())
    .addColumn('term_end_at', 'text', (c) => c.notNull())
    .addColumn('window_opens_at', 'text', (c) => c.notNull())
    .addColumn('window_closes_at', 'text', (c) => c.notNull())
    .addColumn('terms', 'text', (c) => c.notNull())
    .addColumn('sale_event_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .addColumn('close_reason', 'text')
    .execute();
  // One contract per quote: a quote is an offer that can be taken up once.
  await db.schema
    .createIndex('buyback_contracts_quote_uq')
    .on('buyback_contracts')
    .column('quote_id')
    .unique()
    .execute();
  await db.schema.createIndex('buyback_contracts_vin_idx').on('buyback_contracts').column('vin').execute();
  await db.schema
    .createIndex('buyback_contracts_status_idx')
    .on('buyback_contracts')
    .columns(['status', 'term_end_at', 'id'])
    .execute();

  await db.schema
    .createTable('buyback_contract_transitions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('contract_id', 'text', (c) => c.notNull().references('buyback_contracts.id'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('from_state', 'text')
    .addColumn('to_state', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text')
    .addColumn('reason', 'text')
    .execute();
  await db.schema
    .createIndex('buyback_contract_transitions_contract_idx')
    .on('buyback_contract_transitions')
    .columns(['contract_id', 'at'])
    .execute();

  await db.schema
    .createTable('buyback_settlements')
    .addColumn('contract_id', 'text', (c) => c.primaryKey().references('buyback_contracts.id'))
    .addColumn('settled_at', 'text', (c) => c.notNull())
    .addColumn('option', 'text', (c) => c.notNull())
    .addColumn('odometer_km', 'real', (c) => c.notNull())
    .addColumn('excess_km', 'integer', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('gfv_minor', 'bigint', (c) => c.notNull())
    .addColumn('excess_charge_minor', 'bigint', (c) => c.notNull())
    .addColumn('damage_minor', 'bigint', (c) => c.notNull())
    .addColumn('missing_minor', 'bigint', (c) => c.notNull())
    .addColumn('total_minor', 'bigint', (c) => c.notNull())
    .addColumn('paid_minor', 'bigint', (c) => c.notNull())
    .addColumn('statement', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('buyback_remarks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('marked_at', 'text', (c) => c.notNull())
    .addColumn('as_of', 'text', (c) => c.notNull())
    .addColumn('marked_by', 'text', (c) => c.notNull())
    .addColumn('contracts', 'integer', (c) => c.notNull())
    .addColumn('refused', 'integer', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('buyback_remarks_marked_idx')
    .on('buyback_remarks')
    .columns(['marked_at', 'id'])
    .execute();

  await db.schema
    .createTable('buyback_marks')
    .addColumn('remark_id', 'text', (c) => c.notNull().references('buyback_remarks.id'))
    .addColumn('contract_id', 'text', (c) => c.notNull().references('buyback_contracts.id'))
    .addColumn('marked_at', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('p10_minor', 'bigint', (c) => c.notNull())
    .addColumn('p50_minor', 'bigint', (c) => c.notNull())
    .addColumn('p90_minor', 'bigint', (c) => c.notNull())
    .addColumn('expected_loss_minor', 'bigint', (c) => c.notNull())
    .addColumn('model_version', 'text')
    .addPrimaryKeyConstraint('buyback_marks_pk', ['remark_id', 'contract_id'])
    .execute();
  await db.schema
    .createIndex('buyback_marks_contract_idx')
    .on('buyback_marks')
    .columns(['contract_id', 'marked_at'])
    .execute();
}
