import type { Kysely } from 'kysely';
import type { DialectName } from '../database.ts';

// Batteries (SOH tests, grades, cascade products, deployment, recycling, recovered lots) and
// passports (passport identities, declarations, China traceability). Times are ISO 8601 UTC text;
// measures are double precision (PostgreSQL `real` is only single precision).
export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  const num = 'double precision' as const;
  await db.schema
    .createTable('battery_soh_tests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('battery_code', 'text', (c) => c.notNull().references('assets.id'))
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('tested_at', 'text', (c) => c.notNull())
    .addColumn('tester_party_id', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('standard', 'text')
    .addColumn('rated_energy_kwh', num)
    .addColumn('measured_energy_kwh', num)
    .addColumn('rated_capacity_ah', num)
    .addColumn('measured_capacity_ah', num)
    .addColumn('soh_percent', num, (c) => c.notNull())
    .addColumn('internal_resistance_mohm', num)
    .addColumn('resistance_spread_percent', num)
    .addColumn('safety_findings', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('battery_soh_tests_battery_idx')
    .on('battery_soh_tests')
    .columns(['battery_code', 'tested_at'])
    .execute();

  await db.schema
    .createTable('battery_grades')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('battery_code', 'text', (c) => c.notNull().references('assets.id'))
    .addColumn('event_id', 'text', (c) => c.notNull())
    // A test recorded here, or the ledger event id of one appended directly.
    .addColumn('test_id', 'text', (c) => c.notNull())
    .addColumn('graded_at', 'text', (c) => c.notNull())
    .addColumn('grader_party_id', 'text', (c) => c.notNull())
    .addColumn('grade', 'text', (c) => c.notNull())
    .addColumn('route', 'text', (c) => c.notNull())
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('rules_version', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('evaluation', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('battery_grades_battery_idx')
    .on('battery_grades')
    .columns(['battery_code', 'graded_at'])
    .execute();

  await db.schema
    .createTable('cascade_products')
    .addColumn('code', 'text', (c) => c.primaryKey().references('assets.id'))
    .addColumn('operator_party_id', 'text', (c) => c.notNull())
    .addColumn('application', 'text', (c) => c.notNull())
    .addColumn('repurposed_at', 'text', (c) => c.notNull())
    .addColumn('rated_energy_kwh', num, (c) => c.notNull())
    .addColumn('mass_kg', num, (c) => c.notNull())
    .addColumn('chemistry', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .execute();
  // The primary key on source_code is the rule: an original pack or module goes into one product only.
  await db.schema
    .createTable('cascade_product_sources')
    .addColumn('source_code', 'text', (c) => c.primaryKey().references('assets.id'))
    .addColumn('product_code', 'text', (c) => c.notNull().references('cascade_products.code'))
    .addColumn('source_kind', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('cascade_product_sources_product_idx')
    .on('cascade_product_sources')
    .column('product_code')
    .execute();

  await db.schema
    .createTable('battery_deployments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('battery_code', 'text', (c) => c.notNull().references('assets.id'))
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('operator_party_id', 'text', (c) => c.notNull())
    .addColumn('application', 'text', (c) => c.notNull())
    .addColumn('commissioned_at', 'text', (c) => c.notNull())
    .addColumn('usable_energy_kwh', num)
    .execute();
  await db.schema
    .createIndex('battery_deployments_battery_idx')
    .on('battery_deployments')
    .column('battery_code')
    .execute();

  await db.schema
    .createTable('battery_health_readings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('battery_code', 'text', (c) => c.notNull().references('assets.id'))
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('measured_at', 'text', (c) => c.notNull())
    .addColumn('soh_percent', num, (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('battery_health_readings_battery_idx')
    .on('battery_health_readings')
    .columns(['battery_code', 'measured_at'])
    .execute();

  await db.schema
    .createTable('battery_retirements')
    .addColumn('battery_code', 'text', (c) => c.primaryKey().references('assets.id'))
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('retired_at', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('soh_percent', num)
    .execute();

  await db.schema
    .createTable('battery_handovers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('battery_code', 'text', (c) => c.notNull().references('assets.id'))
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('from_party_id', 'text', (c) => c.notNull())
    .addColumn('to_party_id', 'text', (c) => c.notNull())
    .addColumn('handed_over_at', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('battery_handovers_battery_idx')
    .on('battery_handovers')
    .column('battery_code')
    .execute();

  await db.schema
    .createTable('battery_recycling')
    .addColumn('battery_code', 'text', (c) => c.primaryKey().references('assets.id'))
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('recycler_party_id', 'text', (c) => c.notNull())
    .addColumn('recycled_at', 'text', (c) => c.notNull())
    .addColumn('process', 'text', (c) => c.notNull())
    .addColumn('input_mass_kg', num, (c) => c.notNull())
    .addColumn('batch_id', 'text')
    .execute();
  await db.schema
    .createIndex('battery_recycling_batch_idx')
    .on('battery_recycling')
    .column('batch_id')
    .execute();

  await db.schema
    .createTable('recovered_lots')
    .addColumn('lot_id', 'text', (c) => c.primaryKey().references('assets.id'))
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('material', 'text', (c) => c.notNull())
    .addColumn('form', 'text', (c) => c.notNull())
    .addColumn('mass_kg', num, (c) => c.notNull())
    .addColumn('element_mass_kg', num)
    .addColumn('process', 'text', (c) => c.notNull())
    .addColumn('recycler_party_id', 'text', (c) => c.notNull())
    .addColumn('recovered_at', 'text', (c) => c.notNull())
    .addColumn('input_lot_ids', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('recovered_lot_sources')
    .addColumn('lot_id', 'text', (c) => c.notNull().references('recovered_lots.lot_id'))
    .addColumn('battery_code', 'text', (c) => c.notNull().references('assets.id'))
    .addColumn('attributed_kg', num)
    .addColumn('attributed_mass_kg', num, (c) => c.notNull())
    .addPrimaryKeyConstraint('recovered_lot_sources_pk', ['lot_id', 'battery_code'])
    .execute();
  await db.schema
    .createIndex('recovered_lot_sources_battery_idx')
    .on('recovered_lot_sources')
    .column('battery_code')
    .execute();

  await db.schema
    .createTable('battery_recycled_inputs')
    .addColumn('battery_code', 'text', (c) => c.notNull().references('assets.id'))
    .addColumn('lot_id', 'text', (c) => c.notNull().references('recovered_lots.lot_id'))
    .addColumn('material', 'text', (c) => c.notNull())
    .addColumn('mass_kg', num, (c) => c.notNull())
    .addColumn('element_mass_kg', num)
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('battery_recycled_inputs_pk', ['battery_code', 'lot_id'])
    .execute();
  await db.schema
    .createIndex('battery_recycled_inputs_lot_idx')
    .on('battery_recycled_inputs')
    .column('lot_id')
    .execute();

  // passports module
  await db.schema
    .createTable('battery_passports')
    .addColumn('battery_code', 'text', (c) => c.primaryKey().references('assets.id'))
    .addColumn('passport_id', 'text', (c) => c.notNull().unique())
    .addColumn('issued_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('passport_declarations')
    .addColumn('battery_code', 'text', (c) => c.primaryKey().references('assets.id'))
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('declared_at', 'text', (c) => c.notNull())
    .addColumn('declared_by', 'text', (c) => c.notNull())
    .execute();
  // One row per (ledger event, duty): a hand-over from a dismantler to a recycler is both the
  // dismantler's outbound report (Art. 13) and the recycler's intake report (Art. 15).
  await db.schema
    .createTable('traceability_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('party_id', 'text', (c) => c.notNull())
    .addColumn('battery_code', 'text')
    .addColumn('vin', 'text')
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('deadline', 'text', (c) => c.notNull())
    .addColumn('working_days', 'integer', (c) => c.notNull())
    .addColumn('article', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('traceability_events_time_idx')
    .on('traceability_events')
    .columns(['occurred_at', 'id'])
    .execute();
  await db.schema
    .createIndex('traceability_events_event_idx')
    .on('traceability_events')
    .column('event_id')
    .execute();
  await db.schema
    .createIndex('traceability_events_battery_idx')
    .on('traceability_events')
    .column('battery_code')
    .execute();
  await db.schema
    .createTable('traceability_submissions')
    .addColumn('id', 'text', (c) => c.primaryKey().references('traceability_events.id'))
    .addColumn('reported_at', 'text', (c) => c.notNull())
    .addColumn('reported_by', 'text', (c) => c.notNull())
    .addColumn('reference', 'text')
    .execute();
  await db.schema
    .createTable('traceability_cursor')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('next_seq', 'bigint', (c) => c.notNull())
    .execute();
}
