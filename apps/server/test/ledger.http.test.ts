import {
  decodeBase64,
  decodeEntryBundle,
  decodeHashTile,
  leafHash,
  openCheckpoint,
  verifyHistoryBundle,
  verifyInclusion,
} from '@carloop/ledger';
import { ed25519 } from '@noble/curves/ed25519.js';
import { expect, it } from 'vitest';
import { createApp } from '../src/http/app.ts';
import { registerAssets } from '../src/modules/assets/index.ts';
import { signBatch } from '../src/modules/ledger/index.ts';
import { exampleIds } from '../src/modules/lifecycle/index.ts';
import { createParty, localOperator } from '../src/modules/parties/index.ts';
import { createServices } from '../src/services.ts';
import { describeEachDatabase } from './support/databases.ts';
import { exampleAssets, linesOf, vehicleLife } from './support/ledger-fixtures.ts';

describeEachDatabase('ledger HTTP API', (ctx) => {
  let app: ReturnType<typeof createApp>;
  let oem: { id: string; token: string };
  const call = (method: string, path: string, token?: string, body?: unknown) =>
    app.request(path, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });

  it('appends with a token and answers with the new signed checkpoint', async () => {
    app = createApp({ db: ctx.db, assetHooks: createServices(ctx.db).assetHooks });
    await registerAssets(ctx.db, localOperator, exampleAssets);
    oem = await createParty(ctx.db, localOperator, { name: 'OEM HTTP', roles: ['oem'] });
    const res = await call('POST', '/ledger/events', oem.token, { events: linesOf(vehicleLife, 0, 5) });
    expect(res.status).toBe(201);
    const body = (await res.json()) as {
      appended: number;
      checkpoint: { note: string; vkey: string; size: number };
    };
    expect(body.appended).toBe(5);
    expect(openCheckpoint(body.checkpoint.note, body.checkpoint.vkey).size).toBe(5);
    expect(
      (await call('POST', '/ledger/events', undefined, { events: linesOf(vehicleLife, 5, 6) })).status,
    ).toBe(401);
  });

  it('reports the line and reason of a bad event and appends nothing', async () => {
    const lines = linesOf(vehicleLife, 5, 7);
    lines[1] = { ...lines[1]!, type: 'vehicle.teleported' as never };
    const res = await call('POST', '/ledger/events', oem.token, { events: lines });
    expect(res.status).toBe(400);
    const problem = (await res.json()) as { errors: Array<{ line: number; field: string }> };
    expect(problem.errors[0]).toMatchObject({ line: 2, field: 'type' });
    expect(((await (await call('GET', '/ledger/checkpoint')).json()) as { size: number }).size).toBe(5);
  });

  it('accepts signed batches without a token; refuses a forged one', async () => {
    const secret = new Uint8Array(32).fill(3);
    const signer = await createParty(ctx.db, localOperator, {
      name: 'Signer',
      roles: ['oem'],
      publicKey: Buffer.from(ed25519.getPublicKey(secret)).toString('base64'),
    });
    const batch = signBatch(linesOf(vehicleLife, 5, 8), signer.id, secret);
    expect((await call('POST', '/ledger/batches', undefined, batch)).status).toBe(201);
    const forged = { ...batch, events: linesOf(vehicleLife, 8, 9) };
    const res = await call('POST', '/ledger/batches', undefined, forged);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 'bad_signature' });
  });

  it('serves the checkpoint, tiles and entry bundles of the tlog-tiles layout with caching headers', async () => {
    const odometer = linesOf(vehicleLife, 4, 5)[0]!;
    const many = Array.from({ length: 260 }, (_, i) => ({
      ...odometer,
      occurredAt: new Date(Date.parse('2026-03-01T00:00:00Z') + i * 60000).toISOString(),
      payload: { ...odometer.payload, odometerKm: 20000 + i },
    }));
    expect((await call('POST', '/ledger/events', oem.token, { events: many })).status).toBe(201);
    const note = await (await call('GET', '/log/checkpoint')).text();
    const { vkey } = (await (await call('GET', '/ledger/checkpoint')).json()) as { vkey: string };
    const cp = openCheckpoint(note, vkey);
    expect(cp.size).toBe(268);
    const tile = await call('GET', '/log/tile/0/000');
    expect(tile.status).toBe(200);
    expect(tile.headers.get('cache-control')).toContain('immutable');
    const hashes = decodeHashTile(new Uint8Array(await tile.arrayBuffer()));
    expect(hashes).toHaveLength(256);
    const bundle = await call('GET', '/log/tile/entries/000');
    const entries = decodeEntryBundle(new Uint8Array(await bundle.arrayBuffer()));
    expect(entries).toHaveLength(256);
    expect(Buffer.from(leafHash(entries[7]!)).equals(Buffer.from(hashes[7]!))).toBe(true);
    const partial = await call('GET', '/log/tile/entries/001.p/12');
    expect(partial.status).toBe(200);
    expect(partial.headers.get('cache-control')).not.toContain('immutable');
    expect((await call('GET', '/log/tile/entries/001.p/13')).status).toBe(404);
    expect((await call('GET', '/log/tile/0/abc')).status).toBe(400);
    const proof = (await (await call('GET', '/ledger/proofs/inclusion?seq=7')).json()) as {
      leafHash: string;
      proof: string[];
      treeSize: number;
    };
    verifyInclusion(
      7,
      proof.treeSize,
      decodeBase64(proof.leafHash),
      proof.proof.map(decodeBase64),
      cp.rootHash,
    );
    const listed = (await (await call('GET', '/ledger/checkpoints?limit=2')).json()) as Array<{
      size: number;
      note: string;
    }>;
    expect(listed.map((c) => c.size)).toEqual([268, 8]);
    const consistency = await call('GET', '/ledger/proofs/consistency?from=5&to=268');
    expect(consistency.status).toBe(200);
  });

  it('gives histories and bundles to token holders, and erases payloads for the operator only', async () => {
    const admin = await createParty(ctx.db, localOperator, { name: 'Operator', roles: ['admin'] });
    const history = (await (
      await call('GET', `/subjects/${exampleIds.vin}/history`, admin.token)
    ).json()) as {
      events: Array<{ id: string; payloadStatus: string }>;
    };
    expect(history.events.length).toBeGreaterThan(260);
    const bundle = await (await call('GET', `/subjects/${exampleIds.vin}/bundle`, admin.token)).json();
    expect(verifyHistoryBundle(bundle).ok).toBe(true);
    const target = history.events[2]!.id;
    expect((await call('POST', `/ledger/events/${target}/erasure`, oem.token, { reason: 'x' })).status).toBe(
      403,
    );
    expect(
      (await call('POST', `/ledger/events/${target}/erasure`, admin.token, { reason: 'owner request' }))
        .status,
    ).toBe(200);
    const after = await (await call('GET', `/subjects/${exampleIds.vin}/bundle`, admin.token)).json();
    const verified = verifyHistoryBundle(after);
    expect(verified.ok).toBe(true);
    expect(verified.events[2]!.redacted).toBe(true);
    const audit = (await (await call('GET', '/ledger/audit', admin.token)).json()) as { ok: boolean };
    expect(audit.ok).toBe(true);
    const publicBundle = await call('GET', `/public/subjects/${exampleIds.vin}/bundle`);
    expect(publicBundle.status).toBe(200);
    const publicResult = verifyHistoryBundle(await publicBundle.json());
    expect(publicResult.ok).toBe(true);
    const byType = new Map(publicResult.events.map((e) => [e.type, e]));
    expect(byType.get('vehicle.sold')!.redacted).toBe(true);
    expect(byType.get('vehicle.odometer_read')!.redacted).toBe(false);
    expect((await call('GET', '/public/subjects/NOPE/bundle')).status).toBe(404);
    const types = (await (await call('GET', '/ledger/types')).json()) as Array<{ type: string }>;
    expect(types.map((t) => t.type)).toContain('vehicle.sold');
    const doc = (await (await call('GET', '/openapi.json')).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/ledger/events', '/log/checkpoint', '/log/tile/{L}/{N}']),
    );
  });
});
