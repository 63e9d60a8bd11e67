import { checkBatteryCode, checkVin } from '@carloop/codes';
import type { Db } from '../../db/database.ts';
import { type Executor, inTransaction } from '../../db/transaction.ts';
import { type Clock, normaliseUtc, systemClock } from '../../shared/clock.ts';
import {
  conflict,
  type DomainError,
  type FieldError,
  fieldErrorsFromZod,
  invalid,
  notFound,
} from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { toMajorUnits, toMinorUnits } from '../../shared/money.ts';
import { type Principal, requirePermission } from '../parties/index.ts';
import * as repo from './assets.repository.ts';
import { type AssetInput, type AssetKind, assetInput, assetKinds, batteryKinds } from './assets.schemas.ts';

export type { AssetRow, LinkRow } from './assets.repository.ts';

/** Which parent kinds a child may sit in (cell-to-pack designs skip the module). */
const allowedParents: Record<AssetKind, readonly AssetKind[]> = {
  vehicle: [],
  'battery-pack': ['vehicle'],
  'battery-module': ['battery-pack'],
  'battery-cell': ['battery-module', 'battery-pack'],
  part: ['vehicle'],
  'material-lot': [],
};

export interface AssetRegistrationHooks {
  /** Called inside the registration transaction, so the ledger can record the assets' first events. */
  initialState(kind: AssetKind): string;
  afterInsert?(trx: Executor, registered: RegisteredAsset[], principal: Principal): Promise<void>;
}

/** A registered asset is known to the platform but has no lifecycle event yet; its creation event moves it on. */
export const registeredState = 'registered';
export const noLedgerHooks: AssetRegistrationHooks = { initialState: () => registeredState };

export interface RegisteredAsset {
  asset: repo.AssetRow;
  details: repo.AssetDetails;
  input: AssetInput;
}

export interface RejectedRow {
  /** Position in the submitted list (0-based); importers turn it into a line number. */
  index: number;
  errors: FieldError[];
}

export const registerPermission = (kind: AssetKind) =>
  `asset:register:${(batteryKinds as readonly string[]).includes(kind) ? 'battery' : kind}`;

function idOf(input: AssetInput): string {
  switch (input.kind) {
    case 'vehicle':
      return input.vin;
    case 'part':
      return input.id ?? (input.serial ? `${input.partNumber}/${input.serial}` : `part-${newId()}`);
    case 'material-lot':
      return input.id ?? `lot-${newId()}`;
    default:
      return input.code;
  }
}

/** Parse one raw registration and check its identifiers; returns the details to store or field errors. */
export function validateRegistration(
  raw: unknown,
): { input: AssetInput; id: string; details: repo.AssetDetails } | { errors: FieldError[] } {
  const parsed = assetInput.safeParse(raw);
  if (!parsed.success) return { errors: fieldErrorsFromZod(parsed.error.issues) };
  const input = parsed.data;
  const errors: FieldError[] = [];
  let details: repo.AssetDetails;
  if (input.kind === 'vehicle') {
    const report = checkVin(input.vin);
    if (!report.valid)
      errors.push(
        ...report.errors.map((e) => ({
          field: e.field.startsWith('vin') ? e.field : `vin.${e.field}`,
          message: e.message,
        })),
      );
    if (input.newPrice !== undefined && input.currency === undefined)
      errors.push({ field: 'currency', message: 'required when newPrice is given' });
    let newPriceMinor: number | null = null;
    if (input.newPrice !== undefined && input.currency) {
      try {
        newPriceMinor = toMinorUnits(input.newPrice, input.currency, 'newPrice');
      } catch (error) {
        errors.push(...(error as DomainError).errors);
      }
    }
    details = {
      make: input.make,
      model: input.model,
      trim: input.trim ?? null,
      modelYear: input.modelYear ?? null,
      powertrain: input.powertrain,
      newPriceMinor,
      currency: input.currency ?? null,
    };
  } else if (input.kind === 'part') {
    if (input.assemblyType && input.fiveAssembly === false) {
      errors.push({
        field: 'fiveAssembly',
        message: `assemblyType ${input.assemblyType} is one of the five major assemblies`,
      });
    }
    details = {
      partNumber: input.partNumber,
      serial: input.serial ?? null,
      name: input.name ?? null,
      fiveAssembly: input.fiveAssembly ?? input.assemblyType !== undefined,
      assemblyType: input.assemblyType ?? null,
      massKg: input.massKg ?? null,
    };
  } else if (input.kind === 'material-lot') {
    details = { material: input.material, massKg: input.massKg };
  } else {
    const report = checkBatteryCode(input.code);
    if (!report.valid)
      errors.push(
        ...report.errors.map((e) => ({
          field: e.field === 'code' ? 'code' : `code.${e.field}`,
          message: e.message,
        })),
      );
    const expected = `battery-${report.fields.productType}`;
    if (report.valid && expected !== input.kind) {
      errors.push({
        field: 'kind',
        message: `code ${input.code} is a ${report.fields.productType} code, not a ${input.kind.replace('battery-', '')}`,
      });
    }
    if (input.originalCode !== undefined) {
      const original = checkBatteryCode(input.originalCode);
      if (!original.valid)
        errors.push({ field: 'originalCode', message: original.errors.map((e) => e.message).join('; ') });
    }
    details = {
      productType: report.fields.productType ?? input.kind.replace('battery-', ''),
      chemistry: input.chemistry ?? report.fields.chemistry ?? null,
      ratedCapacityKwh: input.ratedCapacityKwh ?? null,
      massKg: input.massKg ?? null,
      originalCode: input.originalCode ?? null,
    };
  }
  return errors.length > 0 ? { errors } : { input, id: idOf(input), details };
}

