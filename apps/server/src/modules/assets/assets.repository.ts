import type { Executor } from '../../db/transaction.ts';
import type { AssetKind } from './assets.schemas.ts';

export interface AssetRow {
  id: string;
  kind: AssetKind;
  state: string;
  registeredBy: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface VehicleDetails {
  make: string;
  model: string;
  trim: string | null;
  modelYear: number | null;
  powertrain: string;
  newPriceMinor: number | null;
  currency: string | null;
}
export interface BatteryDetails {
  productType: string;
  chemistry: string | null;
  ratedCapacityKwh: number | null;
  massKg: number | null;
  originalCode: string | null;
}
export interface PartDetails {
  partNumber: string;
  serial: string | null;
  name: string | null;
  fiveAssembly: boolean;
  assemblyType: string | null;
  massKg: number | null;
}
export interface MaterialLotDetails {
  material: string;
  massKg: number;
}
export type AssetDetails = VehicleDetails | BatteryDetails | PartDetails | MaterialLotDetails;

export interface LinkRow {
  id: string;
  parentId: string;
  childId: string;
  validFrom: string;
  validTo: string | null;
}

export async function assetExists(db: Executor, ids: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('assets')
      .select('id')
      .where('id', 'in', ids.slice(i, i + 500))
      .execute();
    for (const row of rows) found.add(row.id);
  }
  return found;
}

export async function insertAsset(db: Executor, asset: AssetRow, details: AssetDetails): Promise<void> {
  await db
    .insertInto('assets')
    .values({
      id: asset.id,
      kind: asset.kind,
      state: asset.state,
      registered_by: asset.registeredBy,
      created_at: asset.createdAt,
      updated_at: asset.updatedAt,
    })
    .execute();
  if (asset.kind === 'vehicle') {
    const v = details as VehicleDetails;
    await db
      .insertInto('vehicles')
      .values({
        asset_id: asset.id,
        make: v.make,
        model: v.model,
        trim: v.trim,
        model_year: v.modelYear,
        powertrain: v.powertrain,
        new_price_minor: v.newPriceMinor,
        currency: v.currency,
      })
      .execute();
  } else if (asset.kind === 'part') {
    const p = details as PartDetails;
    await db
      .insertInto('parts')
      .values({
        asset_id: asset.id,
        part_number: p.partNumber,
        serial: p.serial,
        name: p.name,
        five_assembly: p.fiveAssembly ? 1 : 0,
        assembly_type: p.assemblyType,
        mass_kg: p.massKg,
      })
      .execute();
  } else if (asset.kind === 'material-lot') {
    const m = details as MaterialLotDetails;
    await db
      .insertInto('material_lots')
      .values({ asset_id: asset.id, material: m.material, mass_kg: m.massKg })
      .execute();
  } else {
    const b = details as BatteryDetails;
    await db
      .insertInto('batteries')
      .values({
        asset_id: asset.id,
        product_type: b.productType,
        chemistry: b.chemistry,
        rated_capacity_kwh: b.ratedCapacityKwh,
        mass_kg: b.massKg,
        original_code: b.originalCode,
      })
      .execute();
  }
}

