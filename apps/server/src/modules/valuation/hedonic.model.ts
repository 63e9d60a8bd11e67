/**
 * The explainable base of the learned model: a hedonic regression of log price,
 *
 *   log p = a + make + model|make + fuel + transmission + body
 *             + (β + β_fuel + β_make)·age + γ·log1p(km) + δ·km + engine, power, trend… terms
 *
 * fitted by ridge regression. The penalty on each group is a shrinkage: a model's effect is pulled
 * towards its make's (by n/(n+λ)), so a model seen a handful of times says little and an unseen model
 * is valued at its make's level; the age slopes per fuel and per make shrink towards the common one.
 * Exponential age decay is the linear age term on the log scale (residual-value.md §3.2, Storchmann
 * 2004: geometric depreciation). Pure: no I/O.
 */

export interface NumericTerm {
  name: string;
  mean: number;
  scale: number;
}

export interface CategoricalGroup {
  /** e.g. `make`, `model`, `fuel`, `age×fuel`. */
  name: string;
  /** Ridge penalty: the number of rows at which a level's effect is half-trusted. */
  penalty: number;
  /** Levels in column order. */
  levels: string[];
  /** For slope groups (`age×…`), the numeric term the level multiplies. */
  slopeOf?: string;
}

export interface HedonicModel {
  intercept: number;
  numeric: Array<NumericTerm & { coef: number }>;
  groups: Array<CategoricalGroup & { coefs: number[] }>;
}

/** One row in the base's vocabulary: numeric terms by name (NaN = missing → mean) and group levels. */
export interface HedonicRow {
  numeric: Record<string, number>;
  levels: Record<string, string>;
}

export interface HedonicSpec {
  numeric: string[];
  groups: Array<{ name: string; penalty: number; slopeOf?: string; levelOf: string }>;
}

/** Cholesky solve of a symmetric positive-definite system, in place. */
function solveSpd(a: Float64Array, b: Float64Array, p: number): Float64Array {
  for (let j = 0; j < p; j++) {
    let d = a[j * p + j]!;
    for (let k = 0; k < j; k++) d -= a[j * p + k]! ** 2;
    if (d <= 1e-12) d = 1e-12;
    const l = Math.sqrt(d);
    a[j * p + j] = l;
    for (let i = j + 1; i < p; i++) {
      let s = a[i * p + j]!;
      for (let k = 0; k < j; k++) s -= a[i * p + k]! * a[j * p + k]!;
      a[i * p + j] = s / l;
    }
  }
  const y = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= a[i * p + k]! * y[k]!;
    y[i] = s / a[i * p + i]!;
  }
  const x = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < p; k++) s -= a[k * p + i]! * x[k]!;
    x[i] = s / a[i * p + i]!;
  }
  return x;
}

interface Layout {
  numeric: NumericTerm[];
  groups: CategoricalGroup[];
  /** Column offset of each group's first level (after intercept and numeric terms). */
  offsets: number[];
  index: Array<Map<string, number>>;
  p: number;
}

function layoutOf(spec: HedonicSpec, rows: HedonicRow[]): Layout {
  const numeric = spec.numeric.map((name) => {
    let sum = 0;
    let n = 0;
    for (const r of rows) {
      const v = r.numeric[name]!;
      if (!Number.isNaN(v)) {
        sum += v;
        n++;
      }
    }
    const mean = n > 0 ? sum / n : 0;
    let ss = 0;
    for (const r of rows) {
      const v = r.numeric[name]!;
      if (!Number.isNaN(v)) ss += (v - mean) ** 2;
    }
    const sd = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
    return { name, mean, scale: sd > 1e-9 ? sd : 1 };
  });
  const groups = spec.groups.map((g) => {
    const levels = [...new Set(rows.map((r) => r.levels[g.levelOf] ?? '').filter((v) => v !== ''))].sort();
    return { name: g.name, penalty: g.penalty, levels, ...(g.slopeOf ? { slopeOf: g.slopeOf } : {}) };
  });
  const offsets: number[] = [];
  let p = 1 + numeric.length;
  for (const g of groups) {
    offsets.push(p);
    p += g.levels.length;
  }
  return { numeric, groups, offsets, index: groups.map((g) => new Map(g.levels.map((l, i) => [l, i]))), p };
}

/** The non-zero columns of one row: (column, value) pairs. */
function rowColumns(
  layout: Layout,
  spec: HedonicSpec,
  row: HedonicRow,
  cols: Int32Array,
  vals: Float64Array,
): number {
  let k = 0;
  cols[k] = 0;
  vals[k++] = 1;
  const standardised: Record<string, number> = {};
  layout.numeric.forEach((t, j) => {
    const v = row.numeric[t.name]!;
    const z = Number.isNaN(v) ? 0 : (v - t.mean) / t.scale;
    standardised[t.name] = z;
    if (z !== 0) {
      cols[k] = 1 + j;
      vals[k++] = z;
    }
  });
  layout.groups.forEach((g, gi) => {
    const level = row.levels[spec.groups[gi]!.levelOf] ?? '';
    const at = layout.index[gi]!.get(level);
    if (at === undefined) return;
    const v = g.slopeOf ? (standardised[g.slopeOf] ?? 0) : 1;
    if (v === 0) return;
    cols[k] = layout.offsets[gi]! + at;
    vals[k++] = v;
  });
  return k;
}