export interface RegistrationResult {
  registered: AssetView[];
  rejected: RejectedRow[];
}

/**
 * Register many assets at once. Without `partial`, one rejected row rejects the whole batch and
 * nothing is written; with it, every valid row is written and each rejected row is reported.
 */
export async function registerAssets(
  db: Db,
  principal: Principal,
  raws: unknown[],
  options: {
    partial?: boolean;
    /** Check everything, write nothing (an importer that already found a bad line uses it). */
    validateOnly?: boolean;
    hooks?: AssetRegistrationHooks;
    clock?: Clock;
    onProgress?: (done: number, total: number) => void;
  } = {},
): Promise<RegistrationResult> {
  const progress = options.onProgress ?? (() => {});
  const total = raws.length * 2;
  const hooks = options.hooks ?? noLedgerHooks;
  const now = (options.clock ?? systemClock)();
  const rejected: RejectedRow[] = [];
  const valid: Array<{ index: number; input: AssetInput; id: string; details: repo.AssetDetails }> = [];
  const seen = new Map<string, number>();
  for (const [index, raw] of raws.entries()) {
    if (index % 256 === 0) progress(index, total);
    const result = validateRegistration(raw);
    if ('errors' in result) {
      rejected.push({ index, errors: result.errors });
      continue;
    }
    const kind = result.input.kind;
    if (!mayRegister(principal, kind)) {
      rejected.push({
        index,
        errors: [{ field: 'kind', message: `party "${principal.name}" may not register a ${kind}` }],
      });
      continue;
    }
    const earlier = seen.get(result.id);
    if (earlier !== undefined) {
      rejected.push({
        index,
        errors: [
          {
            field: idField(kind),
            message: `${result.id} appears twice in this batch (also item ${earlier + 1})`,
          },
        ],
      });
      continue;
    }
    seen.set(result.id, index);
    valid.push({ index, ...result });
  }
  return inTransaction(db, async (trx) => {
    const existing = await repo.assetExists(
      trx,
      valid.map((v) => v.id),
    );
    const fresh = valid.filter((v) => {
      if (!existing.has(v.id)) return true;
      rejected.push({
        index: v.index,
        errors: [{ field: idField(v.input.kind), message: `${v.id} is already registered` }],
      });
      return false;
    });
    rejected.sort((a, b) => a.index - b.index);
    if (options.validateOnly || (rejected.length > 0 && !options.partial))
      return { registered: [], rejected };
    const registered: RegisteredAsset[] = [];
    for (const [i, v] of fresh.entries()) {
      if (i % 256 === 0) progress(raws.length + i, total);
      const asset: repo.AssetRow = {
        id: v.id,
        kind: v.input.kind,
        state: hooks.initialState(v.input.kind),
        registeredBy: principal.partyId === 'local-operator' ? null : principal.partyId,
        createdAt: now,
        updatedAt: now,
      };
      await repo.insertAsset(trx, asset, v.details);
      registered.push({ asset, details: v.details, input: v.input });
    }
    await hooks.afterInsert?.(trx, registered, principal);
    progress(total, total);
    return { registered: registered.map((r) => toView(r.asset, r.details)), rejected };
  });
}

