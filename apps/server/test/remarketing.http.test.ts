import { expect, it } from 'vitest';
import { createApp } from '../src/http/app.ts';
import { createParty, localOperator } from '../src/modules/parties/index.ts';
import { createServices } from '../src/services.ts';
import { carOnTheRoad, lightInspection, tradeIn } from './remarketing.fixtures.ts';
import { describeEachDatabase } from './support/databases.ts';
import { nextBatteryCode } from './support/fixtures.ts';

describeEachDatabase('remarketing HTTP API', (ctx) => {
  it('runs a car from intake to decision and sale over HTTP, with problem+json refusals', async () => {
    const app = createApp({ db: ctx.db, assetHooks: createServices(ctx.db).assetHooks });
    const operator = (
      await createParty(ctx.db, localOperator, { name: 'Used cars H', roles: ['used_car_operator'] })
    ).token;
    const dealer = (await createParty(ctx.db, localOperator, { name: 'Dealer RH', roles: ['dealer'] })).token;
    const regulator = (
      await createParty(ctx.db, localOperator, { name: 'Regulator RH', roles: ['regulator'] })
    ).token;
    const call = (method: string, path: string, token: string, body?: unknown) =>
      app.request(path, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    const vin = await carOnTheRoad(ctx.db);

    const intake = await call('POST', '/remarketing/stock', operator, tradeIn(vin));
    expect(intake.status).toBe(201);
    expect(await intake.json()).toMatchObject({ vin, state: 'in_stock', source: 'trade_in' });
    const stock = (await (await call('GET', '/remarketing/stock', operator)).json()) as {
      items: Array<{ vin: string }>;
    };
    expect(stock.items.map((i) => i.vin)).toContain(vin);
    const badState = await call('GET', '/remarketing/stock?state=parked', operator);
    expect(badState.status).toBe(400);

    const appraisal = await call('POST', `/remarketing/stock/${vin}/appraisals`, operator, {
      inspection: lightInspection,
      odometerKm: 41_000,
      battery: { sohPercent: 90, packCode: nextBatteryCode('pack') },
    });
    expect(appraisal.status).toBe(201);
    expect(await appraisal.json()).toMatchObject({ grade: 1, battery: { sohPercent: 90 } });

    const decision = await call('POST', `/remarketing/stock/${vin}/decision`, operator, {});
    expect(decision.status).toBe(200);
    const d = (await decision.json()) as {
      routes: Array<{
        route: string;
        expectedNet: number;
        currency: string;
        allowed: boolean;
        blockedBy: string[];
        breakdown: Array<{ item: string; amount: number }>;
      }>;
      chosen: string;
      reasons: string[];
    };
    expect(d.routes.map((r) => Object.keys(r).sort())).toEqual(
      Array(3).fill(['allowed', 'blockedBy', 'breakdown', 'currency', 'days', 'expectedNet', 'route']),
    );
    expect(d.chosen).toBe('retail');
    expect(d.reasons.length).toBeGreaterThan(0);

    const commitByDealer = await call('POST', `/remarketing/stock/${vin}/decision`, dealer, { commit: true });
    expect(commitByDealer.status).toBe(403);
    expect((await call('GET', '/remarketing/stock', regulator)).status).toBe(403);

    const badCurrency = await call('POST', `/remarketing/stock/${vin}/sale`, operator, {
      price: '150000',
      currency: 'XYZ',
      channel: 'retail',
    });
    expect(badCurrency.status).toBe(400);
    expect(badCurrency.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(await badCurrency.json()).toMatchObject({
      code: 'unknown_currency',
      errors: [{ field: 'currency' }],
    });

    const sold = await call('POST', `/remarketing/stock/${vin}/sale`, operator, {
      price: '150000',
      currency: 'CNY',
      channel: 'retail',
    });
    expect(sold.status).toBe(201);
    const twice = await call('POST', `/remarketing/stock/${vin}/sale`, operator, {
      price: '150000',
      currency: 'CNY',
      channel: 'retail',
    });
    expect(twice.status).toBe(409);
    expect(await twice.json()).toMatchObject({ code: 'already_sold' });

    const csv = await call('GET', '/remarketing/sales?format=csv', operator);
    expect(csv.status).toBe(200);
    const text = await csv.text();
    expect(text.split('\n')[0]).toMatch(
      /^make,model,year,mileage_km,fuel,transmission,engine_l,power_kw,price,currency,sold_at/,
    );
    expect(text).toContain(vin);

    const spec = (await (await app.request('/openapi.json')).json()) as { paths: Record<string, unknown> };
    for (const path of [
      '/remarketing/stock',
      '/remarketing/stock/{vin}/decision',
      '/remarketing/stock/{vin}/sale',
      '/remarketing/ageing',
    ])
      expect(Object.keys(spec.paths)).toContain(path);
  });
});
