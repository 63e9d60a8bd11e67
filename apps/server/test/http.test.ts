import { expect, it } from 'vitest';
import { createApp } from '../src/http/app.ts';
import { createParty, localOperator } from '../src/modules/parties/index.ts';
import { createServices } from '../src/services.ts';
import { countRows, describeEachDatabase } from './support/databases.ts';
import { nextBatteryCode, vehicleInput } from './support/fixtures.ts';

describeEachDatabase('HTTP API', (ctx) => {
  let app: ReturnType<typeof createApp>;
  let admin: string;
  let dealer: string;
  const call = (method: string, path: string, token?: string, body?: unknown, raw?: string) =>
    app.request(path, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined || raw ? { 'content-type': 'application/json' } : {}),
      },
      ...(raw !== undefined ? { body: raw } : body !== undefined ? { body: JSON.stringify(body) } : {}),
    });

  it('serves health, the OpenAPI document and a docs page without a token', async () => {
    app = createApp({ db: ctx.db, assetHooks: createServices(ctx.db).assetHooks, maxBodyBytes: 64 * 1024 });
    admin = (await createParty(ctx.db, localOperator, { name: 'Platform', roles: ['admin'] })).token;
    dealer = (await createParty(ctx.db, localOperator, { name: 'Dealer A', roles: ['dealer'] })).token;
    const health = await call('GET', '/health');
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const doc = (await (await call('GET', '/openapi.json')).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/parties', '/assets', '/assets/{id}', '/composition/links']),
    );
    const docs = await call('GET', '/docs');
    expect(docs.headers.get('content-type')).toMatch(/text\/html/);
    expect(await docs.text()).toContain('/assets/{id}/contents');
  });

  it('requires a valid bearer token and answers problem+json', async () => {
    const missing = await call('GET', '/assets');
    expect(missing.status).toBe(401);
    expect(missing.headers.get('content-type')).toBe('application/problem+json');
    expect(await missing.json()).toMatchObject({ status: 401, code: 'missing_token' });
    expect((await call('GET', '/assets', 'clp_wrong')).status).toBe(401);
  });

  it('creates parties (admin only) and shows the token once', async () => {
    const created = await call('POST', '/parties', admin, { name: 'Recycler R', roles: ['recycler'] });
    expect(created.status).toBe(201);
    const body = (await created.json()) as { id: string; token: string };
    expect(body.token).toMatch(/^clp_/);
    const shown = (await (await call('GET', `/parties/${body.id}`, admin)).json()) as Record<string, unknown>;
    expect(shown.token).toBeUndefined();
    expect((await call('POST', '/parties', dealer, { name: 'X', roles: ['oem'] })).status).toBe(403);
    const badRole = await call('POST', '/parties', admin, { name: 'Y', roles: ['pirate'] });
    expect(badRole.status).toBe(400);
    expect(((await badRole.json()) as { errors: Array<{ field: string }> }).errors[0]!.field).toBe('roles.0');
  });

  it('registers, shows and lists assets; money in major units with currency', async () => {
    const input = vehicleInput();
    const res = await call('POST', '/assets', dealer, input);
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({
      id: input.vin,
      newPrice: 259800,
      currency: 'CNY',
      state: 'registered',
    });
    const shown = await call('GET', `/assets/${input.vin}`, dealer);
    expect(await shown.json()).toMatchObject({ vin: input.vin, parent: null, children: [] });
    const list = (await (await call('GET', '/assets?kind=vehicle&limit=1', dealer)).json()) as {
      items: unknown[];
      next: string | null;
    };
    expect(list.items).toHaveLength(1);
    expect(list.next).not.toBeNull();
    expect((await call('GET', '/assets/NOPE', dealer)).status).toBe(404);
    const counts = (await (await call('GET', '/assets/counts', dealer)).json()) as {
      total: number;
      byKind: Record<string, { total: number }>;
    };
    expect(counts.byKind.vehicle!.total).toBeGreaterThanOrEqual(1);
    expect(counts.total).toBeGreaterThanOrEqual(counts.byKind.vehicle!.total);
    const me = (await (await call('GET', '/me', dealer)).json()) as {
      name: string;
      roles: string[];
      permissions: string[];
    };
    expect(me).toMatchObject({ name: 'Dealer A', roles: ['dealer'] });
    expect(me.permissions).toContain('asset:register:vehicle');
  });

  it('names the field and the reason for bad input, and changes nothing', async () => {
    const before = await countRows(ctx.db, ['assets', 'vehicles', 'batteries', 'composition_links']);
    const malformed = await call('POST', '/assets', dealer, undefined, '{"kind": "vehicle",');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ code: 'malformed_json' });

    const unknownField = await call('POST', '/assets', dealer, { ...vehicleInput(), colour: 'red' });
    expect(unknownField.status).toBe(400);
    expect(((await unknownField.json()) as { errors: Array<{ field: string }> }).errors).toContainEqual({
      field: 'colour',
      message: 'unknown field',
    });

    const wrongType = await call('POST', '/assets', dealer, { ...vehicleInput(), modelYear: '2024' });
    expect(((await wrongType.json()) as { errors: Array<{ field: string }> }).errors[0]!.field).toBe(
      'modelYear',
    );

    const badVin = await call('POST', '/assets', dealer, { ...vehicleInput(), vin: 'LFV2A21K1PA000001' });
    expect(badVin.status).toBe(400);
    expect(((await badVin.json()) as { errors: Array<{ field: string }> }).errors[0]!.field).toMatch(
      /checkDigit|vin/,
    );

    const badCode = await call('POST', '/assets', admin, { kind: 'battery-pack', code: 'cat' });
    expect(((await badCode.json()) as { errors: Array<{ field: string }> }).errors[0]!.field).toBe('code');

    const dealerBattery = await call('POST', '/assets', dealer, {
      kind: 'battery-pack',
      code: nextBatteryCode('pack'),
    });
    expect(dealerBattery.status).toBe(403);

    const huge = await call('POST', '/assets', dealer, { ...vehicleInput(), trim: 'x'.repeat(100 * 1024) });
    expect(huge.status).toBe(413);
    expect(await huge.json()).toMatchObject({ code: 'body_too_large' });

    expect(await countRows(ctx.db, ['assets', 'vehicles', 'batteries', 'composition_links'])).toEqual(before);
  });

  it('answers duplicate registrations and double composition with 409', async () => {
    const input = vehicleInput();
    expect((await call('POST', '/assets', dealer, input)).status).toBe(201);
    const dup = await call('POST', '/assets', dealer, input);
    expect(dup.status).toBe(409);
    expect(((await dup.json()) as { errors: Array<{ field: string }> }).errors[0]!.field).toBe('vin');

    const [a, b, cell] = [nextBatteryCode('pack'), nextBatteryCode('pack'), nextBatteryCode('cell')];
    for (const [kind, code] of [
      ['battery-pack', a],
      ['battery-pack', b],
      ['battery-cell', cell],
    ]) {
      expect((await call('POST', '/assets', admin, { kind, code })).status).toBe(201);
    }
    expect((await call('POST', '/composition/links', admin, { parentId: a, childId: cell })).status).toBe(
      201,
    );
    const twice = await call('POST', '/composition/links', admin, { parentId: b, childId: cell });
    expect(twice.status).toBe(409);
    expect(await twice.json()).toMatchObject({ code: 'already_composed', errors: [{ field: 'childId' }] });
    const contents = (await (await call('GET', `/assets/${a}/contents`, admin)).json()) as {
      children: Array<{ id: string }>;
    };
    expect(contents.children.map((c) => c.id)).toEqual([cell]);
    const location = (await (await call('GET', `/assets/${cell}/location`, admin)).json()) as {
      within: Array<{ id: string }>;
    };
    expect(location.within.map((c) => c.id)).toEqual([a]);
  });
});
