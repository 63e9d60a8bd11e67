import { expect, it } from 'vitest';
import {
  contentsAt,
  getAsset,
  link,
  listAssets,
  locationAt,
  registerAsset,
  registerAssets,
  unlink,
} from '../src/modules/assets/index.ts';
import { localOperator } from '../src/modules/parties/index.ts';
import { countRows, describeEachDatabase } from './support/databases.ts';
import { nextBatteryCode, nextVin, vehicleInput } from './support/fixtures.ts';

const assetTables = ['assets', 'vehicles', 'batteries', 'parts', 'material_lots', 'composition_links'];

describeEachDatabase('assets service', (ctx) => {
  it('registers a vehicle with money in minor units and shows it in major units', async () => {
    const input = vehicleInput();
    const view = await registerAsset(ctx.db, localOperator, input);
    expect(view).toMatchObject({
      id: input.vin,
      kind: 'vehicle',
      state: 'registered',
      make: 'BYD',
      newPrice: 259800,
      currency: 'CNY',
    });
    const row = await ctx.db.kysely
      .selectFrom('vehicles')
      .selectAll()
      .where('asset_id', '=', input.vin)
      .executeTakeFirstOrThrow();
    expect(Number(row.new_price_minor)).toBe(25980000);
  });

  it('registers battery packs, modules and cells, parts and material lots', async () => {
    const pack = await registerAsset(ctx.db, localOperator, {
      kind: 'battery-pack',
      code: nextBatteryCode('pack'),
      ratedCapacityKwh: 82.5,
      massKg: 480,
    });
    expect(pack).toMatchObject({
      kind: 'battery-pack',
      productType: 'pack',
      chemistry: 'NCM',
      ratedCapacityKwh: 82.5,
    });
    const part = await registerAsset(ctx.db, localOperator, {
      kind: 'part',
      partNumber: 'ENG-2.0T',
      serial: 'E123',
      assemblyType: 'engine',
      massKg: 140,
    });
    expect(part).toMatchObject({ id: 'ENG-2.0T/E123', fiveAssembly: true, assemblyType: 'engine' });
    const lot = await registerAsset(ctx.db, localOperator, {
      kind: 'material-lot',
      id: 'LOT-LI-0001',
      material: 'lithium carbonate',
      massKg: 1200,
    });
    expect(lot).toMatchObject({ id: 'LOT-LI-0001', material: 'lithium carbonate', massKg: 1200 });
  });

  it('rejects invalid VINs, battery codes of the wrong kind, unknown fields and duplicates — and writes nothing', async () => {
    const existing = vehicleInput();
    await registerAsset(ctx.db, localOperator, existing);
    const before = await countRows(ctx.db, assetTables);
    const bad = async (raw: unknown) =>
      registerAsset(ctx.db, localOperator, raw).then(
        () => null,
        (e) => e,
      );
    expect((await bad({ ...vehicleInput(), vin: 'LFV2A21K0PA00000I' })).errors[0].field).toMatch(/^vin/);
    expect((await bad({ ...vehicleInput(), vin: 'lfv2a21k6pa000001' })).errors[0].field).toMatch(/^vin/);
    expect((await bad({ ...vehicleInput(), colour: 'red' })).errors[0].field).toBe('colour');
    expect((await bad({ ...vehicleInput(), modelYear: 'new' })).errors[0].field).toBe('modelYear');
    expect((await bad({ ...vehicleInput(), newPrice: '12.345', currency: 'CNY' })).errors[0].field).toBe(
      'newPrice',
    );
    expect((await bad({ kind: 'battery-module', code: nextBatteryCode('pack') })).errors[0].field).toBe(
      'kind',
    );
    expect((await bad({ kind: 'battery-pack', code: 'X12MCPM27KLPCLX2M238232' })).errors[0].field).toBe(
      'code',
    );
    const dup = await bad(existing);
    expect(dup).toMatchObject({ kind: 'conflict', code: 'duplicate_asset' });
    expect(await countRows(ctx.db, assetTables)).toEqual(before);
  });

  it('imports a batch all-or-nothing, or partially when asked, reporting each rejected item', async () => {
    const good = [vehicleInput(), vehicleInput()];
    const batch = [good[0], { ...vehicleInput(), powertrain: 'steam' }, good[1], good[0]];
    const before = await countRows(ctx.db, assetTables);
    const strict = await registerAssets(ctx.db, localOperator, batch);
    expect(strict.registered).toHaveLength(0);
    expect(strict.rejected.map((r) => r.index)).toEqual([1, 3]);
    expect(strict.rejected[0]!.errors[0]!.field).toBe('powertrain');
    expect(strict.rejected[1]!.errors[0]!.message).toMatch(/twice/);
    expect(await countRows(ctx.db, assetTables)).toEqual(before);
    const partial = await registerAssets(ctx.db, localOperator, batch, { partial: true });
    expect(partial.registered.map((r) => r.id)).toEqual([good[0]!.vin, good[1]!.vin]);
    expect(partial.rejected).toHaveLength(2);
  });

  it('keeps a composition graph with validity intervals and answers contents/location at a time', async () => {
    const vin = nextVin();
    await registerAsset(ctx.db, localOperator, vehicleInput(vin));
    const [pack, mod, cell] = [nextBatteryCode('pack'), nextBatteryCode('module'), nextBatteryCode('cell')];
    await registerAssets(ctx.db, localOperator, [
      { kind: 'battery-pack', code: pack },
      { kind: 'battery-module', code: mod },
      { kind: 'battery-cell', code: cell },
    ]);
    await link(ctx.db, localOperator, { parentId: mod, childId: cell, validFrom: '2024-05-20T00:00:00Z' });
    await link(ctx.db, localOperator, { parentId: pack, childId: mod, validFrom: '2024-05-21T00:00:00Z' });
    await link(ctx.db, localOperator, { parentId: vin, childId: pack, validFrom: '2024-06-01T00:00:00Z' });
    await unlink(ctx.db, localOperator, { childId: pack, validTo: '2030-01-01T00:00:00Z' });

    const inUse = await contentsAt(ctx.db, localOperator, vin, '2025-01-01T00:00:00Z');
    expect(inUse.children[0]).toMatchObject({
      id: pack,
      kind: 'battery-pack',
      children: [{ id: mod, children: [{ id: cell }] }],
    });
    expect((await contentsAt(ctx.db, localOperator, vin, '2024-05-31T00:00:00Z')).children).toEqual([]);
    expect((await contentsAt(ctx.db, localOperator, vin, '2031-01-01T00:00:00Z')).children).toEqual([]);

    const where = await locationAt(ctx.db, localOperator, cell, '2025-01-01T00:00:00Z');
    expect(where.within.map((w) => w.id)).toEqual([mod, pack, vin]);
    expect(
      (await locationAt(ctx.db, localOperator, cell, '2030-06-01T00:00:00Z')).within.map((w) => w.id),
    ).toEqual([mod, pack]);
    expect((await getAsset(ctx.db, localOperator, mod)).parent).toMatchObject({ id: pack });
  });

  it('refuses a cell in two packs at once, overlapping intervals and impossible nestings, changing nothing', async () => {
    const [packA, packB, cell] = [nextBatteryCode('pack'), nextBatteryCode('pack'), nextBatteryCode('cell')];
    await registerAssets(ctx.db, localOperator, [
      { kind: 'battery-pack', code: packA },
      { kind: 'battery-pack', code: packB },
      { kind: 'battery-cell', code: cell },
    ]);
    await link(ctx.db, localOperator, { parentId: packA, childId: cell, validFrom: '2024-01-01T00:00:00Z' });
    const before = await countRows(ctx.db, assetTables);
    await expect(
      link(ctx.db, localOperator, { parentId: packB, childId: cell, validFrom: '2024-02-01T00:00:00Z' }),
    ).rejects.toMatchObject({
      code: 'already_composed',
      errors: [expect.objectContaining({ field: 'childId' })],
    });
    await unlink(ctx.db, localOperator, { childId: cell, validTo: '2024-03-01T00:00:00Z' });
    await expect(
      link(ctx.db, localOperator, { parentId: packB, childId: cell, validFrom: '2024-02-15T00:00:00Z' }),
    ).rejects.toMatchObject({
      code: 'overlapping_composition',
    });
    await expect(link(ctx.db, localOperator, { parentId: cell, childId: packA })).rejects.toMatchObject({
      code: 'invalid_composition',
    });
    await expect(
      link(ctx.db, localOperator, { parentId: packB, childId: cell, validFrom: 'yesterday' }),
    ).rejects.toMatchObject({
      errors: [expect.objectContaining({ field: 'validFrom' })],
    });
    await link(ctx.db, localOperator, { parentId: packB, childId: cell, validFrom: '2024-03-01T00:00:00Z' });
    expect((await countRows(ctx.db, assetTables)).composition_links).toBe(before.composition_links! + 1);
  });

  it('lists by kind and state with cursor paging', async () => {
    const all = await listAssets(ctx.db, localOperator, { kind: 'vehicle', limit: 1000 });
    const first = await listAssets(ctx.db, localOperator, { kind: 'vehicle', limit: 2 });
    const second = await listAssets(ctx.db, localOperator, {
      kind: 'vehicle',
      limit: 2,
      after: first[1]!.id,
    });
    expect([...first, ...second].map((a) => a.id)).toEqual(all.slice(0, 4).map((a) => a.id));
    expect(all.every((a) => a.kind === 'vehicle' && a.state === 'registered')).toBe(true);
    expect(
      await listAssets(ctx.db, localOperator, { kind: 'vehicle', state: 'dismantled', limit: 10 }),
    ).toEqual([]);
  });
});
