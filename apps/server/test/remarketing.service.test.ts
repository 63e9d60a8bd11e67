import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import type { Db } from '../src/db/database.ts';
import { getAsset } from '../src/modules/assets/index.ts';
import { issueContract, quoteGuarantee } from '../src/modules/buyback/index.ts';
import { localSubmitter, subjectHistory } from '../src/modules/ledger/index.ts';
import { localOperator } from '../src/modules/parties/index.ts';
import {
  appraiseStockVehicle,
  completeWorkOrder,
  decideVehicle,
  decisionPdf,
  getStockItem,
  intakeVehicle,
  listStock,
  listVehicle,
  openWorkOrder,
  priceVehicle,
  realisedSales,
  reconditioningPlan,
  recordDisclosure,
  reserveVehicle,
  salesCsv,
  sellVehicle,
  stockAgeing,
} from '../src/modules/remarketing/index.ts';
import { parseCsvText, trainingSetOf } from '../src/modules/valuation/index.ts';
import { createServices } from '../src/services.ts';
import type { DomainError } from '../src/shared/errors.ts';
import { settleAndStock } from '../src/workflows/settle-and-stock.ts';
import { fixedValuation, returnInspection } from './buyback.fixtures.ts';
import {
  carOnTheRoad,
  lightInspection,
  structuralInspection,
  tradeIn,
  worn,
} from './remarketing.fixtures.ts';
import { repoRoot } from './support/cli.ts';
import { countRows, describeEachDatabase } from './support/databases.ts';
import { nextBatteryCode, nextVin } from './support/fixtures.ts';

const at = (iso: string) => ({ clock: () => iso });
const refusal = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: DomainError) => e,
  );
const tables = [
  'log_entries',
  'assets',
  'remarketing_stock',
  'remarketing_appraisals',
  'remarketing_work_orders',
  'remarketing_listings',
  'remarketing_reservations',
  'remarketing_sales',
  'remarketing_decisions',
];
const hooks = (db: Db) => ({ assetHooks: createServices(db).assetHooks });
const cents = (major: number) => Math.round(major * 100);

async function stocked(
  db: Db,
  options: Parameters<typeof carOnTheRoad>[1] = {},
  extra: Record<string, unknown> = {},
) {
  const vin = await carOnTheRoad(db, options);
  await intakeVehicle(db, localSubmitter, tradeIn(vin, extra), {
    ...hooks(db),
    ...at('2026-11-01T02:00:00.000Z'),
  });
  return vin;
}

async function appraised(db: Db, vin: string, inspection: unknown = lightInspection, odometerKm = 41_000) {
  return appraiseStockVehicle(
    db,
    localSubmitter,
    vin,
    { inspection, odometerKm, battery: { sohPercent: 91, method: 'bms', packCode: nextBatteryCode('pack') } },
    at('2026-11-02T02:00:00.000Z'),
  );
}

