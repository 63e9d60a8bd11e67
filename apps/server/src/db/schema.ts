import type { BatteriesTables } from '../modules/batteries/batteries.tables.ts';
import type { BuybackTables } from '../modules/buyback/buyback.tables.ts';
import type { DismantlingTables } from '../modules/dismantling/dismantling.tables.ts';
import type { RemarketingTables } from '../modules/remarketing/remarketing.tables.ts';
import type { ValuationTables } from '../modules/valuation/valuation.tables.ts';

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

export interface LogEntriesTable {
  seq: number;
  event_id: string;
  type: string;
  subject_kind: string;
  subject_id: string;
  subject_seq: number;
  occurred_at: string;
  recorded_at: string;
  submitter_party: string;
  submitter_key: string;
  entry: string;
  leaf_hash: Uint8Array;
}
export interface LogHashesTable {
  idx: number;
  hash: Uint8Array;
}
export interface LogCheckpointsTable {
  size: number;
  root_hash: Uint8Array;
  note: string;
  created_at: string;
}
export interface EventPayloadsTable {
  event_id: string;
  payload: string | null;
  salt: Uint8Array | null;
  erased_at: string | null;
  erasure_reason: string | null;
}
export interface SubjectHeadsTable {
  subject_id: string;
  subject_kind: string;
  event_count: number;
  last_leaf_hash: Uint8Array;
  last_odometer_km: number | null;
}
export interface EventFlagsTable {
  event_id: string;
  subject_id: string;
  code: string;
  message: string;
}
export interface LogSettingsTable {
  name: string;
  value: string;
}

export interface Database
  extends ValuationTables,
    BuybackTables,
    RemarketingTables,
    DismantlingTables,
    BatteriesTables {
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
  log_entries: LogEntriesTable;
  log_hashes: LogHashesTable;
  log_checkpoints: LogCheckpointsTable;
  event_payloads: EventPayloadsTable;
  subject_heads: SubjectHeadsTable;
  event_flags: EventFlagsTable;
  log_settings: LogSettingsTable;
}
