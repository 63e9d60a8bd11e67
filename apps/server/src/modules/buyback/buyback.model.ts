/**
 * Pure pricing math of a guaranteed-buyback quote: the term-end value distribution rebuilt from the
 * engine's P10/P50/P90, the guaranteed future value (GFV) taken from it, the expected cost of the
 * guarantee by Monte Carlo, and the buyer's monthly cost of ownership. No I/O; money in integer
 * minor units.
 */

/** z of the 90th percentile of the standard normal: P10/P90 sit ±1.2816 σ from the median. */
export const Z90 = 1.2815515655446004;

/** A value forecast as the engine gives it: three quantiles in minor units. */
export interface Quantiles {
  p10: number;
  p50: number;
  p90: number;
}

/**
 * A two-piece log-normal: log value is normal around log P50, with one spread below the median and
 * another above, so that P10, P50 and P90 are reproduced exactly even when the forecast is skewed.
 * Residual values are positive and their errors multiplicative, hence the log scale.
 */
export interface ValueDistribution {
  median: number;
  sigmaLow: number;
  sigmaHigh: number;
}

export function distributionOf(q: Quantiles): ValueDistribution {
  if (!(q.p10 > 0 && q.p10 <= q.p50 && q.p50 <= q.p90) || !Number.isFinite(q.p90)) {
    throw new RangeError(`forecast quantiles must be positive and ordered: ${q.p10} ≤ ${q.p50} ≤ ${q.p90}`);
  }
  return {
    median: q.p50,
    sigmaLow: Math.log(q.p50 / q.p10) / Z90,
    sigmaHigh: Math.log(q.p90 / q.p50) / Z90,
  };
}

/** The value at probability `p` (0 < p < 1) of the distribution. */
export function quantileOf(d: ValueDistribution, p: number): number {
  const z = inverseNormal(p);
  return d.median * Math.exp(z * (z < 0 ? d.sigmaLow : d.sigmaHigh));
}

/** Every quantile multiplied by `factor` (a stress: the whole curve moves, its shape stays). */
export function scaleDistribution(d: ValueDistribution, factor: number): ValueDistribution {
  return { ...d, median: d.median * factor };
}

// ---------------------------------------------------------------- random numbers and the normal law

/** mulberry32: a small, fast, seedable PRNG, so a quote is reproducible from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal CDF (Abramowitz & Stegun 7.1.26 via erf; |error| < 1.5e-7). */
export function normalCdf(x: number): number {
  const t = 1 / (1 + (0.3275911 * Math.abs(x)) / Math.SQRT2);
  const poly =
    t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** Inverse standard normal CDF (P. J. Acklam's rational approximation; relative error < 1.2e-9). */
export function inverseNormal(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`probability must be in (0, 1), got ${p}`);
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
    );
  }
  if (p > 1 - low) return -inverseNormal(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}

// ---------------------------------------------------------------- Monte Carlo

/**
 * `samples` term-end values drawn from the distribution. Stratified (one uniform draw inside each of
 * `samples` equal slices of (0, 1)), which keeps the estimate's error far below plain sampling's at
 * the same cost; seeded, so the same quote gives the same figures.
 */
export function sampleValues(d: ValueDistribution, samples: number, seed: number): Float64Array {
  const random = seededRandom(seed);
  const out = new Float64Array(samples);
  for (let i = 0; i < samples; i++) {
    const u = (i + Math.max(random(), 1e-12)) / samples;
    const z = inverseNormal(Math.min(u, 1 - 1e-12));
    out[i] = d.median * Math.exp(z * (z < 0 ? d.sigmaLow : d.sigmaHigh));
  }
  return out;
}

export interface GuaranteeCost {
  /** E[max(0, GFV − V)]: what the guarantee is expected to cost at term end (minor units). */
  expectedShortfall: number;
  /** P(V < GFV). */
  probabilityOfLoss: number;
  /** E[V]. */
  expectedValue: number;
  /** E[max(V, GFV)]: what the buyer can expect to get for the car with the guarantee. */
  expectedGuaranteedValue: number;
  samples: number;
}

