import { expect, it } from 'vitest';
import { registerAssets } from '../src/modules/assets/index.ts';
import {
  exampleBatteryCode,
  exampleCascadeCode,
  exampleVin,
  seedRemovedPack,
} from '../src/modules/batteries/batteries.examples.ts';
import {
  gradeBatteryByRules,
  recordSohTest,
  recoverLot,
  recycleBattery,
  repurposeBatteries,
} from '../src/modules/batteries/index.ts';
import { appendEvents, localSubmitter } from '../src/modules/ledger/index.ts';
import { localOperator, type Principal } from '../src/modules/parties/index.ts';
import {
  declarePassport,
  exportBatteryPass,
  exportCatenax,
  passportQr,
  showPassport,
  submodelNames,
  validateCatenax,
  validateSubmodel,
} from '../src/modules/passports/index.ts';
import { describeEachDatabase } from './support/databases.ts';

const recycler: Principal = { partyId: 'party:recycler-01', name: 'Recycler', roles: ['recycler'] };
const dealer: Principal = { partyId: 'party:dealer-01', name: 'Dealer', roles: ['dealer'] };
const regulator: Principal = { partyId: 'party:miit', name: 'Regulator', roles: ['regulator'] };

const declaration = {
  batteryCategory: 'ev',
  manufacturer: {
    name: 'CATL',
    streetAddress: '2 Xingang Rd',
    postalCode: '352100',
    addressCountry: 'CN',
    identifier: 'USCC-91350900587527783P',
  },
  manufacturingPlace: { streetAddress: '2 Xingang Rd, Ningde', postalCode: '352100', addressCountry: 'CN' },
  warranty: { value: 8, unit: 'year' },
  economicOperatorBpnl: 'BPNL0123456789ZZ',
  carbonFootprint: {
    kgCo2ePerKwh: 61.2,
    performanceClass: 'B',
    studyUrl: 'https://example.com/cf.pdf',
    perLifecycleStage: { MainProduction: 20.1, RawMaterialExtraction: 38 },
  },
  technical: {
    nominalVoltageV: 355,
    minimumVoltageV: 280,
    maximumVoltageV: 403,
    ratedCapacityAh: 169,
    expectedLifetimeYears: 10,
    roundTripEfficiencyPercent: 95,
    initialInternalResistanceOhm: { pack: 0.1 },
  },
  documents: {
    dismantlingManualUrl: 'https://example.com/dismantling.pdf',
    declarationOfConformityUrl: 'https://example.com/doc.pdf',
    testReportUrl: 'https://example.com/tests.pdf',
  },
  extinguishingAgents: ['water'],
};

async function graded(db: Parameters<typeof seedRemovedPack>[0], kwh = 45) {
  const pack = await seedRemovedPack(db, { energyKwh: 60, massKg: 420 });
  await recordSohTest(db, localSubmitter, pack.code, {
    testedAt: '2030-05-10T02:00:00Z',
    testerPartyId: 'party:lab-01',
    method: 'capacity_discharge',
    measuredEnergyKwh: kwh,
    internalResistanceMilliohm: 120,
    resistanceSpreadPercent: 5,
  });
  await gradeBatteryByRules(db, localSubmitter, pack.code, {
    gradedAt: '2030-05-11T02:00:00Z',
    graderPartyId: 'party:lab-01',
  });
  return pack;
}

