/**
 * Histogram-based gradient-boosted regression trees on typed arrays, in the manner of LightGBM and
 * scikit-learn's HistGradientBoostingRegressor: every feature is binned once (≤ 255 bins, bin 0 =
 * missing), trees grow leaf-wise (best gain first) from per-node gradient histograms, the larger
 * child's histogram is the parent's minus the smaller child's, categorical features split on a
 * subset of categories ordered by their gradient ratio, and leaves are L2-regularised.
 *
 * Loss: squared error (the target here is a residual of log price). Pure: no I/O.
 */

export const MISSING_BIN = 0;
const MAX_BINS = 256;

export interface NumericFeature {
  name: string;
  kind: 'numeric';
  /** Upper bounds of bins 1..k (ascending): value v falls in the first bin whose edge ≥ v. */
  edges: number[];
}
export interface CategoricalFeature {
  name: string;
  kind: 'categorical';
  /** Category text of bins 1..k; anything else (or empty) is bin 0, "missing or unseen". */
  categories: string[];
}
export type FeatureSpec = NumericFeature | CategoricalFeature;

export interface GbmParams {
  learningRate: number;
  maxTrees: number;
  maxLeaves: number;
  maxDepth: number;
  minSamplesLeaf: number;
  l2: number;
  /** Extra L2 and smoothing for categorical splits (LightGBM cat_l2 / cat_smooth). */
  catL2: number;
  catSmooth: number;
  /** Minimum gain for a split to be kept. */
  minGain: number;
  /** Rounds without improvement on the validation rows before stopping (0 = no early stopping). */
  earlyStoppingRounds: number;
  /** Fraction of features tried at each tree (1 = all). */
  featureFraction: number;
  seed: number;
}

/**
 * Generic defaults (not tuned to one market): a learning rate of 0.15 with up to 127 leaves reaches
 * the accuracy of a slower 0.08 × 63-leaf ensemble with a quarter of the trees, which is what
 * prediction speed pays for; early stopping picks the number of trees.
 */
export const defaultGbmParams: GbmParams = {
  learningRate: 0.15,
  maxTrees: 1500,
  maxLeaves: 127,
  maxDepth: 12,
  minSamplesLeaf: 20,
  l2: 1,
  catL2: 10,
  catSmooth: 10,
  minGain: 0,
  earlyStoppingRounds: 60,
  featureFraction: 1,
  seed: 42,
};

/**
 * One tree in flat arrays. Node i is internal when `left[i] >= 0`; a leaf otherwise, its value in
 * `value[i]`. A row goes left when its bin is ≤ `threshold[i]` (numeric) or is in the node's category
 * set (categorical); the missing bin goes left when `missingLeft[i]` is 1.
 */
export interface Tree {
  feature: Int16Array;
  threshold: Uint8Array;
  missingLeft: Uint8Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
  /** For categorical nodes: a 256-entry lookup, 1 = goes left. */
  categories: Map<number, Uint8Array>;
}

export interface GbmModel {
  features: FeatureSpec[];
  baseScore: number;
  learningRate: number;
  trees: Tree[];
}

/** Rows binned column by column: `bins[f][row]`. */
export interface BinnedRows {
  n: number;
  bins: Uint8Array[];
}

// ---------------------------------------------------------------- binning

/** Quantile bin edges for a numeric column (NaN = missing), at most `maxBins - 1` bins. */
export function numericEdges(values: Float64Array, maxBins = MAX_BINS - 1): number[] {
  const present = values.filter((v) => !Number.isNaN(v)).sort();
  if (present.length === 0) return [];
  const distinct: number[] = [];
  for (let i = 0; i < present.length; i++)
    if (i === 0 || present[i] !== present[i - 1]) distinct.push(present[i]!);
  if (distinct.length <= maxBins) {
    // One bin per distinct value: the edge is the midpoint to the next value.
    return distinct.map((v, i) =>
      i + 1 < distinct.length ? (v + distinct[i + 1]!) / 2 : Number.POSITIVE_INFINITY,
    );
  }
  const edges: number[] = [];
  for (let b = 1; b < maxBins; b++) {
    const q = present[Math.min(present.length - 1, Math.floor((b * present.length) / maxBins))]!;
    if (edges.length === 0 || q > edges[edges.length - 1]!) edges.push(q);
  }
  edges.push(Number.POSITIVE_INFINITY);
  return edges;
}

