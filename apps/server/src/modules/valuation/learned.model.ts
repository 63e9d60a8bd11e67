/**
 * The learned residual-value model: an explainable hedonic base on log price (hedonic.model.ts) plus
 * gradient-boosted trees on what the base leaves (gbm.model.ts), with P10/P50/P90 from split-conformal
 * calibration on rows held out of the fit.
 *
 * Intervals. The training rows are split (seeded) into a fitting part and a calibration part. On the
 * calibration rows the log residuals are divided by a spread that depends on the segment (fuel class ×
 * age band × price band, shrunk towards the overall spread), and the 10th and 90th percentiles of these
 * normalised residuals (with the finite-sample conformal correction) set the interval. The same is done
 * with each calibration row's model hidden, for vehicles whose model was never seen (valued at their
 * make's level). The final trees are then refitted on all training rows with the number of rounds that
 * early stopping chose, so the published interval is, if anything, slightly conservative.
 *
 * Nothing here is tuned to one market: the hyper-parameters are generic, the vocabulary (fuel names,
 * transmissions) is learnt from the data, and the model is refused when it has nothing comparable.
 */
import { createHash } from 'node:crypto';
import {
  type BinnedRows,
  binRows,
  defaultGbmParams,
  type FeatureColumn,
  type FeatureSpec,
  fitGbm,
  type GbmModel,
  type GbmParams,
  predictBinned,
  rng,
  specsOf,
  type TreeJson,
  treeFromJson,
  treeToJson,
} from './gbm.model.ts';
import {
  type Contribution,
  fitHedonic,
  type HedonicModel,
  HedonicPredictor,
  type HedonicRow,
  type HedonicSpec,
} from './hedonic.model.ts';
import { expectedSoh, normaliseFuel, powertrainOf } from './soh.model.ts';
import { ageInYears, type Transaction, type VehicleFacts, yearFraction } from './transactions.ts';
import type { BatterySohTable } from './valuation.config.ts';

export const MODEL_FORMAT = 'carloop.residual-value-model';
export const MODEL_FORMAT_VERSION = 1;

// ---------------------------------------------------------------- vocabulary

/** Category text in one form (trimmed, lower case, single spaces); memoised, since values repeat. */
const keys = new Map<string, string>();
function key(s: string | undefined): string {
  if (!s) return '';
  let k = keys.get(s);
  if (k === undefined) {
    k = s.trim().toLowerCase().replace(/\s+/g, ' ');
    if (keys.size > 100_000) keys.clear();
    keys.set(s, k);
  }
  return k;
}
export const makeKey = (make: string) => key(make);
export const modelKey = (make: string, model: string) => `${key(make)}|${key(model)}`;

/** Optional inputs the model learns from when the training data carries enough of them. */
const optionalNumeric = ['engine_l', 'power_kw', 'trend', 'condition', 'accident', 'soh_gap'] as const;
type OptionalNumeric = (typeof optionalNumeric)[number];
const optionalCategorical = ['body', 'trim'] as const;
type OptionalCategorical = (typeof optionalCategorical)[number];

interface Encoded {
  make: string;
  model: string;
  fuel: string;
  transmission: string;
  body: string;
  trim: string;
  age: number;
  km: number;
  engine_l: number;
  power_kw: number;
  trend: number;
  condition: number;
  accident: number;
  soh_gap: number;
  fuelClass: string;
}

function encode(facts: VehicleFacts, soh: BatterySohTable): Encoded {
  const age = ageInYears(facts.year, facts.soldAt);
  const fuel = normaliseFuel(facts.fuel);
  const powertrain = powertrainOf(facts.fuel);
  return {
    make: makeKey(facts.make),
    model: modelKey(facts.make, facts.model),
    fuel,
    transmission: key(facts.transmission),
    body: key(facts.body),
    trim: facts.trim ? `${modelKey(facts.make, facts.model)}|${key(facts.trim)}` : '',
    age,
    km: facts.mileageKm,
    engine_l: facts.engineL ?? Number.NaN,
    power_kw: facts.powerKw ?? Number.NaN,
    trend: yearFraction(facts.soldAt),
    condition: facts.conditionScore ?? Number.NaN,
    accident: facts.accident === undefined ? Number.NaN : facts.accident ? 1 : 0,
    soh_gap: facts.soh === undefined ? Number.NaN : facts.soh - expectedSoh(soh, age, facts.mileageKm),
    fuelClass:
      powertrain === 'bev' || powertrain === 'phev' ? 'plug-in' : powertrain === 'hev' ? 'hybrid' : 'other',
  };
}

// ---------------------------------------------------------------- artefact

