/**
 * Tables owned by the batteries module and the passports module (merged into the Kysely Database
 * type in db/schema.ts). Projections of lifecycle events: each row names the ledger event it came
 * from. Times are ISO 8601 UTC strings; lists are JSON text; masses kg, energies kWh.
 */
export interface BatterySohTestsTable {
  id: string;
  battery_code: string;
  event_id: string;
  tested_at: string;
  tester_party_id: string;
  method: string;
  standard: string | null;
  rated_energy_kwh: number | null;
  measured_energy_kwh: number | null;
  rated_capacity_ah: number | null;
  measured_capacity_ah: number | null;
  soh_percent: number;
  internal_resistance_mohm: number | null;
  resistance_spread_percent: number | null;
  /** JSON array of safety findings. */
  safety_findings: string;
  created_at: string;
}

export interface BatteryGradesTable {
  id: string;
  battery_code: string;
  event_id: string;
  test_id: string;
  graded_at: string;
  grader_party_id: string;
  grade: string;
  route: string;
  rule_id: string;
  rules_version: string;
  reason: string;
  /** JSON: every rule checked, with each condition's outcome. */
  evaluation: string;
  created_at: string;
}

export interface CascadeProductsTable {
  code: string;
  operator_party_id: string;
  application: string;
  repurposed_at: string;
  rated_energy_kwh: number;
  mass_kg: number;
  chemistry: string;
  event_id: string;
}

/** One row per original battery: `source_code` is unique, so a module goes into one product only. */
export interface CascadeProductSourcesTable {
  source_code: string;
  product_code: string;
  source_kind: string;
  event_id: string;
}

export interface BatteryDeploymentsTable {
  id: string;
  battery_code: string;
  event_id: string;
  site_id: string;
  operator_party_id: string;
  application: string;
  commissioned_at: string;
  usable_energy_kwh: number | null;
}

export interface BatteryHealthReadingsTable {
  id: string;
  battery_code: string;
  event_id: string;
  measured_at: string;
  soh_percent: number;
  method: string;
}

export interface BatteryRetirementsTable {
  battery_code: string;
  event_id: string;
  retired_at: string;
  reason: string;
  soh_percent: number | null;
}

export interface BatteryHandoversTable {
  id: string;
  battery_code: string;
  event_id: string;
  from_party_id: string;
  to_party_id: string;
  handed_over_at: string;
  purpose: string;
}

export interface BatteryRecyclingTable {
  battery_code: string;
  event_id: string;
  recycler_party_id: string;
  recycled_at: string;
  process: string;
  input_mass_kg: number;
  batch_id: string | null;
}

export interface RecoveredLotsTable {
  lot_id: string;
  event_id: string;
  material: string;
  form: string;
  mass_kg: number;
  /** Mass of the element (for element lots), else null (black mass, plastics …). */
  element_mass_kg: number | null;
  process: string;
  recycler_party_id: string;
  recovered_at: string;
  /** JSON array of intermediate lots (black mass) it was refined from. */
  input_lot_ids: string;
}

/** Which battery a lot came from, and how much of the lot's element and mass is attributed to it. */
export interface RecoveredLotSourcesTable {
  lot_id: string;
  battery_code: string;
  /** kg of the element (element lots only). */
  attributed_kg: number | null;
  /** kg of the lot itself. */
  attributed_mass_kg: number;
}

/** Recovered lots used in a new battery (Reg. (EU) 2023/1542 Art. 8 recycled content). */
export interface BatteryRecycledInputsTable {
  battery_code: string;
  lot_id: string;
  material: string;
  mass_kg: number;
  element_mass_kg: number | null;
  event_id: string;
}

// ---------------------------------------------------------------- passports module

/** Passport identity per battery: a UUIDv4, rendered as urn:uuid: (Catena-X) and urn:carloop: (Battery Pass). */
export interface BatteryPassportsTable {
  battery_code: string;
  passport_id: string;
  issued_at: string;
}

/** Model data the economic operator declares for the passport (JSON), beyond what the log knows. */
export interface PassportDeclarationsTable {
  battery_code: string;
  data: string;
  declared_at: string;
  declared_by: string;
}

/** Reportable events found in the log, with their deadline (China 2018 traceability rule). */
export interface TraceabilityEventsTable {
  /** `<event id>#<duty>`: one ledger event can carry two parties' duties. */
  id: string;
  event_id: string;
  seq: number;
  event: string;
  party_id: string;
  battery_code: string | null;
  vin: string | null;
  occurred_at: string;
  deadline: string;
  working_days: number;
  article: string;
}

/** When a reportable event was uploaded to the national traceability platform. */
export interface TraceabilitySubmissionsTable {
  /** The traceability_events row reported. */
  id: string;
  reported_at: string;
  reported_by: string;
  reference: string | null;
}

/** How far the traceability projection has read the log. */
export interface TraceabilityCursorTable {
  name: string;
  next_seq: number;
}

export interface BatteriesTables {
  battery_soh_tests: BatterySohTestsTable;
  battery_grades: BatteryGradesTable;
  cascade_products: CascadeProductsTable;
  cascade_product_sources: CascadeProductSourcesTable;
  battery_deployments: BatteryDeploymentsTable;
  battery_health_readings: BatteryHealthReadingsTable;
  battery_retirements: BatteryRetirementsTable;
  battery_handovers: BatteryHandoversTable;
  battery_recycling: BatteryRecyclingTable;
  recovered_lots: RecoveredLotsTable;
  recovered_lot_sources: RecoveredLotSourcesTable;
  battery_recycled_inputs: BatteryRecycledInputsTable;
  battery_passports: BatteryPassportsTable;
  passport_declarations: PassportDeclarationsTable;
  traceability_events: TraceabilityEventsTable;
  traceability_submissions: TraceabilitySubmissionsTable;
  traceability_cursor: TraceabilityCursorTable;
}