/** Category list for a categorical column: the most frequent first, at most `maxBins - 1`. */
export function categoryList(values: readonly string[], maxBins = MAX_BINS - 1): string[] {
  const counts = new Map<string, number>();
  for (const v of values) if (v !== '') counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, maxBins)
    .map(([v]) => v);
}

function binNumeric(edges: number[], values: Float64Array): Uint8Array {
  const out = new Uint8Array(values.length);
  const e = Float64Array.from(edges);
  const k = e.length;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) continue;
    let lo = 0;
    let hi = k - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (e[mid]! >= v) hi = mid;
      else lo = mid + 1;
    }
    out[i] = lo + 1;
  }
  return out;
}

function binCategorical(categories: string[], values: readonly string[]): Uint8Array {
  const index = new Map(categories.map((c, i) => [c, i + 1]));
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = index.get(values[i]!) ?? MISSING_BIN;
  return out;
}

/** Columns as given to `binRows`: numbers (NaN = missing) or category text ('' = missing). */
export type FeatureColumn = Float64Array | readonly string[];

export function binRows(features: FeatureSpec[], columns: FeatureColumn[], n: number): BinnedRows {
  const bins = features.map((f, j) =>
    f.kind === 'numeric'
      ? binNumeric(f.edges, columns[j] as Float64Array)
      : binCategorical(f.categories, columns[j] as readonly string[]),
  );
  return { n, bins };
}

/** Feature specs learnt from training columns. */
export function specsOf(
  names: string[],
  kinds: Array<'numeric' | 'categorical'>,
  columns: FeatureColumn[],
): FeatureSpec[] {
  return names.map((name, j) =>
    kinds[j] === 'numeric'
      ? { name, kind: 'numeric', edges: numericEdges(columns[j] as Float64Array) }
      : { name, kind: 'categorical', categories: categoryList(columns[j] as readonly string[]) },
  );
}

// ---------------------------------------------------------------- training

interface SplitCandidate {
  gain: number;
  feature: number;
  threshold: number;
  missingLeft: boolean;
  /** Categorical: lookup of bins going left. */
  leftSet: Uint8Array | null;
  leftG: number;
  leftN: number;
}

interface Leaf {
  node: number;
  start: number;
  end: number;
  depth: number;
  sumG: number;
  hist: Float64Array;
  split: SplitCandidate | null;
}