export interface FeatureConfig {
  ageConvention: string;
  numeric: OptionalNumeric[];
  categorical: OptionalCategorical[];
  trendRange: [number, number] | null;
  sohTable: BatterySohTable;
  penalties: Record<string, number>;
}

export interface IntervalCalibration {
  method: string;
  coverage: number;
  ageBands: number[];
  priceBands: number[];
  /** Spread (mean |log residual|) per cell `fuelClass|ageBand|priceBand`, shrunk to the overall one. */
  cells: Record<string, number>;
  overallSpread: number;
  shrinkRows: number;
  q10: number;
  q90: number;
  unseenModel: { q10: number; q90: number };
  calibrationRows: number;
}

export interface TrainingSummary {
  rowsRead: number;
  rowsUsed: number;
  rowsRejected: number;
  fittedRows: number;
  calibrationRows: number;
  currency: string;
  soldAt: { min: string; max: string };
  modelYears: { min: number; max: number };
  makes: Record<string, number>;
  models: number;
  fuels: Record<string, number>;
  price: { p10: number; p50: number; p90: number };
  dataSha256: string;
}

export interface Metrics {
  n: number;
  mape: number;
  mdape: number;
  bias: number;
  coverage80: number;
}

export interface ModelArtefact {
  format: typeof MODEL_FORMAT;
  formatVersion: number;
  modelVersion: string;
  createdAt: string;
  currency: string;
  training: TrainingSummary;
  features: FeatureConfig;
  params: GbmParams & { calibrationFraction: number; refit: boolean };
  hedonic: HedonicModel;
  gbm: { baseScore: number; learningRate: number; features: FeatureSpec[]; trees: TreeJson[] };
  intervals: IntervalCalibration;
  /** Price-band edges (training price terciles) that name a vehicle's segment when it has no body type. */
  segments: { priceTerciles: [number, number] };
  comparability: {
    rule: string;
    minMakeRows: number;
    makes: Record<string, number>;
    models: Record<string, number>;
  };
  /** What a vehicle without fuel, transmission or engine size is assumed to have: its model's (else make's) usual. */
  imputation: { byModel: Record<string, Usual>; byMake: Record<string, Usual> };
  metrics: { calibration: Metrics; baseOnCalibration: Metrics; fit: { trees: number; seconds: number } };
}

/** The most common fuel and transmission and the median engine size of a model or make. */
export interface Usual {
  fuel?: string;
  transmission?: string;
  engineL?: number;
}

