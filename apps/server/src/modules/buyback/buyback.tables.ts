/**
 * Tables owned by the buyback module (merged into the Kysely Database type in db/schema.ts).
 * Money is integer minor units next to a currency; times are ISO 8601 UTC text; JSON documents
 * (trails, statements, tiers) are text.
 */
export interface BuybackQuotesTable {
  id: string;
  product_id: string;
  product_version: string;
  quoted_at: string;
  valid_until: string;
  quoted_by: string;
  make: string;
  model: string;
  powertrain: string;
  currency: string;
  new_price_minor: number;
  term_months: number;
  allowance_km: number;
  term_end_at: string;
  p10_minor: number;
  p50_minor: number;
  p90_minor: number;
  gfv_minor: number;
  expected_cost_minor: number;
  model_version: string | null;
  /** The whole quote (vehicle, product figures, tiers, ownership view, trail) as JSON. */
  body: string;
}

export interface BuybackContractsTable {
  id: string;
  quote_id: string;
  vin: string;
  status: string;
  product_id: string;
  product_version: string;
  make: string;
  model: string;
  powertrain: string;
  currency: string;
  gfv_minor: number;
  new_price_minor: number;
  sale_price_minor: number;
  term_months: number;
  allowance_km: number;
  odometer_at_sale_km: number;
  sold_at: string;
  term_end_at: string;
  window_opens_at: string;
  window_closes_at: string;
  /** The contract's fixed terms (tiers, return-conditions version, vehicle spec, parties) as JSON. */
  terms: string;
  sale_event_id: string | null;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  close_reason: string | null;
}

export interface BuybackContractTransitionsTable {
  id: string;
  contract_id: string;
  at: string;
  from_state: string | null;
  to_state: string;
  event_id: string | null;
  reason: string | null;
}

export interface BuybackSettlementsTable {
  contract_id: string;
  settled_at: string;
  option: string;
  odometer_km: number;
  excess_km: number;
  currency: string;
  gfv_minor: number;
  excess_charge_minor: number;
  damage_minor: number;
  missing_minor: number;
  total_minor: number;
  paid_minor: number;
  /** The statement document as JSON (the PDF is rendered from it). */
  statement: string;
}

export interface BuybackRemarksTable {
  id: string;
  marked_at: string;
  as_of: string;
  marked_by: string;
  contracts: number;
  refused: number;
  /** Totals per currency and any refusals, as JSON. */
  summary: string;
}

export interface BuybackMarksTable {
  remark_id: string;
  contract_id: string;
  marked_at: string;
  currency: string;
  p10_minor: number;
  p50_minor: number;
  p90_minor: number;
  expected_loss_minor: number;
  model_version: string | null;
}

export interface BuybackTables {
  buyback_quotes: BuybackQuotesTable;
  buyback_contracts: BuybackContractsTable;
  buyback_contract_transitions: BuybackContractTransitionsTable;
  buyback_settlements: BuybackSettlementsTable;
  buyback_remarks: BuybackRemarksTable;
  buyback_marks: BuybackMarksTable;
}
