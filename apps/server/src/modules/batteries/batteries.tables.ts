/** Tables owned by the batteries module (merged into the Kysely Database type in db/schema.ts). */
export type BatteriesTables = Record<never, never>;
