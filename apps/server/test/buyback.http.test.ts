import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { createApp } from '../src/http/app.ts';
import { createParty, localOperator } from '../src/modules/parties/index.ts';
import { createServices } from '../src/services.ts';
import { seedValuationModel } from './buyback.fixtures.ts';
import { repoRoot } from './support/cli.ts';
import { describeEachDatabase } from './support/databases.ts';
import { nextVin } from './support/fixtures.ts';

const inspection = JSON.parse(
  readFileSync(`${repoRoot}examples/buyback-return-inspection.json`, 'utf8'),
) as unknown;
const stress = JSON.parse(readFileSync(`${repoRoot}examples/buyback-stress.json`, 'utf8')) as unknown;

// biome-ignore lint/suspicious/noExplicitAny: the JSON documents the API answers, read field by field.
type Json = Record<string, any>;

describeEachDatabase('buyback HTTP API', (ctx) => {
  let app: ReturnType<typeof createApp>;
  let dealer: { id: string; token: string };
  let operator: { id: string; token: string };
  let usedCars: string;
  const call = async (method: string, path: string, token: string, body?: unknown) => {
    const response = await app.request(path, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const type = response.headers.get('content-type') ?? '';
    return {
      status: response.status,
      type,
      body: (type.includes('json')
        ? await response.json()
        : Buffer.from(await response.arrayBuffer())) as Json,
    };
  };
  let contractId = '';

  it('quotes (dealer) with the contract fields, refuses bad input field by field, prints the quote', async () => {
    app = createApp({ db: ctx.db, assetHooks: createServices(ctx.db).assetHooks });
    dealer = await createParty(ctx.db, localOperator, { name: 'Dealer Shanghai', roles: ['dealer'] });
    operator = await createParty(ctx.db, localOperator, {
      name: 'Buyback desk',
      roles: ['buyback_operator'],
    });
    usedCars = (await createParty(ctx.db, localOperator, { name: 'Used cars', roles: ['used_car_operator'] }))
      .token;
    await seedValuationModel(ctx.db);
    const request = {
      make: 'BYD',
      model: 'Qin PLUS',
      year: 2023,
      fuel: 'plug-in hybrid',
      newPrice: 139800,
      currency: 'CNY',
      termMonths: 24,
      kmPerYear: 20000,
      at: '2023-01-10T00:00:00Z',
    };
    const quote = await call('POST', '/buyback/quotes', dealer.token, request);
    expect(quote.status).toBe(201);
    for (const key of [
      'quoteId',
      'currency',
      'gfv',
      'gfvPercent',
      'forecast',
      'expectedCost',
      'allowanceKm',
      'excessRates',
      'trail',
    ])
      expect(quote.body).toHaveProperty(key);
    expect(quote.body.allowanceKm).toBe(40000);
    const bad = await call('POST', '/buyback/quotes', dealer.token, {
      ...request,
      termMonths: 6,
      colour: 'red',
    });
    expect(bad.status).toBe(400);
    expect(bad.type).toBe('application/problem+json');
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['colour', 'termMonths']);
    expect((await call('POST', '/buyback/quotes', usedCars, request)).status).toBe(403);
    const pdf = await call('GET', `/buyback/quotes/${quote.body.quoteId}/pdf`, dealer.token);
    expect(pdf.type).toBe('application/pdf');
    expect(pdf.body.subarray(0, 5).toString()).toBe('%PDF-');

    const vin = nextVin();
    const contract = await call('POST', '/buyback/contracts', dealer.token, {
      quoteId: quote.body.quoteId,
      vin,
      soldAt: '2023-01-15T00:00:00Z',
      buyerRef: 'customer:7f3c9a2e',
      odometerKm: 8,
    });
    expect(contract.status).toBe(201);
    expect(contract.body).toMatchObject({
      vin,
      sellerPartyId: dealer.id,
      buyerRef: 'customer:7f3c9a2e',
      termEndAt: '2025-01-15T00:00:00.000Z',
    });
    contractId = contract.body.contractId;
    const again = await call('POST', '/buyback/contracts', dealer.token, {
      quoteId: quote.body.quoteId,
      vin: nextVin(),
      soldAt: '2023-01-15T00:00:00Z',
    });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('quote_taken');
  });

  it('settles (buyback operator only), serves the statement as JSON and PDF', async () => {
    const body = { odometerKm: 41_000, inspection, at: '2025-01-20T00:00:00Z', locationId: 'yard:sh-01' };
    expect(
      (await call('POST', `/buyback/contracts/${contractId}/settlement`, dealer.token, body)).status,
    ).toBe(403);
    const missing = await call('POST', `/buyback/contracts/${contractId}/settlement`, operator.token, {
      ...body,
      odometerKm: undefined,
    });
    expect(missing.status).toBe(400);
    expect(missing.body.errors[0].field).toBe('odometerKm');
    const settled = await call('POST', `/buyback/contracts/${contractId}/settlement`, operator.token, body);
    expect(settled.status).toBe(201);
    const s = settled.body;
    const sum = (xs: Array<{ amount: number }>) => xs.reduce((a, x) => a + x.amount, 0);
    expect(s.total).toBeCloseTo(
      Math.max(0, s.gfv - s.excessCharge - sum(s.damageCharges) - sum(s.missingItems)),
      2,
    );
    expect(s.excessKm).toBe(41_000 - 8 - 40_000);
    expect((await call('GET', `/buyback/contracts/${contractId}/statement`, dealer.token)).body).toEqual(s);
    const pdf = await call('GET', `/buyback/contracts/${contractId}/statement/pdf`, dealer.token);
    expect(pdf.type).toBe('application/pdf');
    const twice = await call('POST', `/buyback/contracts/${contractId}/settlement`, operator.token, body);
    expect(twice.status).toBe(409);
    expect(twice.body.detail).toMatch(/already settled/);
    const list = await call('GET', '/buyback/contracts?state=exercised', dealer.token);
    expect(list.body.items.map((c: { contractId: string }) => c.contractId)).toContain(contractId);
    const vehicle = await call('GET', `/assets/${s.vin}`, operator.token);
    expect(vehicle.body.state).toBe('in_stock');
  });

  it('reports the portfolio, stressed, and re-marks it (operator), in the OpenAPI document', async () => {
    const quote = await call('POST', '/buyback/quotes', dealer.token, {
      make: 'BYD',
      model: 'Seal',
      year: 2026,
      fuel: 'electric',
      newPrice: 259800,
      currency: 'CNY',
      termMonths: 36,
      kmPerYear: 15000,
    });
    await call('POST', '/buyback/contracts', dealer.token, { quoteId: quote.body.quoteId, vin: nextVin() });
    expect((await call('GET', '/buyback/portfolio', dealer.token)).status).toBe(403);
    const book = await call('GET', '/buyback/portfolio', operator.token);
    expect(book.status).toBe(200);
    expect(book.body.cohorts.some((c: { model: string }) => c.model === 'Seal')).toBe(true);
    const stressed = await call('POST', '/buyback/portfolio/stress', operator.token, stress);
    expect(stressed.status).toBe(200);
    const seal = stressed.body.cohorts.find((c: { model: string }) => c.model === 'Seal');
    expect(seal.stressed.expectedLoss).toBeGreaterThan(seal.expectedLoss);
    const run = await call('POST', '/buyback/remarks', operator.token, {});
    expect(run.status).toBe(201);
    const runs = await call('GET', '/buyback/remarks', operator.token);
    expect(runs.body[0].remarkId).toBe(run.body.remarkId);
    expect(
      (await call('GET', `/buyback/remarks/${run.body.remarkId}`, operator.token)).body.marks.length,
    ).toBe(run.body.contracts);
    const doc = (await (await app.request('/openapi.json')).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/buyback/quotes',
        '/buyback/contracts',
        '/buyback/contracts/{id}/settlement',
        '/buyback/portfolio/stress',
      ]),
    );
  });
});
