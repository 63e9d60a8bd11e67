import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultPriceTables, legalGates } from '../src/modules/remarketing/remarketing.config.ts';
import { summariseHistory } from '../src/modules/remarketing/remarketing.history.ts';
import {
  agedPrice,
  ageingFactor,
  chooseRoute,
  type DispositionFacts,
  decideDisposition,
  dismantleRoute,
  evaluateGates,
  gradeOfScore,
  gradePack,
  Money,
  type RouteResult,
  recommendPlan,
  retailRoute,
  routes,
  type WorkItem,
  workItemsForFindings,
} from '../src/modules/remarketing/remarketing.model.ts';

const tables = defaultPriceTables();
const gates = legalGates();
const cny = new Money('CNY', 1);
const cond = { gradeFactor: { '1': 1.03, '2': 1.0, '3': 0.9, '4': 0.75, '5': 0.7 } };

function facts(over: Partial<DispositionFacts> = {}): DispositionFacts {
  return {
    vin: 'LFV2A21K8PA000777',
    currency: 'CNY',
    asOf: '2026-11-29T00:00:00.000Z',
    daysInStock: 10,
    powertrain: 'bev',
    ageYears: 3.5,
    ageBasis: 'registered 2023-06-02',
    odometerKm: 41_000,
    useClass: 'private',
    useClassAssumed: false,
    appraised: { score: 85, grade: 2 },
    current: { score: 85, grade: 2 },
    conditions: { accident: false, flood: false, fire: false },
    conditionSources: { accident: [], flood: [], fire: [] },
    disclosed: { accident: false, flood: false, fire: false },
    documents: ['registration_certificate', 'driving_licence'],
    retailMinor: 15_000_000,
    retailSource: 'test',
    acquisitionCostMinor: 12_000_000,
    plan: { label: 'none', items: [] },
    vehicleMassKg: 2_000,
    vehicleMassSource: 'test',
    battery: {
      energyKwh: 60,
      massKg: 420,
      chemistry: 'LFP',
      source: 'default',
      sohPercent: 88,
      sohSource: 'measured',
      elementsKg: { lithium: 5.3, copper: 34, graphite: 57, iron: 43 },
      grade: 'B',
      gradeReason: 'test',
    },
    observedParts: {},
    ...over,
  };
}

const sumOf = (r: RouteResult) => r.breakdown.reduce((s, l) => s + l.amountMinor, 0);

describe('price ageing', () => {
  const rule = { graceDays: 30, ratePer30Days: 0.03, floorRatio: 0.85 };

  it('keeps the price in the grace period, then marks it down per 30 days to the floor', () => {
    expect(ageingFactor(0, rule)).toBe(1);
    expect(ageingFactor(30, rule)).toBe(1);
    expect(ageingFactor(60, rule)).toBeCloseTo(0.97, 10);
    expect(ageingFactor(90, rule)).toBeCloseTo(0.9409, 10);
    expect(ageingFactor(3_000, rule)).toBe(0.85);
    expect(agedPrice(20_000_000, 60, rule)).toBe(19_400_000);
  });

  it('never rises with days in stock and never falls below the floor (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2_000 }),
        fc.integer({ min: 0, max: 120 }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (days, grace, rate, floor) => {
          const r = { graceDays: grace, ratePer30Days: rate, floorRatio: floor };
          expect(ageingFactor(days + 1, r)).toBeLessThanOrEqual(ageingFactor(days, r) + 1e-12);
          expect(ageingFactor(days, r)).toBeGreaterThanOrEqual(floor - 1e-12);
          expect(ageingFactor(days, r)).toBeLessThanOrEqual(1);
        },
      ),
    );
  });
});