describeEachDatabase('remarketing service', (ctx) => {
  it('takes a trade-in into stock with its history, papers and keys; refuses a second intake and bad input, writing nothing', async () => {
    const vin = await carOnTheRoad(ctx.db, { odometerKm: 40_000 });
    const item = await intakeVehicle(
      ctx.db,
      localSubmitter,
      tradeIn(vin, { odometerKm: 41_000 }),
      hooks(ctx.db),
    );
    expect(item).toMatchObject({
      vin,
      state: 'in_stock',
      source: 'trade_in',
      currency: 'CNY',
      acquisitionCost: 120_000,
      keys: 2,
      missingDocuments: [],
      conditions: { accident: false, flood: false, fire: false },
    });
    expect(item.history.registration).toMatchObject({ useClass: 'private' });
    expect(item.history.odometer).toMatchObject({ highestKm: 41_000, latestKm: 41_000 });
    const history = await subjectHistory(ctx.db, localOperator, vin);
    expect(history.events.slice(-2).map((e) => e.type)).toEqual(['vehicle.stocked', 'vehicle.odometer_read']);
    expect(history.events.at(-2)!.payload).toMatchObject({
      source: 'trade_in',
      acquisitionCost: { amountMinor: 12_000_000, currency: 'CNY' },
    });
    expect((await getAsset(ctx.db, localOperator, vin)).state).toBe('in_stock');

    const before = await countRows(ctx.db, tables);
    const again = await refusal(intakeVehicle(ctx.db, localSubmitter, tradeIn(vin), hooks(ctx.db)));
    expect(again.code).toBe('already_in_stock');
    const other = await carOnTheRoad(ctx.db);
    const before2 = await countRows(ctx.db, tables);
    const badCurrency = await refusal(
      intakeVehicle(ctx.db, localSubmitter, tradeIn(other, { currency: 'XYZ' })),
    );
    expect(badCurrency.code).toBe('unknown_currency');
    expect(badCurrency.errors[0]!.field).toBe('currency');
    const badPaper = await refusal(
      intakeVehicle(ctx.db, localSubmitter, tradeIn(other, { documents: ['passport'] })),
    );
    expect(badPaper.errors[0]).toMatchObject({ field: 'documents.0' });
    const rollback = await refusal(
      intakeVehicle(ctx.db, localSubmitter, tradeIn(other, { odometerKm: 100 })),
    );
    expect(rollback.code).toBe('odometer_rollback');
    const noBuyback = await refusal(
      intakeVehicle(ctx.db, localSubmitter, tradeIn(other, { source: 'buyback' })),
    );
    expect(noBuyback.code).toBe('no_buyback');
    expect(await countRows(ctx.db, tables)).toEqual({ ...before2 });
    expect(before2.remarketing_stock).toBe(before.remarketing_stock);
  });

  it('registers and enrolls a purchased car the platform did not know', async () => {
    const vin = nextVin();
    const unknown = await refusal(
      intakeVehicle(ctx.db, localSubmitter, { vin, source: 'purchase' }, hooks(ctx.db)),
    );
    expect(unknown).toMatchObject({ code: 'unknown_vehicle' });
    const item = await intakeVehicle(
      ctx.db,
      localSubmitter,
      {
        vin,
        source: 'purchase',
        acquisitionCost: '45000',
        currency: 'CNY',
        documents: ['registration_certificate', 'driving_licence'],
        vehicle: {
          make: 'Volkswagen',
          model: 'Lavida',
          modelYear: 2019,
          powertrain: 'ice',
          newPrice: '129900',
          currency: 'CNY',
        },
      },
      hooks(ctx.db),
    );
    expect(item).toMatchObject({
      state: 'in_stock',
      source: 'purchase',
      vehicle: { make: 'Volkswagen', powertrain: 'ice' },
    });
    const history = await subjectHistory(ctx.db, localOperator, vin);
    expect(history.events.map((e) => e.type)).toEqual(['vehicle.enrolled', 'vehicle.stocked']);
  });

  it('appraises with GB/T 30323 and the EV battery check; an accident car must be disclosed', async () => {
    const vin = await stocked(ctx.db);
    const noCheck = await refusal(
      appraiseStockVehicle(ctx.db, localSubmitter, vin, { inspection: lightInspection, odometerKm: 41_000 }),
    );
    expect(noCheck.code).toBe('battery_check_required');
    expect(noCheck.errors[0]!.field).toBe('battery.sohPercent');
    const result = await appraised(ctx.db, vin);
    expect(result).toMatchObject({
      grade: 1,
      conditions: { accident: false },
      disclosureNeeded: [],
      currency: 'CNY',
    });
    expect(result.score).toBe(97);
    expect(result.battery).toMatchObject({
      sohPercent: 91,
      verdict: 'as_expected',
      source: 'measured at appraisal',
    });
    expect(result.retail).toBeGreaterThan(50_000);
    expect(result.valuationId).toMatch(/^val-/);
    const events = (await subjectHistory(ctx.db, localOperator, vin)).events.slice(-2);
    expect(events.map((e) => e.type)).toEqual(['vehicle.appraised', 'vehicle.battery_health_reported']);
    expect(events[0]!.payload).toMatchObject({
      score: 97,
      grade: 1,
      priceBasis: 'b2c',
      value: { amountMinor: cents(result.retail) },
    });

    const crashed = await stocked(ctx.db, { powertrain: 'ice' });
    const accident = await appraiseStockVehicle(ctx.db, localSubmitter, crashed, {
      inspection: structuralInspection,
      odometerKm: 41_000,
    });
    expect(accident).toMatchObject({ grade: 5, disclosureNeeded: ['accident'], battery: null });
  });

  it('recommends only reconditioning that pays back, runs work orders, and refuses a car not in stock', async () => {
    const vin = await stocked(ctx.db);
    await appraised(ctx.db, vin, worn);
    const plan = await reconditioningPlan(ctx.db, localOperator, vin);
    expect(plan.candidates).toBeGreaterThan(5);
    expect(plan.paysBack).toBe(true);
    expect(plan.gain).toBeGreaterThan(0);
    expect(plan.retailNetWithPlan - plan.retailNetWithout).toBeCloseTo(plan.gain, 2);
    expect(plan.points).toBeGreaterThanOrEqual(1);

    const order = await openWorkOrder(
      ctx.db,
      localOperator,
      vin,
      { fromPlan: true },
      at('2026-11-03T00:00:00.000Z'),
    );
    expect(order).toMatchObject({ status: 'open', source: 'plan', currency: 'CNY' });
    expect(order.items.length).toBe(plan.recommended.length);
    expect((await getStockItem(ctx.db, localOperator, vin)).state).toBe('reconditioning');
    const listWhileOpen = await refusal(listVehicle(ctx.db, localSubmitter, vin, { price: '150000' }));
    expect(listWhileOpen.code).toBe('in_reconditioning');
    const done = await completeWorkOrder(
      ctx.db,
      localSubmitter,
      order.id,
      { actualCost: '4000.00' },
      at('2026-11-06T00:00:00.000Z'),
    );
    expect(done).toMatchObject({ status: 'completed', actualCost: 4000 });
    const last = (await subjectHistory(ctx.db, localOperator, vin)).events.at(-1)!;
    expect(last.type).toBe('vehicle.reconditioned');
    expect(last.payload).toMatchObject({ cost: { amountMinor: 400_000, currency: 'CNY' } });
    const decision = await decideVehicle(ctx.db, localSubmitter, vin, {});
    expect(decision.facts.current!.score).toBeGreaterThan(decision.facts.appraised!.score);

    await listVehicle(ctx.db, localSubmitter, vin, { price: '150000.00' });
    const before = await countRows(ctx.db, tables);
    const listed = await refusal(
      openWorkOrder(ctx.db, localOperator, vin, {
        items: [{ description: 'polish', parts: '0', labour: '200', days: 1 }],
      }),
    );
    expect(listed).toMatchObject({ code: 'not_in_stock' });
    expect(listed.message).toMatch(/delist it first/);
    const never = await refusal(openWorkOrder(ctx.db, localOperator, nextVin(), { fromPlan: true }));
    expect(never.code).toBe('not_in_stock');
    expect(await countRows(ctx.db, tables)).toEqual(before);
  });

  it('prices from the valuation engine and ages the asking price by days in stock with the configured decay', async () => {
    const vin = await stocked(ctx.db, {}, { stockedAt: '2026-08-01T00:00:00.000Z' });
    await appraised(ctx.db, vin);
    const price = await priceVehicle(ctx.db, localOperator, vin, {
      asOf: '2026-11-29T00:00:00.000Z',
      ratePer30Days: 0.05,
    });
    expect(price.daysInStock).toBe(120);
    expect(price.ageing).toEqual({ graceDays: 30, ratePer30Days: 0.05, floorRatio: 0.85 });
    expect(price.ageingFactor).toBeCloseTo(0.95 ** 3, 4);
    expect(price.asking).toBeCloseTo(price.retail * 0.95 ** 3, 0);
    expect(price.wholesale).toBeCloseTo(price.retail * 0.88, 0);
    expect(price.valuationId).toMatch(/^val-/);
    const bad = await refusal(priceVehicle(ctx.db, localOperator, vin, { ratePer30Days: 2 }));
    expect(bad.errors[0]!.field).toBe('ratePer30Days');
  });

  it('lists, reserves and sells; a reserved, sold or wrong-currency sale is refused and writes nothing', async () => {
    const vin = await stocked(ctx.db);
    await appraised(ctx.db, vin);
    await priceVehicle(ctx.db, localOperator, vin, {}, at('2026-11-03T00:00:00.000Z'));
    const listed = await listVehicle(
      ctx.db,
      localSubmitter,
      vin,
      { channel: 'online' },
      at('2026-11-03T01:00:00.000Z'),
    );
    expect(listed.state).toBe('listed');
    expect(listed.listing!.price).toBeGreaterThan(0);
    const reserved = await reserveVehicle(
      ctx.db,
      localSubmitter,
      vin,
      { holderPartyId: 'customer:b-17', days: 7, deposit: '5000' },
      at('2026-11-04T00:00:00.000Z'),
    );
    expect(reserved).toMatchObject({
      state: 'reserved',
      reservation: { holderPartyId: 'customer:b-17', deposit: 5000 },
    });

    const before = await countRows(ctx.db, tables);
    const sale = {
      price: '150000.00',
      currency: 'CNY',
      channel: 'retail',
      soldAt: '2026-11-05T00:00:00.000Z',
    };
    const held = await refusal(sellVehicle(ctx.db, localSubmitter, vin, sale));
    expect(held.code).toBe('reserved');
    expect(held.message).toMatch(/reserved for customer:b-17/);
    const unknownCurrency = await refusal(
      sellVehicle(ctx.db, localSubmitter, vin, { ...sale, currency: 'XYZ' }),
    );
    expect(unknownCurrency).toMatchObject({ code: 'unknown_currency', errors: [{ field: 'currency' }] });
    const reservationId = reserved.reservation!.reservationId;
    const eur = await refusal(
      sellVehicle(ctx.db, localSubmitter, vin, { ...sale, currency: 'EUR', reservationId }),
    );
    expect(eur.code).toBe('currency_mismatch');
    const zero = await refusal(
      sellVehicle(ctx.db, localSubmitter, vin, { ...sale, price: '0', reservationId }),
    );
    expect(zero.errors[0]!.field).toBe('price');
    expect(await countRows(ctx.db, tables)).toEqual(before);

    const sold = await sellVehicle(ctx.db, localSubmitter, vin, { ...sale, reservationId });
    expect(sold).toMatchObject({
      channel: 'retail',
      price: 150_000,
      currency: 'CNY',
      buyerPartyId: 'customer:b-17',
      event: 'vehicle.resold',
      grossMargin: 30_000,
    });
    const last = (await subjectHistory(ctx.db, localOperator, vin)).events.at(-1)!;
    expect(last).toMatchObject({
      type: 'vehicle.resold',
      payload: { price: { amountMinor: 15_000_000, currency: 'CNY' }, buyerPartyId: 'customer:b-17' },
    });
    expect((await getAsset(ctx.db, localOperator, vin)).state).toBe('in_use');
    expect(await getStockItem(ctx.db, localOperator, vin)).toMatchObject({
      state: 'sold',
      sale: { price: 150_000 },
      listing: null,
      reservation: null,
    });

    const again = await refusal(sellVehicle(ctx.db, localSubmitter, vin, sale));
    expect(again.code).toBe('already_sold');
    const recondition = await refusal(openWorkOrder(ctx.db, localOperator, vin, { fromPlan: true }));
    expect(recondition.code).toBe('not_in_stock');

    const exported = await realisedSales(ctx.db, localOperator, {});
    const row = exported.transactions.find((t) => t.vin === vin)!;
    expect(row).toMatchObject({
      make: 'BYD',
      model: 'Seal',
      year: 2023,
      mileage_km: 41_000,
      price: 150_000,
      currency: 'CNY',
      sold_at: '2026-11-05',
      fuel: 'electric',
      condition_score: 97,
      soh: 0.91,
    });
    const training = trainingSetOf(parseCsvText(salesCsv(exported.transactions)));
    expect(training.rejected).toEqual([]);
    expect(training.transactions.some((t) => t.price === 150_000 && t.make === 'BYD')).toBe(true);
  });

  it('decides: every breakdown sums to its net, the chosen route is the best allowed one; dismantling closes the car to sale', async () => {
    const vin = await stocked(ctx.db);
    await appraised(ctx.db, vin);
    const decision = await decideVehicle(ctx.db, localSubmitter, vin, {});
    expect(decision.routes.map((r) => r.route)).toEqual(['retail', 'wholesale', 'dismantle']);
    for (const r of decision.routes) {
      expect(r.currency).toBe('CNY');
      expect(r.breakdown.reduce((s, l) => s + cents(l.amount), 0)).toBe(cents(r.expectedNet));
    }
    const best = Math.max(...decision.routes.filter((r) => r.allowed).map((r) => r.expectedNet));
    expect(decision.routes.find((r) => r.route === decision.chosen)!.expectedNet).toBe(best);
    expect(decision.chosen).toBe('retail');
    expect(decision.committed).toBe(false);
    expect((await decisionPdf(decision)).subarray(0, 5).toString()).toBe('%PDF-');

    const taxi = await stocked(ctx.db, {
      useClass: 'taxi',
      modelYear: 2017,
      registeredAt: '2017-09-01T00:00:00.000Z',
      odometerKm: 420_000,
    });
    const forced = await decideVehicle(ctx.db, localSubmitter, taxi, {});
    expect(forced.chosen).toBe('dismantle');
    expect(forced.routes.find((r) => r.route === 'retail')).toMatchObject({
      allowed: false,
      blockedBy: ['forced_scrap'],
    });
    expect(forced.routes.find((r) => r.route === 'dismantle')!.allowed).toBe(true);
    expect(forced.gates[0]).toMatchObject({ gate: 'forced_scrap' });
    const blockedRetail = await refusal(
      sellVehicle(ctx.db, localSubmitter, taxi, { price: '30000', currency: 'CNY', channel: 'wholesale' }),
    );
    expect(blockedRetail.code).toBe('blocked_by_legal_gate');
    const wrongRoute = await refusal(
      decideVehicle(ctx.db, localSubmitter, taxi, { commit: true, route: 'retail' }),
    );
    expect(wrongRoute.code).toBe('route_blocked');
    const committed = await decideVehicle(ctx.db, localSubmitter, taxi, { commit: true });
    expect(committed).toMatchObject({ committed: true, route: 'dismantle' });
    const last = (await subjectHistory(ctx.db, localOperator, taxi)).events.at(-1)!;
    expect(last).toMatchObject({
      type: 'vehicle.disposition_decided',
      payload: { route: 'dismantle', recommendedRoute: 'dismantle', decisionId: committed.decisionId },
    });
    expect((await getStockItem(ctx.db, localOperator, taxi)).state).toBe('dismantle');
    const before = await countRows(ctx.db, tables);
    const toScrap = await refusal(
      sellVehicle(ctx.db, localSubmitter, taxi, { price: '30000', currency: 'CNY', channel: 'retail' }),
    );
    expect(toScrap.code).toBe('sent_to_dismantling');
    expect(await countRows(ctx.db, tables)).toEqual(before);
  });

  it('keeps an undisclosed flood car from every sale until the flood is disclosed', async () => {
    const vin = await stocked(ctx.db, { powertrain: 'ice', accident: { flood: true } });
    const item = await getStockItem(ctx.db, localOperator, vin);
    expect(item.conditions).toMatchObject({ flood: true });
    await appraiseStockVehicle(ctx.db, localSubmitter, vin, {
      inspection: lightInspection,
      odometerKm: 41_000,
    });
    const blocked = await decideVehicle(ctx.db, localSubmitter, vin, {});
    expect(blocked.routes.find((r) => r.route === 'retail')!.blockedBy).toContain('disclosure_flood');
    expect(blocked.routes.find((r) => r.route === 'wholesale')!.blockedBy).toContain('disclosure_flood');
    expect(blocked.reasons.join(' ')).toMatch(/flood car \(泡水车\) per the log/);
    const refused = await refusal(
      sellVehicle(ctx.db, localSubmitter, vin, { price: '90000', currency: 'CNY', channel: 'retail' }),
    );
    expect(refused.code).toBe('blocked_by_legal_gate');
    expect(refused.errors[0]!.message).toMatch(/^disclosure_flood/);
    await recordDisclosure(ctx.db, localOperator, vin, {
      flood: true,
      note: 'flood history shown to the buyer in writing',
    });
    const open = await decideVehicle(ctx.db, localSubmitter, vin, {});
    expect(open.routes.find((r) => r.route === 'retail')!.allowed).toBe(true);
    await sellVehicle(ctx.db, localSubmitter, vin, {
      price: '90000',
      currency: 'CNY',
      channel: 'wholesale',
      tradeChannel: 'auction',
    });
    const last = (await subjectHistory(ctx.db, localOperator, vin)).events.at(-1)!;
    expect(last).toMatchObject({ type: 'vehicle.wholesaled', payload: { channel: 'auction' } });
  });

  it('takes a settled buyback car into stock automatically, with the settlement appraisal', async () => {
    const quote = await quoteGuarantee(
      ctx.db,
      localOperator,
      {
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
      },
      { valuation: fixedValuation },
    );
    const vin = nextVin();
    const contract = await issueContract(
      ctx.db,
      localSubmitter,
      { quoteId: quote.quoteId, vin, soldAt: '2026-03-05T09:00:00.000Z', odometerKm: 12 },
      { valuation: fixedValuation, clock: () => '2026-03-05T10:00:00.000Z' },
    );
    const statement = await settleAndStock(
      ctx.db,
      localSubmitter,
      contract.contractId,
      {
        odometerKm: 47_000,
        inspection: { ...returnInspection, appraisal: { score: 86 } },
        locationId: 'yard:sh-jiading',
      },
      { valuation: fixedValuation, clock: () => '2029-03-10T08:00:00.000Z' },
    );
    const item = await getStockItem(ctx.db, localOperator, vin);
    expect(item).toMatchObject({
      state: 'in_stock',
      source: 'buyback',
      contractId: contract.contractId,
      locationId: 'yard:sh-jiading',
      acquisitionCost: statement.paid,
      currency: 'CNY',
      keys: 1,
      appraisal: { score: 86, grade: 2 },
    });
    expect(item.history.buyback).toMatchObject({ contractId: contract.contractId });
    const stock = await listStock(ctx.db, localOperator, { state: 'in_stock' });
    expect(stock.some((s) => s.vin === vin)).toBe(true);
  });

  it('reads the example inspection and work order, and refuses an inspection of another car', async () => {
    const example = (name: string) =>
      JSON.parse(readFileSync(`${repoRoot}examples/remarketing-${name}.json`, 'utf8')) as unknown;
    const vin = await stocked(ctx.db, { powertrain: 'ice' });
    const before = await countRows(ctx.db, tables);
    const other = await refusal(
      appraiseStockVehicle(ctx.db, localSubmitter, vin, {
        inspection: { vin: nextVin(), findings: [] },
        odometerKm: 41_000,
      }),
    );
    expect(other).toMatchObject({ code: 'inspection_mismatch', errors: [{ field: 'inspection.vin' }] });
    const rollback = await refusal(
      appraiseStockVehicle(ctx.db, localSubmitter, vin, {
        inspection: example('inspection'),
        odometerKm: 1_000,
      }),
    );
    expect(rollback.errors[0]!.field).toBe('odometerKm');
    expect(await countRows(ctx.db, tables)).toEqual(before);
    const result = await appraiseStockVehicle(ctx.db, localSubmitter, vin, {
      inspection: example('inspection'),
      odometerKm: 41_000,
    });
    expect(result.grade).toBe(1);
    const order = await openWorkOrder(ctx.db, localOperator, vin, { items: example('work-order') });
    expect(order).toMatchObject({ status: 'open', cost: 2375, days: 2 });
    expect(order.items.map((i) => i.finding)).toEqual(['B13', 'C03', 'B26']);
    const twice = await refusal(openWorkOrder(ctx.db, localOperator, vin, { items: example('work-order') }));
    expect(twice.errors[0]).toMatchObject({ field: 'items.0.finding' });
  });

  it('lists stock by state and shows stock ageing by band', async () => {
    const fresh = await stocked(ctx.db, {}, { stockedAt: '2026-11-20T00:00:00.000Z' });
    const old = await stocked(ctx.db, {}, { stockedAt: '2026-07-01T00:00:00.000Z' });
    await appraised(ctx.db, old);
    await priceVehicle(ctx.db, localOperator, old, {}, at('2026-11-25T00:00:00.000Z'));
    const all = await listStock(ctx.db, localOperator);
    expect(all.find((s) => s.vin === fresh)).toMatchObject({ state: 'in_stock' });
    const bad = await refusal(listStock(ctx.db, localOperator, { state: 'parked' }));
    expect(bad.errors[0]!.field).toBe('state');
    const ageing = await stockAgeing(ctx.db, localOperator, { asOf: '2026-11-29T00:00:00.000Z' });
    expect(ageing.bands.map((b) => b.band)).toEqual(['0-30', '31-60', '61-90', '91+']);
    const oldCar = ageing.cars.find((c) => c.vin === old)!;
    expect(oldCar).toMatchObject({ band: '91+', daysInStock: 151 });
    expect(oldCar.askingNow!).toBeLessThan(oldCar.retail!);
    expect(oldCar.holdingCostSoFar!).toBeGreaterThan(0);
    expect(ageing.cars.find((c) => c.vin === fresh)).toMatchObject({ band: '0-30', daysInStock: 9 });
  });
});
