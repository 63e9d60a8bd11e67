import { readFileSync } from 'node:fs';
import { stringify } from 'csv-stringify/sync';
import { expect, it } from 'vitest';
import { createApp } from '../src/http/app.ts';
import { createParty, localOperator } from '../src/modules/parties/index.ts';
import {
  syntheticHeader,
  syntheticRows,
  syntheticTransactions,
  valuationConfig,
} from '../src/modules/valuation/index.ts';
import { createServices } from '../src/services.ts';
import { repoRoot } from './support/cli.ts';
import { describeEachDatabase } from './support/databases.ts';

const csv = stringify([
  syntheticHeader,
  ...syntheticRows(syntheticTransactions({ n: 700, seed: 4, sohTable: valuationConfig().batterySoh })),
]);

describeEachDatabase('valuation HTTP API', (ctx) => {
  let app: ReturnType<typeof createApp>;
  let admin: string;
  let dealer: string;
  const call = async (method: string, path: string, token: string, body?: unknown) => {
    const response = await app.request(path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return {
      status: response.status,
      body: (await response.json()) as Record<string, unknown> & { [k: string]: never },
    };
  };

  it('documents the valuation endpoints', async () => {
    app = createApp({ db: ctx.db, assetHooks: createServices(ctx.db).assetHooks });
    admin = (await createParty(ctx.db, localOperator, { name: 'Platform', roles: ['admin'] })).token;
    dealer = (await createParty(ctx.db, localOperator, { name: 'Dealer V', roles: ['dealer'] })).token;
    const doc = (await (await app.request('/openapi.json')).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/valuation/appraisals',
        '/valuation/valuations',
        '/valuation/valuations/{id}',
        '/valuation/forecasts',
        '/valuation/remarks',
        '/valuation/backtests',
        '/valuation/models',
        '/valuation/models/{modelVersion}',
        '/valuation/models/{modelVersion}/activate',
      ]),
    );
  });

  it('appraises an inspection and names bad fields', async () => {
    const inspection = JSON.parse(
      readFileSync(`${repoRoot}examples/valuation-inspection.json`, 'utf8'),
    ) as unknown;
    const ok = await call('POST', '/valuation/appraisals', dealer, inspection);
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({
      total: 93.75,
      grade: 1,
      gradeLabel: '一级',
      id: expect.stringMatching(/^val-/),
    });
    const bad = await call('POST', '/valuation/appraisals', dealer, {
      findings: [{ item: 'B01', defect: 'HH', severity: 9 }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'findings.0.severity' })]);
    const stored = await call('GET', `/valuation/valuations/${String(ok.body.id)}`, dealer);
    expect(stored.body).toMatchObject({ kind: 'appraisal' });
  });

  it('refuses a forecast before any model exists, with the command that fits one', async () => {
    const refused = await call('POST', '/valuation/forecasts', dealer, {
      make: 'BYD',
      model: 'Seal',
      year: 2025,
      currency: 'CNY',
      atDate: '2028-06-30',
      odometerKm: 60000,
    });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      code: 'no_valuation_model',
      detail: expect.stringContaining('valuation fit'),
    });
  });

  it('backtests, fits and registers a model from the body (admin only), and lists it', async () => {
    expect((await call('POST', '/valuation/backtests', dealer, { csv })).status).toBe(403);
    const backtest = await call('POST', '/valuation/backtests', admin, { csv, split: 'random:0.2:42' });
    expect(backtest.status).toBe(200);
    expect(backtest.body).toMatchObject({ n: 140, split: 'random:0.2:42' });
    expect(backtest.body.mape as unknown as number).toBeLessThan(0.08);
    expect((await call('POST', '/valuation/backtests', admin, { csv, split: 'never' })).status).toBe(400);
    expect((await call('POST', '/valuation/models', dealer, { csv, activate: true })).status).toBe(403);
    const fitted = await call('POST', '/valuation/models', admin, { csv, activate: true });
    expect(fitted.status).toBe(201);
    expect(fitted.body).toMatchObject({ used: 700, rejected: [], model: { currency: 'CNY', active: true } });
    const list = await call('GET', '/valuation/models', dealer);
    expect(
      (list.body.items as unknown as Array<{ modelVersion: string }>).map((m) => m.modelVersion),
    ).toEqual([(fitted.body.model as unknown as { modelVersion: string }).modelVersion]);
  });

  it('values, forecasts and re-marks with the active model', async () => {
    const request = JSON.parse(readFileSync(`${repoRoot}examples/valuation-request.json`, 'utf8')) as unknown;
    const valued = await call('POST', '/valuation/valuations', dealer, request);
    expect(valued.status).toBe(201);
    expect(
      (valued.body.methods as unknown as Array<{ method: string; applicable: boolean }>).map(
        (m) => m.applicable,
      ),
    ).toEqual([true, true, true]);
    expect(valued.body.final).toMatchObject({ intervalCalibrated: true });
    expect(valued.body.explanation).toContain('weight');
    const forecast = await call('POST', '/valuation/forecasts', dealer, {
      make: 'BYD',
      model: 'Seal',
      year: 2025,
      fuel: 'electric',
      currency: 'CNY',
      atDate: '2028-06-30',
      odometerKm: 60000,
      soh: 0.9,
    });
    expect(forecast.status).toBe(201);
    expect(forecast.body).toMatchObject({ currency: 'CNY', atDate: '2028-06-30' });
    const remark = await call('POST', '/valuation/remarks', dealer, {
      atDate: '2027-01-01',
      currency: 'CNY',
      vehicles: [{ make: 'Tesla', model: 'Model 3', year: 2024, odometerKm: 40000 }],
    });
    expect(remark.status).toBe(201);
    expect(remark.body).toMatchObject({ valued: 1, refused: 0 });
    const unknown = await call('POST', '/valuation/valuations', dealer, {
      vehicle: { make: 'Lada', model: 'Niva', year: 2018, odometerKm: 90000, currency: 'CNY' },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ code: 'no_comparable_data' });
    const listed = await call('GET', '/valuation/valuations?kind=valuation', dealer);
    expect((listed.body.items as unknown as unknown[]).length).toBe(1);
  });
});