function mayRegister(principal: Principal, kind: AssetKind): boolean {
  try {
    requirePermission(principal, registerPermission(kind));
    return true;
  } catch {
    return false;
  }
}

function idField(kind: AssetKind): string {
  if (kind === 'vehicle') return 'vin';
  if ((batteryKinds as readonly string[]).includes(kind)) return 'code';
  return 'id';
}

/** Register one asset; a rejection is thrown as a domain error naming every bad field. */
export async function registerAsset(
  db: Db,
  principal: Principal,
  raw: unknown,
  options: { hooks?: AssetRegistrationHooks; clock?: Clock } = {},
) {
  const kind = (raw as { kind?: unknown } | null)?.kind;
  if (typeof kind === 'string' && (assetKinds as readonly string[]).includes(kind))
    requirePermission(principal, registerPermission(kind as AssetKind));
  const result = await registerAssets(db, principal, [raw], options);
  const rejection = result.rejected[0];
  if (rejection) {
    const duplicate = rejection.errors.some((e) => e.message.endsWith('is already registered'));
    const message = rejection.errors.map((e) => `${e.field}: ${e.message}`).join('; ');
    throw duplicate
      ? conflict('duplicate_asset', message, rejection.errors)
      : invalid('invalid_asset', message, rejection.errors);
  }
  return result.registered[0]!;
}

export type AssetView = ReturnType<typeof toView>;

/** The JSON face of an asset: money in major units next to its currency. */
export function toView(asset: repo.AssetRow, details: repo.AssetDetails | undefined) {
  const base = {
    id: asset.id,
    kind: asset.kind,
    state: asset.state,
    createdAt: asset.createdAt,
    updatedAt: asset.updatedAt,
  };
  if (!details) return base;
  if (asset.kind === 'vehicle') {
    const { newPriceMinor, ...rest } = details as repo.VehicleDetails;
    return {
      ...base,
      vin: asset.id,
      ...rest,
      newPrice:
        newPriceMinor === null || rest.currency === null ? null : toMajorUnits(newPriceMinor, rest.currency),
    };
  }
  if ((batteryKinds as readonly string[]).includes(asset.kind))
    return { ...base, code: asset.id, ...details };
  return { ...base, ...details };
}

export async function getAsset(db: Db, principal: Principal, id: string) {
  requirePermission(principal, 'asset:read');
  const asset = await repo.findAsset(db.kysely, id);
  if (!asset) throw notFound('asset_not_found', `no asset with id ${id}`);
  const details = (await repo.detailsOf(db.kysely, asset.kind, [id])).get(id);
  const now = systemClock();
  const parent = await repo.parentLinkAt(db.kysely, id, now);
  const children = await repo.childLinksAt(db.kysely, [id], now);
  return {
    ...toView(asset, details),
    parent: parent ? { id: parent.parentId, since: parent.validFrom } : null,
    children: children.map((c) => ({ id: c.childId, since: c.validFrom })),
  };
}

export async function listAssets(db: Db, principal: Principal, query: repo.AssetQuery) {
  requirePermission(principal, 'asset:read');
  if (query.kind && !(assetKinds as readonly string[]).includes(query.kind)) {
    throw invalid('invalid_query', `unknown asset kind ${query.kind}`, [
      { field: 'kind', message: `one of ${assetKinds.join(', ')}` },
    ]);
  }
  const rows = await repo.listAssets(db.kysely, query);
  const byKind = new Map<AssetKind, string[]>();
  for (const row of rows) byKind.set(row.kind, [...(byKind.get(row.kind) ?? []), row.id]);
  const details = new Map<string, repo.AssetDetails>();
  for (const [kind, ids] of byKind)
    for (const [id, d] of await repo.detailsOf(db.kysely, kind, ids)) details.set(id, d);
  return rows.map((row) => toView(row, details.get(row.id)));
}