describe('legal gates', () => {
  it('forces a taxi past its service life to scrap: retail and wholesale blocked, dismantling open', () => {
    const taxi = facts({ useClass: 'taxi', ageYears: 8.2 });
    const found = evaluateGates(taxi, gates, 30);
    expect(found.map((g) => g.gate)).toEqual(['forced_scrap']);
    expect(found[0]!.blocks).toEqual(['retail', 'wholesale']);
    const decision = decideDisposition(taxi, tables, gates, cny, cond);
    expect(decision.chosen).toBe('dismantle');
    expect(decision.routes.find((r) => r.route === 'retail')!.blockedBy).toEqual(['forced_scrap']);
    expect(decision.reasons.join(' ')).toMatch(/must be scrapped at 8 years/);
  });

  it('counts the days to sell: a taxi that reaches its limit before it could be sold is blocked too', () => {
    expect(evaluateGates(facts({ useClass: 'taxi', ageYears: 7.95 }), gates, 60).map((g) => g.gate)).toEqual([
      'forced_scrap',
    ]);
    expect(evaluateGates(facts({ useClass: 'taxi', ageYears: 7.5 }), gates, 60)).toEqual([]);
    expect(evaluateGates(facts({ useClass: 'private', ageYears: 25 }), gates, 60)).toEqual([]);
  });

  it('keeps a car past the 600,000 km guide from retail only', () => {
    const found = evaluateGates(facts({ odometerKm: 600_000 }), gates, 30);
    expect(found.map((g) => [g.gate, g.blocks])).toEqual([['mileage_guide', ['retail']]]);
    expect(evaluateGates(facts({ odometerKm: 599_999 }), gates, 30)).toEqual([]);
  });

  it('blocks every sale of an undisclosed accident, flood or fire car until it is disclosed', () => {
    const flooded = facts({
      conditions: { accident: false, flood: true, fire: false },
      conditionSources: { accident: [], flood: ['the appraisal'], fire: [] },
    });
    expect(evaluateGates(flooded, gates, 30).map((g) => [g.gate, g.blocks])).toEqual([
      ['disclosure_flood', ['retail', 'wholesale']],
    ]);
    expect(
      evaluateGates({ ...flooded, disclosed: { ...flooded.disclosed, flood: true } }, gates, 30),
    ).toEqual([]);
  });

  it('blocks sales without the transfer papers', () => {
    expect(evaluateGates(facts({ documents: ['driving_licence'] }), gates, 30).map((g) => g.gate)).toEqual([
      'transfer_documents',
    ]);
  });
});

