/** Tables owned by the dismantling module (merged into the Kysely Database type in db/schema.ts). */
export type DismantlingTables = Record<never, never>;
