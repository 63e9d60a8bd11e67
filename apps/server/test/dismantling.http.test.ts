import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { createApp } from '../src/http/app.ts';
import { usccCheckCharacter } from '../src/modules/dismantling/dismantling.model.ts';
import { createParty, localOperator } from '../src/modules/parties/index.ts';
import { createServices } from '../src/services.ts';
import { repoRoot } from './support/cli.ts';
import { describeEachDatabase } from './support/databases.ts';
import { nextBatteryCode, nextVin } from './support/fixtures.ts';

const example = (name: string, vin: string, pack: string) =>
  JSON.parse(
    readFileSync(`${repoRoot}examples/dismantling-${name}.json`, 'utf8')
      .replaceAll('LRW3E7FA2PC123456', vin)
      .replaceAll('04QPEA1JH00012D4J0001201', pack),
  ) as Record<string, unknown>;

describeEachDatabase('dismantling HTTP API', (ctx) => {
  let app: ReturnType<typeof createApp>;
  let dismantler: string;
  let dealer: string;
  const call = async (method: string, path: string, token: string, body?: unknown) => {
    const res = await app.request(path, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return res;
  };

  it('runs an ELV from intake to weighed materials over HTTP', async () => {
    app = createApp({ db: ctx.db, assetHooks: createServices(ctx.db).assetHooks });
    dismantler = (await createParty(ctx.db, localOperator, { name: 'Dismantler H', roles: ['dismantler'] }))
      .token;
    dealer = (await createParty(ctx.db, localOperator, { name: 'Dealer H', roles: ['dealer'] })).token;
    const vin = nextVin();
    const pack = nextBatteryCode('pack');
    expect(
      (await call('PUT', '/dismantling/facility', dismantler, { name: 'Facility H', permitNumber: 'P-1' }))
        .status,
    ).toBe(200);

    const intake = await call('POST', '/dismantling/intakes', dismantler, {
      vin,
      massKg: 1760,
      receivedAt: '2026-11-02T01:00:00Z',
      make: 'Tesla',
      model: 'Model 3',
      powertrain: 'bev',
      packCode: pack,
      owner: { name: 'Li Si' },
    });
    expect(intake.status).toBe(201);
    const issued = (await intake.json()) as { certificateNumber: string };
    expect(issued.certificateNumber).toMatch(/^ELV-2026-/);

    const second = await call('POST', '/dismantling/intakes', dismantler, { vin, massKg: 1760 });
    expect(second.status).toBe(409);
    expect(((await second.json()) as { code: string }).code).toBe('certificate_exists');

    const early = await call(
      'POST',
      `/dismantling/vehicles/${vin}/harvest`,
      dismantler,
      example('harvest', vin, pack),
    );
    expect(early.status).toBe(409);
    expect(((await early.json()) as { code: string }).code).toBe('pretreatment_required');

    expect(
      (
        await call(
          'POST',
          `/dismantling/vehicles/${vin}/pretreatment`,
          dismantler,
          example('pretreatment', vin, pack),
        )
      ).status,
    ).toBe(201);
    expect(
      (
        await call('POST', `/dismantling/vehicles/${vin}/deregistration`, dismantler, {
          deregisteredAt: '2026-11-05T02:00:00Z',
        })
      ).status,
    ).toBe(201);
    expect(
      (await call('POST', `/dismantling/vehicles/${vin}/harvest`, dismantler, example('harvest', vin, pack)))
        .status,
    ).toBe(201);
    const weighed = await call(
      'POST',
      `/dismantling/vehicles/${vin}/materials`,
      dismantler,
      example('materials', vin, pack),
    );
    expect(weighed.status).toBe(201);
    expect(await weighed.json()).toMatchObject({
      massKg: 1760,
      recyclabilityRate: 0.9461,
      recoverabilityRate: 0.9689,
    });

    const stock = await call('GET', `/dismantling/parts?model=${encodeURIComponent('model 3')}`, dealer);
    expect(stock.status).toBe(200);
    expect(((await stock.json()) as { items: unknown[] }).items.length).toBeGreaterThanOrEqual(5);

    const sale = await call('POST', `/dismantling/parts/${vin}-R01/sale`, dismantler, {
      buyerPartyId: 'party:workshop-h',
      price: '1100.00',
      soldAt: '2026-11-20T00:00:00Z',
    });
    expect(sale.status).toBe(201);

    const base = '91320500MA1MXK7Q3';
    const outbound = await call('POST', `/dismantling/batteries/${pack}/outbound`, dismantler, {
      toPartyId: 'party:cascade-h',
      receiverName: 'Cascade H',
      receiverCode: base + usccCheckCharacter(base),
      purpose: 'recycling',
      handedOverAt: '2026-11-20T00:00:00Z',
    });
    expect(outbound.status).toBe(201);

    const pdf = await call('GET', `/dismantling/vehicles/${vin}/certificate.pdf`, dismantler);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const label = await call('GET', `/dismantling/parts/${vin}-R02/label.pdf`, dismantler);
    expect(label.headers.get('content-type')).toBe('application/pdf');

    const csv = await call(
      'GET',
      '/dismantling/reports?from=2026-11-01&to=2026-11-30&format=csv',
      dismantler,
    );
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(await csv.text()).toMatch(/^section,/);
    const eu = await call('GET', '/dismantling/reports/eu/2026', dismantler);
    expect(await eu.json()).toMatchObject({ year: 2026, vehiclesTreated: 1 });
    const dossier = await call('GET', `/dismantling/vehicles/${vin}`, dismantler);
    const body = (await dossier.json()) as Record<string, unknown>;
    expect(body.stage).toBe('dismantled');
    expect(JSON.stringify(body)).not.toContain('Li Si');
  });

  it('answers a refusal with 422 and the reasons; bad input and missing rights as problems', async () => {
    const refused = await call('POST', '/dismantling/intakes', dismantler, {
      vin: nextVin(),
      massKg: 1500,
      flags: ['mortgaged'],
    });
    expect(refused.status).toBe(422);
    expect(await refused.json()).toMatchObject({
      refused: true,
      reasons: [{ code: 'mortgaged_or_pledged' }],
    });

    const bad = await call('POST', '/dismantling/intakes', dismantler, {
      vin: nextVin(),
      massKg: -3,
      flags: ['drunk'],
    });
    expect(bad.status).toBe(400);
    const problem = (await bad.json()) as { errors: Array<{ field: string }> };
    expect(problem.errors.map((e) => e.field)).toEqual(expect.arrayContaining(['massKg', 'flags.0']));

    expect(
      (await call('POST', '/dismantling/intakes', dealer, { vin: nextVin(), massKg: 1500 })).status,
    ).toBe(403);
    const report = await call('GET', '/dismantling/reports?from=2026-11-01', dismantler);
    expect(report.status).toBe(400);

    const openapi = (await (await app.request('/openapi.json')).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(openapi.paths)).toEqual(
      expect.arrayContaining([
        '/dismantling/intakes',
        '/dismantling/vehicles/{vin}/harvest',
        '/dismantling/reports',
      ]),
    );
  });
});