function usualOf(transactions: Transaction[], keyOf: (t: Transaction) => string): Record<string, Usual> {
  const groups = new Map<
    string,
    { fuel: Map<string, number>; transmission: Map<string, number>; engine: number[] }
  >();
  for (const t of transactions) {
    const k = keyOf(t);
    let g = groups.get(k);
    if (!g) {
      g = { fuel: new Map(), transmission: new Map(), engine: [] };
      groups.set(k, g);
    }
    if (t.fuel) g.fuel.set(t.fuel, (g.fuel.get(t.fuel) ?? 0) + 1);
    if (t.transmission) g.transmission.set(t.transmission, (g.transmission.get(t.transmission) ?? 0) + 1);
    if (t.engineL !== undefined) g.engine.push(t.engineL);
  }
  const mode = (m: Map<string, number>) =>
    [...m.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
  const out: Record<string, Usual> = {};
  for (const [k, g] of groups) {
    const u: Usual = {};
    const fuel = mode(g.fuel);
    const transmission = mode(g.transmission);
    if (fuel) u.fuel = fuel;
    if (transmission) u.transmission = transmission;
    if (g.engine.length > 0)
      u.engineL = g.engine.sort((a, b) => a - b)[Math.floor((g.engine.length - 1) / 2)]!;
    out[k] = u;
  }
  return out;
}

// ---------------------------------------------------------------- design

function hedonicSpecOf(features: FeatureConfig): HedonicSpec {
  const p = features.penalties;
  const numeric = [
    'age',
    'log_km',
    'km_100k',
    ...features.numeric.map((n) => (n === 'power_kw' ? 'log_power' : n)),
  ];
  const groups: HedonicSpec['groups'] = [
    { name: 'make', penalty: p.make!, levelOf: 'make' },
    { name: 'model', penalty: p.model!, levelOf: 'model' },
    { name: 'fuel', penalty: p.fuel!, levelOf: 'fuel' },
    { name: 'transmission', penalty: p.transmission!, levelOf: 'transmission' },
    { name: 'age×fuel', penalty: p.slope!, levelOf: 'fuel', slopeOf: 'age' },
    { name: 'age×make', penalty: p.slope!, levelOf: 'make', slopeOf: 'age' },
    { name: 'age×model', penalty: p.modelSlope!, levelOf: 'model', slopeOf: 'age' },
    { name: 'mileage×make', penalty: p.slope!, levelOf: 'make', slopeOf: 'log_km' },
  ];
  if (features.categorical.includes('body')) groups.push({ name: 'body', penalty: p.fuel!, levelOf: 'body' });
  if (features.categorical.includes('trim'))
    groups.push({ name: 'trim', penalty: p.model!, levelOf: 'trim' });
  return { numeric, groups };
}

const levelOf: Record<string, string> = {
  make: 'make',
  model: 'model',
  fuel: 'fuel',
  transmission: 'transmission',
  'age×fuel': 'fuel',
  'age×make': 'make',
  'age×model': 'model',
  'mileage×make': 'make',
  body: 'body',
  trim: 'trim',
};

function hedonicRowOf(e: Encoded, features: FeatureConfig, hideModel = false): HedonicRow {
  const numeric: Record<string, number> = { age: e.age, log_km: Math.log1p(e.km), km_100k: e.km / 100_000 };
  for (const n of features.numeric) {
    if (n === 'power_kw') numeric.log_power = Math.log(e.power_kw);
    else if (n === 'trend') numeric.trend = clampTrend(e.trend, features);
    else if (n === 'soh_gap') numeric.soh_gap = Number.isNaN(e.soh_gap) ? 0 : e.soh_gap;
    else numeric[n] = e[n];
  }
  return {
    numeric,
    levels: {
      make: e.make,
      model: hideModel ? '' : e.model,
      fuel: e.fuel,
      transmission: e.transmission,
      body: e.body,
      trim: hideModel ? '' : e.trim,
    },
  };
}

function clampTrend(t: number, features: FeatureConfig): number {
  if (!features.trendRange) return t;
  return Math.min(features.trendRange[1], Math.max(features.trendRange[0], t));
}

const gbmNumeric = (features: FeatureConfig) => ['age', 'km', ...features.numeric, 'base'];
const gbmCategorical = (features: FeatureConfig) => [
  'make',
  'model',
  'fuel',
  'transmission',
  ...features.categorical,
];

function gbmColumns(
  rows: Encoded[],
  base: Float64Array,
  features: FeatureConfig,
  hideModel = false,
): FeatureColumn[] {
  const n = rows.length;
  const numeric = gbmNumeric(features).map((name) => {
    const col = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const e = rows[i]!;
      col[i] =
        name === 'base'
          ? base[i]!
          : name === 'trend'
            ? clampTrend(e.trend, features)
            : (e[name as keyof Encoded] as number);
    }
    return col;
  });
  const categorical = gbmCategorical(features).map((name) =>
    rows.map((e) =>
      hideModel && (name === 'model' || name === 'trim') ? '' : (e[name as keyof Encoded] as string),
    ),
  );
  return [...numeric, ...categorical];
}

// ---------------------------------------------------------------- metrics

export function metricsOf(
  actual: ArrayLike<number>,
  p50: ArrayLike<number>,
  p10?: ArrayLike<number>,
  p90?: ArrayLike<number>,
): Metrics {
  const n = actual.length;
  const ape: number[] = [];
  let bias = 0;
  let inside = 0;
  for (let i = 0; i < n; i++) {
    const a = actual[i]!;
    const p = p50[i]!;
    ape.push(Math.abs(p - a) / a);
    bias += (p - a) / a;
    if (p10 && p90 && a >= p10[i]! && a <= p90[i]!) inside++;
  }
  ape.sort((x, y) => x - y);
  const mape = n > 0 ? ape.reduce((s, v) => s + v, 0) / n : 0;
  const mdape = n === 0 ? 0 : n % 2 ? ape[(n - 1) / 2]! : (ape[n / 2 - 1]! + ape[n / 2]!) / 2;
  const round = (v: number) => Number(v.toFixed(6));
  return {
    n,
    mape: round(mape),
    mdape: round(mdape),
    bias: round(n > 0 ? bias / n : 0),
    coverage80: round(n > 0 ? inside / n : 0),
  };
}

/** Conformal quantile: the ⌈(n+1)·q⌉-th smallest (upper) or ⌊(n+1)·q⌋-th (lower) of n scores. */
function conformalQuantile(sorted: Float64Array, q: number, upper: boolean): number {
  const n = sorted.length;
  if (n === 0) return 0;
  const rank = upper ? Math.ceil((n + 1) * q) : Math.floor((n + 1) * q);
  return sorted[Math.min(n - 1, Math.max(0, rank - 1))]!;
}

// ---------------------------------------------------------------- fitting

export interface FitOptions {
  gbm?: Partial<GbmParams>;
  calibrationFraction?: number;
  refit?: boolean;
  coverage?: number;
  createdAt?: string;
  rowsRead?: number;
  rowsRejected?: number;
  sohTable: BatterySohTable;
  onProgress?: (stage: string) => void;
}

