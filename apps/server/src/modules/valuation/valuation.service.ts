/**
 * Valuation use cases: appraise, value (reconciled), forecast, re-mark a portfolio, backtest, fit and
 * register models. Every appraisal, valuation, forecast and re-mark is stored with its inputs, the
 * model version and the result. HTTP and CLI call these, so both obey the same rules.
 */
import type { Db } from '../../db/database.ts';
import { type Executor, inTransaction } from '../../db/transaction.ts';
import { type Clock, systemClock } from '../../shared/clock.ts';
import { DomainError, forbidden, invalid, notFound } from '../../shared/errors.ts';
import { newBytes } from '../../shared/ids.ts';
import { currencyExponent } from '../../shared/money.ts';
import { getAsset } from '../assets/index.ts';
import { appendEvents, type Submitter } from '../ledger/index.ts';
import { mayPerform, type PartyRole, type Principal } from '../parties/index.ts';
import { type Appraisal, type InspectionInput, scoreTechnicalCondition } from './appraisal.model.ts';
import { type BacktestReport, parseSplit, runBacktest } from './backtest.ts';
import { type Forecast, forecastValue } from './forecast.model.ts';
import {
  fitLearnedModel,
  isModelArtefact,
  LearnedModel,
  type ModelArtefact,
  makeKey,
  modelKey,
} from './learned.model.ts';
import type { ComparableTransaction } from './market.model.ts';
import { type ReconciledValuation, reconcileValuation, type VehicleToValue } from './reconcile.model.ts';
import {
  cellsOfObject,
  parseCsvText,
  type RejectedRow,
  type Transaction,
  trainingSetOf,
} from './transactions.ts';
import { valuationConfig } from './valuation.config.ts';
import * as repo from './valuation.repository.ts';
import type {
  BacktestRequest,
  FitRequest,
  ForecastRequest,
  RemarkRequest,
  ValueRequest,
} from './valuation.schemas.ts';

// ---------------------------------------------------------------- permissions

/**
 * Who may do what in this module. `admin` may do everything through the parties table; these roles
 * are granted here until the parties table names the valuation actions itself.
 */
const valuationRoles: Record<string, readonly PartyRole[]> = {
  'valuation:read': [
    'oem',
    'dealer',
    'buyback_operator',
    'used_car_operator',
    'dismantler',
    'regulator',
    'auditor',
  ],
  'valuation:appraise': ['dealer', 'buyback_operator', 'used_car_operator', 'dismantler'],
  'valuation:value': ['oem', 'dealer', 'buyback_operator', 'used_car_operator', 'dismantler'],
  'valuation:backtest': ['oem', 'buyback_operator', 'used_car_operator', 'auditor'],
  'valuation:model': [],
};

export function requireValuationPermission(
  principal: Principal,
  action: keyof typeof valuationRoles | string,
): void {
  if (mayPerform(principal, action)) return;
  if (principal.roles.some((r) => valuationRoles[action]?.includes(r))) return;
  throw forbidden(
    'permission_denied',
    `party "${principal.name}" (roles: ${principal.roles.join(', ')}) may not ${action}`,
  );
}

// ---------------------------------------------------------------- helpers

const toMinor = (major: number, currency: string) => Math.round(major * 10 ** currencyExponent(currency));
const toMajor = (minor: number, currency: string) => minor / 10 ** currencyExponent(currency);
const money = (v: number, currency: string) => toMajor(toMinor(v, currency), currency);

/** Sortable, opaque record id (fits the ledger's opaque-id pattern). */
function newValuationId(now: string): string {
  return `val-${now.replace(/[-:.TZ]/g, '').slice(0, 17)}-${Buffer.from(newBytes(5)).toString('hex')}`;
}

export const fitInstruction =
  'fit and activate one: npx carloop valuation fit --transactions <train.csv> --out <model.json> --activate (interchange CSV: make,model,year,mileage_km,fuel,transmission,engine_l,power_kw,price,currency,sold_at)';

// ---------------------------------------------------------------- model registry

const cache = new WeakMap<Db, Map<string, LearnedModel>>();

export interface ModelSummary {
  modelVersion: string;
  createdAt: string;
  registeredAt: string;
  registeredBy: string | null;
  currency: string;
  active: boolean;
  rowsUsed: number;
  training: unknown;
  metrics: unknown;
}

