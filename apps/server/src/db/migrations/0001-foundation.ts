import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../database.ts';

// Times are ISO 8601 UTC strings (Date#toISOString) on both dialects: portable, sortable as text.
// Booleans are 0/1 integers so one repository code path serves SQLite and PostgreSQL.
export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  await db.schema
    .createTable('parties')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('parties_name_uq').on('parties').column('name').unique().execute();

  await db.schema
    .createTable('party_roles')
    .addColumn('party_id', 'text', (c) => c.notNull().references('parties.id'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('party_roles_pk', ['party_id', 'role'])
    .execute();

  await db.schema
    .createTable('party_keys')
    .addColumn('key_id', 'text', (c) => c.primaryKey())
    .addColumn('party_id', 'text', (c) => c.notNull().references('parties.id'))
    .addColumn('algorithm', 'text', (c) => c.notNull())
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema.createIndex('party_keys_party_idx').on('party_keys').column('party_id').execute();

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('party_id', 'text', (c) => c.notNull().references('parties.id'))
    .addColumn('token_hash', 'text', (c) => c.notNull())
    .addColumn('label', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema.createIndex('api_tokens_hash_uq').on('api_tokens').column('token_hash').unique().execute();

  await db.schema
    .createTable('assets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('registered_by', 'text', (c) => c.references('parties.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('assets_kind_state_idx')
    .on('assets')
    .columns(['kind', 'state', 'id'])
    .execute();

  await db.schema
    .createTable('vehicles')
    .addColumn('asset_id', 'text', (c) => c.primaryKey().references('assets.id'))
    .addColumn('make', 'text', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('trim', 'text')
    .addColumn('model_year', 'integer')
    .addColumn('powertrain', 'text', (c) => c.notNull())
    .addColumn('new_price_minor', 'bigint')
    .addColumn('currency', 'text')
    .execute();

  await db.schema
    .createTable('batteries')
    .addColumn('asset_id', 'text', (c) => c.primaryKey().references('assets.id'))
    .addColumn('product_type', 'text', (c) => c.notNull())
    .addColumn('chemistry', 'text')
    .addColumn('rated_capacity_kwh', 'real')
    .addColumn('mass_kg', 'real')
    .addColumn('original_code', 'text')
    .execute();

  await db.schema
    .createTable('parts')
    .addColumn('asset_id', 'text', (c) => c.primaryKey().references('assets.id'))
    .addColumn('part_number', 'text', (c) => c.notNull())
    .addColumn('serial', 'text')
    .addColumn('name', 'text')
    .addColumn('five_assembly', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('assembly_type', 'text')
    .addColumn('mass_kg', 'real')
    .execute();

  await db.schema
    .createTable('material_lots')
    .addColumn('asset_id', 'text', (c) => c.primaryKey().references('assets.id'))
    .addColumn('material', 'text', (c) => c.notNull())
    .addColumn('mass_kg', 'real', (c) => c.notNull())
    .execute();

  // Composition graph with validity intervals: child ∈ parent during [valid_from, valid_to).
  await db.schema
    .createTable('composition_links')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('parent_id', 'text', (c) => c.notNull().references('assets.id'))
    .addColumn('child_id', 'text', (c) => c.notNull().references('assets.id'))
    .addColumn('valid_from', 'text', (c) => c.notNull())
    .addColumn('valid_to', 'text')
    .execute();
  await db.schema
    .createIndex('composition_child_idx')
    .on('composition_links')
    .columns(['child_id', 'valid_from'])
    .execute();
  await db.schema
    .createIndex('composition_parent_idx')
    .on('composition_links')
    .columns(['parent_id', 'valid_from'])
    .execute();
  // A part sits in at most one parent at a time: at most one open link per child, enforced by the database.
  await sql`CREATE UNIQUE INDEX composition_open_child_uq ON composition_links (child_id) WHERE valid_to IS NULL`.execute(
    db,
  );
}
