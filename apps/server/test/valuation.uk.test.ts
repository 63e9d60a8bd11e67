import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  convertUkListings,
  parseCsvText,
  runBacktest,
  trainingSetOf,
  valuationConfig,
} from '../src/modules/valuation/index.ts';
import { repoRoot } from './support/cli.ts';

// The UK 100k listings live beside the repository (../shared/data), never inside it.
const ukDir = `${repoRoot}../shared/data/usedcars/uk-100k`;

describe.skipIf(!existsSync(ukDir))(
  'learned model on the UK 100k listings (random 80/20 split, seed 42)',
  () => {
    it('reaches MAPE ≤ 7.5 % with P10–P90 coverage between 75 % and 85 %', { timeout: 300_000 }, () => {
      const { csv } = convertUkListings(ukDir);
      const set = trainingSetOf(parseCsvText(csv));
      // The one impossible row of the files: model year 2060.
      expect(set.rejected).toEqual([
        { line: expect.any(Number), reason: 'year 2060 is in the future of sold_at 2020-07-01' },
      ]);
      expect(set.transactions.length).toBe(99_186);
      const { report } = runBacktest(
        set.transactions,
        { kind: 'random', testFraction: 0.2, seed: 42 },
        { sohTable: valuationConfig().batterySoh },
      );
      expect(report.test).toBe(19_837);
      expect(report.refused).toBe(0);
      expect(report.mape).toBeLessThanOrEqual(0.075);
      expect(report.coverage80).toBeGreaterThanOrEqual(0.75);
      expect(report.coverage80).toBeLessThanOrEqual(0.85);
      // The explainable base alone stays near the published fixed-effects baseline (10.4 %).
      expect(report.baseOnly.mape).toBeLessThan(0.105);
    });
  },
);