const summaryOf = (row: repo.ModelRow): ModelSummary => ({
  modelVersion: row.modelVersion,
  createdAt: row.createdAt,
  registeredAt: row.registeredAt,
  registeredBy: row.registeredBy,
  currency: row.currency,
  active: row.active,
  rowsUsed: row.rowsUsed,
  training: row.summary,
  metrics: row.metrics,
});

function checkArtefact(value: unknown): ModelArtefact {
  if (!isModelArtefact(value)) {
    throw invalid(
      'invalid_model',
      'not a Carloop residual-value model artefact (format carloop.residual-value-model, version 1)',
      [{ field: 'model', message: 'expected the JSON written by `carloop valuation fit --out`' }],
    );
  }
  return value;
}

/** A model artefact as a ready model (parsing once per database and version). */
export function learnedModelOf(artefact: unknown): LearnedModel {
  return new LearnedModel(checkArtefact(artefact));
}

export interface RegisterOptions {
  activate?: boolean;
  /** Training transactions to keep as the comparable-sales pool of this model. */
  comparables?: Transaction[];
  clock?: Clock;
}

/** Store a model artefact in the registry (and optionally its comparable-sales pool); activate it. */
export async function registerModel(
  db: Db,
  principal: Principal,
  artefactInput: unknown,
  options: RegisterOptions = {},
): Promise<ModelSummary> {
  requireValuationPermission(principal, 'valuation:model');
  const artefact = checkArtefact(artefactInput);
  const now = (options.clock ?? systemClock)();
  await inTransaction(db, async (trx) => {
    if (!(await repo.modelExists(trx, artefact.modelVersion))) {
      await repo.insertModel(trx, {
        modelVersion: artefact.modelVersion,
        createdAt: artefact.createdAt,
        registeredAt: now,
        registeredBy: principal.partyId,
        currency: artefact.currency,
        rowsUsed: artefact.training.rowsUsed,
        summary: JSON.stringify(artefact.training),
        metrics: JSON.stringify(artefact.metrics),
        artefact: JSON.stringify(artefact),
      });
    }
    if (options.comparables) await storeComparables(trx, artefact.modelVersion, options.comparables);
    if (options.activate) await repo.activateModel(trx, artefact.modelVersion, artefact.currency);
  });
  return summaryOf((await repo.getModel(db.kysely, artefact.modelVersion))!);
}

async function storeComparables(trx: Executor, source: string, transactions: Transaction[]): Promise<void> {
  await repo.insertPool(
    trx,
    source,
    transactions.map((t, i) => ({
      line: t.line ?? i + 1,
      makeKey: makeKey(t.make),
      modelKey: modelKey(t.make, t.model),
      make: t.make,
      model: t.model,
      year: t.year,
      mileageKm: t.mileageKm,
      fuel: t.fuel ?? null,
      transmission: t.transmission ?? null,
      engineL: t.engineL ?? null,
      priceMinor: toMinor(t.price, t.currency),
      currency: t.currency,
      soldAt: t.soldAt,
    })),
  );
}

export async function activateModel(
  db: Db,
  principal: Principal,
  modelVersion: string,
): Promise<ModelSummary> {
  requireValuationPermission(principal, 'valuation:model');
  const row = await repo.getModel(db.kysely, modelVersion);
  if (!row) throw notFound('model_not_found', `no valuation model ${modelVersion}`);
  await inTransaction(db, (trx) => repo.activateModel(trx, modelVersion, row.currency));
  return summaryOf((await repo.getModel(db.kysely, modelVersion))!);
}

export async function listModels(
  db: Db,
  principal: Principal,
  query: { limit: number; after?: string },
): Promise<ModelSummary[]> {
  requireValuationPermission(principal, 'valuation:read');
  return (await repo.listModels(db.kysely, query.limit, query.after)).map(summaryOf);
}

export async function getModelSummary(
  db: Db,
  principal: Principal,
  modelVersion: string,
): Promise<ModelSummary> {
  requireValuationPermission(principal, 'valuation:read');
  const row = await repo.getModel(db.kysely, modelVersion);
  if (!row) throw notFound('model_not_found', `no valuation model ${modelVersion}`);
  return summaryOf(row);
}

/** A registered model by version, parsed once per database. */
export async function loadModel(db: Db, modelVersion: string): Promise<LearnedModel> {
  let models = cache.get(db);
  if (!models) {
    models = new Map();
    cache.set(db, models);
  }
  const hit = models.get(modelVersion);
  if (hit) return hit;
  const text = await repo.modelArtefactText(db.kysely, modelVersion);
  if (!text) throw notFound('model_not_found', `no valuation model ${modelVersion}`);
  const model = learnedModelOf(JSON.parse(text));
  models.set(modelVersion, model);
  return model;
}