describeEachDatabase('passports', (ctx) => {
  it('exports seven Battery Pass submodels that validate against the newest schemas, with the latest SOH', async () => {
    const { code } = await graded(ctx.db);
    await declarePassport(ctx.db, localOperator, code, declaration);
    const out = await exportBatteryPass(ctx.db, localOperator, code);
    expect(Object.keys(out.documents)).toEqual([...submodelNames]);
    expect(out.validation.every((v) => v.valid)).toBe(true);
    expect(out.validation.find((v) => v.submodel === 'PerformanceAndDurability')!.version).toBe('1.2.1');
    for (const name of submodelNames) expect(validateSubmodel(name, out.documents[name]).valid).toBe(true);
    const g = out.documents.GeneralProductInformation as Record<string, unknown>;
    expect(g).toMatchObject({
      productIdentifier: code,
      batteryStatus: 'Original',
      batteryMass: 420,
      batteryCategory: 'ev',
    });
    expect(g.batteryPassportIdentifier).toMatch(/^urn:carloop:[0-9a-f]{32}$/);
    const p = out.documents.PerformanceAndDurability as {
      batteryCondition: { stateOfCertifiedEnergy: unknown };
    };
    expect(p.batteryCondition.stateOfCertifiedEnergy).toEqual({
      stateOfCertifiedEnergyValue: 75,
      lastUpdate: '2030-05-10T02:00:00Z',
    });
    const m = out.documents.MaterialComposition as {
      batteryMaterials: Array<{ batteryMaterialName: string; batteryMaterialMass: number }>;
    };
    expect(m.batteryMaterials.find((x) => x.batteryMaterialName === 'Nickel')!.batteryMaterialMass).toBe(
      30.72,
    );
    expect(
      out.dataGaps.some((gap) => gap.startsWith('SupplyChainDueDiligence.supplyChainDueDiligenceReport')),
    ).toBe(true);
  });

  it('exports the Catena-X form valid against battery_pass 6.1.0', async () => {
    const { code } = await graded(ctx.db);
    const undeclared = await exportCatenax(ctx.db, localOperator, code);
    expect(validateCatenax(undeclared.document).valid).toBe(true);
    await declarePassport(ctx.db, localOperator, code, declaration);
    const out = await exportCatenax(ctx.db, localOperator, code);
    expect(out.validation.valid).toBe(true);
    const d = out.document as { metadata: Record<string, string>; characteristics: unknown };
    expect(d.metadata.passportIdentifier).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    expect(d.metadata.economicOperatorId).toBe('BPNL0123456789ZZ');
    expect(d.characteristics).toMatchObject({ warranty: { lifeValue: 8, lifeUnit: 'unit:year' } });
  });

  it('enforces access levels from the attribute longlist', async () => {
    const { code } = await graded(ctx.db);
    const pub = (await showPassport(ctx.db, null, code)) as Record<string, Record<string, unknown>>;
    expect(pub.access).toBe('public');
    expect(pub.GeneralProductInformation!.batteryStatus).toBeUndefined();
    expect(pub.GeneralProductInformation!.manufacturingDate).toBeDefined();
    expect(pub.PerformanceAndDurability!.batteryCondition).toEqual({});
    expect(pub.Labeling!.resultOfTestReport).toBeUndefined();
    expect(pub.withheld).toContain('GeneralProductInformation.batteryStatus');
    const legit = (await showPassport(ctx.db, recycler, code, 'legitimate-interest')) as Record<
      string,
      Record<string, unknown>
    >;
    expect(legit.GeneralProductInformation!.batteryStatus).toBe('Original');
    expect(
      (legit.PerformanceAndDurability!.batteryCondition as Record<string, unknown>).stateOfCertifiedEnergy,
    ).toBeDefined();
    expect(legit.Labeling!.resultOfTestReport).toBeUndefined();
    const all = (await showPassport(ctx.db, regulator, code, 'authority')) as Record<
      string,
      Record<string, unknown>
    >;
    expect(all.Labeling!.resultOfTestReport).toBeDefined();
    expect(all.withheld).toEqual([]);
    await expect(showPassport(ctx.db, dealer, code, 'legitimate-interest')).rejects.toMatchObject({
      kind: 'forbidden',
    });
    await expect(showPassport(ctx.db, recycler, code, 'authority')).rejects.toMatchObject({
      kind: 'forbidden',
    });
  });

  it('gives a repurposed product a new passport linked to its originals', async () => {
    const a = await graded(ctx.db);
    const b = await graded(ctx.db);
    const newCode = exampleCascadeCode('pack');
    await repurposeBatteries(ctx.db, localSubmitter, {
      newCode,
      sourceCodes: [a.code, b.code],
      operatorPartyId: 'party:repurposer-01',
      application: 'energy_storage',
      repurposedAt: '2030-06-01T00:00:00Z',
    });
    const product = (await showPassport(ctx.db, null, newCode)) as Record<string, unknown> & {
      linkedPassports: { predecessors: Array<{ batteryCode: string; passportIdentifier: string }> };
    };
    const original = (await showPassport(ctx.db, null, a.code)) as Record<string, unknown> & {
      linkedPassports: { successor: { batteryCode: string; passportIdentifier: string } };
      passportIdentifier: string;
    };
    expect(product.passportStatus).toBe('live');
    expect(product.passportIdentifier).not.toBe(original.passportIdentifier);
    expect(product.linkedPassports.predecessors.map((p) => p.batteryCode).sort()).toEqual(
      [a.code, b.code].sort(),
    );
    expect(
      product.linkedPassports.predecessors.find((p) => p.batteryCode === a.code)!.passportIdentifier,
    ).toBe(original.passportIdentifier);
    expect(original).toMatchObject({
      passportStatus: 'superseded',
      linkedPassports: {
        successor: { batteryCode: newCode, passportIdentifier: product.passportIdentifier },
      },
    });
    const legit = (await showPassport(ctx.db, localOperator, newCode, 'authority')) as Record<
      string,
      Record<string, unknown>
    >;
    expect(legit.GeneralProductInformation).toMatchObject({
      batteryStatus: 'Repurposed',
      batteryCategory: 'stationary',
    });
    const cx = await exportCatenax(ctx.db, localOperator, newCode);
    expect((cx.document as { metadata: { predecessor: string } }).metadata.predecessor).toBe(
      product.linkedPassports.predecessors[0]!.passportIdentifier,
    );
  });

  it('answers a recycled battery with its end-of-life record, not a live passport', async () => {
    const { code } = await graded(ctx.db, 20);
    await recycleBattery(ctx.db, localSubmitter, code, {
      recycledAt: '2030-06-01T00:00:00Z',
      recyclerPartyId: 'party:recycler-01',
      process: 'pyrometallurgical',
    });
    await recoverLot(ctx.db, localSubmitter, {
      lotId: `lot-co-${code}`,
      material: 'cobalt',
      form: 'metal',
      massKg: 9,
      process: 'pyrometallurgical',
      recyclerPartyId: 'party:recycler-01',
      recoveredAt: '2030-06-05T00:00:00Z',
      sourceCodes: [code],
    });
    const view = await showPassport(ctx.db, null, code);
    expect(view).toMatchObject({
      passportStatus: 'ceased',
      endOfLife: { process: 'pyrometallurgical', recyclerPartyId: 'party:recycler-01', inputMassKg: 420 },
    });
    expect((view as { reason: string }).reason).toContain('Art. 77(8)');
    expect((view as { endOfLife: { recoveredLots: unknown[] } }).endOfLife.recoveredLots).toHaveLength(1);
    await expect(exportBatteryPass(ctx.db, localOperator, code)).rejects.toMatchObject({
      kind: 'conflict',
      code: 'passport_ceased',
    });
  });

  it('takes the SOH read through the vehicle and the vehicle’s accidents into a fitted pack’s passport', async () => {
    const code = exampleBatteryCode('pack');
    const vin = exampleVin();
    await registerAssets(ctx.db, localOperator, [
      { kind: 'vehicle', vin, make: 'NIO', model: 'ET5', powertrain: 'bev' },
      { kind: 'battery-pack', code, chemistry: 'NMC811', ratedCapacityKwh: 75, massKg: 480 },
    ]);
    const ev = (type: string, kind: string, id: string, at: string, payload: Record<string, unknown>) => ({
      type,
      subject: { kind, id },
      occurredAt: at,
      payload,
    });
    await appendEvents(ctx.db, localSubmitter, [
      ev('vehicle.produced', 'vehicle', vin, '2024-03-01T00:00:00Z', {
        manufacturerPartyId: 'party:oem-01',
        producedAt: '2024-03-01T00:00:00Z',
        model: 'ET5',
        modelYear: 2024,
        powertrain: 'bev',
      }),
      ev('battery.produced', 'battery-pack', code, '2024-02-01T00:00:00Z', {
        manufacturerPartyId: 'party:cell-maker-01',
        producedAt: '2024-02-01T00:00:00Z',
        chemistry: 'NCM',
        nominalEnergyKwh: 75,
        massKg: 480,
        batteryStatus: 'original',
      }),
      ev('battery.installed', 'battery-pack', code, '2024-03-01T01:00:00Z', {
        host: { kind: 'vehicle', id: vin },
        installedAt: '2024-03-01T01:00:00Z',
      }),
      ev('vehicle.sold', 'vehicle', vin, '2024-03-10T00:00:00Z', {
        soldAt: '2024-03-10T00:00:00Z',
        sellerPartyId: 'party:dealer-01',
        buyerPartyId: 'customer:9',
        price: { amountMinor: 29_800_000, currency: 'CNY' },
      }),
      ev('vehicle.registered', 'vehicle', vin, '2024-03-12T00:00:00Z', {
        registeredAt: '2024-03-12T00:00:00Z',
        region: 'CN-31',
        useClass: 'private',
      }),
      ev('vehicle.accident_reported', 'vehicle', vin, '2025-02-11T11:30:00Z', {
        occurredAt: '2025-02-11T11:30:00Z',
        severity: 'moderate',
        structural: true,
        flood: false,
        fire: false,
      }),
      ev('vehicle.battery_health_reported', 'vehicle', vin, '2026-03-01T00:00:00Z', {
        packCode: code,
        sohPercent: 93.5,
        measuredAt: '2026-03-01T00:00:00Z',
        method: 'bms',
      }),
    ]);
    const view = (await showPassport(ctx.db, regulator, code, 'authority')) as unknown as {
      PerformanceAndDurability: { batteryCondition: Record<string, unknown> };
      GeneralProductInformation: Record<string, unknown>;
    };
    expect(view.PerformanceAndDurability.batteryCondition.stateOfCertifiedEnergy).toEqual({
      stateOfCertifiedEnergyValue: 93.5,
      lastUpdate: '2026-03-01T00:00:00Z',
    });
    expect(view.PerformanceAndDurability.batteryCondition.negativeEvents).toEqual([
      { negativeEvent: 'vehicle accident (moderate; structural)', lastUpdate: '2025-02-11T11:30:00.000Z' },
    ]);
    expect(view.GeneralProductInformation).toMatchObject({
      puttingIntoService: '2024-03-01T01:00:00Z',
      batteryStatus: 'Original',
    });
  });

  it('makes a QR code (PNG and SVG) pointing at the public passport URL', async () => {
    const { code } = await graded(ctx.db);
    const png = await passportQr(ctx.db, code, 'png');
    expect(png.url).toMatch(new RegExp(`/passports/${code}$`));
    expect(png.png!.subarray(1, 4).toString()).toBe('PNG');
    const svg = await passportQr(ctx.db, code, 'svg');
    expect(svg.svg).toContain('<svg');
  });

  it('refuses a battery code in the wrong form with the reason, and an unknown one as not found', async () => {
    await expect(showPassport(ctx.db, null, 'catpe01t000001d6f0000042')).rejects.toMatchObject({
      kind: 'invalid',
      code: 'invalid_battery_code',
    });
    const short = await showPassport(ctx.db, null, 'CATPE01T000001D6F00000').catch((e: unknown) => e);
    expect(short).toMatchObject({ kind: 'invalid', errors: [{ field: 'code' }] });
    expect((short as Error).message).toContain('24 characters');
    await expect(showPassport(ctx.db, null, 'CATPE01T000001D6F0000042')).rejects.toMatchObject({
      kind: 'not_found',
    });
  });

  it('refuses an invalid declaration naming the field', async () => {
    const { code } = await graded(ctx.db);
    await expect(
      declarePassport(ctx.db, localOperator, code, { economicOperatorBpnl: 'BPNL1' }),
    ).rejects.toMatchObject({
      kind: 'invalid',
      errors: [{ field: 'economicOperatorBpnl' }],
    });
  });
});
