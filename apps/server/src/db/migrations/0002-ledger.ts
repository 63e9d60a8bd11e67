import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../database.ts';

const appendOnlyTables = ['log_entries', 'log_hashes', 'log_checkpoints'] as const;

// The log is append-only, and the database itself says so: UPDATE and DELETE (and TRUNCATE on
// PostgreSQL) on the log tables raise an error whatever code runs them.
async function appendOnlyTriggers(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  if (dialect === 'sqlite') {
    for (const table of appendOnlyTables) {
      for (const op of ['UPDATE', 'DELETE']) {
        await sql
          .raw(
            `CREATE TRIGGER ${table}_no_${op.toLowerCase()} BEFORE ${op} ON ${table} ` +
              `BEGIN SELECT RAISE(ABORT, '${table} is append-only: ${op} refused'); END`,
          )
          .execute(db);
      }
    }
    return;
  }
  await sql
    .raw(
      `CREATE OR REPLACE FUNCTION carloop_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP; END $$`,
    )
    .execute(db);
  for (const table of appendOnlyTables) {
    await sql
      .raw(
        `CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION carloop_refuse_change()`,
      )
      .execute(db);
    await sql
      .raw(
        `CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION carloop_refuse_change()`,
      )
      .execute(db);
  }
}

export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  const bytes = dialect === 'postgres' ? 'bytea' : 'blob';

  // One row per leaf; seq is the Merkle leaf index. `entry` is the canonical JSON envelope (RFC 8785).
  await db.schema
    .createTable('log_entries')
    .addColumn('seq', 'bigint', (c) => c.primaryKey())
    .addColumn('event_id', 'text', (c) => c.notNull().unique())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('subject_kind', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('subject_seq', 'integer', (c) => c.notNull())
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('submitter_party', 'text', (c) => c.notNull())
    .addColumn('submitter_key', 'text', (c) => c.notNull())
    .addColumn('entry', 'text', (c) => c.notNull())
    .addColumn('leaf_hash', bytes, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('log_entries_subject_uq')
    .on('log_entries')
    .columns(['subject_id', 'subject_seq'])
    .unique()
    .execute();

  // Stored hashes of the tree in the sumdb/tlog layout: every complete subtree's hash, by index.
  await db.schema
    .createTable('log_hashes')
    .addColumn('idx', 'bigint', (c) => c.primaryKey())
    .addColumn('hash', bytes, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('log_checkpoints')
    .addColumn('size', 'bigint', (c) => c.primaryKey())
    .addColumn('root_hash', bytes, (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  // Payloads live beside the log, not in it: erasing one (personal-data request) keeps every proof valid.
  await db.schema
    .createTable('event_payloads')
    .addColumn('event_id', 'text', (c) => c.primaryKey())
    .addColumn('payload', 'text')
    .addColumn('salt', bytes)
    .addColumn('erased_at', 'text')
    .addColumn('erasure_reason', 'text')
    .execute();

  // Per-subject head: what the next event of a subject must chain to.
  await db.schema
    .createTable('subject_heads')
    .addColumn('subject_id', 'text', (c) => c.primaryKey())
    .addColumn('subject_kind', 'text', (c) => c.notNull())
    .addColumn('event_count', 'integer', (c) => c.notNull())
    .addColumn('last_leaf_hash', bytes, (c) => c.notNull())
    .addColumn('last_odometer_km', 'real')
    .execute();

  // Flags raised by the rules (e.g. a suspected odometer rollback), shown in the subject's history.
  await db.schema
    .createTable('event_flags')
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('event_flags_pk', ['event_id', 'code'])
    .execute();
  await db.schema.createIndex('event_flags_subject_idx').on('event_flags').column('subject_id').execute();

  // The log's own identity: origin and signing key, made once on first start.
  await db.schema
    .createTable('log_settings')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();

  await appendOnlyTriggers(db, dialect);
}