/** The active model of a currency (or the only active one), or null when there is none. */
export async function getActiveModel(db: Db, currency?: string): Promise<LearnedModel | null> {
  const active = await repo.activeModels(db.kysely);
  const row = currency
    ? active.find((m) => m.currency === currency)
    : active.length === 1
      ? active[0]
      : undefined;
  return row ? loadModel(db, row.modelVersion) : null;
}

/**
 * The active model, or a DomainError that says how to make one — so a quote on a fresh database is
 * refused with an instruction rather than answered with a made-up number.
 */
export async function requireActiveModel(db: Db, currency?: string): Promise<LearnedModel> {
  const model = await getActiveModel(db, currency);
  if (model) return model;
  const active = await repo.activeModels(db.kysely);
  const which = currency
    ? ` for ${currency}`
    : active.length > 1
      ? ` (several are active: ${active.map((m) => m.currency).join(', ')}; name a currency)`
      : '';
  throw new DomainError(
    'conflict',
    'no_valuation_model',
    `no valuation model is active${which}: ${fitInstruction}`,
    [{ field: currency ? 'currency' : 'model', message: `no active valuation model${which}` }],
  );
}

// ---------------------------------------------------------------- fit and backtest over data

export interface LoadedTransactions {
  transactions: Transaction[];
  rejected: RejectedRow[];
  rows: number;
}

/** Training transactions from the interchange CSV text or from row objects. */
export function transactionsFrom(input: {
  csv?: string;
  transactions?: Array<Record<string, unknown>>;
}): LoadedTransactions {
  if ((input.csv === undefined) === (input.transactions === undefined)) {
    throw invalid(
      'invalid_transactions',
      'give the transactions either as `csv` text or as `transactions` rows',
      [{ field: 'csv', message: 'exactly one of csv and transactions' }],
    );
  }
  const table =
    input.csv !== undefined
      ? parseCsvText(input.csv)
      : {
          header: [],
          rows: (input.transactions ?? []).map((r, i) => ({ line: i + 1, cells: cellsOfObject(r) })),
        };
  const set = trainingSetOf(table);
  return { transactions: set.transactions, rejected: set.rejected, rows: set.rows };
}

export interface FitResult {
  model: ModelSummary;
  artefact: ModelArtefact;
  rows: number;
  used: number;
  rejected: RejectedRow[];
}

/** Fit a model from transactions; refuses (with every rejected line) when too few rows are usable. */
export function fitModelFrom(
  loaded: LoadedTransactions,
  onProgress?: (stage: string) => void,
): ModelArtefact {
  try {
    return fitLearnedModel(loaded.transactions, {
      sohTable: valuationConfig().batterySoh,
      rowsRead: loaded.rows,
      rowsRejected: loaded.rejected.length,
      ...(onProgress ? { onProgress } : {}),
    });
  } catch (error) {
    if (error instanceof RangeError) {
      throw invalid(
        'not_enough_transactions',
        error.message,
        loaded.rejected.slice(0, 100).map((r) => ({ field: '(row)', message: r.reason, line: r.line })),
      );
    }
    throw error;
  }
}

export async function fitAndRegister(db: Db, principal: Principal, request: FitRequest): Promise<FitResult> {
  requireValuationPermission(principal, 'valuation:model');
  const loaded = transactionsFrom(request);
  const artefact = fitModelFrom(loaded);
  const model = await registerModel(db, principal, artefact, {
    activate: request.activate,
    ...(request.storeComparables ? { comparables: loaded.transactions } : {}),
  });
  return { model, artefact, rows: loaded.rows, used: loaded.transactions.length, rejected: loaded.rejected };
}

export function backtest(
  principal: Principal,
  request: BacktestRequest,
): BacktestReport & { rejected: RejectedRow[] } {
  requireValuationPermission(principal, 'valuation:backtest');
  const split = parseSplit(request.split);
  if (!split)
    throw invalid('invalid_split', 'the split is random:<test fraction>:<seed> or time:<ISO date>', [
      { field: 'split', message: `"${request.split}" is not a split` },
    ]);
  const loaded = transactionsFrom(request);
  try {
    const { report } = runBacktest(loaded.transactions, split, { sohTable: valuationConfig().batterySoh });
    return { ...report, rejected: loaded.rejected };
  } catch (error) {
    if (error instanceof RangeError)
      throw invalid('invalid_backtest', error.message, [{ field: 'split', message: error.message }]);
    throw error;
  }
}