export const minTrainingRows = 30;

const defaultPenalties = { make: 2, model: 10, fuel: 2, transmission: 2, slope: 20, modelSlope: 30 };

function activeFeatures(rows: Encoded[], sohTable: BatterySohTable): FeatureConfig {
  const numeric: OptionalNumeric[] = [];
  for (const name of optionalNumeric) {
    let present = 0;
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (const e of rows) {
      const v = e[name];
      if (!Number.isNaN(v)) {
        present++;
        if (v < min) min = v;
        if (v > max) max = v;
      }
    }
    // A column teaches something when enough rows carry it and it varies; the market trend needs a
    // spread of sale dates (a month or more).
    const enough = name === 'soh_gap' ? present >= 50 : present >= Math.max(30, rows.length * 0.2);
    const varies = name === 'trend' ? max - min >= 1 / 12 : max > min;
    if (enough && varies) numeric.push(name);
  }
  const categorical = optionalCategorical.filter((name) => {
    const levels = new Set<string>();
    let present = 0;
    for (const e of rows) {
      if (e[name] !== '') {
        present++;
        levels.add(e[name]);
      }
    }
    return present >= Math.max(30, rows.length * 0.2) && levels.size > 1;
  });
  let tMin = Number.POSITIVE_INFINITY;
  let tMax = Number.NEGATIVE_INFINITY;
  for (const e of rows) {
    tMin = Math.min(tMin, e.trend);
    tMax = Math.max(tMax, e.trend);
  }
  return {
    ageConvention: 'age in years = sale date − 1 July of the model year, floored at 0',
    numeric,
    categorical: [...categorical],
    trendRange: numeric.includes('trend') ? [tMin, tMax] : null,
    sohTable,
    penalties: { ...defaultPenalties },
  };
}

interface Fitted {
  hedonic: HedonicModel;
  predictor: HedonicPredictor;
  gbm: GbmModel;
  trees: number;
}

function fitParts(
  rows: Encoded[],
  target: Float64Array,
  features: FeatureConfig,
  params: GbmParams,
  valid?: { rows: Encoded[]; target: Float64Array },
): Fitted {
  const spec = hedonicSpecOf(features);
  const hedonic = fitHedonic(
    spec,
    rows.map((e) => hedonicRowOf(e, features)),
    target,
  );
  const predictor = new HedonicPredictor(hedonic, levelOf);
  const basePred = (rs: Encoded[]) =>
    Float64Array.from(rs, (e) => predictor.predict(hedonicRowOf(e, features)));
  const base = basePred(rows);
  const residual = Float64Array.from(target, (y, i) => y - base[i]!);
  const columns = gbmColumns(rows, base, features);
  const kinds = [
    ...gbmNumeric(features).map(() => 'numeric' as const),
    ...gbmCategorical(features).map(() => 'categorical' as const),
  ];
  const specs = specsOf([...gbmNumeric(features), ...gbmCategorical(features)], kinds, columns);
  const binned = binRows(specs, columns, rows.length);
  let validSet: { rows: BinnedRows; target: Float64Array } | undefined;
  if (valid) {
    const vb = basePred(valid.rows);
    validSet = {
      rows: binRows(specs, gbmColumns(valid.rows, vb, features), valid.rows.length),
      target: Float64Array.from(valid.target, (y, i) => y - vb[i]!),
    };
  }
  const { model, report } = fitGbm(specs, binned, residual, params, validSet);
  return { hedonic, predictor, gbm: model, trees: report.trees };
}

function quantileOf(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.floor(q * (s.length - 1))))] ?? 0;
}

function bandOf(value: number, edges: number[]): number {
  let b = 0;
  while (b < edges.length && value > edges[b]!) b++;
  return b;
}

const cellOf = (e: Encoded, logP50: number, cal: Pick<IntervalCalibration, 'ageBands' | 'priceBands'>) =>
  `${e.fuelClass}|${bandOf(e.age, cal.ageBands)}|${bandOf(logP50, cal.priceBands)}`;

function spreadOf(cal: IntervalCalibration, cell: string): number {
  return cal.cells[cell] ?? cal.overallSpread;
}

