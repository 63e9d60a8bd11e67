import { expect, it } from 'vitest';
import type { Db } from '../src/db/database.ts';
import { getAsset, registerAsset } from '../src/modules/assets/index.ts';
import {
  cancelContract,
  contractMarks,
  declineBuyback,
  expireContracts,
  getContract,
  getQuote,
  getStatement,
  issueContract,
  listContracts,
  portfolioExposure,
  quoteGuarantee,
  quotePdf,
  remarkHistory,
  remarkPortfolio,
  statementPdf,
} from '../src/modules/buyback/index.ts';
import { appendEvents, localSubmitter, subjectHistory } from '../src/modules/ledger/index.ts';
import { examplePayloads } from '../src/modules/lifecycle/index.ts';
import { localOperator } from '../src/modules/parties/index.ts';
import type { DomainError } from '../src/shared/errors.ts';
import { settleAndStock } from '../src/workflows/settle-and-stock.ts';
import { fixedValuation, returnInspection } from './buyback.fixtures.ts';
import { countRows, describeEachDatabase } from './support/databases.ts';
import { nextVin } from './support/fixtures.ts';

const at = (iso: string) => () => iso;
const engine = { valuation: fixedValuation };
const buybackTables = [
  'buyback_quotes',
  'buyback_contracts',
  'buyback_contract_transitions',
  'buyback_settlements',
];
const writtenTables = [...buybackTables, 'assets', 'vehicles', 'log_entries'];
const refusal = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: DomainError) => e,
  );

const sealQuote = {
  make: 'BYD',
  model: 'Seal',
  trim: 'AWD Performance',
  year: 2026,
  fuel: 'electric',
  newPrice: '259800.00',
  currency: 'CNY',
  termMonths: 36,
  kmPerYear: 15000,
  soh: 1,
  at: '2026-03-01T00:00:00.000Z',
};

/** Quote, then contract on a fresh VIN sold on 5 March 2026 with 12 km on the clock. */
async function guaranteedSeal(db: Db, overrides: Record<string, unknown> = {}) {
  const quote = await quoteGuarantee(db, localOperator, { ...sealQuote, ...overrides }, engine);
  const vin = nextVin();
  const contract = await issueContract(
    db,
    localSubmitter,
    { quoteId: quote.quoteId, vin, soldAt: '2026-03-05T09:00:00.000Z', odometerKm: 12 },
    { ...engine, clock: at('2026-03-05T10:00:00.000Z') },
  );
  return { quote, contract, vin };
}

const inWindow = { ...engine, clock: at('2029-03-10T08:00:00.000Z') };

