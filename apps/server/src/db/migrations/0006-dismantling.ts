import type { Kysely } from 'kysely';
import type { DialectName } from '../database.ts';

// Dismantling: ELV intake, certificates, pre-treatment, harvested parts, reusable-part stock, battery
// hand-over and weighed materials. Times are ISO strings, booleans 0/1, money integer minor units.
export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  // PostgreSQL `real` is 4-byte; masses need double precision there.
  const decimal = dialect === 'postgres' ? 'double precision' : 'real';

  await db.schema
    .createTable('dismantling_facilities')
    .addColumn('party_id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('address', 'text')
    .addColumn('permit_number', 'text')
    .addColumn('authority_name', 'text')
    .addColumn('authority_address', 'text')
    .addColumn('country', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('elv_intakes')
    .addColumn('vin', 'text', (c) => c.primaryKey())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('dismantler_party_id', 'text', (c) => c.notNull())
    .addColumn('site_id', 'text')
    .addColumn('mass_kg', decimal, (c) => c.notNull())
    .addColumn('vehicle_class', 'text', (c) => c.notNull())
    .addColumn('make', 'text', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('model_year', 'integer')
    .addColumn('powertrain', 'text', (c) => c.notNull())
    .addColumn('engine_number', 'text')
    .addColumn('pack_code', 'text')
    .addColumn('first_registered_on', 'text')
    .addColumn('missing_items', 'text', (c) => c.notNull())
    .addColumn('documents', 'text', (c) => c.notNull())
    .addColumn('photos', 'text', (c) => c.notNull())
    .addColumn('enrolled', 'integer', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('elv_intakes_received_idx').on('elv_intakes').column('received_at').execute();

  await db.schema
    .createTable('elv_owners')
    .addColumn('vin', 'text', (c) => c.primaryKey().references('elv_intakes.vin'))
    .addColumn('holder_name', 'text')
    .addColumn('id_type', 'text')
    .addColumn('id_number', 'text')
    .addColumn('holder_address', 'text')
    .addColumn('nationality', 'text')
    .addColumn('plate_number', 'text')
    .addColumn('registration_country', 'text')
    .addColumn('erased_at', 'text')
    .addColumn('erasure_reason', 'text')
    .execute();

  await db.schema
    .createTable('elv_refusals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('vin', 'text', (c) => c.notNull())
    .addColumn('refused_at', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('reasons', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('elv_refusals_at_idx').on('elv_refusals').column('refused_at').execute();

  // One certificate per vehicle (the primary key) and per number: a second one is refused.
  await db.schema
    .createTable('elv_certificates')
    .addColumn('vin', 'text', (c) => c.primaryKey().references('elv_intakes.vin'))
    .addColumn('certificate_number', 'text', (c) => c.notNull())
    .addColumn('issued_at', 'text', (c) => c.notNull())
    .addColumn('issuer_party_id', 'text', (c) => c.notNull())
    .addColumn('scheme', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('elv_certificates_number_uq')
    .on('elv_certificates')
    .column('certificate_number')
    .unique()
    .execute();
  await db.schema
    .createIndex('elv_certificates_issued_idx')
    .on('elv_certificates')
    .column('issued_at')
    .execute();

  await db.schema
    .createTable('elv_deregistrations')
    .addColumn('vin', 'text', (c) => c.primaryKey().references('elv_intakes.vin'))
    .addColumn('deregistered_at', 'text', (c) => c.notNull())
    .addColumn('authority_party_id', 'text', (c) => c.notNull())
    .addColumn('reference', 'text')
    .addColumn('event_id', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('elv_pretreatments')
    .addColumn('vin', 'text', (c) => c.primaryKey().references('elv_intakes.vin'))
    .addColumn('completed_at', 'text', (c) => c.notNull())
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('checklist', 'text', (c) => c.notNull())
    .addColumn('pack_code', 'text')
    .addColumn('battery_mass_kg', decimal)
    .addColumn('event_id', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('elv_dismantlings')
    .addColumn('vin', 'text', (c) => c.primaryKey().references('elv_intakes.vin'))
    .addColumn('dismantled_at', 'text', (c) => c.notNull())
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('supervision', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('elv_dismantlings_at_idx')
    .on('elv_dismantlings')
    .column('dismantled_at')
    .execute();

  await db.schema
    .createTable('elv_parts')
    .addColumn('part_id', 'text', (c) => c.primaryKey())
    .addColumn('vin', 'text', (c) => c.notNull().references('elv_intakes.vin'))
    .addColumn('part_class', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('part_number', 'text')
    .addColumn('name', 'text')
    .addColumn('condition', 'text', (c) => c.notNull())
    .addColumn('value_minor', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('mass_kg', decimal)
    .addColumn('location_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('destination', 'text')
    .addColumn('receiver_party_id', 'text')
    .addColumn('scrap_route', 'text')
    .addColumn('harvested_at', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('elv_parts_vin_idx').on('elv_parts').column('vin').execute();
  await db.schema
    .createIndex('elv_parts_number_idx')
    .on('elv_parts')
    .columns(['part_number', 'status'])
    .execute();

  await db.schema
    .createTable('elv_part_models')
    .addColumn('part_id', 'text', (c) => c.notNull().references('elv_parts.part_id'))
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('model_key', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('elv_part_models_pk', ['part_id', 'model_key'])
    .execute();
  await db.schema.createIndex('elv_part_models_key_idx').on('elv_part_models').column('model_key').execute();

  await db.schema
    .createTable('elv_reservations')
    .addColumn('part_id', 'text', (c) => c.primaryKey().references('elv_parts.part_id'))
    .addColumn('party_id', 'text', (c) => c.notNull())
    .addColumn('reserved_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('elv_part_sales')
    .addColumn('part_id', 'text', (c) => c.primaryKey().references('elv_parts.part_id'))
    .addColumn('vin', 'text', (c) => c.notNull())
    .addColumn('sold_at', 'text', (c) => c.notNull())
    .addColumn('buyer_party_id', 'text', (c) => c.notNull())
    .addColumn('price_minor', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('destination', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('elv_part_sales_at_idx').on('elv_part_sales').column('sold_at').execute();

  await db.schema
    .createTable('elv_batteries')
    .addColumn('pack_code', 'text', (c) => c.primaryKey())
    .addColumn('vin', 'text', (c) => c.notNull().references('elv_intakes.vin'))
    .addColumn('chemistry', 'text')
    .addColumn('mass_kg', decimal)
    .addColumn('removed_at', 'text', (c) => c.notNull())
    .addColumn('outbound_deadline', 'text', (c) => c.notNull())
    .addColumn('handed_over_at', 'text')
    .addColumn('receiver_party_id', 'text')
    .addColumn('receiver_name', 'text')
    .addColumn('receiver_code', 'text')
    .addColumn('purpose', 'text')
    .addColumn('removal_event_id', 'text', (c) => c.notNull())
    .addColumn('outbound_event_id', 'text')
    .execute();

  await db.schema
    .createTable('elv_material_outputs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('lot_id', 'text', (c) => c.notNull())
    .addColumn('vin', 'text', (c) => c.notNull().references('elv_intakes.vin'))
    .addColumn('batch_id', 'text')
    .addColumn('weighed_at', 'text', (c) => c.notNull())
    .addColumn('material', 'text', (c) => c.notNull())
    .addColumn('treatment', 'text', (c) => c.notNull())
    .addColumn('mass_kg', decimal, (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('elv_material_outputs_vin_idx')
    .on('elv_material_outputs')
    .column('vin')
    .execute();
}
