import { expect, it } from 'vitest';
import { contentsAt, getAsset } from '../src/modules/assets/index.ts';
import { exampleCascadeCode, seedRemovedPack } from '../src/modules/batteries/batteries.examples.ts';
import {
  batteryDossier,
  deployBattery,
  gradeBatteryByRules,
  handOverBattery,
  lotOriginOf,
  massBalance,
  produceBattery,
  recordSohTest,
  recoverLot,
  recycleBattery,
  recycledContent,
  reportHealth,
  repurposeBatteries,
  retireBattery,
} from '../src/modules/batteries/index.ts';
import { localSubmitter, subjectHistory } from '../src/modules/ledger/index.ts';
import { localOperator } from '../src/modules/parties/index.ts';
import { countRows, describeEachDatabase } from './support/databases.ts';

const tables = [
  'assets',
  'log_entries',
  'battery_soh_tests',
  'battery_grades',
  'cascade_products',
  'cascade_product_sources',
  'recovered_lots',
  'recovered_lot_sources',
];

const test = (overrides: Record<string, unknown> = {}) => ({
  testedAt: '2030-05-10T02:00:00Z',
  testerPartyId: 'party:lab-01',
  method: 'capacity_discharge',
  standard: 'GB/T 34015-2017',
  measuredEnergyKwh: 45,
  moduleResistancesMilliohm: [1.0, 1.05, 1.02, 0.98],
  ...overrides,
});
const grade = { gradedAt: '2030-05-11T02:00:00Z', graderPartyId: 'party:lab-01' };

async function errorOf(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return error as {
      kind: string;
      code: string;
      message: string;
      errors: Array<{ field: string; message: string }>;
    };
  }
  throw new Error('expected a refusal');
}

describeEachDatabase('batteries: test and grade', (ctx) => {
  it('records an SOH test as capacity vs rated and grades it by the rules with its reason', async () => {
    const { code } = await seedRemovedPack(ctx.db, { energyKwh: 60 });
    const t = await recordSohTest(ctx.db, localSubmitter, code, test());
    expect(t).toMatchObject({
      sohPercent: 75,
      sohBasis: 'energy',
      ratedEnergyKwh: 60,
      resistanceSpreadPercent: 6.91,
    });
    const g = await gradeBatteryByRules(ctx.db, localSubmitter, code, grade);
    expect(g).toMatchObject({
      grade: 'B',
      route: 'cascade_stationary_storage',
      ruleId: 'stationary-storage',
    });
    expect(g.reason).toContain('SOH 75 % ≥ 65 %');
    expect(g.reason).toContain('not vehicle-reuse: SOH 75 % < 85 %');
    const history = await subjectHistory(ctx.db, localOperator, code);
    expect(history.events.map((e) => e.type).slice(-2)).toEqual(['battery.soh_tested', 'battery.graded']);
    expect(history.events.at(-1)!.payload).toMatchObject({
      route: 'repurpose',
      use: 'stationary_storage',
      ruleId: 'stationary-storage',
    });
    expect((await getAsset(ctx.db, localOperator, code)).state).toBe('graded');
  });

  it('sends a battery with a safety finding to recycling whatever its SOH', async () => {
    const { code } = await seedRemovedPack(ctx.db);
    await recordSohTest(
      ctx.db,
      localSubmitter,
      code,
      test({ measuredEnergyKwh: 58, safetyFindings: ['swelling'] }),
    );
    const g = await gradeBatteryByRules(ctx.db, localSubmitter, code, grade);
    expect(g).toMatchObject({ grade: 'D', route: 'recycle', ruleId: 'safety-finding' });
    expect(g.reason).toContain('safety finding: swelling');
  });

  it('grades by a configurable rule set given with the request', async () => {
    const { code } = await seedRemovedPack(ctx.db);
    await recordSohTest(ctx.db, localSubmitter, code, test({ measuredEnergyKwh: 42 }));
    const g = await gradeBatteryByRules(ctx.db, localSubmitter, code, {
      ...grade,
      rules: {
        version: 'strict-2031',
        rules: [
          {
            id: 'storage',
            grade: 'B',
            route: 'cascade_stationary_storage',
            when: { minSohPercent: 80 },
            why: 'strict',
          },
          { id: 'rest', grade: 'D', route: 'recycle', when: {}, why: 'everything else' },
        ],
      },
    });
    expect(g).toMatchObject({ route: 'recycle', ruleId: 'rest', rulesVersion: 'strict-2031' });
  });

  it('refuses a test without a measurement, and one that would read above 120 %', async () => {
    const { code } = await seedRemovedPack(ctx.db);
    const before = await countRows(ctx.db, tables);
    const e1 = await errorOf(
      recordSohTest(ctx.db, localSubmitter, code, test({ measuredEnergyKwh: undefined })),
    );
    expect(e1.errors[0]!.field).toBe('measuredEnergyKwh');
    const e2 = await errorOf(recordSohTest(ctx.db, localSubmitter, code, test({ measuredEnergyKwh: 90 })));
    expect(e2.errors[0]!.message).toContain('above the 120 %');
    expect(await countRows(ctx.db, tables)).toEqual(before);
  });

  it('refuses to grade an untested battery', async () => {
    const { code } = await seedRemovedPack(ctx.db);
    const e = await errorOf(gradeBatteryByRules(ctx.db, localSubmitter, code, grade));
    expect(e.code).toBe('not_tested');
  });
});