/** Fit the base by ridge regression on the normal equations (p is a few hundred columns). */
export function fitHedonic(spec: HedonicSpec, rows: HedonicRow[], target: Float64Array): HedonicModel {
  const layout = layoutOf(spec, rows);
  const { p } = layout;
  const xtx = new Float64Array(p * p);
  const xty = new Float64Array(p);
  const cols = new Int32Array(p);
  const vals = new Float64Array(p);
  for (let r = 0; r < rows.length; r++) {
    const k = rowColumns(layout, spec, rows[r]!, cols, vals);
    const y = target[r]!;
    for (let a = 0; a < k; a++) {
      const ca = cols[a]!;
      const va = vals[a]!;
      xty[ca]! += va * y;
      for (let b = 0; b <= a; b++) xtx[ca * p + cols[b]!]! += va * vals[b]!;
    }
  }
  // Symmetrise (only one triangle was accumulated, in whichever order columns came).
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < i; j++) {
      const s = xtx[i * p + j]! + xtx[j * p + i]!;
      xtx[i * p + j] = s;
      xtx[j * p + i] = s;
    }
  }
  // A whisper of ridge on the intercept and numeric terms keeps the system definite; the groups
  // get their shrinkage penalty.
  for (let j = 0; j < 1 + layout.numeric.length; j++) xtx[j * p + j]! += 1e-6;
  layout.groups.forEach((g, gi) => {
    for (let l = 0; l < g.levels.length; l++) {
      const c = layout.offsets[gi]! + l;
      xtx[c * p + c]! += g.penalty;
    }
  });
  const beta = solveSpd(xtx, xty, p);
  return {
    intercept: beta[0]!,
    numeric: layout.numeric.map((t, j) => ({ ...t, coef: beta[1 + j]! })),
    groups: layout.groups.map((g, gi) => ({
      ...g,
      coefs: g.levels.map((_, l) => beta[layout.offsets[gi]! + l]!),
    })),
  };
}

/** Each term's contribution to log price for one row, in the order of the model's terms. */
export interface Contribution {
  term: string;
  level?: string;
  value: number;
  coef: number;
  /** Contribution to log price. */
  logEffect: number;
}

export class HedonicPredictor {
  private readonly index: Array<Map<string, number>>;
  /** Per group: the row's level key it reads, and the numeric term (by position) it multiplies, or −1. */
  private readonly groupLevelKey: string[];
  private readonly groupSlope: Int32Array;
  private readonly z: Float64Array;

  constructor(
    readonly model: HedonicModel,
    private readonly levelOf: Record<string, string>,
  ) {
    this.index = model.groups.map((g) => new Map(g.levels.map((l, i) => [l, i])));
    this.groupLevelKey = model.groups.map((g) => levelOf[g.name] ?? g.name);
    this.groupSlope = Int32Array.from(model.groups, (g) =>
      g.slopeOf ? model.numeric.findIndex((t) => t.name === g.slopeOf) : -1,
    );
    this.z = new Float64Array(model.numeric.length);
  }

  predict(row: HedonicRow): number {
    const m = this.model;
    const z = this.z;
    let y = m.intercept;
    for (let j = 0; j < m.numeric.length; j++) {
      const t = m.numeric[j]!;
      const v = row.numeric[t.name];
      const s = v === undefined || Number.isNaN(v) ? 0 : (v - t.mean) / t.scale;
      z[j] = s;
      y += t.coef * s;
    }
    for (let gi = 0; gi < m.groups.length; gi++) {
      const at = this.index[gi]!.get(row.levels[this.groupLevelKey[gi]!] ?? '');
      if (at === undefined) continue;
      const slope = this.groupSlope[gi]!;
      y += m.groups[gi]!.coefs[at]! * (slope < 0 ? 1 : z[slope]!);
    }
    return y;
  }

  /** The same sum, term by term, for the explanation and the trail. */
  explain(row: HedonicRow): Contribution[] {
    const m = this.model;
    const out: Contribution[] = [{ term: 'intercept', value: 1, coef: m.intercept, logEffect: m.intercept }];
    const z: Record<string, number> = {};
    for (const t of m.numeric) {
      const v = row.numeric[t.name]!;
      const s = Number.isNaN(v) || v === undefined ? 0 : (v - t.mean) / t.scale;
      z[t.name] = s;
      out.push({ term: t.name, value: v, coef: t.coef / t.scale, logEffect: t.coef * s });
    }
    m.groups.forEach((g, gi) => {
      const level = row.levels[this.levelOf[g.name] ?? g.name] ?? '';
      const at = this.index[gi]!.get(level);
      const coef = at === undefined ? 0 : g.coefs[at]!;
      const v = g.slopeOf ? (z[g.slopeOf] ?? 0) : 1;
      out.push({ term: g.name, level, value: v, coef, logEffect: coef * v });
    });
    return out;
  }

  hasLevel(group: string, level: string): boolean {
    const gi = this.model.groups.findIndex((g) => g.name === group);
    return gi >= 0 && this.index[gi]!.has(level);
  }

  /** The change in log price per unit of a numeric term, including a slope group's level. */
  slope(term: string, levels: Record<string, string> = {}): number {
    const t = this.model.numeric.find((x) => x.name === term);
    if (!t) return 0;
    let s = t.coef;
    this.model.groups.forEach((g, gi) => {
      if (g.slopeOf !== term) return;
      const at = this.index[gi]!.get(levels[this.levelOf[g.name] ?? g.name] ?? '');
      if (at !== undefined) s += g.coefs[at]!;
    });
    return s / t.scale;
  }
}