function calibrate(
  rows: Encoded[],
  target: Float64Array,
  predicted: Float64Array,
  predictedHidden: Float64Array,
  coverage: number,
): IntervalCalibration {
  const n = rows.length;
  const ageBands = [2, 5, 10];
  const logs = [...predicted];
  const priceBands = [quantileOf(logs, 1 / 3), quantileOf(logs, 2 / 3)];
  const shell = { ageBands, priceBands };
  const sums = new Map<string, { s: number; n: number }>();
  let total = 0;
  for (let i = 0; i < n; i++) {
    const r = Math.abs(target[i]! - predicted[i]!);
    total += r;
    const c = cellOf(rows[i]!, predicted[i]!, shell);
    const acc = sums.get(c) ?? { s: 0, n: 0 };
    acc.s += r;
    acc.n += 1;
    sums.set(c, acc);
  }
  const overallSpread = Math.max(1e-6, n > 0 ? total / n : 0.1);
  const shrinkRows = 50;
  const cells: Record<string, number> = {};
  for (const [c, { s, n: k }] of sums) cells[c] = (s + shrinkRows * overallSpread) / (k + shrinkRows);
  const partial = { ...shell, cells, overallSpread } as IntervalCalibration;
  const scores = (pred: Float64Array) => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++)
      out[i] = (target[i]! - pred[i]!) / spreadOf(partial, cellOf(rows[i]!, predicted[i]!, shell));
    return out.sort();
  };
  const seen = scores(predicted);
  const hidden = scores(predictedHidden);
  const lo = (1 - coverage) / 2;
  const hi = 1 - lo;
  return {
    method: `split-conformal on ${n} held-out training rows; log residual / segment spread (fuel class × age band × price band, shrunk to the overall spread over ${shrinkRows} rows)`,
    coverage,
    ageBands,
    priceBands,
    cells,
    overallSpread,
    shrinkRows,
    q10: conformalQuantile(seen, lo, false),
    q90: conformalQuantile(seen, hi, true),
    unseenModel: { q10: conformalQuantile(hidden, lo, false), q90: conformalQuantile(hidden, hi, true) },
    calibrationRows: n,
  };
}

function summaryOf(
  transactions: Transaction[],
  options: FitOptions,
  fitted: number,
  calibration: number,
): TrainingSummary {
  const count = <T extends string>(values: T[]) => {
    const m: Record<string, number> = {};
    for (const v of values) m[v] = (m[v] ?? 0) + 1;
    return m;
  };
  const prices = transactions.map((t) => t.price).sort((a, b) => a - b);
  const days = transactions.map((t) => t.soldAt).sort();
  const years = transactions.map((t) => t.year);
  const hash = createHash('sha256');
  for (const t of transactions) {
    hash.update(
      `${t.make}\t${t.model}\t${t.year}\t${t.mileageKm}\t${t.fuel ?? ''}\t${t.transmission ?? ''}\t${t.engineL ?? ''}\t${t.price}\t${t.currency}\t${t.soldAt}\n`,
    );
  }
  return {
    rowsRead: options.rowsRead ?? transactions.length,
    rowsUsed: transactions.length,
    rowsRejected: options.rowsRejected ?? 0,
    fittedRows: fitted,
    calibrationRows: calibration,
    currency: transactions[0]!.currency,
    soldAt: { min: days[0]!, max: days[days.length - 1]! },
    modelYears: { min: Math.min(...years), max: Math.max(...years) },
    makes: count(transactions.map((t) => makeKey(t.make))),
    models: new Set(transactions.map((t) => modelKey(t.make, t.model))).size,
    fuels: count(transactions.map((t) => normaliseFuel(t.fuel) || '(missing)')),
    price: {
      p10: prices[Math.floor(0.1 * (prices.length - 1))]!,
      p50: prices[Math.floor(0.5 * (prices.length - 1))]!,
      p90: prices[Math.floor(0.9 * (prices.length - 1))]!,
    },
    dataSha256: hash.digest('hex'),
  };
}

/**
 * Fit a model from validated transactions (one currency). Throws when there are too few rows.
 */
