/**
 * Tables owned by the remarketing module (merged into the Kysely Database type in db/schema.ts).
 * Times are ISO 8601 UTC text, booleans 0/1, money integer minor units next to a currency, JSON text.
 */

/** One stay of a car in used-car stock (a car that comes back later gets a new row). */
export interface RemarketingStockTable {
  id: string;
  vin: string;
  /** in_stock | listed | sold | wholesaled | dismantle (reserved is an active reservation on top). */
  status: string;
  source: string;
  stocked_at: string;
  dealer_party_id: string;
  location_id: string | null;
  contract_id: string | null;
  acquisition_cost_minor: number | null;
  currency: string | null;
  documents: string;
  keys: number;
  disclosed_accident: number;
  disclosed_flood: number;
  disclosed_fire: number;
  disclosed_at: string | null;
  disclosure_note: string | null;
  intake_event_id: string;
  closed_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface RemarketingAppraisalsTable {
  id: string;
  stock_id: string;
  vin: string;
  appraised_at: string;
  appraiser_party_id: string;
  odometer_km: number;
  score: number;
  grade: number;
  accident: number;
  flood: number;
  fire: number;
  /** The inspection as submitted (valuation module's GB/T 30323 input), when there was one. */
  inspection: string | null;
  /** The valuation module's GB/T 30323 result (categories, findings, flags, trail). */
  appraisal: string;
  battery: string | null;
  valuation_id: string | null;
  retail_minor: number;
  currency: string;
  value_source: string;
  event_id: string;
  created_at: string;
}

export interface RemarketingWorkOrdersTable {
  id: string;
  stock_id: string;
  vin: string;
  status: string;
  source: string;
  items: string;
  cost_minor: number;
  currency: string;
  days: number;
  points: number;
  opened_at: string;
  opened_by: string;
  completed_at: string | null;
  actual_cost_minor: number | null;
  event_id: string | null;
  note: string | null;
}

export interface RemarketingPricesTable {
  id: string;
  stock_id: string;
  vin: string;
  priced_at: string;
  retail_minor: number;
  wholesale_minor: number;
  asking_minor: number;
  currency: string;
  days_in_stock: number;
  /** The GB/T 30323 condition the retail value stands for (after completed reconditioning). */
  condition_score: number | null;
  condition_grade: number | null;
  ageing: string;
  valuation_id: string | null;
  source: string;
}

export interface RemarketingListingsTable {
  id: string;
  stock_id: string;
  vin: string;
  channel: string;
  price_minor: number;
  currency: string;
  listed_at: string;
  listed_event_id: string;
  delisted_at: string | null;
  delist_reason: string | null;
  delisted_event_id: string | null;
}

export interface RemarketingReservationsTable {
  id: string;
  stock_id: string;
  vin: string;
  holder_party_id: string;
  reserved_at: string;
  until: string;
  deposit_minor: number | null;
  currency: string | null;
  event_id: string;
  released_at: string | null;
  release_reason: string | null;
  release_event_id: string | null;
}

/**
 * Realised sales. The vehicle columns follow the valuation module's transaction interchange format
 * (make, model, year, mileage_km, fuel, … price, currency, sold_at) so the rows can be exported and fed
 * to `carloop valuation fit` as training data.
 */
export interface RemarketingSalesTable {
  id: string;
  stock_id: string;
  vin: string;
  channel: string;
  trade_channel: string | null;
  price_minor: number;
  currency: string;
  sold_at: string;
  buyer_party_id: string;
  reservation_id: string | null;
  event_id: string;
  make: string;
  model: string;
  year: number | null;
  mileage_km: number | null;
  fuel: string | null;
  trim: string | null;
  condition_score: number | null;
  accident: number | null;
  soh: number | null;
  country: string | null;
  new_price_minor: number | null;
}

export interface RemarketingDecisionsTable {
  id: string;
  stock_id: string;
  vin: string;
  decided_at: string;
  decided_by: string;
  recommended: string;
  route: string | null;
  committed: number;
  currency: string;
  expected_net_minor: number;
  routes: string;
  reasons: string;
  facts: string;
  tables_version: string;
  event_id: string | null;
}

export interface RemarketingTables {
  remarketing_stock: RemarketingStockTable;
  remarketing_appraisals: RemarketingAppraisalsTable;
  remarketing_work_orders: RemarketingWorkOrdersTable;
  remarketing_prices: RemarketingPricesTable;
  remarketing_listings: RemarketingListingsTable;
  remarketing_reservations: RemarketingReservationsTable;
  remarketing_sales: RemarketingSalesTable;
  remarketing_decisions: RemarketingDecisionsTable;
}