describeEachDatabase('buyback service', (ctx) => {
  it('quotes a GFV from the forecast: a quantile less a margin, its expected cost and the buyer view', async () => {
    const quote = await quoteGuarantee(ctx.db, localOperator, sealQuote, engine);
    expect(quote.quoteId).toMatch(/^BQ-20260301-[0-9A-Z]{10}$/);
    expect(quote).toMatchObject({
      currency: 'CNY',
      newPrice: 259800,
      allowanceKm: 45000,
      distanceBandKmPerYear: 15000,
      termEndAt: '2029-03-01T00:00:00.000Z',
      excessRates: [
        { fromKm: 0, ratePerKm: 0.5 },
        { fromKm: 8000, ratePerKm: 0.8 },
      ],
      contractId: null,
    });
    expect(quote.forecast.p50).toBeCloseTo(259800 * 0.52, 0);
    expect(quote.gfv).toBeLessThan(quote.forecast.p50);
    expect(quote.gfv % 100).toBe(0);
    expect(quote.gfvPercent).toBeCloseTo(quote.gfv / 259800, 4);
    expect(quote.expectedCost).toBeGreaterThan(0);
    expect(quote.ownership.withGuarantee.monthlyWorstCase).toBeLessThan(
      quote.ownership.withoutGuarantee.monthlyAtP10,
    );
    expect(quote.trail.map((s) => s.step)).toEqual(
      expect.arrayContaining([
        'product',
        'term',
        'battery',
        'engine: fixed',
        'distribution',
        'gfv',
        'expected cost',
        'ownership',
      ]),
    );
    expect(await getQuote(ctx.db, localOperator, quote.quoteId)).toEqual(quote);
    const pdf = await quotePdf(quote);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('refuses a bad quote naming every field, an unknown model without data, and writes nothing', async () => {
    const before = await countRows(ctx.db, buybackTables);
    const bad = await refusal(
      quoteGuarantee(
        ctx.db,
        localOperator,
        {
          ...sealQuote,
          product: 'GFV-EV-CAUTIOUS',
          fuel: 'steam',
          termMonths: 60,
          kmPerYear: 90_000,
          currency: 'JPY',
        },
        engine,
      ),
    );
    expect(bad.errors.map((e) => e.field).sort()).toEqual(['currency', 'fuel', 'kmPerYear', 'termMonths']);
    const petrolSoh = await refusal(
      quoteGuarantee(ctx.db, localOperator, { ...sealQuote, fuel: 'petrol', soh: 0.9 }, engine),
    );
    expect(petrolSoh.errors[0]!.field).toBe('soh');
    const unknown = await refusal(
      quoteGuarantee(ctx.db, localOperator, { ...sealQuote, make: 'Unknown' }, engine),
    );
    expect(unknown.code).toBe('no_comparable_data');
    expect(await countRows(ctx.db, buybackTables)).toEqual(before);
  });

  it('issues a contract at sale: registers the new VIN, records its creation honestly, the sale with the guarantee', async () => {
    const { quote, contract, vin } = await guaranteedSeal(ctx.db);
    expect(contract).toMatchObject({
      quoteId: quote.quoteId,
      vin,
      state: 'active',
      gfv: quote.gfv,
      allowanceKm: 45000,
      odometerAtSaleKm: 12,
      termEndAt: '2029-03-05T09:00:00.000Z',
      exerciseWindow: { opensAt: '2029-01-04T09:00:00.000Z', closesAt: '2029-04-04T09:00:00.000Z' },
      buyerRef: `customer:${contract.contractId}`,
    });
    expect(contract.history).toEqual([
      expect.objectContaining({ from: null, to: 'active', eventId: contract.saleEventId }),
    ]);
    const vehicle = await getAsset(ctx.db, localOperator, vin);
    expect(vehicle).toMatchObject({
      state: 'sold',
      make: 'BYD',
      model: 'Seal',
      powertrain: 'bev',
      newPrice: 259800,
    });
    const history = await subjectHistory(ctx.db, localOperator, vin);
    expect(history.events.map((e) => e.type)).toEqual([
      'vehicle.produced',
      'vehicle.sold',
      'vehicle.odometer_read',
    ]);
    expect(history.events[0]!.payload).toMatchObject({
      source: 'point_of_sale',
      manufacturerPartyId: 'make:BYD',
      producedAt: '2026-03-05T09:00:00.000Z',
    });
    expect(history.events[1]!.payload).toMatchObject({
      guarantee: {
        contractId: contract.contractId,
        gfv: { amountMinor: quote.gfv * 100, currency: 'CNY' },
        termMonths: 36,
        distanceAllowanceKm: 45000,
      },
    });
    expect((await getQuote(ctx.db, localOperator, quote.quoteId)).contractId).toBe(contract.contractId);
  });

  it('issues only the sale on a vehicle its maker produced', async () => {
    const quote = await quoteGuarantee(ctx.db, localOperator, sealQuote, engine);
    const vin = nextVin();
    await registerAsset(ctx.db, localOperator, {
      kind: 'vehicle',
      vin,
      make: 'BYD',
      model: 'Seal',
      modelYear: 2026,
      powertrain: 'bev',
    });
    await appendEvents(ctx.db, localSubmitter, [
      {
        type: 'vehicle.produced',
        subject: { kind: 'vehicle', id: vin },
        occurredAt: '2026-02-01T00:00:00Z',
        payload: examplePayloads['vehicle.produced'],
      },
    ]);
    const contract = await issueContract(
      ctx.db,
      localSubmitter,
      { quoteId: quote.quoteId, vin, soldAt: '2026-03-02T00:00:00Z' },
      { clock: at('2026-03-02T01:00:00.000Z') },
    );
    const history = await subjectHistory(ctx.db, localOperator, vin);
    expect(history.events.map((e) => e.type)).toEqual(['vehicle.produced', 'vehicle.sold']);
    expect(contract.odometerAtSaleKm).toBe(0);
  });

  it('refuses a contract on a taken or expired quote, a bad, mismatched or used VIN — and writes nothing', async () => {
    const { quote } = await guaranteedSeal(ctx.db);
    const clock = { clock: at('2026-03-10T00:00:00.000Z') };
    const before = await countRows(ctx.db, writtenTables);
    expect(
      (
        await refusal(
          issueContract(ctx.db, localSubmitter, { quoteId: quote.quoteId, vin: nextVin() }, clock),
        )
      ).code,
    ).toBe('quote_taken');
    const fresh = await quoteGuarantee(ctx.db, localOperator, sealQuote, engine);
    const late = await refusal(
      issueContract(
        ctx.db,
        localSubmitter,
        { quoteId: fresh.quoteId, vin: nextVin() },
        { clock: at('2026-05-01T00:00:00.000Z') },
      ),
    );
    expect(late.code).toBe('quote_expired');
    const badVin = await refusal(
      issueContract(ctx.db, localSubmitter, { quoteId: fresh.quoteId, vin: 'LFV2A21K0PA00000I' }, clock),
    );
    expect(badVin.errors[0]!.field).toMatch(/^vin/);
    expect(
      (await refusal(issueContract(ctx.db, localSubmitter, { quoteId: 'BQ-NOPE', vin: nextVin() }, clock)))
        .code,
    ).toBe('quote_not_found');
    const golf = nextVin();
    await registerAsset(ctx.db, localOperator, {
      kind: 'vehicle',
      vin: golf,
      make: 'Volkswagen',
      model: 'Golf',
      powertrain: 'ice',
    });
    const mismatch = await refusal(
      issueContract(ctx.db, localSubmitter, { quoteId: fresh.quoteId, vin: golf }, clock),
    );
    expect(mismatch.code).toBe('vehicle_mismatch');
    const afterGolf = await countRows(ctx.db, writtenTables);
    expect(afterGolf.log_entries).toBe(before.log_entries);
    expect(afterGolf.buyback_contracts).toBe(before.buyback_contracts);
  });

  it('refuses a settlement before the window, and an odometer below the sale reading — flagged on the vehicle', async () => {
    const { contract, vin } = await guaranteedSeal(ctx.db);
    const request = { odometerKm: 47_000, inspection: returnInspection };
    const early = await refusal(
      settleAndStock(ctx.db, localSubmitter, contract.contractId, request, {
        ...engine,
        clock: at('2027-06-01T00:00:00.000Z'),
      }),
    );
    expect(early.code).toBe('contract_state');
    expect(early.message).toMatch(/opens on 2029-01-04/);
    const before = await countRows(ctx.db, buybackTables);
    const rolled = await refusal(
      settleAndStock(ctx.db, localSubmitter, contract.contractId, { ...request, odometerKm: 5 }, inWindow),
    );
    expect(rolled.code).toBe('odometer_rollback');
    expect(rolled.errors[0]).toMatchObject({ field: 'odometerKm' });
    expect(rolled.message).toMatch(/below the 12 km recorded at sale/);
    const history = await subjectHistory(ctx.db, localOperator, vin);
    expect(history.flags.map((f) => f.code)).toContain('odometer_rollback_suspected');
    expect(history.events.at(-1)).toMatchObject({
      type: 'vehicle.odometer_read',
      payload: { odometerKm: 5, source: 'inspection' },
    });
    expect(await countRows(ctx.db, buybackTables)).toEqual(before);
    expect(
      (await getContract(ctx.db, localOperator, contract.contractId, { clock: inWindow.clock })).state,
    ).toBe('window_open');
    // A reading below a later one recorded in the log is refused the same way.
    const later = await refusal(
      settleAndStock(ctx.db, localSubmitter, contract.contractId, { ...request, odometerKm: 11 }, inWindow),
    );
    expect(later.code).toBe('odometer_rollback');
  });

  it('refuses an inspection that leaves out a measurement or prices nothing for an unlisted item', async () => {
    const { contract } = await guaranteedSeal(ctx.db);
    const inspection = {
      ...returnInspection,
      damage: [{ item: 'boot lid: scratch', type: 'scratch', repairCost: '300' }],
      missingItems: ['key', 'roof_box'],
    };
    const error = await refusal(
      settleAndStock(
        ctx.db,
        localSubmitter,
        contract.contractId,
        { odometerKm: 40_000, inspection },
        inWindow,
      ),
    );
    expect(error.code).toBe('invalid_inspection');
    expect(error.errors.map((e) => e.field)).toEqual(['inspection.damage.0.sizeMm']);
    const missing = await refusal(
      settleAndStock(
        ctx.db,
        localSubmitter,
        contract.contractId,
        { odometerKm: 40_000, inspection: { ...returnInspection, missingItems: ['roof_box'] } },
        inWindow,
      ),
    );
    expect(missing.errors[0]).toMatchObject({ field: 'inspection.missingItems.0.item' });
    const wrongCurrency = await refusal(
      settleAndStock(
        ctx.db,
        localSubmitter,
        contract.contractId,
        { odometerKm: 40_000, inspection: { ...returnInspection, currency: 'EUR' } },
        inWindow,
      ),
    );
    expect(wrongCurrency.errors[0]!.field).toBe('inspection.currency');
  });

  it('settles a hand-back: GFV − excess − damage (repair, not replace) − missing items; the car enters stock', async () => {
    const { contract, vin } = await guaranteedSeal(ctx.db);
    const statement = await settleAndStock(
      ctx.db,
      localSubmitter,
      contract.contractId,
      {
        odometerKm: 47_000,
        inspection: { ...returnInspection, appraisal: { score: 86 } },
        locationId: 'yard:sh-jiading',
      },
      inWindow,
    );
    expect(statement).toMatchObject({
      contractId: contract.contractId,
      gfv: contract.gfv,
      excessKm: 1988,
      excessCharge: 994,
      damageCharges: [
        { item: 'front bumper: scratch through to primer', amount: 850 },
        { item: 'windscreen: chip in the driver’s line of sight', amount: 400 },
      ],
      missingItems: [{ item: 'key (each)', amount: 1500 }],
      option: 'hand_back',
    });
    expect(statement.total).toBe(Math.max(0, contract.gfv - 994 - 850 - 400 - 1500));
    expect(statement.paid).toBe(statement.total);
    expect(statement.damageAssessment.filter((d) => d.withinFairWearAndTear).map((d) => d.type)).toEqual([
      'dent',
      'wheel_scuff',
    ]);
    expect(statement.equity).toMatchObject({ available: true });
    expect(statement.appraisal).toMatchObject({ score: 86, grade: 2 });
    const history = await subjectHistory(ctx.db, localOperator, vin);
    expect(history.events.slice(-3).map((e) => e.type)).toEqual([
      'vehicle.buyback_exercised',
      'vehicle.stocked',
      'vehicle.appraised',
    ]);
    expect(history.events.at(-3)!.payload).toMatchObject({
      contractId: contract.contractId,
      odometerKm: 47_000,
      settlement: {
        paid: { amountMinor: Math.round(statement.total * 100), currency: 'CNY' },
        missingItemsCharge: { amountMinor: 150_000 },
      },
    });
    expect(history.events.at(-2)!.payload).toMatchObject({
      source: 'buyback',
      locationId: 'yard:sh-jiading',
      dealerPartyId: 'local-operator',
    });
    expect(statement.eventIds).toMatchObject({
      exercised: history.events.at(-3)!.id,
      stocked: history.events.at(-2)!.id,
    });
    expect((await getAsset(ctx.db, localOperator, vin)).state).toBe('in_stock');
    const settled = await getContract(ctx.db, localOperator, contract.contractId, inWindow);
    expect(settled).toMatchObject({ state: 'exercised', settlement: { total: statement.total } });
    expect(settled.history.map((h) => h.to)).toEqual(['active', 'exercised']);
    expect(await getStatement(ctx.db, localOperator, contract.contractId)).toEqual(statement);
    expect((await statementPdf(statement)).subarray(0, 5).toString()).toBe('%PDF-');
    const again = await refusal(
      settleAndStock(
        ctx.db,
        localSubmitter,
        contract.contractId,
        { odometerKm: 47_000, inspection: returnInspection },
        inWindow,
      ),
    );
    expect(again.code).toBe('contract_closed');
    expect(again.message).toMatch(/already settled/);
  });

  it('never pays below zero', async () => {
    const { contract } = await guaranteedSeal(ctx.db);
    const wreck = {
      ...returnInspection,
      damage: [{ item: 'every panel', type: 'other', repairCost: '900000.00' }],
    };
    const statement = await settleAndStock(
      ctx.db,
      localSubmitter,
      contract.contractId,
      { odometerKm: 47_000, inspection: wreck },
      inWindow,
    );
    expect(statement.total).toBe(0);
    expect(statement.paid).toBe(0);
  });

  it('lets the customer keep the equity by trading in at market value', async () => {
    const { contract, vin } = await guaranteedSeal(ctx.db);
    const statement = await settleAndStock(
      ctx.db,
      localSubmitter,
      contract.contractId,
      { odometerKm: 47_000, inspection: returnInspection, option: 'trade_in' },
      inWindow,
    );
    expect(statement.option).toBe('trade_in');
    expect(statement.marketValue!.p50).toBeCloseTo(259800 * 0.52 * 0.998, 0);
    expect(statement.paid).toBe(statement.equity!.tradeInValue);
    expect(statement.paid).toBeGreaterThan(statement.total);
    const history = await subjectHistory(ctx.db, localOperator, vin);
    expect(history.events.slice(-3).map((e) => e.type)).toEqual([
      'vehicle.odometer_read',
      'vehicle.buyback_declined',
      'vehicle.stocked',
    ]);
    expect(history.events.at(-2)!.payload).toMatchObject({ option: 'part_exchanged' });
    expect(history.events.at(-1)!.payload).toMatchObject({ source: 'trade_in' });
    expect((await getContract(ctx.db, localOperator, contract.contractId, inWindow)).state).toBe('declined');
    // No equity, no trade-in.
    const poor = await guaranteedSeal(ctx.db);
    const noEquity = await refusal(
      settleAndStock(
        ctx.db,
        localSubmitter,
        poor.contract.contractId,
        {
          odometerKm: 47_000,
          option: 'trade_in',
          inspection: { ...returnInspection, damage: [{ item: 'all', type: 'other', repairCost: '200000' }] },
        },
        inWindow,
      ),
    );
    expect(noEquity.code).toBe('no_equity');
  });

  it('applies the accident exclusion (reported in the log, or found at inspection) and cancels', async () => {
    const { contract, vin } = await guaranteedSeal(ctx.db);
    const graded = await refusal(
      settleAndStock(
        ctx.db,
        localSubmitter,
        contract.contractId,
        { odometerKm: 47_000, inspection: { ...returnInspection, appraisal: { score: 70, grade: 5 } } },
        inWindow,
      ),
    );
    expect(graded.code).toBe('accident_exclusion');
    expect(graded.message).toMatch(/grade 5/);
    await appendEvents(ctx.db, localSubmitter, [
      {
        type: 'vehicle.accident_reported',
        subject: { kind: 'vehicle', id: vin },
        occurredAt: '2027-08-01T00:00:00Z',
        payload: {
          occurredAt: '2027-08-01T00:00:00Z',
          severity: 'moderate',
          structural: false,
          flood: true,
          fire: false,
        },
      },
    ]);
    const reported = await refusal(
      settleAndStock(
        ctx.db,
        localSubmitter,
        contract.contractId,
        { odometerKm: 47_000, inspection: returnInspection },
        inWindow,
      ),
    );
    expect(reported.code).toBe('accident_exclusion');
    expect(reported.message).toMatch(/accident reported 2027-08-01 \(flood/);
    const cancelled = await cancelContract(
      ctx.db,
      localSubmitter,
      contract.contractId,
      { reason: 'accident_exclusion', note: 'flood 2027-08' },
      inWindow,
    );
    expect(cancelled).toMatchObject({ state: 'cancelled', closeReason: 'accident_exclusion: flood 2027-08' });
    const history = await subjectHistory(ctx.db, localOperator, vin);
    expect(history.events.at(-1)).toMatchObject({
      type: 'vehicle.buyback_cancelled',
      payload: { reason: 'accident_exclusion' },
    });
    expect(
      (
        await refusal(
          cancelContract(ctx.db, localSubmitter, contract.contractId, { reason: 'other' }, inWindow),
        )
      ).code,
    ).toBe('contract_closed');
  });

  it('declines in the window, and expires a contract whose window closed unused', async () => {
    const kept = await guaranteedSeal(ctx.db);
    const declined = await declineBuyback(
      ctx.db,
      localSubmitter,
      kept.contract.contractId,
      { option: 'kept_paid_gfv' },
      inWindow,
    );
    expect(declined.state).toBe('declined');
    const lapsing = await guaranteedSeal(ctx.db);
    const late = { ...engine, clock: at('2029-05-01T00:00:00.000Z') };
    expect((await getContract(ctx.db, localOperator, lapsing.contract.contractId, late)).state).toBe(
      'expired',
    );
    const refused = await refusal(
      settleAndStock(
        ctx.db,
        localSubmitter,
        lapsing.contract.contractId,
        { odometerKm: 40_000, inspection: returnInspection },
        late,
      ),
    );
    expect(refused.code).toBe('contract_expired');
    expect(refused.message).toMatch(/expired on 2029-04-04/);
    const swept = await expireContracts(ctx.db, localSubmitter, {}, late);
    expect(swept.expired).toContain(lapsing.contract.contractId);
    expect(swept.failed).toEqual([]);
    const history = await subjectHistory(ctx.db, localOperator, lapsing.vin);
    expect(history.events.at(-1)).toMatchObject({
      type: 'vehicle.buyback_declined',
      payload: { option: 'lapsed' },
    });
    const expired = await getContract(ctx.db, localOperator, lapsing.contract.contractId, late);
    expect(expired).toMatchObject({ state: 'expired', closeReason: 'lapsed' });
    expect((await expireContracts(ctx.db, localSubmitter, {}, late)).expired).not.toContain(
      lapsing.contract.contractId,
    );
    const listed = await listContracts(ctx.db, localOperator, { state: 'expired', limit: 500 }, late);
    expect(listed.map((c) => c.contractId)).toContain(lapsing.contract.contractId);
  });

  it('shows the open book by cohort, under stress, and re-marks it with history', async () => {
    const now = { ...engine, clock: at('2026-06-01T00:00:00.000Z') };
    await guaranteedSeal(ctx.db);
    await guaranteedSeal(ctx.db, { product: 'GFV-EV-CAUTIOUS' });
    const base = await portfolioExposure(ctx.db, localOperator, {}, now);
    const seal = base.cohorts.find((c) => c.model === 'Seal' && c.termEndMonth === '2029-03')!;
    expect(seal).toMatchObject({ make: 'BYD', powertrain: 'bev', currency: 'CNY' });
    const open = await listContracts(ctx.db, localOperator, { state: 'active', limit: 500 }, now);
    expect(seal.contracts).toBe(open.filter((c) => c.termEndAt.startsWith('2029-03')).length);
    expect(seal.totalGfv).toBeCloseTo(
      open.filter((c) => c.termEndAt.startsWith('2029-03')).reduce((s, c) => s + c.gfv, 0),
      2,
    );
    expect(seal.expectedLoss).toBeGreaterThan(0);
    const stressed = await portfolioExposure(
      ctx.db,
      localOperator,
      {
        scenario: {
          name: 'Seal price cut and EV shock',
          shocks: [
            { type: 'new_price_cut', make: 'BYD', model: 'Seal', percent: 10 },
            { type: 'ev_residual_shock', percent: 15 },
            { type: 'higher_fade', extraFadePerYear: 0.01 },
          ],
        },
      },
      now,
    );
    const sealStressed = stressed.cohorts.find((c) => c.model === 'Seal' && c.termEndMonth === '2029-03')!;
    expect(sealStressed.stressed!.expectedLoss).toBeGreaterThan(sealStressed.expectedLoss);
    expect(sealStressed.stressed!.forecastP50).toBeLessThan(sealStressed.forecastP50 * 0.9 * 0.85);
    const badScenario = await refusal(
      portfolioExposure(
        ctx.db,
        localOperator,
        { scenario: { name: 'x', shocks: [{ type: 'meteor', percent: 5 }] } },
        now,
      ),
    );
    expect(badScenario.errors[0]!.field).toMatch(/^scenario\.shocks\.0/);

    // A new model that sees used values 10 % lower.
    const lower = {
      ...fixedValuation,
      forecast: async (db: Db, q: Parameters<typeof fixedValuation.forecast>[1]) => {
        const f = await fixedValuation.forecast(db, q);
        return { ...f, p10: f.p10 * 0.9, p50: f.p50 * 0.9, p90: f.p90 * 0.9, modelVersion: 'fixed-2' };
      },
    };
    const run = await remarkPortfolio(ctx.db, localOperator, {}, { valuation: lower, clock: now.clock });
    expect(run.contracts).toBe(open.length);
    expect(run.modelVersions).toEqual(['fixed-2']);
    const after = await portfolioExposure(ctx.db, localOperator, {}, now);
    const sealAfter = after.cohorts.find((c) => c.model === 'Seal' && c.termEndMonth === '2029-03')!;
    expect(sealAfter.forecastP50).toBeLessThan(seal.forecastP50);
    expect(sealAfter.expectedLoss).toBeGreaterThan(seal.expectedLoss);
    const runs = await remarkHistory(ctx.db, localOperator);
    expect(runs[0]).toMatchObject({ remarkId: run.remarkId, contracts: run.contracts });
    const marks = await contractMarks(ctx.db, localOperator, open[0]!.contractId);
    expect(marks.marks.map((m) => m.source)).toEqual(['quote', 'remark']);
    expect((await getContract(ctx.db, localOperator, open[0]!.contractId, now)).currentForecast.source).toBe(
      'remark',
    );
  });
});