export function fitLearnedModel(transactions: Transaction[], options: FitOptions): ModelArtefact {
  const started = performance.now();
  if (transactions.length < minTrainingRows) {
    throw new RangeError(
      `at least ${minTrainingRows} usable transactions are needed to fit a model; got ${transactions.length}`,
    );
  }
  const currencies = new Set(transactions.map((t) => t.currency));
  if (currencies.size > 1)
    throw new RangeError(`transactions must share one currency; got ${[...currencies].join(', ')}`);
  const params: GbmParams = { ...defaultGbmParams, ...options.gbm };
  // Enough held-out rows for the interval quantiles to mean something on small data sets.
  const calibrationFraction = Math.min(
    0.34,
    Math.max(options.calibrationFraction ?? 0.15, 40 / transactions.length),
  );
  const refit = options.refit ?? true;
  const coverage = options.coverage ?? 0.8;
  const progress = options.onProgress ?? (() => {});

  const encoded = transactions.map((t) => encode(t, options.sohTable));
  const target = Float64Array.from(transactions, (t) => Math.log(t.price));
  const features = activeFeatures(encoded, options.sohTable);

  // Seeded split: calibration rows never touch the first fit.
  const random = rng(params.seed ^ 0x5eed);
  const isCal = transactions.map(() => random() < calibrationFraction);
  const fitIdx: number[] = [];
  const calIdx: number[] = [];
  isCal.forEach((c, i) => {
    (c ? calIdx : fitIdx).push(i);
  });
  const pick = (idx: number[]) => ({
    rows: idx.map((i) => encoded[i]!),
    target: Float64Array.from(idx, (i) => target[i]!),
  });
  const fitPart = pick(fitIdx);
  const calPart = pick(calIdx);

  progress('fitting on the fitting part, early-stopping on the calibration part');
  const first = fitParts(fitPart.rows, fitPart.target, features, params, calPart);
  const calPred = predictLog(first, features, calPart.rows, false);
  const calHidden = predictLog(first, features, calPart.rows, true);
  progress('calibrating intervals');
  const intervals = calibrate(calPart.rows, calPart.target, calPred.total, calHidden.total, coverage);

  let final = first;
  if (refit) {
    progress(`refitting on all ${transactions.length} rows with ${first.trees} trees`);
    final = fitParts(encoded, target, features, { ...params, maxTrees: first.trees, earlyStoppingRounds: 0 });
  }
  const exp = (a: Float64Array) => Float64Array.from(a, Math.exp);
  const calActual = exp(calPart.target);
  const calP50 = exp(calPred.total);
  const calP10 = Float64Array.from(calPred.total, (v, i) =>
    Math.exp(v + intervals.q10 * spreadOf(intervals, cellOf(calPart.rows[i]!, v, intervals))),
  );
  const calP90 = Float64Array.from(calPred.total, (v, i) =>
    Math.exp(v + intervals.q90 * spreadOf(intervals, cellOf(calPart.rows[i]!, v, intervals))),
  );
  const createdAt = options.createdAt ?? new Date().toISOString();
  const prices = transactions.map((t) => Math.log(t.price)).sort((a, b) => a - b);
  const terciles: [number, number] = [
    Math.exp(prices[Math.floor((prices.length - 1) / 3)]!),
    Math.exp(prices[Math.floor((2 * (prices.length - 1)) / 3)]!),
  ];
  const makes: Record<string, number> = {};
  const models: Record<string, number> = {};
  for (const e of encoded) {
    makes[e.make] = (makes[e.make] ?? 0) + 1;
    models[e.model] = (models[e.model] ?? 0) + 1;
  }
  const body = {
    currency: transactions[0]!.currency,
    training: summaryOf(transactions, options, fitIdx.length, calIdx.length),
    features,
    params: { ...params, calibrationFraction, refit },
    hedonic: final.hedonic,
    gbm: {
      baseScore: final.gbm.baseScore,
      learningRate: final.gbm.learningRate,
      features: final.gbm.features,
      trees: final.gbm.trees.map(treeToJson),
    },
    intervals,
    segments: { priceTerciles: terciles },
    comparability: {
      rule: 'a model seen in training is valued as itself; an unseen model of a make with at least minMakeRows training rows is valued at its make’s level with the wider unseen-model interval; anything else is refused as having no comparable data',
      minMakeRows: 30,
      makes,
      models,
    },
    imputation: {
      byModel: usualOf(transactions, (t) => modelKey(t.make, t.model)),
      byMake: usualOf(transactions, (t) => makeKey(t.make)),
    },
    metrics: {
      calibration: metricsOf(calActual, calP50, calP10, calP90),
      baseOnCalibration: metricsOf(calActual, exp(calPred.base)),
      fit: {
        trees: final.gbm.trees.length,
        seconds: Number(((performance.now() - started) / 1000).toFixed(2)),
      },
    },
  };
  const digest = createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 10);
  return {
    format: MODEL_FORMAT,
    formatVersion: MODEL_FORMAT_VERSION,
    modelVersion: `rv-${createdAt.slice(0, 10).replaceAll('-', '')}-${digest}`,
    createdAt,
    ...body,
  };
}

function predictLog(
  fitted: Pick<Fitted, 'predictor' | 'gbm'>,
  features: FeatureConfig,
  rows: Encoded[],
  hideModel: boolean,
): { base: Float64Array; total: Float64Array } {
  const base = Float64Array.from(rows, (e) => fitted.predictor.predict(hedonicRowOf(e, features, hideModel)));
  const binned = binRows(fitted.gbm.features, gbmColumns(rows, base, features, hideModel), rows.length);
  const residual = predictBinned(fitted.gbm, binned);
  return { base, total: Float64Array.from(base, (b, i) => b + residual[i]!) };
}

// ---------------------------------------------------------------- prediction

export type Comparable = 'model' | 'make';

