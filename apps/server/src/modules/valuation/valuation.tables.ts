/** Tables owned by the valuation module (merged into the Kysely Database type in db/schema.ts). */

/** The model registry: every fitted model artefact, at most one active per currency. */
export interface ValuationModelsTable {
  model_version: string;
  created_at: string;
  registered_at: string;
  registered_by: string | null;
  currency: string;
  active: number;
  rows_used: number;
  summary: string;
  metrics: string;
  artefact: string;
}

/** Every appraisal, valuation, forecast and re-mark: inputs, model version and result. */
export interface ValuationsTable {
  id: string;
  kind: string;
  vehicle_id: string | null;
  model_version: string | null;
  currency: string | null;
  p10_minor: number | null;
  p50_minor: number | null;
  p90_minor: number | null;
  inputs: string;
  result: string;
  created_at: string;
  created_by: string;
}

/** The comparable-sales pool of the 现行市价法, loaded with a model's training transactions. */
export interface ValuationTransactionsTable {
  source: string;
  line: number;
  make_key: string;
  model_key: string;
  make: string;
  model: string;
  year: number;
  mileage_km: number;
  fuel: string | null;
  transmission: string | null;
  engine_l: number | null;
  price_minor: number;
  currency: string;
  sold_at: string;
}

export interface ValuationTables {
  valuation_models: ValuationModelsTable;
  valuations: ValuationsTable;
  valuation_transactions: ValuationTransactionsTable;
}
