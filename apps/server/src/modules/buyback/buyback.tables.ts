/** Tables owned by the buyback module (merged into the Kysely Database type in db/schema.ts). */
export type BuybackTables = Record<never, never>;