// ---------------------------------------------------------------- appraise, value, forecast, re-mark

export interface StoredAppraisal extends Appraisal {
  id: string;
}

export async function appraise(
  db: Db,
  principal: Principal,
  inspection: InspectionInput,
  clock: Clock = systemClock,
): Promise<StoredAppraisal> {
  requireValuationPermission(principal, 'valuation:appraise');
  const appraisal = scoreTechnicalCondition(inspection, valuationConfig().checklist);
  const now = clock();
  const id = newValuationId(now);
  await repo.insertValuations(db.kysely, [
    {
      id,
      kind: 'appraisal',
      vehicleId: inspection.vin ?? null,
      modelVersion: null,
      currency: null,
      p10Minor: null,
      p50Minor: null,
      p90Minor: null,
      inputs: inspection,
      result: appraisal,
      createdAt: now,
      createdBy: principal.partyId,
    },
  ]);
  return { id, ...appraisal };
}

const powertrainFuel: Record<string, string> = {
  bev: 'electric',
  phev: 'plug-in hybrid',
  erev: 'plug-in hybrid',
  hev: 'hybrid',
  fcev: 'hydrogen',
};

/** Fill a valuation's vehicle from the registry when a VIN is given. */
async function vehicleOf(db: Db, principal: Principal, v: ValueRequest['vehicle']): Promise<VehicleToValue> {
  let registered: Record<string, unknown> | null = null;
  if (v.vin) {
    const asset = (await getAsset(db, principal, v.vin)) as Record<string, unknown>;
    if (asset.kind !== 'vehicle')
      throw invalid('not_a_vehicle', `${v.vin} is a ${String(asset.kind)}`, [
        { field: 'vehicle.vin', message: 'not a vehicle' },
      ]);
    registered = asset;
  }
  const pick = <T>(given: T | undefined, fromRegistry: unknown): T | undefined =>
    given !== undefined ? given : ((fromRegistry ?? undefined) as T | undefined);
  const make = pick<string>(v.make, registered?.make);
  const model = pick<string>(v.model, registered?.model);
  const year = pick<number>(v.year, registered?.modelYear);
  const currency = pick<string>(v.currency, registered?.currency);
  const missing = [!make && 'make', !model && 'model', !year && 'year', !currency && 'currency'].filter(
    Boolean,
  ) as string[];
  if (missing.length > 0) {
    throw invalid(
      'invalid_vehicle',
      `the vehicle needs ${missing.join(', ')}${v.vin ? ' (not in the registry either)' : ''}`,
      missing.map((m) => ({ field: `vehicle.${m}`, message: 'required' })),
    );
  }
  const vehicle: VehicleToValue = {
    make: make!,
    model: model!,
    year: year!,
    odometerKm: v.odometerKm,
    currency: currency!,
  };
  const fuel = v.fuel ?? (registered ? powertrainFuel[String(registered.powertrain)] : undefined);
  if (fuel) vehicle.fuel = fuel;
  const newPrice = pick<number>(
    v.newPrice,
    registered?.currency === currency ? registered?.newPrice : undefined,
  );
  if (newPrice) vehicle.newPrice = newPrice;
  const trim = pick<string>(v.trim, registered?.trim);
  if (trim) vehicle.trim = trim;
  for (const k of [
    'transmission',
    'engineL',
    'powerKw',
    'body',
    'soh',
    'registeredAt',
    'useClass',
  ] as const) {
    if (v[k] !== undefined) (vehicle as unknown as Record<string, unknown>)[k] = v[k];
  }
  return vehicle;
}

export interface StoredValuation extends ReconciledValuation {
  id: string;
  vehicle: VehicleToValue & { vin?: string };
  priceBasis: string;
  appraisal: Appraisal | null;
  ledgerEvent: { type: 'vehicle.appraised'; seq: number | null } | null;
}

export interface ValueOptions {
  clock?: Clock;
  /** Who signs the ledger event when one is appended (default: the principal with key id `valuation`). */
  submitter?: Submitter;
}

/**
 * A reconciled valuation of one vehicle: every applicable method, its weight, the final P10/P50/P90
 * and an explanation; stored with its inputs and model version. With `recordEvent` and an inspection
 * of a registered vehicle, a `vehicle.appraised` event is appended in the same transaction.
 */