const toAsset = (row: {
  id: string;
  kind: string;
  state: string;
  registered_by: string | null;
  created_at: string;
  updated_at: string;
}): AssetRow => ({
  id: row.id,
  kind: row.kind as AssetKind,
  state: row.state,
  registeredBy: row.registered_by,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export async function findAsset(db: Executor, id: string): Promise<AssetRow | undefined> {
  const row = await db.selectFrom('assets').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toAsset(row) : undefined;
}

export async function findAssets(db: Executor, ids: string[]): Promise<Map<string, AssetRow>> {
  const found = new Map<string, AssetRow>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('assets')
      .selectAll()
      .where('id', 'in', ids.slice(i, i + 500))
      .execute();
    for (const row of rows) found.set(row.id, toAsset(row));
  }
  return found;
}

export async function updateAssetState(db: Executor, id: string, state: string, at: string): Promise<void> {
  await db.updateTable('assets').set({ state, updated_at: at }).where('id', '=', id).execute();
}

export async function updateAssetsState(
  db: Executor,
  ids: string[],
  state: string,
  at: string,
): Promise<void> {
  await db.updateTable('assets').set({ state, updated_at: at }).where('id', 'in', ids).execute();
}

export interface AssetQuery {
  kind?: AssetKind;
  state?: string;
  limit: number;
  after?: string;
}

export async function listAssets(db: Executor, q: AssetQuery): Promise<AssetRow[]> {
  let query = db.selectFrom('assets').selectAll().orderBy('id').limit(q.limit);
  if (q.kind) query = query.where('kind', '=', q.kind);
  if (q.state) query = query.where('state', '=', q.state);
  if (q.after) query = query.where('id', '>', q.after);
  return (await query.execute()).map(toAsset);
}

/** Kind-specific details for many assets of one kind at once (for listings and exports). */
export async function detailsOf(
  db: Executor,
  kind: AssetKind,
  ids: string[],
): Promise<Map<string, AssetDetails>> {
  const out = new Map<string, AssetDetails>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    if (chunk.length === 0) continue;
    if (kind === 'vehicle') {
      for (const r of await db.selectFrom('vehicles').selectAll().where('asset_id', 'in', chunk).execute()) {
        out.set(r.asset_id, {
          make: r.make,
          model: r.model,
          trim: r.trim,
          modelYear: r.model_year,
          powertrain: r.powertrain,
          newPriceMinor: r.new_price_minor === null ? null : Number(r.new_price_minor),
          currency: r.currency,
        });
      }
    } else if (kind === 'part') {
      for (const r of await db.selectFrom('parts').selectAll().where('asset_id', 'in', chunk).execute()) {
        out.set(r.asset_id, {
          partNumber: r.part_number,
          serial: r.serial,
          name: r.name,
          fiveAssembly: Number(r.five_assembly) === 1,
          assemblyType: r.assembly_type,
          massKg: r.mass_kg,
        });
      }
    } else if (kind === 'material-lot') {
      for (const r of await db
        .selectFrom('material_lots')
        .selectAll()
        .where('asset_id', 'in', chunk)
        .execute()) {
        out.set(r.asset_id, { material: r.material, massKg: r.mass_kg });
      }
    } else {
      for (const r of await db.selectFrom('batteries').selectAll().where('asset_id', 'in', chunk).execute()) {
        out.set(r.asset_id, {
          productType: r.product_type,
          chemistry: r.chemistry,
          ratedCapacityKwh: r.rated_capacity_kwh,
          massKg: r.mass_kg,
          originalCode: r.original_code,
        });
      }
    }
  }
  return out;
}

const toLink = (r: {
  id: string;
  parent_id: string;
  child_id: string;
  valid_from: string;
  valid_to: string | null;
}): LinkRow => ({
  id: r.id,
  parentId: r.parent_id,
  childId: r.child_id,
  validFrom: r.valid_from,
  validTo: r.valid_to,
});

export async function insertLink(db: Executor, link: LinkRow): Promise<void> {
  await db
    .insertInto('composition_links')
    .values({
      id: link.id,
      parent_id: link.parentId,
      child_id: link.childId,
      valid_from: link.validFrom,
      valid_to: link.validTo,
    })
    .execute();
}

export async function closeLink(db: Executor, id: string, validTo: string): Promise<void> {
  await db.updateTable('composition_links').set({ valid_to: validTo }).where('id', '=', id).execute();
}

export async function linksOfChild(db: Executor, childId: string): Promise<LinkRow[]> {
  const rows = await db
    .selectFrom('composition_links')
    .selectAll()
    .where('child_id', '=', childId)
    .orderBy('valid_from')
    .execute();
  return rows.map(toLink);
}

/** Links valid at `at` (valid_from ≤ at < valid_to) whose parent is one of `parentIds`. */
export async function childLinksAt(db: Executor, parentIds: string[], at: string): Promise<LinkRow[]> {
  if (parentIds.length === 0) return [];
  const rows = await db
    .selectFrom('composition_links')
    .selectAll()
    .where('parent_id', 'in', parentIds)
    .where('valid_from', '<=', at)
    .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>', at)]))
    .orderBy('child_id')
    .execute();
  return rows.map(toLink);
}

export async function parentLinkAt(db: Executor, childId: string, at: string): Promise<LinkRow | undefined> {
  const row = await db
    .selectFrom('composition_links')
    .selectAll()
    .where('child_id', '=', childId)
    .where('valid_from', '<=', at)
    .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>', at)]))
    .executeTakeFirst();
  return row ? toLink(row) : undefined;
}

/** Number of assets by kind and state. */
export async function countByKindAndState(
  db: Executor,
): Promise<Array<{ kind: string; state: string; count: number }>> {
  const rows = await db
    .selectFrom('assets')
    .select(['kind', 'state', (eb) => eb.fn.countAll().as('n')])
    .groupBy(['kind', 'state'])
    .orderBy('kind')
    .orderBy('state')
    .execute();
  return rows.map((r) => ({ kind: r.kind, state: r.state, count: Number(r.n) }));
}