/** Expected shortfall of the value below the GFV over the sampled values. */
export function guaranteeCost(values: Float64Array, gfvMinor: number): GuaranteeCost {
  let shortfall = 0;
  let losses = 0;
  let sum = 0;
  for (const v of values) {
    sum += v;
    if (v < gfvMinor) {
      shortfall += gfvMinor - v;
      losses++;
    }
  }
  const n = values.length;
  return {
    expectedShortfall: shortfall / n,
    probabilityOfLoss: losses / n,
    expectedValue: sum / n,
    expectedGuaranteedValue: (sum + shortfall) / n,
    samples: n,
  };
}

/**
 * The closed form of E[max(0, K − V)] for a two-piece log-normal, used to check the simulation:
 * only the lower piece (V below the median) can fall short of a K at or below the median, and that
 * piece is a log-normal of spread σL restricted to z < 0 (the put of Black-Scholes with r = 0, cut at the median).
 */
export function exactShortfall(d: ValueDistribution, k: number): number {
  const { median: m, sigmaLow: sL, sigmaHigh: sH } = d;
  const piece = (sigma: number, lowZ: number, highZ: number) => {
    // ∫_{lowZ}^{highZ} (K − m e^{σz}) φ(z) dz
    const kPart = k * (normalCdf(highZ) - normalCdf(lowZ));
    const vPart =
      sigma === 0
        ? m * (normalCdf(highZ) - normalCdf(lowZ))
        : m * Math.exp((sigma * sigma) / 2) * (normalCdf(highZ - sigma) - normalCdf(lowZ - sigma));
    return kPart - vPart;
  };
  const zOf = (sigma: number) => (sigma === 0 ? (k > m ? Infinity : -Infinity) : Math.log(k / m) / sigma);
  if (k <= m) return sL === 0 ? 0 : piece(sL, -Infinity, zOf(sL));
  return piece(sL, -Infinity, 0) + (sH === 0 ? 0 : piece(sH, 0, zOf(sH)));
}

// ---------------------------------------------------------------- GFV

export interface GfvTerms {
  /** Which quantile of the term-end distribution is guaranteed (e.g. 0.3). */
  quantile: number;
  /** Margin taken off that quantile, as a fraction of the new price. */
  marginOfNewPrice: number;
  /** The GFV is rounded down to a multiple of this (minor units). */
  roundingMinor: number;
}

export interface GfvResult {
  gfvMinor: number;
  quantileValueMinor: number;
  marginMinor: number;
}

/** GFV = the chosen quantile − margin × new price, rounded down to the product's unit, never negative. */
export function guaranteedFutureValue(
  d: ValueDistribution,
  newPriceMinor: number,
  terms: GfvTerms,
): GfvResult {
  const quantileValueMinor = Math.round(quantileOf(d, terms.quantile));
  const marginMinor = Math.round(terms.marginOfNewPrice * newPriceMinor);
  const raw = Math.max(0, quantileValueMinor - marginMinor);
  return {
    gfvMinor: Math.floor(raw / terms.roundingMinor) * terms.roundingMinor,
    quantileValueMinor,
    marginMinor,
  };
}

// ---------------------------------------------------------------- the buyer's view

export interface OwnershipCost {
  /** What the buyer pays for the guarantee (its expected cost plus the product's loading), minor units. */
  guaranteeFeeMinor: number;
  withoutGuarantee: { monthlyMinor: number; monthlyAtP10Minor: number };
  withGuarantee: { monthlyMinor: number; monthlyWorstCaseMinor: number };
}