function timeOrNow(value: string | undefined, field: string): string {
  if (value === undefined) return systemClock();
  const normal = normaliseUtc(value);
  if (!normal)
    throw invalid('invalid_time', `${field} is not an ISO 8601 UTC time`, [
      { field, message: 'expected e.g. 2026-01-31T08:00:00Z' },
    ]);
  return normal;
}

/**
 * Put `childId` into `parentId` from `validFrom` on. Refused when the kinds don't nest, when the child
 * is already inside something, or when the new interval would overlap an earlier one.
 */
export async function linkComponent(
  db: Executor,
  input: { parentId: string; childId: string; validFrom?: string },
): Promise<repo.LinkRow> {
  const from = timeOrNow(input.validFrom, 'validFrom');
  const assets = await repo.findAssets(db, [input.parentId, input.childId]);
  const parent = assets.get(input.parentId);
  const child = assets.get(input.childId);
  if (!parent) throw notFound('asset_not_found', `parent ${input.parentId} is not registered`);
  if (!child) throw notFound('asset_not_found', `child ${input.childId} is not registered`);
  if (!allowedParents[child.kind].includes(parent.kind)) {
    throw invalid('invalid_composition', `a ${child.kind} cannot be put into a ${parent.kind}`, [
      {
        field: 'parentId',
        message: `a ${child.kind} goes into ${allowedParents[child.kind].join(' or ') || 'nothing'}`,
      },
    ]);
  }
  const links = await repo.linksOfChild(db, child.id);
  const open = links.find((l) => l.validTo === null);
  if (open) {
    throw conflict('already_composed', `${child.id} is already in ${open.parentId} since ${open.validFrom}`, [
      { field: 'childId', message: `already in ${open.parentId} since ${open.validFrom}; remove it first` },
    ]);
  }
  const overlapping = links.find((l) => l.validTo !== null && l.validTo > from);
  if (overlapping) {
    throw conflict(
      'overlapping_composition',
      `${child.id} was in ${overlapping.parentId} until ${overlapping.validTo}`,
      [
        {
          field: 'validFrom',
          message: `must not be before ${overlapping.validTo}, when it left ${overlapping.parentId}`,
        },
      ],
    );
  }
  const link: repo.LinkRow = {
    id: newId(),
    parentId: parent.id,
    childId: child.id,
    validFrom: from,
    validTo: null,
  };
  await repo.insertLink(db, link);
  return link;
}

export async function unlinkComponent(
  db: Executor,
  input: { childId: string; validTo?: string },
): Promise<repo.LinkRow> {
  const to = timeOrNow(input.validTo, 'validTo');
  const open = (await repo.linksOfChild(db, input.childId)).find((l) => l.validTo === null);
  if (!open)
    throw conflict('not_composed', `${input.childId} is not inside anything`, [
      { field: 'childId', message: 'has no current parent' },
    ]);
  if (to <= open.validFrom) {
    throw invalid('invalid_time', `validTo must be after ${open.validFrom}`, [
      { field: 'validTo', message: `must be after ${open.validFrom}` },
    ]);
  }
  await repo.closeLink(db, open.id, to);
  return { ...open, validTo: to };
}

/**
 * Attach or detach as a lifecycle event says. A fact may be recorded from both sides (the pack's
 * `battery.installed` and the vehicle's `vehicle.battery_bound`), so repeating the current state is a no-op.
 */
export async function applyComposition(
  db: Executor,
  change: { action: 'attach' | 'detach'; parentId: string; childId: string; at: string },
): Promise<void> {
  const open = (await repo.linksOfChild(db, change.childId)).find((l) => l.validTo === null);
  if (change.action === 'attach') {
    if (open?.parentId === change.parentId) return;
    await linkComponent(db, { parentId: change.parentId, childId: change.childId, validFrom: change.at });
    return;
  }
  if (!open) return;
  if (open.parentId !== change.parentId) {
    throw conflict('not_composed', `${change.childId} is in ${open.parentId}, not in ${change.parentId}`, [
      { field: 'childId', message: `is in ${open.parentId}` },
    ]);
  }
  await unlinkComponent(db, { childId: change.childId, validTo: change.at });
}

export async function link(
  db: Db,
  principal: Principal,
  input: { parentId: string; childId: string; validFrom?: string },
) {
  requirePermission(principal, 'asset:link');
  return inTransaction(db, (trx) => linkComponent(trx, input));
}