export interface LearnedValue {
  p10: number;
  p50: number;
  p90: number;
  comparable: Comparable;
  /** log price from the hedonic base, and the trees' correction. */
  logBase: number;
  logTrees: number;
  cell: string;
  spread: number;
}

export type LearnedOutcome = { ok: true; value: LearnedValue } | { ok: false; reason: string };

export interface TrailStep {
  step: string;
  detail: string;
  value?: number | string;
}

/** A model ready to predict: the artefact with its trees and base rebuilt once. */
export class LearnedModel {
  readonly predictor: HedonicPredictor;
  readonly gbm: GbmModel;

  constructor(readonly artefact: ModelArtefact) {
    this.predictor = new HedonicPredictor(artefact.hedonic, levelOf);
    this.gbm = {
      baseScore: artefact.gbm.baseScore,
      learningRate: artefact.gbm.learningRate,
      features: artefact.gbm.features,
      trees: artefact.gbm.trees.map(treeFromJson),
    };
  }

  get version(): string {
    return this.artefact.modelVersion;
  }
  get currency(): string {
    return this.artefact.currency;
  }

  /** Why this vehicle cannot be valued by the model, or null when it can. */
  refusalOf(facts: VehicleFacts): string | null {
    if (facts.currency && facts.currency !== this.currency)
      return `the model is in ${this.currency}; the row asks for ${facts.currency} (a model holds no exchange rates)`;
    const c = this.artefact.comparability;
    if (c.models[modelKey(facts.make, facts.model)]) return null;
    const makeRows = c.makes[makeKey(facts.make)] ?? 0;
    if (makeRows >= c.minMakeRows) return null;
    return `unknown model with no comparable data: ${facts.make} ${facts.model} was not in the training data${
      makeRows > 0
        ? ` and its make has only ${makeRows} rows (need ${c.minMakeRows})`
        : ' and neither was its make'
    }`;
  }

  comparableOf(facts: VehicleFacts): Comparable {
    return this.artefact.comparability.models[modelKey(facts.make, facts.model)] ? 'model' : 'make';
  }

  /**
   * The vehicle with missing fuel, transmission or engine size filled in from its model's (else its
   * make's) usual values in the training data, and the names of the fields so filled.
   */
  completed(facts: VehicleFacts): { facts: VehicleFacts; imputed: string[] } {
    if (facts.fuel && facts.transmission && facts.engineL !== undefined) return { facts, imputed: [] };
    const usual =
      this.artefact.imputation.byModel[modelKey(facts.make, facts.model)] ??
      this.artefact.imputation.byMake[makeKey(facts.make)] ??
      {};
    const out = { ...facts };
    const imputed: string[] = [];
    if (!out.fuel && usual.fuel) {
      out.fuel = usual.fuel;
      imputed.push(`fuel = ${usual.fuel}`);
    }
    if (!out.transmission && usual.transmission) {
      out.transmission = usual.transmission;
      imputed.push(`transmission = ${usual.transmission}`);
    }
    if (out.engineL === undefined && usual.engineL !== undefined) {
      out.engineL = usual.engineL;
      imputed.push(`engine_l = ${usual.engineL}`);
    }
    return { facts: out, imputed };
  }

  /** Values for many vehicles at once (rows the model refuses get a reason instead). */
  predict(given: VehicleFacts[]): LearnedOutcome[] {
    const a = this.artefact;
    const facts = given.map((f) => this.completed(f).facts);
    const out: LearnedOutcome[] = new Array(facts.length);
    const known: number[] = [];
    const hidden: number[] = [];
    facts.forEach((f, i) => {
      const refusal = this.refusalOf(f);
      if (refusal) out[i] = { ok: false, reason: refusal };
      else (this.comparableOf(f) === 'model' ? known : hidden).push(i);
    });
    for (const [idx, hide] of [
      [known, false],
      [hidden, true],
    ] as const) {
      if (idx.length === 0) continue;
      const rows = idx.map((i) => encode(facts[i]!, a.features.sohTable));
      const { base, total } = predictLog(this, a.features, rows, hide);
      const q = hide ? a.intervals.unseenModel : a.intervals;
      idx.forEach((i, k) => {
        const logP50 = total[k]!;
        const cell = cellOf(rows[k]!, logP50, a.intervals);
        const spread = spreadOf(a.intervals, cell);
        out[i] = {
          ok: true,
          value: {
            p10: Math.exp(logP50 + q.q10 * spread),
            p50: Math.exp(logP50),
            p90: Math.exp(logP50 + q.q90 * spread),
            comparable: hide ? 'make' : 'model',
            logBase: base[k]!,
            logTrees: logP50 - base[k]!,
            cell,
            spread,
          },
        };
      });
    }
    return out;
  }