describeEachDatabase('batteries: cascade use', (ctx) => {
  async function gradedModules(n: number) {
    const pack = await seedRemovedPack(ctx.db, { modules: n, energyKwh: 60, massKg: 400 });
    for (const m of pack.modules) {
      await recordSohTest(ctx.db, localSubmitter, m, test({ measuredEnergyKwh: 22 }));
      await gradeBatteryByRules(ctx.db, localSubmitter, m, grade);
    }
    return pack;
  }

  it('repurposes graded modules into a new product with a cascade code linked to its originals', async () => {
    const pack = await gradedModules(2);
    const newCode = exampleCascadeCode('pack');
    const product = await repurposeBatteries(ctx.db, localSubmitter, {
      newCode,
      sourceCodes: pack.modules,
      operatorPartyId: 'party:repurposer-01',
      application: 'energy_storage',
      repurposedAt: '2030-06-01T00:00:00Z',
    });
    expect(product).toMatchObject({
      code: newCode,
      kind: 'battery-pack',
      ratedEnergyKwh: 44,
      massKg: 320,
      componentCodes: pack.modules,
    });
    const asset = await getAsset(ctx.db, localOperator, newCode);
    expect(asset).toMatchObject({ state: 'produced', originalCode: pack.modules[0] });
    const contents = await contentsAt(ctx.db, localOperator, newCode, '2030-06-02T00:00:00Z');
    expect(contents.children.map((c) => c.id).sort()).toEqual([...pack.modules].sort());
    for (const m of pack.modules) expect((await getAsset(ctx.db, localOperator, m)).state).toBe('repurposed');
    const history = await subjectHistory(ctx.db, localOperator, newCode);
    expect(history.events[0]!.payload).toMatchObject({ batteryStatus: 'repurposed', nominalEnergyKwh: 44 });

    const deployed = await deployBattery(ctx.db, localSubmitter, newCode, {
      siteId: 'site:sz-bess-07',
      operatorPartyId: 'party:repurposer-01',
      application: 'energy_storage',
      commissionedAt: '2030-07-01T00:00:00Z',
      usableEnergyKwh: 40,
    });
    expect(deployed.siteId).toBe('site:sz-bess-07');
    await reportHealth(ctx.db, localSubmitter, newCode, {
      measuredAt: '2031-07-01T00:00:00Z',
      sohPercent: 68,
      method: 'bms',
    });
    await retireBattery(ctx.db, localSubmitter, newCode, {
      retiredAt: '2036-07-01T00:00:00Z',
      reason: 'end_of_service',
      sohPercent: 55,
    });
    const dossier = await batteryDossier(ctx.db, localOperator, newCode);
    expect(dossier).toMatchObject({
      state: 'retired',
      batteryStatus: 'repurposed',
      latestSoh: { sohPercent: 55 },
    });
    expect(dossier.cascade.product!.sources.map((s) => s.sourceCode).sort()).toEqual(
      [...pack.modules].sort(),
    );
  });

  it('refuses a module already in another product, a 24-character code and a recycle-graded source; nothing is written', async () => {
    const pack = await gradedModules(2);
    const first = exampleCascadeCode('pack');
    await repurposeBatteries(ctx.db, localSubmitter, {
      newCode: first,
      sourceCodes: [pack.modules[0]!],
      operatorPartyId: 'party:repurposer-01',
      application: 'energy_storage',
      repurposedAt: '2030-06-01T00:00:00Z',
    });
    const before = await countRows(ctx.db, tables);
    const again = await errorOf(
      repurposeBatteries(ctx.db, localSubmitter, {
        newCode: exampleCascadeCode('pack'),
        sourceCodes: [pack.modules[1]!, pack.modules[0]!],
        operatorPartyId: 'party:repurposer-01',
        application: 'energy_storage',
        repurposedAt: '2030-06-02T00:00:00Z',
      }),
    );
    expect(again).toMatchObject({ kind: 'conflict', code: 'already_repurposed' });
    expect(again.errors[0]).toMatchObject({ field: 'sourceCodes.1' });
    expect(again.errors[0]!.message).toContain(first);

    const wrongForm = await errorOf(
      repurposeBatteries(ctx.db, localSubmitter, {
        newCode: pack.code,
        sourceCodes: [pack.modules[1]!],
        operatorPartyId: 'party:repurposer-01',
        application: 'energy_storage',
        repurposedAt: '2030-06-02T00:00:00Z',
      }),
    );
    expect(wrongForm).toMatchObject({ kind: 'invalid', code: 'wrong_code_form' });
    expect(wrongForm.errors[0]!.field).toBe('newCode');
    expect(await countRows(ctx.db, tables)).toEqual(before);
  });

  it('refuses a source graded for recycling, or an application its grade does not permit', async () => {
    const { code } = await seedRemovedPack(ctx.db);
    await recordSohTest(ctx.db, localSubmitter, code, test({ measuredEnergyKwh: 20 }));
    await gradeBatteryByRules(ctx.db, localSubmitter, code, grade);
    const e = await errorOf(
      repurposeBatteries(ctx.db, localSubmitter, {
        newCode: exampleCascadeCode('pack'),
        sourceCodes: [code],
        operatorPartyId: 'party:repurposer-01',
        application: 'energy_storage',
        repurposedAt: '2030-06-02T00:00:00Z',
      }),
    );
    expect(e.code).toBe('graded_for_recycling');

    const low = await seedRemovedPack(ctx.db);
    await recordSohTest(ctx.db, localSubmitter, low.code, test({ measuredEnergyKwh: 33 }));
    expect((await gradeBatteryByRules(ctx.db, localSubmitter, low.code, grade)).route).toBe(
      'cascade_low_power',
    );
    const app = await errorOf(
      repurposeBatteries(ctx.db, localSubmitter, {
        newCode: exampleCascadeCode('pack'),
        sourceCodes: [low.code],
        operatorPartyId: 'party:repurposer-01',
        application: 'energy_storage',
        repurposedAt: '2030-06-02T00:00:00Z',
      }),
    );
    expect(app).toMatchObject({ code: 'application_not_permitted' });
  });
});