export async function unlink(db: Db, principal: Principal, input: { childId: string; validTo?: string }) {
  requirePermission(principal, 'asset:link');
  return inTransaction(db, (trx) => unlinkComponent(trx, input));
}

export interface ContentsNode {
  id: string;
  kind: AssetKind;
  since: string;
  children: ContentsNode[];
}

/** What `id` contained at time `at`, as a tree (cells in modules in packs in a vehicle). */
export async function contentsAt(
  db: Db,
  principal: Principal,
  id: string,
  at?: string,
): Promise<{ id: string; at: string; children: ContentsNode[] }> {
  requirePermission(principal, 'asset:read');
  const when = timeOrNow(at, 'at');
  if (!(await repo.findAsset(db.kysely, id))) throw notFound('asset_not_found', `no asset with id ${id}`);
  const nodes = new Map<string, ContentsNode>();
  const roots: ContentsNode[] = [];
  let frontier = [id];
  for (let depth = 0; frontier.length > 0 && depth < 8; depth++) {
    const links = await repo.childLinksAt(db.kysely, frontier, when);
    const kinds = await repo.findAssets(
      db.kysely,
      links.map((l) => l.childId),
    );
    for (const l of links) {
      const node: ContentsNode = {
        id: l.childId,
        kind: kinds.get(l.childId)!.kind,
        since: l.validFrom,
        children: [],
      };
      nodes.set(node.id, node);
      (l.parentId === id ? roots : nodes.get(l.parentId)!.children).push(node);
    }
    frontier = links.map((l) => l.childId);
  }
  return { id, at: when, children: roots };
}

/** Where `id` was at time `at`: the chain of containers from the nearest outward. */
export async function locationAt(db: Db, principal: Principal, id: string, at?: string) {
  requirePermission(principal, 'asset:read');
  const when = timeOrNow(at, 'at');
  if (!(await repo.findAsset(db.kysely, id))) throw notFound('asset_not_found', `no asset with id ${id}`);
  const chain: Array<{ id: string; kind: AssetKind; since: string; until: string | null }> = [];
  let current = id;
  for (let depth = 0; depth < 8; depth++) {
    const link = await repo.parentLinkAt(db.kysely, current, when);
    if (!link) break;
    const parent = await repo.findAsset(db.kysely, link.parentId);
    chain.push({ id: link.parentId, kind: parent!.kind, since: link.validFrom, until: link.validTo });
    current = link.parentId;
  }
  return { id, at: when, within: chain };
}

/** Assets by id, for the ledger's state machine (one query per 500 ids). */
export async function assetsById(db: Executor, ids: string[]): Promise<Map<string, repo.AssetRow>> {
  return repo.findAssets(db, ids);
}

/** Record the lifecycle states the ledger computed, grouped so a large batch costs few statements. */
export async function setStates(
  db: Executor,
  updates: ReadonlyMap<string, string>,
  at: string,
): Promise<void> {
  const byState = new Map<string, string[]>();
  for (const [id, state] of updates) byState.set(state, [...(byState.get(state) ?? []), id]);
  for (const [state, ids] of byState) {
    for (let i = 0; i < ids.length; i += 500)
      await repo.updateAssetsState(db, ids.slice(i, i + 500), state, at);
  }
}

/** State of an asset, for the ledger's state machine. */
export async function currentState(db: Executor, id: string): Promise<repo.AssetRow | undefined> {
  return repo.findAsset(db, id);
}

export async function setState(db: Executor, id: string, state: string, at: string): Promise<void> {
  await repo.updateAssetState(db, id, state, at);
}

/** Counts of assets by kind and state, for dashboards and the loop report. */
export async function countAssets(db: Db, principal: Principal) {
  requirePermission(principal, 'asset:read');
  const rows = await repo.countByKindAndState(db.kysely);
  const byKind: Record<string, { total: number; byState: Record<string, number> }> = {};
  for (const r of rows) {
    const entry = byKind[r.kind] ?? { total: 0, byState: {} };
    byKind[r.kind] = entry;
    entry.total += r.count;
    entry.byState[r.state] = r.count;
  }
  return { total: rows.reduce((sum, r) => sum + r.count, 0), byKind };
}
