/**
 * Backtests: fit on one part of the transactions, value the other, and compare. A time-ordered split
 * (train before a date, test from it) measures forecasting; a random split measures valuation.
 */
import { rng } from './gbm.model.ts';
import {
  type FitOptions,
  fitLearnedModel,
  LearnedModel,
  type Metrics,
  type ModelArtefact,
  metricsOf,
} from './learned.model.ts';
import { normaliseFuel } from './soh.model.ts';
import { isoDay, type Transaction } from './transactions.ts';

export type Split = { kind: 'random'; testFraction: number; seed: number } | { kind: 'time'; from: string };

/** `random:<test fraction>:<seed>` or `time:<ISO date>` (test = sold on or after the date). */
export function parseSplit(text: string): Split | null {
  const random = /^random:(0?\.\d+|[01](?:\.\d+)?):(\d+)$/.exec(text.trim());
  if (random) {
    const testFraction = Number(random[1]);
    if (!(testFraction > 0 && testFraction < 1)) return null;
    return { kind: 'random', testFraction, seed: Number(random[2]) };
  }
  const time = /^time:(.+)$/.exec(text.trim());
  if (time) {
    const day = isoDay(time[1]!);
    return day ? { kind: 'time', from: day } : null;
  }
  return null;
}

export const splitLabel = (s: Split) =>
  s.kind === 'random' ? `random:${s.testFraction}:${s.seed}` : `time:${s.from}`;

/** Train and test parts; a random split is a seeded shuffle, the first `testFraction` being the test. */
export function splitTransactions<T extends Transaction>(rows: T[], split: Split): { train: T[]; test: T[] } {
  if (split.kind === 'time') {
    return {
      train: rows.filter((r) => r.soldAt < split.from),
      test: rows.filter((r) => r.soldAt >= split.from),
    };
  }
  const order = rows.map((_, i) => i);
  const random = rng(split.seed);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const nTest = Math.round(rows.length * split.testFraction);
  const isTest = new Uint8Array(rows.length);
  for (let k = 0; k < nTest; k++) isTest[order[k]!] = 1;
  return { train: rows.filter((_, i) => !isTest[i]), test: rows.filter((_, i) => isTest[i]) };
}

export interface BacktestReport extends Metrics {
  split: string;
  train: number;
  test: number;
  /** Test rows the model refused (no comparable data); not in the metrics. */
  refused: number;
  modelVersion: string;
  baseOnly: Metrics;
  bySegment: Record<string, Metrics>;
  byFuel: Record<string, Metrics>;
  fitSeconds: number;
  predictRowsPerSecond: number;
}

/** Metrics of each group of rows (e.g. by segment or fuel), groups in name order. */
export function metricsByGroup(
  keys: string[],
  actual: number[],
  p10: number[],
  p50: number[],
  p90: number[],
): Record<string, Metrics> {
  const groups = new Map<string, number[]>();
  keys.forEach((k, i) => {
    const list = groups.get(k) ?? [];
    list.push(i);
    groups.set(k, list);
  });
  const out: Record<string, Metrics> = {};
  for (const [k, idx] of [...groups.entries()].sort()) {
    const pickOf = (a: number[]) => idx.map((i) => a[i]!);
    out[k] = metricsOf(pickOf(actual), pickOf(p50), pickOf(p10), pickOf(p90));
  }
  return out;
}

export function runBacktest(
  rows: Transaction[],
  split: Split,
  fitOptions: FitOptions,
): { report: BacktestReport; artefact: ModelArtefact } {
  const { train, test } = splitTransactions(rows, split);
  if (test.length === 0) throw new RangeError(`the split ${splitLabel(split)} leaves no test rows`);
  const fitStart = performance.now();
  const artefact = fitLearnedModel(train, fitOptions);
  const fitSeconds = (performance.now() - fitStart) / 1000;
  const model = new LearnedModel(artefact);
  const predictStart = performance.now();
  const outcomes = model.predict(test);
  const predictSeconds = (performance.now() - predictStart) / 1000;
  const actual: number[] = [];
  const p10: number[] = [];
  const p50: number[] = [];
  const p90: number[] = [];
  const base: number[] = [];
  const segments: string[] = [];
  const fuels: string[] = [];
  let refused = 0;
  outcomes.forEach((o, i) => {
    if (!o.ok) {
      refused++;
      return;
    }
    const t = test[i]!;
    actual.push(t.price);
    p10.push(o.value.p10);
    p50.push(o.value.p50);
    p90.push(o.value.p90);
    base.push(Math.exp(o.value.logBase));
    segments.push(model.segmentOf(t, o.value.p50));
    fuels.push(normaliseFuel(t.fuel) || '(missing)');
  });
  const overall = metricsOf(actual, p50, p10, p90);
  return {
    artefact,
    report: {
      ...overall,
      split: splitLabel(split),
      train: train.length,
      test: test.length,
      refused,
      modelVersion: artefact.modelVersion,
      baseOnly: metricsOf(actual, base),
      bySegment: metricsByGroup(segments, actual, p10, p50, p90),
      byFuel: metricsByGroup(fuels, actual, p10, p50, p90),
      fitSeconds: Number(fitSeconds.toFixed(2)),
      predictRowsPerSecond: Math.round(test.length / Math.max(1e-9, predictSeconds)),
    },
  };
}
