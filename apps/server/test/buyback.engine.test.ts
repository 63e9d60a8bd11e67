import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { issueContract, quoteGuarantee, remarkPortfolio } from '../src/modules/buyback/index.ts';
import { localSubmitter, subjectHistory } from '../src/modules/ledger/index.ts';
import { localOperator } from '../src/modules/parties/index.ts';
import type { DomainError } from '../src/shared/errors.ts';
import { settleAndStock } from '../src/workflows/settle-and-stock.ts';
import { seedValuationModel } from './buyback.fixtures.ts';
import { repoRoot } from './support/cli.ts';
import { countRows, describeEachDatabase } from './support/databases.ts';
import { nextVin } from './support/fixtures.ts';

const at = (iso: string) => () => iso;
const refusal = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: DomainError) => e,
  );
const exampleInspection = JSON.parse(
  readFileSync(`${repoRoot}examples/buyback-return-inspection.json`, 'utf8'),
) as Record<string, unknown>;

const seal = {
  make: 'BYD',
  model: 'Seal',
  year: 2026,
  fuel: 'electric',
  newPrice: 259800,
  currency: 'CNY',
  termMonths: 36,
  kmPerYear: 15000,
  soh: 0.99,
  at: '2026-03-01T00:00:00Z',
};

describeEachDatabase('buyback on the valuation engine', (ctx) => {
  it('refuses a quote when no model is fitted, with the instruction to fit one, and writes nothing', async () => {
    const before = await countRows(ctx.db, ['buyback_quotes']);
    const error = await refusal(quoteGuarantee(ctx.db, localOperator, seal));
    expect(error.code).toBe('no_valuation_model');
    expect(error.message).toMatch(/carloop valuation fit --transactions/);
    expect(await countRows(ctx.db, ['buyback_quotes'])).toEqual(before);
  });

  it('quotes from the active model, and says so when a model has no comparable data', async () => {
    const version = await seedValuationModel(ctx.db);
    const quote = await quoteGuarantee(ctx.db, localOperator, seal);
    expect(quote.forecast.modelVersion).toBe(version);
    expect(quote.forecast.p10).toBeLessThan(quote.forecast.p50);
    expect(quote.forecast.p50).toBeLessThan(quote.forecast.p90);
    expect(quote.gfv).toBeGreaterThan(0);
    expect(quote.gfv).toBeLessThan(quote.forecast.p50);
    expect(quote.gfvPercent).toBeGreaterThan(0.2);
    expect(quote.gfvPercent).toBeLessThan(0.7);
    expect(quote.trail.some((s) => s.step === 'engine: battery SOH')).toBe(true);
    const unknown = await refusal(
      quoteGuarantee(ctx.db, localOperator, { ...seal, make: 'Lotus', model: 'Eletre' }),
    );
    expect(unknown.code).toBe('no_comparable_data');
    expect(unknown.message).toMatch(/unknown model with no comparable data/);
    const gbp = await refusal(
      quoteGuarantee(ctx.db, localOperator, { ...seal, currency: 'GBP', newPrice: 45000 }),
    );
    expect(gbp.code).toBe('no_valuation_model');
    expect(gbp.message).toMatch(/for GBP/);
  });

  it('settles on the example return inspection scored by GB/T 30323, and excludes an accident car', async () => {
    const quote = await quoteGuarantee(ctx.db, localOperator, seal);
    const vin = nextVin();
    const contract = await issueContract(
      ctx.db,
      localSubmitter,
      { quoteId: quote.quoteId, vin, soldAt: '2026-03-05T00:00:00Z' },
      { clock: at('2026-03-05T01:00:00.000Z') },
    );
    const clock = at('2029-03-10T08:00:00.000Z');
    const crashed = {
      ...exampleInspection,
      appraisal: {
        ...(exampleInspection.appraisal as object),
        structural: [{ position: 'A_L', defect: 'BX' }],
      },
    };
    const excluded = await refusal(
      settleAndStock(
        ctx.db,
        localSubmitter,
        contract.contractId,
        { odometerKm: 47_000, inspection: crashed },
        { clock },
      ),
    );
    expect(excluded.code).toBe('accident_exclusion');
    const statement = await settleAndStock(
      ctx.db,
      localSubmitter,
      contract.contractId,
      { odometerKm: 47_000, inspection: exampleInspection },
      { clock },
    );
    expect(statement.appraisal).toMatchObject({ grade: 1 });
    expect(statement.appraisal!.score).toBeLessThan(100);
    expect(statement.damageCharges.map((d) => d.amount)).toEqual([180, 85, 160]);
    expect(statement.missingItems).toEqual([
      { item: 'key (each)', amount: 1500 },
      { item: 'parking sensor cover', amount: 35 },
    ]);
    expect(statement.total).toBe(
      Math.max(0, statement.gfv - statement.excessCharge - 180 - 85 - 160 - 1500 - 35),
    );
    expect(statement.marketValue!.modelVersion).toBe(quote.forecast.modelVersion);
    const history = await subjectHistory(ctx.db, localOperator, vin);
    // The engine does not label its price basis, so the appraisal is on the statement, not logged as vehicle.appraised.
    expect(history.events.slice(-2).map((e) => e.type)).toEqual([
      'vehicle.buyback_exercised',
      'vehicle.stocked',
    ]);
  });

  it('re-marks the open book with the active model', async () => {
    const quote = await quoteGuarantee(ctx.db, localOperator, {
      ...seal,
      make: 'Volkswagen',
      model: 'Lavida',
      fuel: 'petrol',
      soh: undefined,
      newPrice: 129900,
    });
    await issueContract(
      ctx.db,
      localSubmitter,
      { quoteId: quote.quoteId, vin: nextVin(), soldAt: '2026-03-02T00:00:00Z' },
      { clock: at('2026-03-02T01:00:00.000Z') },
    );
    const run = await remarkPortfolio(ctx.db, localOperator, {}, { clock: at('2026-09-01T00:00:00.000Z') });
    expect(run.contracts).toBeGreaterThanOrEqual(1);
    expect(run.refused).toBe(0);
    expect(run.totals[0]).toMatchObject({ currency: 'CNY' });
  });
});
