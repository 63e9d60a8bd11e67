import { expect, it } from 'vitest';
import { createApp } from '../src/http/app.ts';
import { newRouter } from '../src/http/context.ts';
import { toProblem } from '../src/http/problem.ts';
import { exampleCascadeCode, seedRemovedPack } from '../src/modules/batteries/batteries.examples.ts';
import { batteriesRouter, passportPublicPaths } from '../src/modules/batteries/batteries.routes.ts';
import { createParty, localOperator } from '../src/modules/parties/index.ts';
import { createServices } from '../src/services.ts';
import { describeEachDatabase } from './support/databases.ts';

describeEachDatabase('batteries and passports over HTTP', (ctx) => {
  let app: ReturnType<typeof createApp>;
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const call = (method: string, path: string, token?: string, body?: unknown) =>
    app.request(path, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });

  it('tests, grades and repurposes a battery through the API; every step in the log', async () => {
    app = createApp({ db: ctx.db, assetHooks: createServices(ctx.db).assetHooks });
    for (const [name, role] of [
      ['repurposer', 'battery_repurposer'],
      ['recycler', 'recycler'],
      ['dealer', 'dealer'],
      ['regulator', 'regulator'],
    ] as const) {
      const party = await createParty(ctx.db, localOperator, { name: `HTTP ${name}`, roles: [role] });
      tokens[name] = party.token;
      ids[name] = party.id;
    }
    const { code } = await seedRemovedPack(ctx.db, { energyKwh: 60, massKg: 420 });
    ids.pack = code;
    const test = await call('POST', `/batteries/${code}/soh-tests`, tokens.repurposer, {
      testedAt: '2030-05-10T02:00:00Z',
      testerPartyId: ids.repurposer,
      method: 'capacity_discharge',
      measuredEnergyKwh: 45,
      resistanceSpreadPercent: 8,
    });
    expect(test.status).toBe(201);
    expect(await test.json()).toMatchObject({ sohPercent: 75 });
    const grade = await call('POST', `/batteries/${code}/grades`, tokens.repurposer, {
      gradedAt: '2030-05-11T02:00:00Z',
      graderPartyId: ids.repurposer,
    });
    expect(grade.status).toBe(201);
    expect(await grade.json()).toMatchObject({ route: 'cascade_stationary_storage', grade: 'B' });

    const wrong = await call('POST', '/cascade-products', tokens.repurposer, {
      newCode: `${exampleCascadeCode('pack').slice(0, 18)}X`,
      sourceCodes: [code],
      operatorPartyId: ids.repurposer,
      application: 'energy_storage',
      repurposedAt: '2030-06-01T00:00:00Z',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.headers.get('content-type')).toBe('application/problem+json');
    expect(((await wrong.json()) as { errors: Array<{ field: string }> }).errors[0]!.field).toBe(
      'newCode.cascadeProductType',
    );

    const denied = await call('POST', '/cascade-products', tokens.dealer, {
      newCode: exampleCascadeCode('pack'),
      sourceCodes: [code],
      operatorPartyId: ids.repurposer,
      application: 'energy_storage',
      repurposedAt: '2030-06-01T00:00:00Z',
    });
    expect(denied.status).toBe(403);

    ids.product = exampleCascadeCode('pack');
    const made = await call('POST', '/cascade-products', tokens.repurposer, {
      newCode: ids.product,
      sourceCodes: [code],
      operatorPartyId: ids.repurposer,
      application: 'energy_storage',
      repurposedAt: '2030-06-01T00:00:00Z',
    });
    expect(made.status).toBe(201);
    const dossier = (await (await call('GET', `/batteries/${code}`, tokens.regulator)).json()) as {
      state: string;
      cascade: { usedIn: { productCode: string } };
      events: Array<{ type: string }>;
    };
    expect(dossier.state).toBe('repurposed');
    expect(dossier.cascade.usedIn.productCode).toBe(ids.product);
    expect(dossier.events.map((e) => e.type)).toContain('battery.repurposed');
  });

  it('shows the passport at the caller’s access level and refuses a higher one', async () => {
    const pub = (await (
      await call('GET', `/batteries/${ids.product}/passport?access=public`, tokens.dealer)
    ).json()) as Record<string, Record<string, unknown>>;
    expect(pub.GeneralProductInformation!.batteryStatus).toBeUndefined();
    const legit = (await (
      await call('GET', `/batteries/${ids.product}/passport`, tokens.recycler)
    ).json()) as Record<string, unknown> & { GeneralProductInformation: Record<string, unknown> };
    expect(legit.access).toBe('legitimate-interest');
    expect(legit.GeneralProductInformation.batteryStatus).toBe('Repurposed');
    expect(
      (await call('GET', `/batteries/${ids.product}/passport?access=authority`, tokens.recycler)).status,
    ).toBe(403);
    expect(
      (await call('GET', `/batteries/${ids.product}/passport?access=root`, tokens.recycler)).status,
    ).toBe(400);
    const exported = await call(
      'GET',
      `/batteries/${ids.product}/passport/export?format=catenax`,
      tokens.regulator,
    );
    expect(exported.status).toBe(200);
    expect(await exported.json()).toMatchObject({ validation: { valid: true, version: '6.1.0' } });
  });

  it('serves the public passport and its QR codes without a token', async () => {
    // The same router the app mounts, behind a bare app without the token middleware.
    const bare = newRouter();
    bare.onError((error, c) => toProblem(error, c));
    bare.use('*', async (c, next) => {
      c.set('db', ctx.db);
      await next();
    });
    bare.route('/', batteriesRouter);
    const path = `/passports/${ids.product}`;
    expect(passportPublicPaths.some((p) => p.test(path))).toBe(true);
    expect(passportPublicPaths.some((p) => p.test(`${path}/qr.svg`))).toBe(true);
    expect(passportPublicPaths.some((p) => p.test(`/batteries/${ids.product}/passport`))).toBe(false);
    const view = await bare.request(path);
    expect(view.status).toBe(200);
    expect(await view.json()).toMatchObject({ access: 'public', productIdentifier: ids.product });
    const png = await bare.request(`${path}/qr.png`);
    expect(png.headers.get('content-type')).toBe('image/png');
    const svg = await bare.request(`${path}/qr.svg`);
    expect(await svg.text()).toContain('<svg');
    expect((await bare.request('/passports/NOPE')).status).toBe(400);
    expect((await bare.request(`/passports/${ids.product!.slice(0, 10)}0000099RP`)).status).toBe(404);
  });

  it('answers 410 with the end-of-life record for a recycled battery, and refuses an impossible lot', async () => {
    const { code } = await seedRemovedPack(ctx.db, { chemistry: 'LFP', energyKwh: 50, massKg: 380 });
    await call('POST', `/batteries/${code}/soh-tests`, tokens.recycler, {
      testedAt: '2030-05-10T02:00:00Z',
      testerPartyId: ids.recycler,
      method: 'capacity_discharge',
      measuredEnergyKwh: 20,
    });
    await call('POST', `/batteries/${code}/grades`, tokens.recycler, {
      gradedAt: '2030-05-11T02:00:00Z',
      graderPartyId: ids.recycler,
    });
    const recycled = await call('POST', `/batteries/${code}/recycling`, tokens.recycler, {
      recycledAt: '2030-06-01T00:00:00Z',
      recyclerPartyId: ids.recycler,
      process: 'hydrometallurgical',
    });
    expect(recycled.status).toBe(201);
    const gone = await call('GET', `/batteries/${code}/passport`, tokens.recycler);
    expect(gone.status).toBe(410);
    expect(await gone.json()).toMatchObject({
      passportStatus: 'ceased',
      endOfLife: { process: 'hydrometallurgical' },
    });
    const lot = await call('POST', '/recovered-lots', tokens.recycler, {
      material: 'lithium',
      form: 'carbonate',
      massKg: 40,
      process: 'hydrometallurgical',
      recyclerPartyId: ids.recycler,
      recoveredAt: '2030-06-10T00:00:00Z',
      sourceCodes: [code],
    });
    expect(lot.status).toBe(400);
    const problem = (await lot.json()) as { code: string; errors: Array<{ field: string; message: string }> };
    expect(problem.code).toBe('recovered_mass_exceeds_content');
    expect(problem.errors[0]!.message).toContain('at most 4.45 kg of lithium');
  });

  it('lists its paths in the OpenAPI document', async () => {
    const doc = (await (await call('GET', '/openapi.json')).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/batteries/{code}/soh-tests',
        '/batteries/{code}/grades',
        '/cascade-products',
        '/recovered-lots',
        '/mass-balance',
        '/batteries/{code}/passport',
        '/batteries/{code}/passport/export',
        '/passports/{code}',
        '/passports/{code}/qr.png',
        '/traceability/report',
      ]),
    );
  });
});