export async function valueVehicle(
  db: Db,
  principal: Principal,
  request: ValueRequest,
  options: ValueOptions = {},
): Promise<StoredValuation> {
  requireValuationPermission(principal, 'valuation:value');
  const clock = options.clock ?? systemClock;
  const now = clock();
  const config = valuationConfig();
  const vehicle = await vehicleOf(db, principal, request.vehicle);
  const valuationDate = (request.valuationDate ?? now).slice(0, 10);
  const appraisal = request.inspection ? scoreTechnicalCondition(request.inspection, config.checklist) : null;
  if (request.recordEvent && (!request.vehicle.vin || !appraisal)) {
    throw invalid(
      'cannot_record_event',
      'a vehicle.appraised event needs the vin of a registered vehicle and an inspection',
      [{ field: request.vehicle.vin ? 'inspection' : 'vehicle.vin', message: 'required with recordEvent' }],
    );
  }
  let model: LearnedModel | null = null;
  let noModelReason: string | undefined;
  if (request.modelVersion) model = await loadModel(db, request.modelVersion);
  else {
    model = await getActiveModel(db, vehicle.currency);
    if (!model) noModelReason = `no valuation model is active for ${vehicle.currency}: ${fitInstruction}`;
  }
  let comparables: ComparableTransaction[] =
    request.comparables?.map((c, i) => ({ ...c, id: c.id ?? `given:${i + 1}` })) ?? [];
  if (!request.comparables && model) {
    comparables = await repo.poolFor(
      db.kysely,
      model.version,
      modelKey(vehicle.make, vehicle.model),
      vehicle.currency,
      (m) => toMajor(m, vehicle.currency),
    );
  }
  const reconciled = reconcileValuation({
    vehicle,
    valuationDate,
    model,
    ...(noModelReason ? { noModelReason } : {}),
    comparables,
    appraisal,
    ...(request.composite ? { composite: request.composite } : {}),
    config,
  });
  const cur = vehicle.currency;
  reconciled.final = {
    ...reconciled.final,
    p10: money(reconciled.final.p10, cur),
    p50: money(reconciled.final.p50, cur),
    p90: money(reconciled.final.p90, cur),
  };
  const id = newValuationId(now);
  const result: StoredValuation = {
    id,
    vehicle: { ...vehicle, ...(request.vehicle.vin ? { vin: request.vehicle.vin } : {}) },
    priceBasis: request.priceBasis,
    appraisal,
    ...reconciled,
    ledgerEvent: null,
  };
  const record: repo.ValuationRecord = {
    id,
    kind: 'valuation',
    vehicleId: request.vehicle.vin ?? null,
    modelVersion: reconciled.modelVersion,
    currency: cur,
    p10Minor: toMinor(reconciled.final.p10, cur),
    p50Minor: toMinor(reconciled.final.p50, cur),
    p90Minor: toMinor(reconciled.final.p90, cur),
    inputs: request,
    result,
    createdAt: now,
    createdBy: principal.partyId,
  };
  if (request.recordEvent && appraisal && request.vehicle.vin) {
    const submitter = options.submitter ?? {
      principal,
      keyId: principal.partyId === 'local-operator' ? 'local' : 'valuation',
    };
    await appendEvents(
      db,
      submitter,
      [
        {
          type: 'vehicle.appraised',
          subject: { kind: 'vehicle', id: request.vehicle.vin },
          occurredAt: now,
          payload: {
            appraisedAt: now,
            appraiserPartyId: principal.partyId,
            odometerKm: vehicle.odometerKm,
            score: appraisal.total,
            grade: appraisal.grade,
            value: { amountMinor: record.p50Minor, currency: cur },
            priceBasis: request.priceBasis,
            valuationId: id,
          },
        },
      ],
      {
        clock,
        project: async (trx, appended) => {
          result.ledgerEvent = { type: 'vehicle.appraised', seq: appended.firstSeq };
          await repo.insertValuations(trx, [{ ...record, result }]);
        },
      },
    );
    return result;
  }
  await repo.insertValuations(db.kysely, [record]);
  return result;
}

export interface StoredForecast extends Forecast {
  id: string;
}

async function modelFor(db: Db, modelVersion: string | undefined, currency: string): Promise<LearnedModel> {
  return modelVersion ? loadModel(db, modelVersion) : requireActiveModel(db, currency);
}

