import { expect, it } from 'vitest';
import { registerAsset } from '../src/modules/assets/index.ts';
import { appendEvents, localSubmitter, subjectHistory } from '../src/modules/ledger/index.ts';
import { examplePayloads } from '../src/modules/lifecycle/index.ts';
import { localOperator, type Principal } from '../src/modules/parties/index.ts';
import {
  activateModel,
  appraise,
  fitLearnedModel,
  forecast,
  getActiveModel,
  getValuation,
  listModels,
  listValuations,
  registerModel,
  remarkPortfolio,
  requireActiveModel,
  syntheticTransactions,
  valuationConfig,
  valueRequest,
  valueVehicle,
} from '../src/modules/valuation/index.ts';
import { DomainError } from '../src/shared/errors.ts';
import { countRows, describeEachDatabase } from './support/databases.ts';
import { nextVin } from './support/fixtures.ts';

const sohTable = valuationConfig().batterySoh;
const transactions = syntheticTransactions({ n: 900, seed: 21, sohTable });
const artefact = fitLearnedModel(transactions, { sohTable, createdAt: '2026-02-01T00:00:00Z' });
const dealer: Principal = { partyId: 'party-dealer', name: 'Dealer', roles: ['dealer'] };
const regulator: Principal = { partyId: 'party-reg', name: 'Regulator', roles: ['regulator'] };