describeEachDatabase('batteries: recycling and material recovery', (ctx) => {
  async function recycled(batchId: string, chemistry: 'NCM' | 'LFP' = 'NCM') {
    const { code } = await seedRemovedPack(ctx.db, { chemistry, energyKwh: 60, massKg: 420 });
    await recordSohTest(ctx.db, localSubmitter, code, test({ measuredEnergyKwh: 20 }));
    await gradeBatteryByRules(ctx.db, localSubmitter, code, grade);
    await handOverBattery(ctx.db, localSubmitter, code, {
      fromPartyId: 'party:dismantler-01',
      toPartyId: 'party:recycler-01',
      handedOverAt: '2030-05-20T00:00:00Z',
      purpose: 'recycling',
    });
    await recycleBattery(ctx.db, localSubmitter, code, {
      recycledAt: '2030-06-01T00:00:00Z',
      recyclerPartyId: 'party:recycler-01',
      process: 'hydrometallurgical',
      batchId,
    });
    return code;
  }
  const lot = (overrides: Record<string, unknown>) => ({
    recyclerPartyId: 'party:recycler-01',
    recoveredAt: '2030-06-10T00:00:00Z',
    process: 'hydrometallurgical',
    ...overrides,
  });

  it('balances recovered lots against the expected content and checks China 2024 and EU Annex XII targets', async () => {
    const code = await recycled('batch-a');
    // NCM without a variant: expected = NMC622 × 60 kWh → Li 6.18 kg, Ni 30.72 kg.
    const black = await recoverLot(
      ctx.db,
      localSubmitter,
      lot({
        lotId: 'lot-bm-a',
        material: 'black_mass',
        form: 'powder',
        massKg: 150,
        process: 'shredding',
        sourceCodes: [code],
      }),
    );
    expect(black.origin).toEqual([{ code, attributedKg: null, attributedMassKg: 150 }]);
    const li = await recoverLot(
      ctx.db,
      localSubmitter,
      lot({
        lotId: 'lot-li-a',
        material: 'lithium',
        form: 'carbonate',
        massKg: 30,
        inputLotIds: ['lot-bm-a'],
      }),
    );
    expect(li.elementMassKg).toBeCloseTo(5.6355, 2);
    expect(li.origin[0]!.code).toBe(code);
    await recoverLot(
      ctx.db,
      localSubmitter,
      lot({ lotId: 'lot-ni-a', material: 'nickel', form: 'metal', massKg: 30.2, batchId: 'batch-a' }),
    );
    const balance = await massBalance(ctx.db, localOperator, { batchId: 'batch-a', at: '2030-06-10' });
    const byElement = Object.fromEntries(balance.elements.map((e) => [e.element, e]));
    expect(byElement.lithium).toMatchObject({
      expectedKg: 6.18,
      ratePercent: 91.18,
      china: { targetPercent: 90, met: true },
    });
    expect(byElement.lithium!.eu).toMatchObject({
      targetPercent: 50,
      inForce: true,
      met: true,
      from: '2027-12-31',
      next: { from: '2031-12-31', targetPercent: 80 },
    });
    expect(byElement.nickel).toMatchObject({
      expectedKg: 30.72,
      ratePercent: 98.31,
      china: { met: true },
      eu: { targetPercent: 90, met: true },
    });
    expect(byElement.cobalt).toMatchObject({ recoveredKg: 0, ratePercent: 0, china: { met: false } });
    const origin = await lotOriginOf(ctx.db, localOperator, 'lot-li-a');
    expect(origin.origin.map((o) => o.batteryCode)).toEqual([code]);
    expect(origin.inputLotIds).toEqual(['lot-bm-a']);
  });

  it('expects from a recycled cascade product what its originals held, not its degraded rating', async () => {
    const packs = [];
    for (let i = 0; i < 2; i++) {
      const p = await seedRemovedPack(ctx.db, { energyKwh: 60, massKg: 420 });
      await recordSohTest(ctx.db, localSubmitter, p.code, test());
      await gradeBatteryByRules(ctx.db, localSubmitter, p.code, grade);
      packs.push(p.code);
    }
    const product = exampleCascadeCode('pack');
    await repurposeBatteries(ctx.db, localSubmitter, {
      newCode: product,
      sourceCodes: packs,
      operatorPartyId: 'party:repurposer-01',
      application: 'energy_storage',
      repurposedAt: '2030-06-01T00:00:00Z',
    });
    await retireBattery(ctx.db, localSubmitter, product, {
      retiredAt: '2036-01-01T00:00:00Z',
      reason: 'end_of_service',
    });
    await recycleBattery(ctx.db, localSubmitter, product, {
      recycledAt: '2036-02-01T00:00:00Z',
      recyclerPartyId: 'party:recycler-01',
      process: 'hydrometallurgical',
    });
    const balance = await massBalance(ctx.db, localOperator, { codes: [product] });
    expect(balance.batteries[0]).toMatchObject({ ratedEnergyKwh: 90, massKg: 840, balanced: true });
    // Two 60 kWh NCM packs: 2 × 60 × 0.512 kg/kWh of nickel, though the product is rated 90 kWh.
    expect(balance.elements.find((e) => e.element === 'nickel')!.expectedKg).toBe(61.44);
  });

  it('uses the target in force on the date: none before 2027-12-31, 95 % for nickel from 2031-12-31', async () => {
    await recycled('batch-b');
    const early = await massBalance(ctx.db, localOperator, { batchId: 'batch-b', at: '2026-06-01' });
    const ni = early.elements.find((e) => e.element === 'nickel')!;
    expect(ni.eu).toMatchObject({
      inForce: false,
      targetPercent: null,
      next: { from: '2027-12-31', targetPercent: 90 },
    });
    const late = await massBalance(ctx.db, localOperator, { batchId: 'batch-b', at: '2032-01-01' });
    expect(late.elements.find((e) => e.element === 'nickel')!.eu).toMatchObject({ targetPercent: 95 });
  });

  it('refuses a recovered mass larger than the battery could contain, and nickel from an LFP pack', async () => {
    const code = await recycled('batch-c');
    const lfp = await recycled('batch-d', 'LFP');
    const before = await countRows(ctx.db, tables);
    const e = await errorOf(
      recoverLot(
        ctx.db,
        localSubmitter,
        lot({ material: 'cobalt', form: 'metal', massKg: 25, sourceCodes: [code] }),
      ),
    );
    expect(e).toMatchObject({ kind: 'invalid', code: 'recovered_mass_exceeds_content' });
    expect(e.errors[0]!.message).toContain('could contain at most 19.14 kg of cobalt');
    const e2 = await errorOf(
      recoverLot(
        ctx.db,
        localSubmitter,
        lot({ material: 'nickel', form: 'metal', massKg: 1, sourceCodes: [lfp] }),
      ),
    );
    expect(e2.errors[0]!.message).toContain('contains no nickel');
    const e3 = await errorOf(
      recoverLot(
        ctx.db,
        localSubmitter,
        lot({
          material: 'black_mass',
          form: 'powder',
          massKg: 500,
          process: 'shredding',
          sourceCodes: [lfp],
        }),
      ),
    );
    expect(e3.errors[0]!.message).toContain('weigh 420 kg');
    expect(await countRows(ctx.db, tables)).toEqual(before);
    const notRecycled = await seedRemovedPack(ctx.db);
    const e4 = await errorOf(
      recoverLot(
        ctx.db,
        localSubmitter,
        lot({ material: 'nickel', form: 'metal', massKg: 1, sourceCodes: [notRecycled.code] }),
      ),
    );
    expect(e4.code).toBe('not_recycled');
  });

  it('computes the recycled content of a new battery from the lots it used, traced to their origin', async () => {
    const code = await recycled('batch-e');
    await recoverLot(
      ctx.db,
      localSubmitter,
      lot({ lotId: 'lot-ni-e', material: 'nickel', form: 'sulfate', massKg: 100, sourceCodes: [code] }),
    );
    await recoverLot(
      ctx.db,
      localSubmitter,
      lot({ lotId: 'lot-co-e', material: 'cobalt', form: 'sulfate', massKg: 40, sourceCodes: [code] }),
    );
    const { exampleBatteryCode } = await import('../src/modules/batteries/batteries.examples.ts');
    const newCode = exampleBatteryCode('pack');
    const result = await produceBattery(ctx.db, localSubmitter, {
      code: newCode,
      chemistry: 'NCM',
      chemistryVariant: 'NMC811',
      nominalEnergyKwh: 75,
      massKg: 480,
      manufacturerPartyId: 'party:cell-maker-02',
      producedAt: '2032-01-10T00:00:00Z',
      recycledInputs: [
        { lotId: 'lot-ni-e', massKg: 50 },
        { lotId: 'lot-co-e', massKg: 40 },
      ],
    });
    const shares = Object.fromEntries(result.shares.map((s) => [s.material, s]));
    // NMC811 × 75 kWh: Ni 45.6 kg, Co 5.7 kg; 50 kg NiSO4·6H2O = 11.165 kg Ni; 40 kg CoSO4·7H2O = 8.386 kg Co.
    expect(shares.nickel).toMatchObject({
      recycledKg: 11.165,
      contentKg: 45.6,
      postConsumerSharePercent: 24.48,
    });
    expect(shares.cobalt!.postConsumerSharePercent).toBe(100);
    expect(result.inputs[0]!.origin).toEqual([code]);
    expect((await recycledContent(ctx.db, localOperator, newCode)).shares).toEqual(result.shares);
    const over = await errorOf(
      produceBattery(ctx.db, localSubmitter, {
        code: exampleBatteryCode('pack'),
        chemistry: 'NCM',
        nominalEnergyKwh: 75,
        massKg: 480,
        manufacturerPartyId: 'party:cell-maker-02',
        producedAt: '2032-01-11T00:00:00Z',
        recycledInputs: [{ lotId: 'lot-ni-e', massKg: 60 }],
      }),
    );
    expect(over.errors[0]).toMatchObject({
      field: 'recycledInputs.0.massKg',
      message: 'lot lot-ni-e has 50 kg left of 100 kg',
    });
  });
});
