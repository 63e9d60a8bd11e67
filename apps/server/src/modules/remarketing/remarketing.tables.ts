/** Tables owned by the remarketing module (merged into the Kysely Database type in db/schema.ts). */
export type RemarketingTables = Record<never, never>;