describeEachDatabase('valuation service', (ctx) => {
  it('refuses a forecast on a fresh database with the instruction to fit a model', async () => {
    expect(await getActiveModel(ctx.db, 'CNY')).toBeNull();
    const request = {
      make: 'BYD',
      model: 'Seal',
      year: 2025,
      currency: 'CNY',
      atDate: '2028-06-30',
      odometerKm: 60_000,
    };
    await expect(requireActiveModel(ctx.db, 'CNY')).rejects.toMatchObject({
      code: 'no_valuation_model',
      message: expect.stringContaining('npx carloop valuation fit --transactions'),
    });
    await expect(forecast(ctx.db, dealer, request)).rejects.toBeInstanceOf(DomainError);
    expect((await countRows(ctx.db, ['valuations'])).valuations).toBe(0);
  });

  it('registers models, keeps one active per currency, and lists them', async () => {
    await expect(registerModel(ctx.db, dealer, artefact)).rejects.toMatchObject({
      code: 'permission_denied',
    });
    await expect(registerModel(ctx.db, localOperator, { not: 'a model' })).rejects.toMatchObject({
      code: 'invalid_model',
    });
    const first = await registerModel(ctx.db, localOperator, artefact, {
      activate: true,
      comparables: transactions,
    });
    expect(first).toMatchObject({
      modelVersion: artefact.modelVersion,
      currency: 'CNY',
      active: true,
      rowsUsed: 900,
    });
    const other = fitLearnedModel(transactions.slice(0, 600), {
      sohTable,
      createdAt: '2026-02-02T00:00:00Z',
    });
    await registerModel(ctx.db, localOperator, other);
    const listed = await listModels(ctx.db, regulator, { limit: 10 });
    expect(listed.map((m) => [m.modelVersion, m.active])).toEqual(
      [
        [artefact.modelVersion, true],
        [other.modelVersion, false],
      ].sort(),
    );
    await activateModel(ctx.db, localOperator, other.modelVersion);
    expect((await getActiveModel(ctx.db, 'CNY'))!.version).toBe(other.modelVersion);
    await activateModel(ctx.db, localOperator, artefact.modelVersion);
    expect((await requireActiveModel(ctx.db, 'CNY')).version).toBe(artefact.modelVersion);
    expect((await countRows(ctx.db, ['valuation_transactions'])).valuation_transactions).toBe(900);
  });

  it('stores an appraisal with its inputs and result', async () => {
    const stored = await appraise(ctx.db, dealer, { findings: [{ item: 'E01', result: 'fail' }] });
    expect(stored.total).toBe(94);
    const record = await getValuation(ctx.db, regulator, stored.id);
    expect(record).toMatchObject({ kind: 'appraisal', createdBy: 'party-dealer', modelVersion: null });
    expect((record.result as { total: number }).total).toBe(94);
    await expect(appraise(ctx.db, regulator, {})).rejects.toMatchObject({ code: 'permission_denied' });
  });

  it('values a vehicle with every method, stores it with the model version, and refuses what it cannot value', async () => {
    const request = valueRequest.parse({
      vehicle: {
        make: 'Toyota',
        model: 'Corolla',
        year: 2021,
        odometerKm: 60_000,
        currency: 'CNY',
        newPrice: 119_800,
      },
      valuationDate: '2025-06-01',
      composite: { K1: 'good', K2: 'good', K3: 'domestic_famous', K4: 'private', K5: 'good' },
    });
    const result = await valueVehicle(ctx.db, dealer, request);
    expect(result.methods.map((m) => [m.method, m.applicable])).toEqual([
      ['learned', true],
      ['marketComparison', true],
      ['replacementCost', true],
    ]);
    expect(result.modelVersion).toBe(artefact.modelVersion);
    const market = result.methods[1]!.detail as { comparables: Array<{ id: string }> };
    expect(market.comparables[0]!.id).toMatch(new RegExp(`^${artefact.modelVersion}:\\d+$`));
    const stored = await getValuation(ctx.db, dealer, result.id);
    expect(stored).toMatchObject({ kind: 'valuation', modelVersion: artefact.modelVersion, currency: 'CNY' });
    expect(stored.p50Minor).toBe(Math.round(result.final.p50 * 100));
    expect(stored.inputs).toMatchObject({ vehicle: { make: 'Toyota' } });

    const unknown = valueRequest.parse({
      vehicle: { make: 'Lada', model: 'Niva', year: 2018, odometerKm: 90_000, currency: 'CNY' },
    });
    await expect(valueVehicle(ctx.db, dealer, unknown)).rejects.toMatchObject({
      code: 'no_comparable_data',
      message: expect.stringContaining('unknown model with no comparable data'),
    });
  });

  it('appends a vehicle.appraised event for a registered vehicle in the same transaction', async () => {
    const vin = nextVin();
    await registerAsset(ctx.db, localOperator, {
      kind: 'vehicle',
      vin,
      make: 'BYD',
      model: 'Seal',
      modelYear: 2023,
      powertrain: 'bev',
      newPrice: '229800.00',
      currency: 'CNY',
    });
    // On the road first: vehicle.appraised applies to a vehicle in service.
    await appendEvents(
      ctx.db,
      localSubmitter,
      (['vehicle.produced', 'vehicle.sold', 'vehicle.registered'] as const).map((type, i) => ({
        type,
        subject: { kind: 'vehicle' as const, id: vin },
        occurredAt: `2023-0${i + 4}-01T00:00:00Z`,
        payload: examplePayloads[type] as Record<string, unknown>,
      })),
    );
    const request = valueRequest.parse({
      vehicle: { vin, odometerKm: 41_000, soh: 0.9 },
      valuationDate: '2025-10-01',
      inspection: { findings: [{ item: 'B13', defect: 'HH', severity: 2 }] },
      priceBasis: 'c2b',
      recordEvent: true,
    });
    const result = await valueVehicle(ctx.db, localOperator, request);
    expect(result.vehicle).toMatchObject({
      make: 'BYD',
      model: 'Seal',
      year: 2023,
      fuel: 'electric',
      newPrice: 229_800,
    });
    expect(result.ledgerEvent).toMatchObject({ type: 'vehicle.appraised' });
    expect(result.ledgerEvent!.seq).toEqual(expect.any(Number));
    const history = await subjectHistory(ctx.db, localOperator, vin);
    const event = (
      history as unknown as { events: Array<{ type: string; payload: Record<string, unknown> }> }
    ).events.at(-1)!;
    expect(event.type).toBe('vehicle.appraised');
    expect(event.payload).toMatchObject({
      score: 99,
      grade: 1,
      priceBasis: 'c2b',
      valuationId: result.id,
      value: { amountMinor: Math.round(result.final.p50 * 100), currency: 'CNY' },
    });
    expect((await listValuations(ctx.db, dealer, { vehicleId: vin, limit: 10 })).map((v) => v.id)).toEqual([
      result.id,
    ]);

    await expect(
      valueVehicle(
        ctx.db,
        localOperator,
        valueRequest.parse({ vehicle: { vin, odometerKm: 41_000 }, recordEvent: true }),
      ),
    ).rejects.toMatchObject({ code: 'cannot_record_event' });
  });

  it('forecasts and re-marks a portfolio, storing both', async () => {
    const f = await forecast(ctx.db, dealer, {
      make: 'Tesla',
      model: 'Model Y',
      year: 2025,
      fuel: 'electric',
      currency: 'CNY',
      atDate: '2028-06-30',
      odometerKm: 60_000,
      newPrice: 263_900,
    });
    expect(f.p10).toBeLessThan(f.p50);
    expect(f.p50).toBeLessThan(f.p90);
    expect(f.modelVersion).toBe(artefact.modelVersion);
    expect((await getValuation(ctx.db, dealer, f.id)).kind).toBe('forecast');
    const remark = await remarkPortfolio(ctx.db, dealer, {
      atDate: '2027-01-01',
      currency: 'CNY',
      vehicles: [
        { id: 'a', make: 'BYD', model: 'Seal', year: 2025, odometerKm: 30_000 },
        { id: 'b', make: 'Lada', model: 'Niva', year: 2020, odometerKm: 30_000 },
      ],
    });
    expect(remark.valued).toBe(1);
    expect(remark.refused).toBe(1);
    expect(remark.vehicles[1]).toMatchObject({
      id: 'b',
      p50: null,
      reason: expect.stringContaining('no comparable data'),
    });
    expect(remark.total.p50).toBe(remark.vehicles[0]!.p50);
    expect((await listValuations(ctx.db, regulator, { kind: 'remark', limit: 10 })).length).toBe(1);
  });
});
