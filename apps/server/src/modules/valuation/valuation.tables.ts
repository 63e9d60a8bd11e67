/** Tables owned by the valuation module (merged into the Kysely Database type in db/schema.ts). */
export type ValuationTables = Record<never, never>;