/** A small deterministic PRNG (mulberry32) so fits are reproducible from the seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class TreeBuilder {
  private readonly nFeatures: number;
  /** hist layout: [feature][bin] → (sumG, count) interleaved. */
  private readonly histSize: number;

  constructor(
    private readonly data: BinnedRows,
    private readonly specs: FeatureSpec[],
    private readonly params: GbmParams,
  ) {
    this.nFeatures = specs.length;
    this.histSize = this.nFeatures * MAX_BINS * 2;
  }

  private buildHistogram(rows: Uint32Array, start: number, end: number, grad: Float64Array): Float64Array {
    const hist = new Float64Array(this.histSize);
    for (let f = 0; f < this.nFeatures; f++) {
      const col = this.data.bins[f]!;
      const base = f * MAX_BINS * 2;
      for (let i = start; i < end; i++) {
        const r = rows[i]!;
        const at = base + col[r]! * 2;
        hist[at]! += grad[r]!;
        hist[at + 1]! += 1;
      }
    }
    return hist;
  }

  private leafObjective(g: number, n: number, extraL2 = 0): number {
    return (g * g) / (n + this.params.l2 + extraL2);
  }

  private bestSplit(
    hist: Float64Array,
    sumG: number,
    count: number,
    allowed: Uint8Array,
  ): SplitCandidate | null {
    const { minSamplesLeaf, minGain, catSmooth, catL2 } = this.params;
    if (count < 2 * minSamplesLeaf) return null;
    const parent = this.leafObjective(sumG, count);
    let best: SplitCandidate | null = null;
    for (let f = 0; f < this.nFeatures; f++) {
      if (!allowed[f]) continue;
      const base = f * MAX_BINS * 2;
      const spec = this.specs[f]!;
      const missG = hist[base]!;
      const missN = hist[base + 1]!;
      if (spec.kind === 'numeric') {
        const nb = spec.edges.length;
        for (const missingLeft of missN > 0 ? [false, true] : [false]) {
          let gl = missingLeft ? missG : 0;
          let nl = missingLeft ? missN : 0;
          for (let b = 1; b < nb; b++) {
            gl += hist[base + b * 2]!;
            nl += hist[base + b * 2 + 1]!;
            if (nl < minSamplesLeaf) continue;
            const nr = count - nl;
            if (nr < minSamplesLeaf) break;
            const gain = this.leafObjective(gl, nl) + this.leafObjective(sumG - gl, nr) - parent;
            if (gain > minGain && (best === null || gain > best.gain)) {
              best = { gain, feature: f, threshold: b, missingLeft, leftSet: null, leftG: gl, leftN: nl };
            }
          }
        }
      } else {
        // LightGBM-style categorical split: order the categories by gradient ratio, scan prefixes.
        const nb = spec.categories.length;
        const order: number[] = [];
        for (let b = 1; b <= nb; b++) if (hist[base + b * 2 + 1]! > 0) order.push(b);
        if (order.length < 2) continue;
        const ratio = (b: number) => hist[base + b * 2]! / (hist[base + b * 2 + 1]! + catSmooth);
        order.sort((a, b) => ratio(a) - ratio(b));
        for (const direction of [1, -1]) {
          let gl = 0;
          let nl = 0;
          const last = order.length - 1;
          for (let k = 0; k < last; k++) {
            const b = direction === 1 ? order[k]! : order[last - k]!;
            gl += hist[base + b * 2]!;
            nl += hist[base + b * 2 + 1]!;
            if (nl < minSamplesLeaf) continue;
            const nr = count - nl;
            if (nr < minSamplesLeaf) break;
            const gain =
              this.leafObjective(gl, nl, catL2) + this.leafObjective(sumG - gl, nr, catL2) - parent;
            if (gain > minGain && (best === null || gain > best.gain)) {
              const leftSet = new Uint8Array(MAX_BINS);
              for (let j = 0; j <= k; j++) leftSet[direction === 1 ? order[j]! : order[last - j]!] = 1;
              best = { gain, feature: f, threshold: 0, missingLeft: false, leftSet, leftG: gl, leftN: nl };
            }
          }
        }
      }
    }
    return best;
  }

  build(rows: Uint32Array, grad: Float64Array, allowed: Uint8Array): { tree: Tree; leafOf: Int32Array } {
    const { maxLeaves, maxDepth, l2 } = this.params;
    const feature: number[] = [];
    const threshold: number[] = [];
    const missingLeft: number[] = [];
    const left: number[] = [];
    const right: number[] = [];
    const value: number[] = [];
    const categories = new Map<number, Uint8Array>();
    const newNode = () => {
      feature.push(-1);
      threshold.push(0);
      missingLeft.push(0);
      left.push(-1);
      right.push(-1);
      value.push(0);
      return feature.length - 1;
    };
    const n = rows.length;
    let sumG = 0;
    for (let i = 0; i < n; i++) sumG += grad[rows[i]!]!;
    const rootHist = this.buildHistogram(rows, 0, n, grad);
    const root: Leaf = { node: newNode(), start: 0, end: n, depth: 0, sumG, hist: rootHist, split: null };
    root.split = this.bestSplit(rootHist, sumG, n, allowed);
    const open: Leaf[] = [root];
    const done: Leaf[] = [];
    let leaves = 1;
    while (leaves < maxLeaves) {
      let pick = -1;
      for (let i = 0; i < open.length; i++) {
        const s = open[i]!.split;
        if (s && (pick < 0 || s.gain > open[pick]!.split!.gain)) pick = i;
      }
      if (pick < 0) break;
      const leaf = open[pick]!;
      open.splice(pick, 1);
      const split = leaf.split!;
      // Partition rows [start, end) so the left child's rows come first.
      const col = this.data.bins[split.feature]!;
      const goesLeft = (bin: number) =>
        bin === MISSING_BIN
          ? split.missingLeft
          : split.leftSet
            ? split.leftSet[bin] === 1
            : bin <= split.threshold;
      let i = leaf.start;
      let j = leaf.end - 1;
      while (i <= j) {
        if (goesLeft(col[rows[i]!]!)) i++;
        else {
          const t = rows[i]!;
          rows[i] = rows[j]!;
          rows[j] = t;
          j--;
        }
      }
      const mid = i;
      const node = leaf.node;
      feature[node] = split.feature;
      threshold[node] = split.threshold;
      missingLeft[node] = split.missingLeft ? 1 : 0;
      if (split.leftSet) categories.set(node, split.leftSet);
      const leftNode = newNode();
      const rightNode = newNode();
      left[node] = leftNode;
      right[node] = rightNode;
      const nl = mid - leaf.start;
      const nr = leaf.end - mid;
      // Histogram subtraction: build the smaller child, derive the larger.
      let histL: Float64Array;
      let histR: Float64Array;
      if (nl <= nr) {
        histL = this.buildHistogram(rows, leaf.start, mid, grad);
        histR = leaf.hist;
        for (let k = 0; k < histR.length; k++) histR[k]! -= histL[k]!;
      } else {
        histR = this.buildHistogram(rows, mid, leaf.end, grad);
        histL = leaf.hist;
        for (let k = 0; k < histL.length; k++) histL[k]! -= histR[k]!;
      }
      const depth = leaf.depth + 1;
      const children: Leaf[] = [
        { node: leftNode, start: leaf.start, end: mid, depth, sumG: split.leftG, hist: histL, split: null },
        {
          node: rightNode,
          start: mid,
          end: leaf.end,
          depth,
          sumG: leaf.sumG - split.leftG,
          hist: histR,
          split: null,
        },
      ];
      for (const child of children) {
        const count = child.end - child.start;
        child.split = depth < maxDepth ? this.bestSplit(child.hist, child.sumG, count, allowed) : null;
        open.push(child);
      }
      leaves += 1;
    }
    done.push(...open);
    const leafOf = new Int32Array(this.data.n).fill(-1);
    for (const leaf of done) {
      const count = leaf.end - leaf.start;
      // Newton step for squared error: −G / (n + λ).
      value[leaf.node] = -leaf.sumG / (count + l2);
      for (let k = leaf.start; k < leaf.end; k++) leafOf[rows[k]!] = leaf.node;
    }
    return {
      tree: {
        feature: Int16Array.from(feature),
        threshold: Uint8Array.from(threshold),
        missingLeft: Uint8Array.from(missingLeft),
        left: Int32Array.from(left),
        right: Int32Array.from(right),
        value: Float64Array.from(value),
        categories,
      },
      leafOf,
    };
  }
}