describe('routes and the decision', () => {
  it('adds each breakdown to its expected net, with revenues positive and costs negative', () => {
    const decision = decideDisposition(facts(), tables, gates, cny, cond);
    for (const r of decision.routes) expect(sumOf(r)).toBe(r.expectedNetMinor);
    const retail = decision.routes.find((r) => r.route === 'retail')!;
    expect(retail.breakdown[0]).toEqual({ item: 'retail price (test)', amountMinor: 15_000_000 });
    expect(retail.breakdown.find((l) => l.item.startsWith('holding cost'))!.amountMinor).toBeLessThan(0);
    expect(decision.chosen).toBe('retail');
    expect(decision.reasons[0]).toMatch(/^Retail is chosen: expected net CNY /);
  });

  it('values the dismantle route from parts, the five assemblies, the battery and materials', () => {
    const d = dismantleRoute(facts(), tables, cny);
    const items = d.breakdown.map((l) => l.item);
    expect(items.some((i) => i.startsWith('parts: traction motor'))).toBe(true);
    expect(items.some((i) => i.startsWith('five assemblies: front axle'))).toBe(true);
    expect(items.some((i) => i.startsWith('five assemblies: engine'))).toBe(false);
    expect(items.some((i) => i.startsWith('traction battery: grade B second life'))).toBe(true);
    expect(items.some((i) => i.startsWith('materials: ferrous'))).toBe(true);
    expect(d.breakdown.find((l) => l.item.startsWith('towing'))!.amountMinor).toBe(-30_000);
    const flooded = dismantleRoute(
      facts({
        conditions: { accident: false, flood: true, fire: false },
        battery: { ...facts().battery!, grade: 'D' },
      }),
      tables,
      cny,
    );
    expect(flooded.breakdown.some((l) => l.item.startsWith('parts: electronic modules'))).toBe(false);
    expect(flooded.breakdown.some((l) => /→ scrap metal, .* \(flood car\)/.test(l.item))).toBe(true);
    expect(flooded.breakdown.some((l) => l.item.startsWith('traction battery: grade D to recycling'))).toBe(
      true,
    );
    expect(flooded.breakdown.some((l) => l.item.startsWith("traction battery: recycler's charge"))).toBe(
      true,
    );
  });

  it('uses observed part sales of the model instead of the table when there are enough', () => {
    const observed = dismantleRoute(
      facts({ observedParts: { door: { medianPriceMinor: 90_000, sellThrough: 0.8, observations: 5 } } }),
      tables,
      cny,
    );
    const door = observed.breakdown.find((l) => l.item.startsWith('parts: doors'))!;
    expect(door.item).toMatch(/median of 5 sold/);
    expect(door.amountMinor).toBe(Math.round(4 * 90_000 * 0.9 * 0.8));
  });

  it('cannot value retail or wholesale without a valuation: both blocked, dismantling chosen', () => {
    const d = decideDisposition(
      facts({ retailMinor: null, retailSource: 'no model' }),
      tables,
      gates,
      cny,
      cond,
    );
    expect(d.routes.filter((r) => !r.allowed).map((r) => r.route)).toEqual(['retail', 'wholesale']);
    expect(d.chosen).toBe('dismantle');
  });

  it('says what lifting a disclosure gate would be worth', () => {
    const d = decideDisposition(
      facts({
        conditions: { accident: true, flood: false, fire: false },
        conditionSources: { accident: ['the appraisal'], flood: [], fire: [] },
      }),
      tables,
      gates,
      cny,
      cond,
    );
    expect(d.chosen).toBe('dismantle');
    expect(d.reasons.some((r) => /^Retail would net CNY .* once the accident is disclosed\.$/.test(r))).toBe(
      true,
    );
  });

  const factsArbitrary = fc
    .record({
      retail: fc.option(fc.integer({ min: 0, max: 500_000_000 }), { nil: null }),
      acquisition: fc.option(fc.integer({ min: 0, max: 500_000_000 }), { nil: null }),
      days: fc.integer({ min: 0, max: 720 }),
      age: fc.double({ min: 0, max: 30, noNaN: true }),
      km: fc.integer({ min: 0, max: 900_000 }),
      useClass: fc.constantFrom('private', 'taxi', 'rental', 'ride_hailing', 'commercial'),
      score: fc.integer({ min: 0, max: 100 }),
      accident: fc.boolean(),
      flood: fc.boolean(),
      fire: fc.boolean(),
      disclosed: fc.boolean(),
      papers: fc.boolean(),
      powertrain: fc.constantFrom('ice', 'hev', 'phev', 'bev', 'erev', 'fcev'),
      mass: fc.integer({ min: 600, max: 3_500 }),
      soh: fc.double({ min: 0, max: 110, noNaN: true }),
      grade: fc.constantFrom('A', 'B', 'C', 'D'),
      currency: fc.constantFrom('CNY', 'EUR', 'JPY'),
      planPoints: fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 4 }),
    })
    .map((r) => {
      const grade = gradeOfScore(r.score, r.accident);
      return facts({
        currency: r.currency,
        retailMinor: r.retail,
        acquisitionCostMinor: r.acquisition,
        daysInStock: r.days,
        ageYears: r.age,
        odometerKm: r.km,
        useClass: r.useClass,
        appraised: { score: r.score, grade },
        current: { score: r.score, grade },
        conditions: { accident: r.accident, flood: r.flood, fire: r.fire },
        conditionSources: { accident: ['x'], flood: ['x'], fire: ['x'] },
        disclosed: { accident: r.disclosed, flood: r.disclosed, fire: r.disclosed },
        documents: r.papers ? ['registration_certificate', 'driving_licence'] : [],
        powertrain: r.powertrain,
        vehicleMassKg: r.mass,
        battery:
          r.powertrain === 'ice' ? null : { ...facts().battery!, sohPercent: r.soh, grade: r.grade as 'A' },
        plan: {
          label: 'plan',
          items: r.planPoints.map((p, i) => ({
            finding: `B0${i + 1}`,
            description: `item ${i}`,
            partsMinor: 10_000 * (i + 1),
            labourMinor: 5_000,
            days: i,
            points: p,
          })),
        },
      });
    });

  it('sums every breakdown to its expected net, chooses the best allowed route, never blocks dismantling (property)', () => {
    fc.assert(
      fc.property(factsArbitrary, (f) => {
        const money = new Money(f.currency, f.currency === 'CNY' ? 1 : 0.13);
        const d = decideDisposition(f, tables, gates, money, cond);
        expect(d.routes.map((r) => r.route)).toEqual([...routes]);
        for (const r of d.routes) {
          expect(sumOf(r)).toBe(r.expectedNetMinor);
          for (const l of r.breakdown) expect(Number.isSafeInteger(l.amountMinor)).toBe(true);
          expect(r.allowed).toBe(r.blockedBy.length === 0);
        }
        const dismantle = d.routes.find((r) => r.route === 'dismantle')!;
        expect(dismantle.allowed).toBe(true);
        const best = Math.max(...d.routes.filter((r) => r.allowed).map((r) => r.expectedNetMinor));
        const chosen = d.routes.find((r) => r.route === d.chosen)!;
        expect(chosen.allowed).toBe(true);
        expect(chosen.expectedNetMinor).toBe(best);
        expect(d.reasons.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });

  it('chooses among allowed routes only, ties to the earlier route', () => {
    const r = (route: 'retail' | 'wholesale' | 'dismantle', net: number, allowed = true): RouteResult => ({
      route,
      expectedNetMinor: net,
      allowed,
      blockedBy: allowed ? [] : ['x'],
      breakdown: [],
      days: 0,
      notes: [],
    });
    expect(chooseRoute([r('retail', 10, false), r('wholesale', 5), r('dismantle', 7)])).toBe('dismantle');
    expect(chooseRoute([r('retail', 7), r('wholesale', 7), r('dismantle', 7)])).toBe('retail');
    expect(chooseRoute([r('retail', 1, false), r('wholesale', 9, false), r('dismantle', -5)])).toBe(
      'dismantle',
    );
  });
});

describe('reconditioning plan', () => {
  it('prices each finding from the table and recommends only what pays back', () => {
    const items = workItemsForFindings(
      [
        { category: 'body', item: 'B13', en: 'front bumper', defect: 'HH', severity: 3, deduction: 1.5 },
        { category: 'body', item: 'B26', en: 'tyres', defect: 'XS', severity: 1, deduction: 0.5 },
        { category: 'roadTest', item: 'R04', en: 'gearbox', deduction: 2.5 },
        { category: 'cabin', item: 'C09', en: 'sunroof', deduction: 0 },
      ],
      tables,
      cny,
    );
    expect(items.map((i) => [i.finding, i.partsMinor, i.labourMinor, i.points])).toEqual([
      ['B13', 50_000, 52_500, 1.5],
      ['B26', 120_000, 7_500, 0.5],
      ['R04', 400_000, 150_000, 2.5],
    ]);
    // Score 57 needs the gearbox (2.5 points) to reach 60 and grade 2: the lift is worth more than it costs.
    const f = facts({ appraised: { score: 57, grade: 3 }, current: { score: 57, grade: 3 } });
    const plan = recommendPlan(f, items, tables, cny, cond);
    expect(plan.recommended.map((i) => i.finding)).toContain('R04');
    expect(plan.gainMinor).toBeGreaterThan(0);
    expect(plan.withPlan.expectedNetMinor - plan.withoutPlan.expectedNetMinor).toBe(plan.gainMinor);
    for (const m of plan.marginal) expect(m.contributionMinor).toBeGreaterThanOrEqual(0);
  });

  it('never recommends a plan worse than none, and none beats any single item it leaves out (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100 }),
        fc.array(
          fc.record({
            parts: fc.integer({ min: 0, max: 500_000 }),
            labour: fc.integer({ min: 0, max: 100_000 }),
            days: fc.integer({ min: 0, max: 5 }),
            points: fc.integer({ min: 0, max: 8 }),
          }),
          { maxLength: 6 },
        ),
        (score, raw) => {
          const grade = gradeOfScore(score, false);
          const f = facts({ appraised: { score, grade }, current: { score, grade } });
          const items: WorkItem[] = raw.map((r, i) => ({
            finding: `X${i}`,
            description: `x${i}`,
            partsMinor: r.parts,
            labourMinor: r.labour,
            days: r.days,
            points: r.points,
          }));
          const plan = recommendPlan(f, items, tables, cny, cond);
          expect(plan.gainMinor).toBeGreaterThanOrEqual(0);
          const best = plan.withPlan.expectedNetMinor;
          for (const item of items) {
            const single = retailRoute(f, tables, cny, cond, [item]).expectedNetMinor;
            expect(best).toBeGreaterThanOrEqual(single);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('battery grade and history', () => {
  const rules = [
    {
      id: 'safety',
      grade: 'D' as const,
      route: 'recycle',
      why: 's',
      when: { anySafetyFinding: ['water_ingress'] },
    },
    {
      id: 'reuse',
      grade: 'A' as const,
      route: 'reuse',
      why: 'r',
      when: { minSohPercent: 85, maxResistanceSpreadPercent: 10, resistanceSpreadRequired: true },
    },
    { id: 'storage', grade: 'B' as const, route: 'storage', why: 'b', when: { minSohPercent: 65 } },
    { id: 'low', grade: 'C' as const, route: 'low', why: 'c', when: { minSohPercent: 50 } },
    { id: 'recycle', grade: 'D' as const, route: 'recycle', why: 'd', when: {} },
  ];

  it('grades a pack in a car by SOH and safety findings (no resistance spread measured in the car)', () => {
    expect(gradePack(rules, 92, []).grade).toBe('B');
    expect(gradePack(rules, 60, []).grade).toBe('C');
    expect(gradePack(rules, 40, []).grade).toBe('D');
    expect(gradePack(rules, 95, ['water_ingress'])).toEqual({
      grade: 'D',
      reason: 'rule safety (recycle): s',
    });
  });

  it('summarises accidents, odometer flags and battery health from a history', () => {
    const summary = summariseHistory([
      {
        seq: 1,
        type: 'vehicle.registered',
        occurredAt: '2020-01-01T00:00:00Z',
        payloadStatus: 'disclosed',
        payload: { registeredAt: '2020-01-01T00:00:00Z', region: 'CN-31', useClass: 'taxi' },
        flags: [],
      },
      {
        seq: 2,
        type: 'vehicle.accident_reported',
        occurredAt: '2021-01-01T00:00:00Z',
        payloadStatus: 'disclosed',
        payload: {
          occurredAt: '2021-01-01T00:00:00Z',
          severity: 'severe',
          structural: true,
          flood: true,
          fire: false,
        },
        flags: [],
      },
      {
        seq: 3,
        type: 'vehicle.odometer_read',
        occurredAt: '2022-01-01T00:00:00Z',
        payloadStatus: 'disclosed',
        payload: { odometerKm: 90_000 },
        flags: [],
      },
      {
        seq: 4,
        type: 'vehicle.odometer_read',
        occurredAt: '2023-01-01T00:00:00Z',
        payloadStatus: 'disclosed',
        payload: { odometerKm: 60_000 },
        flags: [{ code: 'odometer_rollback_suspected', message: 'odometer fell' }],
      },
      {
        seq: 5,
        type: 'vehicle.serviced',
        occurredAt: '2023-02-01T00:00:00Z',
        payloadStatus: 'withheld',
        flags: [],
      },
    ]);
    expect(summary.registration?.useClass).toBe('taxi');
    expect(summary.accidents).toHaveLength(1);
    expect(summary.odometer).toMatchObject({ latestKm: 60_000, highestKm: 90_000, readings: 2 });
    expect(summary.odometer.flags.map((f) => f.code)).toEqual(['odometer_rollback_suspected']);
    expect(summary.undisclosedEvents).toBe(1);
  });

  it('writes money for people to read', () => {
    expect(cny.text(12_345_678)).toBe('CNY 123,456.78');
    expect(cny.text(-5)).toBe('−CNY 0.05');
    expect(new Money('JPY', 20).text(1_000_000)).toBe('JPY 1,000,000');
  });
});
