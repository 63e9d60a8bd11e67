/** Table types for Kysely. Column names are snake_case; repositories map rows to domain objects. */
export interface PartiesTable {
  id: string;
  name: string;
  created_at: string;
}
export interface PartyRolesTable {
  party_id: string;
  role: string;
}
export interface PartyKeysTable {
  key_id: string;
  party_id: string;
  algorithm: string;
  public_key: string;
  created_at: string;
  revoked_at: string | null;
}
export interface ApiTokensTable {
  id: string;
  party_id: string;
  token_hash: string;
  label: string | null;
  created_at: string;
  revoked_at: string | null;
}
export interface AssetsTable {
  id: string;
  kind: string;
  state: string;
  registered_by: string | null;
  created_at: string;
  updated_at: string;
}
export interface VehiclesTable {
  asset_id: string;
  make: string;
  model: string;
  trim: string | null;
  model_year: number | null;
  powertrain: string;
  new_price_minor: number | null;
  currency: string | null;
}
export interface BatteriesTable {
  asset_id: string;
  product_type: string;
  chemistry: string | null;
  rated_capacity_kwh: number | null;
  mass_kg: number | null;
  original_code: string | null;
}
export interface PartsTable {
  asset_id: string;
  part_number: string;
  serial: string | null;
  name: string | null;
  five_assembly: number;
  assembly_type: string | null;
  mass_kg: number | null;
}
export interface MaterialLotsTable {
  asset_id: string;
  material: string;
  mass_kg: number;
}
export interface CompositionLinksTable {
  id: string;
  parent_id: string;
  child_id: string;
  valid_from: string;
  valid_to: string | null;
}

export interface Database {
  parties: PartiesTable;
  party_roles: PartyRolesTable;
  party_keys: PartyKeysTable;
  api_tokens: ApiTokensTable;
  assets: AssetsTable;
  vehicles: VehiclesTable;
  batteries: BatteriesTable;
  parts: PartsTable;
  material_lots: MaterialLotsTable;
  composition_links: CompositionLinksTable;
}