  /** The price segment a value falls in (when the vehicle has no body type to name it). */
  segmentOf(facts: VehicleFacts, p50: number): string {
    if (facts.body) return key(facts.body);
    const [t1, t2] = this.artefact.segments.priceTerciles;
    return p50 <= t1 ? 'lower price third' : p50 <= t2 ? 'middle price third' : 'upper price third';
  }

  /** The decay per year and the mileage slope this model implies for a vehicle (for comparables). */
  slopes(given: VehicleFacts): { agePerYear: number; perLogKm: number; perKm: number } {
    const e = encode(this.completed(given).facts, this.artefact.features.sohTable);
    const levels = { make: e.make, model: e.model, fuel: e.fuel };
    return {
      agePerYear: this.predictor.slope('age', levels),
      perLogKm: this.predictor.slope('log_km', levels),
      perKm: this.predictor.slope('km_100k', levels) / 100_000,
    };
  }

  /** The calculation trail of one prediction: the base term by term, the trees, the interval. */
  trail(given: VehicleFacts, value: LearnedValue): TrailStep[] {
    const a = this.artefact;
    const { facts, imputed } = this.completed(given);
    const e = encode(facts, a.features.sohTable);
    const hide = value.comparable === 'make';
    const steps: TrailStep[] = [
      {
        step: 'model',
        detail: `learned model ${a.modelVersion}, fitted ${a.createdAt} on ${a.training.rowsUsed} ${a.currency} transactions sold ${a.training.soldAt.min}…${a.training.soldAt.max}`,
      },
      {
        step: 'age',
        detail: `${a.features.ageConvention}: ${e.age.toFixed(2)} years at ${facts.soldAt}`,
        value: Number(e.age.toFixed(4)),
      },
    ];
    if (imputed.length > 0) {
      steps.push({
        step: 'assumed',
        detail: `not given, taken as usual for ${facts.make} ${facts.model} in the training data: ${imputed.join(', ')}`,
      });
    }
    if (a.features.trendRange && (e.trend < a.features.trendRange[0] || e.trend > a.features.trendRange[1])) {
      steps.push({
        step: 'market level',
        detail: `valuation date outside the training sales (${a.training.soldAt.min}…${a.training.soldAt.max}): the market level is held at the nearest end, no trend is extrapolated`,
      });
    }
    if (hide) {
      steps.push({
        step: 'comparable',
        detail: `${facts.make} ${facts.model} was not in the training data: valued at the level of ${facts.make} (${a.comparability.makes[e.make]} training rows), with the unseen-model interval`,
      });
    }
    const contributions: Contribution[] = this.predictor.explain(hedonicRowOf(e, a.features, hide));
    for (const c of contributions) {
      if (c.logEffect === 0 && c.term !== 'intercept') continue;
      const pct = (Math.exp(c.logEffect) - 1) * 100;
      steps.push({
        step: `base: ${c.term}${c.level ? ` = ${c.level}` : ''}`,
        detail:
          c.term === 'intercept'
            ? `base level exp(${c.coef.toFixed(4)})`
            : `${c.term === 'age' ? `${((Math.exp(c.coef) - 1) * 100).toFixed(2)}% per year, ` : ''}${pct >= 0 ? '+' : ''}${pct.toFixed(2)}% against the average vehicle`,
        value: Number(c.logEffect.toFixed(6)),
      });
    }
    steps.push({
      step: 'base value',
      detail: `hedonic base exp(${value.logBase.toFixed(4)}) = ${Math.exp(value.logBase).toFixed(0)} ${a.currency}`,
      value: Number(Math.exp(value.logBase).toFixed(2)),
    });
    steps.push({
      step: 'trees',
      detail: `${a.gbm.trees.length} boosted trees on the base's residual: ×${Math.exp(value.logTrees).toFixed(4)}`,
      value: Number(value.logTrees.toFixed(6)),
    });
    const q = hide ? a.intervals.unseenModel : a.intervals;
    steps.push({
      step: 'interval',
      detail: `P10/P90 = P50 × exp(q × spread): spread ${value.spread.toFixed(4)} for segment cell ${value.cell}, q10 ${q.q10.toFixed(3)}, q90 ${q.q90.toFixed(3)} (${a.intervals.method})`,
    });
    return steps;
  }
}

/** Check that a parsed JSON document is a model artefact this code can read. */
export function isModelArtefact(value: unknown): value is ModelArtefact {
  const v = value as Partial<ModelArtefact> | null;
  return (
    !!v &&
    typeof v === 'object' &&
    v.format === MODEL_FORMAT &&
    v.formatVersion === MODEL_FORMAT_VERSION &&
    typeof v.modelVersion === 'string' &&
    !!v.hedonic &&
    !!v.gbm &&
    Array.isArray(v.gbm.trees) &&
    !!v.intervals &&
    !!v.imputation
  );
}
