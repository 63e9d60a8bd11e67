/**
 * Tables owned by the dismantling module (merged into the Kysely Database type in db/schema.ts).
 * Times are ISO 8601 UTC strings, booleans 0/1, money integer minor units with a currency, masses kg.
 * Personal data (the owner's identity, the plate) lives only in `elv_owners`, never in the log, and
 * is erased by nulling its columns.
 */
export interface DismantlingFacilitiesTable {
  party_id: string;
  name: string;
  address: string | null;
  permit_number: string | null;
  authority_name: string | null;
  authority_address: string | null;
  country: string;
  updated_at: string;
}
export interface ElvIntakesTable {
  vin: string;
  received_at: string;
  dismantler_party_id: string;
  site_id: string | null;
  mass_kg: number;
  vehicle_class: string;
  make: string;
  model: string;
  model_year: number | null;
  powertrain: string;
  engine_number: string | null;
  pack_code: string | null;
  first_registered_on: string | null;
  /** JSON arrays / objects as text: missing items, documents taken back, photo references. */
  missing_items: string;
  documents: string;
  photos: string;
  /** 1 when the platform had no history and the intake enrolled the vehicle. */
  enrolled: number;
  event_id: string;
  created_at: string;
}
export interface ElvOwnersTable {
  vin: string;
  holder_name: string | null;
  id_type: string | null;
  id_number: string | null;
  holder_address: string | null;
  nationality: string | null;
  plate_number: string | null;
  registration_country: string | null;
  erased_at: string | null;
  erasure_reason: string | null;
}
export interface ElvRefusalsTable {
  id: string;
  vin: string;
  refused_at: string;
  requested_by: string;
  reasons: string;
}
export interface ElvCertificatesTable {
  vin: string;
  certificate_number: string;
  issued_at: string;
  issuer_party_id: string;
  scheme: string;
  year: number;
  event_id: string;
}
export interface ElvDeregistrationsTable {
  vin: string;
  deregistered_at: string;
  authority_party_id: string;
  reference: string | null;
  event_id: string;
}
export interface ElvPretreatmentsTable {
  vin: string;
  completed_at: string;
  site_id: string;
  checklist: string;
  pack_code: string | null;
  battery_mass_kg: number | null;
  event_id: string;
}
export interface ElvDismantlingsTable {
  vin: string;
  dismantled_at: string;
  site_id: string;
  supervision: string;
  event_id: string;
}
export interface ElvPartsTable {
  part_id: string;
  vin: string;
  /** 'reusable' (回用件) or 'assembly' (五大总成). */
  part_class: string;
  category: string;
  part_number: string | null;
  name: string | null;
  condition: string;
  value_minor: number;
  currency: string;
  mass_kg: number | null;
  location_id: string | null;
  /** reusable: in_stock | sold; assembly: remanufacturing | scrapped. */
  status: string;
  destination: string | null;
  receiver_party_id: string | null;
  scrap_route: string | null;
  harvested_at: string;
  event_id: string;
}
export interface ElvPartModelsTable {
  part_id: string;
  model: string;
  /** Upper-case copy for case-insensitive search on both dialects. */
  model_key: string;
}
export interface ElvReservationsTable {
  part_id: string;
  party_id: string;
  reserved_at: string;
  expires_at: string;
}
export interface ElvPartSalesTable {
  part_id: string;
  vin: string;
  sold_at: string;
  buyer_party_id: string;
  price_minor: number;
  currency: string;
  destination: string;
  event_id: string;
}
export interface ElvBatteriesTable {
  pack_code: string;
  vin: string;
  chemistry: string | null;
  mass_kg: number | null;
  removed_at: string;
  outbound_deadline: string;
  handed_over_at: string | null;
  receiver_party_id: string | null;
  receiver_name: string | null;
  receiver_code: string | null;
  purpose: string | null;
  removal_event_id: string;
  outbound_event_id: string | null;
}
export interface ElvMaterialOutputsTable {
  id: string;
  lot_id: string;
  vin: string;
  batch_id: string | null;
  weighed_at: string;
  material: string;
  treatment: string;
  mass_kg: number;
  event_id: string;
}

export interface DismantlingTables {
  dismantling_facilities: DismantlingFacilitiesTable;
  elv_intakes: ElvIntakesTable;
  elv_owners: ElvOwnersTable;
  elv_refusals: ElvRefusalsTable;
  elv_certificates: ElvCertificatesTable;
  elv_deregistrations: ElvDeregistrationsTable;
  elv_pretreatments: ElvPretreatmentsTable;
  elv_dismantlings: ElvDismantlingsTable;
  elv_parts: ElvPartsTable;
  elv_part_models: ElvPartModelsTable;
  elv_reservations: ElvReservationsTable;
  elv_part_sales: ElvPartSalesTable;
  elv_batteries: ElvBatteriesTable;
  elv_material_outputs: ElvMaterialOutputsTable;
}