/** Walk one tree for one row of binned columns. */
function leafIndex(tree: Tree, bins: Uint8Array[], row: number): number {
  let node = 0;
  const { feature, threshold, missingLeft, left, right, categories } = tree;
  while (left[node]! >= 0) {
    const bin = bins[feature[node]!]![row]!;
    let goLeft: boolean;
    if (bin === MISSING_BIN) goLeft = missingLeft[node] === 1;
    else {
      const set = categories.get(node);
      goLeft = set ? set[bin] === 1 : bin <= threshold[node]!;
    }
    node = goLeft ? left[node]! : right[node]!;
  }
  return node;
}

export interface FitReport {
  trees: number;
  bestIteration: number;
  trainRmse: number;
  validRmse: number | null;
}

/**
 * Fit boosted trees to `target` on the training rows; with validation rows, stop early when their
 * RMSE has not improved for `earlyStoppingRounds` and keep the best iteration.
 */
export function fitGbm(
  specs: FeatureSpec[],
  train: BinnedRows,
  target: Float64Array,
  params: GbmParams,
  valid?: { rows: BinnedRows; target: Float64Array },
  onRound?: (round: number) => void,
): { model: GbmModel; report: FitReport } {
  const n = train.n;
  let baseScore = 0;
  for (let i = 0; i < n; i++) baseScore += target[i]!;
  baseScore = n > 0 ? baseScore / n : 0;
  const pred = new Float64Array(n).fill(baseScore);
  const grad = new Float64Array(n);
  const validPred = valid ? new Float64Array(valid.rows.n).fill(baseScore) : null;
  const builder = new TreeBuilder(train, specs, params);
  const trees: Tree[] = [];
  const random = rng(params.seed);
  const rows = new Uint32Array(n);
  const allowed = new Uint8Array(specs.length);
  let best = Number.POSITIVE_INFINITY;
  let bestIteration = 0;
  for (let round = 0; round < params.maxTrees; round++) {
    for (let i = 0; i < n; i++) grad[i] = pred[i]! - target[i]!;
    for (let i = 0; i < n; i++) rows[i] = i;
    let any = 0;
    for (let f = 0; f < specs.length; f++) {
      allowed[f] = params.featureFraction >= 1 || random() < params.featureFraction ? 1 : 0;
      any += allowed[f]!;
    }
    if (any === 0) allowed[Math.floor(random() * specs.length)] = 1;
    const { tree, leafOf } = builder.build(rows, grad, allowed);
    for (let k = 0; k < tree.value.length; k++) tree.value[k]! *= params.learningRate;
    for (let i = 0; i < n; i++) pred[i]! += tree.value[leafOf[i]!]!;
    trees.push(tree);
    onRound?.(round);
    if (valid && validPred) {
      let sse = 0;
      for (let i = 0; i < valid.rows.n; i++) {
        validPred[i]! += tree.value[leafIndex(tree, valid.rows.bins, i)]!;
        const d = validPred[i]! - valid.target[i]!;
        sse += d * d;
      }
      if (sse < best - 1e-12) {
        best = sse;
        bestIteration = round + 1;
      } else if (params.earlyStoppingRounds > 0 && round + 1 - bestIteration >= params.earlyStoppingRounds) {
        break;
      }
    } else {
      bestIteration = round + 1;
    }
    if (tree.left[0]! < 0) {
      // A stump that could not split: nothing more to learn.
      if (!valid) bestIteration = round + 1;
      break;
    }
  }
  trees.length = Math.max(1, bestIteration);
  let sse = 0;
  const model: GbmModel = { features: specs, baseScore, learningRate: params.learningRate, trees };
  const fitted = predictBinned(model, train);
  for (let i = 0; i < n; i++) sse += (fitted[i]! - target[i]!) ** 2;
  let validRmse: number | null = null;
  if (valid) {
    const vp = predictBinned(model, valid.rows);
    let vs = 0;
    for (let i = 0; i < valid.rows.n; i++) vs += (vp[i]! - valid.target[i]!) ** 2;
    validRmse = Math.sqrt(vs / Math.max(1, valid.rows.n));
  }
  return {
    model,
    report: {
      trees: trees.length,
      bestIteration: trees.length,
      trainRmse: Math.sqrt(sse / Math.max(1, n)),
      validRmse,
    },
  };
}