/**
 * Monthly cost of ownership = (price paid − what the car is worth at term end) / months. Without the
 * guarantee the buyer carries the market: expected E[V], and at a bad (P10) outcome the P10 value.
 * With it the buyer pays the fee and gets at least the GFV: expected E[max(V, GFV)], worst case the GFV.
 * Running costs (energy, insurance, servicing) are the same either way and are left out.
 */
export function ownershipCost(input: {
  newPriceMinor: number;
  termMonths: number;
  gfvMinor: number;
  p10Minor: number;
  cost: GuaranteeCost;
  feeLoading: number;
}): OwnershipCost {
  const { newPriceMinor: price, termMonths: n, cost } = input;
  const fee = Math.round(cost.expectedShortfall * (1 + input.feeLoading));
  const monthly = (paid: number, endValue: number) => Math.round(Math.max(0, paid - endValue) / n);
  return {
    guaranteeFeeMinor: fee,
    withoutGuarantee: {
      monthlyMinor: monthly(price, cost.expectedValue),
      monthlyAtP10Minor: monthly(price, input.p10Minor),
    },
    withGuarantee: {
      monthlyMinor: monthly(price + fee, cost.expectedGuaranteedValue),
      monthlyWorstCaseMinor: monthly(price + fee, input.gfvMinor),
    },
  };
}

// ---------------------------------------------------------------- terms and dates

/** The smallest band at or above the requested annual distance; null above the largest band. */
export function distanceBand(bands: readonly number[], kmPerYear: number): number | null {
  return bands.find((b) => b >= kmPerYear) ?? null;
}

/** Contracted distance over the term: band × months / 12, whole km. */
export function allowanceKm(bandKmPerYear: number, termMonths: number): number {
  return Math.round((bandKmPerYear * termMonths) / 12);
}

/** `iso` plus `months` calendar months (the day clamps to the month's end: 31 Jan + 1 month = 28/29 Feb). */
export function addMonths(iso: string, months: number): string {
  const date = new Date(iso);
  const day = date.getUTCDate();
  const target = new Date(date.getTime());
  target.setUTCDate(1);
  target.setUTCMonth(target.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target.toISOString();
}

export function addDays(iso: string, days: number): string {
  return new Date(Date.parse(iso) + days * 86_400_000).toISOString();
}

/** Years between two instants (365.25-day years). */
export function yearsBetween(from: string, to: string): number {
  return (Date.parse(to) - Date.parse(from)) / (365.25 * 86_400_000);
}

// ---------------------------------------------------------------- vocabulary

/**
 * The powertrain (assets and lifecycle vocabulary) a fuel name (the valuation's interchange format)
 * stands for; null for a fuel this module does not know, which the caller reports.
 */
export function powertrainOfFuel(fuel: string): 'ice' | 'hev' | 'phev' | 'bev' | 'erev' | 'fcev' | null {
  const f = fuel
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, ' ');
  const table: Record<string, 'ice' | 'hev' | 'phev' | 'bev' | 'erev' | 'fcev'> = {
    petrol: 'ice',
    gasoline: 'ice',
    diesel: 'ice',
    lpg: 'ice',
    cng: 'ice',
    ice: 'ice',
    汽油: 'ice',
    柴油: 'ice',
    hybrid: 'hev',
    hev: 'hev',
    'petrol hybrid': 'hev',
    'diesel hybrid': 'hev',
    'plug-in hybrid': 'phev',
    'plugin hybrid': 'phev',
    phev: 'phev',
    插电混动: 'phev',
    electric: 'bev',
    bev: 'bev',
    ev: 'bev',
    纯电动: 'bev',
    erev: 'erev',
    'range extender': 'erev',
    增程: 'erev',
    hydrogen: 'fcev',
    'fuel cell': 'fcev',
    fcev: 'fcev',
  };
  return table[f] ?? null;
}

/** Powertrains whose value rides on a traction battery (SOH matters, EV stresses apply). */
export const batteryPowertrains: readonly string[] = ['bev', 'phev', 'erev'];