/** The value distribution at a future date and odometer; refused without a model or comparable data. */
export async function forecast(
  db: Db,
  principal: Principal,
  request: ForecastRequest,
  clock: Clock = systemClock,
): Promise<StoredForecast> {
  requireValuationPermission(principal, 'valuation:value');
  const model = await modelFor(db, request.modelVersion, request.currency);
  const { modelVersion: _version, vin: _vin, ...input } = request;
  const result = forecastValue(model, input);
  const cur = result.currency;
  const rounded = {
    ...result,
    p10: money(result.p10, cur),
    p50: money(result.p50, cur),
    p90: money(result.p90, cur),
  };
  const now = clock();
  const id = newValuationId(now);
  await repo.insertValuations(db.kysely, [
    {
      id,
      kind: 'forecast',
      vehicleId: request.vin ?? null,
      modelVersion: model.version,
      currency: cur,
      p10Minor: toMinor(result.p10, cur),
      p50Minor: toMinor(result.p50, cur),
      p90Minor: toMinor(result.p90, cur),
      inputs: request,
      result: rounded,
      createdAt: now,
      createdBy: principal.partyId,
    },
  ]);
  return { id, ...rounded };
}

export interface RemarkResult {
  id: string;
  atDate: string;
  currency: string;
  modelVersion: string;
  valued: number;
  refused: number;
  total: { p10: number; p50: number; p90: number };
  vehicles: Array<{
    id: string | null;
    p10: number | null;
    p50: number | null;
    p90: number | null;
    reason: string | null;
  }>;
}

/**
 * Re-mark a portfolio at a date: each vehicle's value distribution (vehicles the model refuses keep a
 * reason and no number); the totals add the P50s, and the P10/P90 of the sum assume the errors move
 * together (a conservative bound, not a diversified one).
 */
export async function remarkPortfolio(
  db: Db,
  principal: Principal,
  request: RemarkRequest,
  clock: Clock = systemClock,
): Promise<RemarkResult> {
  requireValuationPermission(principal, 'valuation:value');
  const model = await modelFor(db, request.modelVersion, request.currency);
  const cur = request.currency;
  const vehicles: RemarkResult['vehicles'] = [];
  const total = { p10: 0, p50: 0, p90: 0 };
  for (const v of request.vehicles) {
    try {
      const { id: _id, ...vehicle } = v;
      const f = forecastValue(model, { ...vehicle, currency: cur, atDate: request.atDate });
      vehicles.push({
        id: v.id ?? null,
        p10: money(f.p10, cur),
        p50: money(f.p50, cur),
        p90: money(f.p90, cur),
        reason: null,
      });
      total.p10 += f.p10;
      total.p50 += f.p50;
      total.p90 += f.p90;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      vehicles.push({ id: v.id ?? null, p10: null, p50: null, p90: null, reason: error.message });
    }
  }
  const now = clock();
  const result: RemarkResult = {
    id: newValuationId(now),
    atDate: request.atDate.slice(0, 10),
    currency: cur,
    modelVersion: model.version,
    valued: vehicles.filter((v) => v.reason === null).length,
    refused: vehicles.filter((v) => v.reason !== null).length,
    total: { p10: money(total.p10, cur), p50: money(total.p50, cur), p90: money(total.p90, cur) },
    vehicles,
  };
  await repo.insertValuations(db.kysely, [
    {
      id: result.id,
      kind: 'remark',
      vehicleId: null,
      modelVersion: model.version,
      currency: cur,
      p10Minor: toMinor(result.total.p10, cur),
      p50Minor: toMinor(result.total.p50, cur),
      p90Minor: toMinor(result.total.p90, cur),
      inputs: request,
      result,
      createdAt: now,
      createdBy: principal.partyId,
    },
  ]);
  return result;
}

export async function getValuation(db: Db, principal: Principal, id: string): Promise<repo.ValuationRecord> {
  requireValuationPermission(principal, 'valuation:read');
  const record = await repo.getValuation(db.kysely, id);
  if (!record) throw notFound('valuation_not_found', `no valuation ${id}`);
  return record;
}

export async function listValuations(
  db: Db,
  principal: Principal,
  query: { kind?: string; vehicleId?: string; limit: number; after?: string },
): Promise<repo.ValuationRecord[]> {
  requireValuationPermission(principal, 'valuation:read');
  return repo.listValuations(db.kysely, query);
}