// ---------------------------------------------------------------- prediction

/**
 * Trees compiled for prediction: every node of every tree as four int32s in one array —
 * [left, right, feature, test] — so a walk touches one cache line per node. `left` < 0 marks a leaf
 * (its value in `value`). A numeric test t ≥ 0 packs (off << 8) | lim and sends a bin left when
 * `(bin − off) >>> 0 ≤ lim`: with off = 0 the missing bin 0 goes left, with off = 1 it wraps round
 * to 2³²−1 and goes right, so there is no branch for missing values. A categorical test t < 0 names
 * the 256-entry row −t−1 of `catTable`.
 */
export interface CompiledTrees {
  roots: Int32Array;
  nodes: Int32Array;
  value: Float64Array;
  catTable: Uint8Array;
}

const compiled = new WeakMap<GbmModel, CompiledTrees>();

export function compileTrees(model: GbmModel): CompiledTrees {
  const cached = compiled.get(model);
  if (cached) return cached;
  const total = model.trees.reduce((s, t) => s + t.left.length, 0);
  const slots = model.trees.reduce((s, t) => s + t.categories.size, 0);
  const c: CompiledTrees = {
    roots: new Int32Array(model.trees.length),
    nodes: new Int32Array(total * 4),
    value: new Float64Array(total),
    catTable: new Uint8Array(slots * MAX_BINS),
  };
  let at = 0;
  let slot = 0;
  model.trees.forEach((tree, t) => {
    c.roots[t] = at;
    for (let k = 0; k < tree.left.length; k++) {
      const g = at + k;
      const leaf = tree.left[k]! < 0;
      c.nodes[g * 4] = leaf ? -1 : at + tree.left[k]!;
      c.nodes[g * 4 + 1] = leaf ? -1 : at + tree.right[k]!;
      c.nodes[g * 4 + 2] = leaf ? 0 : tree.feature[k]!;
      c.value[g] = tree.value[k]!;
      const set = tree.categories.get(k);
      if (set) {
        c.catTable.set(set, slot * MAX_BINS);
        c.catTable[slot * MAX_BINS + MISSING_BIN] = tree.missingLeft[k]!;
        c.nodes[g * 4 + 3] = -(slot + 1);
        slot++;
      } else {
        const off = tree.missingLeft[k] === 1 ? 0 : 1;
        c.nodes[g * 4 + 3] = (off << 8) | Math.max(0, tree.threshold[k]! - off);
      }
    }
    at += tree.left.length;
  });
  compiled.set(model, c);
  return c;
}

/**
 * Predict every binned row. The row's bins are gathered into one small row-major block first, then
 * each row walks all the trees: the compiled trees (a few hundred KB) stay in cache, and a row's
 * bins sit in one cache line.
 */
export function predictBinned(model: GbmModel, data: BinnedRows): Float64Array {
  const n = data.n;
  const nf = data.bins.length;
  const out = new Float64Array(n).fill(model.baseScore);
  const { roots, nodes, value, catTable } = compileTrees(model);
  const rowMajor = new Uint8Array(n * nf);
  for (let f = 0; f < nf; f++) {
    const col = data.bins[f]!;
    for (let i = 0; i < n; i++) rowMajor[i * nf + f] = col[i]!;
  }
  const nTrees = roots.length;
  const step = (node: number, rowAt: number): number => {
    const at = node * 4;
    const bin = rowMajor[rowAt + nodes[at + 2]!]!;
    const test = nodes[at + 3]!;
    const goLeft =
      test >= 0 ? (bin - (test >> 8)) >>> 0 <= (test & 255) : catTable[(-test - 1) * MAX_BINS + bin] === 1;
    return goLeft ? nodes[at]! : nodes[at + 1]!;
  };
  for (let i = 0; i < n; i++) {
    const rowAt = i * nf;
    let sum = 0;
    for (let t = 0; t < nTrees; t++) {
      let node = roots[t]!;
      while (nodes[node * 4]! >= 0) node = step(node, rowAt);
      sum += value[node]!;
    }
    out[i]! += sum;
  }
  return out;
}

// ---------------------------------------------------------------- artefact

/** A tree as JSON: parallel arrays, leaf values rounded to 9 significant digits. */
export interface TreeJson {
  feature: number[];
  threshold: number[];
  missingLeft: number[];
  left: number[];
  right: number[];
  value: number[];
  /** node → bins that go left, for categorical nodes. */
  categories: Record<string, number[]>;
}

export function treeToJson(tree: Tree): TreeJson {
  const categories: Record<string, number[]> = {};
  for (const [node, set] of tree.categories) {
    const bins: number[] = [];
    set.forEach((v, b) => {
      if (v === 1) bins.push(b);
    });
    categories[String(node)] = bins;
  }
  return {
    feature: [...tree.feature],
    threshold: [...tree.threshold],
    missingLeft: [...tree.missingLeft],
    left: [...tree.left],
    right: [...tree.right],
    value: [...tree.value].map((v) => Number(v.toPrecision(9))),
    categories,
  };
}

export function treeFromJson(json: TreeJson): Tree {
  const categories = new Map<number, Uint8Array>();
  for (const [node, bins] of Object.entries(json.categories)) {
    const set = new Uint8Array(MAX_BINS);
    for (const b of bins) set[b] = 1;
    categories.set(Number(node), set);
  }
  return {
    feature: Int16Array.from(json.feature),
    threshold: Uint8Array.from(json.threshold),
    missingLeft: Uint8Array.from(json.missingLeft),
    left: Int32Array.from(json.left),
    right: Int32Array.from(json.right),
    value: Float64Array.from(json.value),
    categories,
  };
}
