import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { getAsset, registerAssets } from '../src/modules/assets/index.ts';
import { usccCheckCharacter } from '../src/modules/dismantling/dismantling.model.ts';
import {
  certificateDocument,
  certificatePdf,
  deregisterVehicle,
  dismantlingReport,
  eraseOwnerData,
  euElvReport,
  handOverBattery,
  harvestVehicle,
  intakeVehicle,
  partLabelPdf,
  periodRates,
  pretreatVehicle,
  releasePart,
  reportCsv,
  reservePart,
  searchStock,
  sellPart,
  setFacility,
  vehicleDossier,
  weighBatch,
  weighVehicle,
} from '../src/modules/dismantling/index.ts';
import { appendEvents, localSubmitter, subjectHistory } from '../src/modules/ledger/index.ts';
import { createParty, localOperator } from '../src/modules/parties/index.ts';
import { repoRoot } from './support/cli.ts';
import { countRows, describeEachDatabase } from './support/databases.ts';
import { nextBatteryCode, nextVin } from './support/fixtures.ts';

const example = (name: string) =>
  JSON.parse(readFileSync(`${repoRoot}examples/dismantling-${name}.json`, 'utf8')) as Record<string, unknown>;
const clockAt = (iso: string) => () => iso;
const uscc = (base17: string) => base17 + usccCheckCharacter(base17);
const receiver = uscc('91320500MA1MXK7Q3');
const touched = [
  'log_entries',
  'assets',
  'elv_intakes',
  'elv_certificates',
  'elv_pretreatments',
  'elv_parts',
  'elv_material_outputs',
];

/** The example files are written for LRW3E7FA2PC123456 and its pack; re-key them to another vehicle. */
function rekey<T>(value: T, vin: string, pack: string): T {
  return JSON.parse(
    JSON.stringify(value).replaceAll('LRW3E7FA2PC123456', vin).replaceAll('04QPEA1JH00012D4J0001201', pack),
  ) as T;
}

async function receivedBev(
  ctx: { db: import('../src/db/database.ts').Db },
  vin = nextVin(),
  pack = nextBatteryCode('pack'),
) {
  const result = await intakeVehicle(ctx.db, localSubmitter, {
    vin,
    massKg: 1760,
    receivedAt: '2026-11-02T01:00:00Z',
    make: 'Tesla',
    model: 'Model 3',
    powertrain: 'bev',
    packCode: pack,
    engineNumber: 'TG123456789',
    plateNumber: '苏E12345',
    owner: {
      name: '张三',
      idType: 'resident_id',
      idNumber: '320501199001011234',
      address: '苏州市姑苏区',
      nationality: 'CN',
    },
    documents: { registrationCertificate: true, drivingLicence: true, platesReturned: 2 },
  });
  if (result.refused) throw new Error('refused');
  return { vin, pack, result };
}

async function readyToHarvest(ctx: { db: import('../src/db/database.ts').Db }) {
  const { vin, pack } = await receivedBev(ctx);
  await pretreatVehicle(ctx.db, localSubmitter, vin, rekey(example('pretreatment'), vin, pack));
  await deregisterVehicle(ctx.db, localSubmitter, vin, {
    deregisteredAt: '2026-11-05T02:00:00Z',
    reference: 'ZX-2026-1',
  });
  return { vin, pack };
}

describeEachDatabase('dismantling service', (ctx) => {
  it('takes in a car from outside the loop: enrolled honestly, certificate issued, personal data off the log', async () => {
    await setFacility(ctx.db, localOperator, {
      name: 'Suzhou Green Dismantling Co.',
      address: '1 Recycling Rd, Suzhou',
      permitNumber: 'JS-ELV-0003',
      authorityName: 'Jiangsu Department of Commerce',
    });
    const { vin, pack, result } = await receivedBev(ctx);
    expect(result).toMatchObject({
      refused: false,
      certificateNumber: expect.stringMatching(/^ELV-2026-\d{7}$/),
      enrolled: true,
      packCode: pack,
      scheme: 'cn_elv_recycling_certificate',
      traceabilityReportDue: '2026-11-23',
    });
    const history = await subjectHistory(ctx.db, localOperator, vin);
    expect(history.events.map((e) => e.type)).toEqual([
      'vehicle.enrolled',
      'vehicle.elv_received',
      'vehicle.recycling_certificate_issued',
    ]);
    const packHistory = await subjectHistory(ctx.db, localOperator, pack);
    expect(packHistory.events.map((e) => e.type)).toEqual(['battery.enrolled']);
    const payloads = await ctx.db.kysely.selectFrom('event_payloads').select('payload').execute();
    for (const p of payloads) {
      expect(p.payload).not.toContain('张三');
      expect(p.payload).not.toContain('320501199001011234');
      expect(p.payload).not.toContain('苏E12345');
    }
    expect((await getAsset(ctx.db, localOperator, vin)).state).toBe('certified');

    const certificate = await certificateDocument(ctx.db, localOperator, vin);
    expect(certificate.certificateOfDestruction).toMatchObject({
      issuingFacility: { name: 'Suzhou Green Dismantling Co.', registrationNumber: 'JS-ELV-0003' },
      permittingAuthority: { name: 'Jiangsu Department of Commerce' },
      vehicleRegistration: { nationalityMark: 'CN', registrationNumber: '苏E12345' },
      vehicle: { class: 'M1', brand: 'Tesla', model: 'Model 3' },
      vin,
      holder: { name: '张三', nationality: 'CN' },
    });
    const pdf = await certificatePdf(ctx.db, localOperator, vin);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');

    await eraseOwnerData(ctx.db, localOperator, vin, { reason: 'owner request (PIPL Art. 47)' });
    const erased = await certificateDocument(ctx.db, localOperator, vin);
    expect(erased.personalDataErased).toBe(true);
    expect(erased.certificateOfDestruction.holder.name).toBeNull();
    expect(erased.certificateOfDestruction.vehicleRegistration.registrationNumber).toBeNull();
  });

  it('enrols a vehicle registered without events (e.g. by import) from its registration data', async () => {
    const vin = nextVin();
    await registerAssets(ctx.db, localOperator, [
      { kind: 'vehicle', vin, make: 'Buick', model: 'GL8', modelYear: 2022, powertrain: 'ice' },
    ]);
    const result = await intakeVehicle(ctx.db, localSubmitter, {
      vin,
      massKg: 2010,
      receivedAt: '2026-11-02T01:00:00Z',
    });
    expect(result).toMatchObject({ refused: false, enrolled: true, traceabilityReportDue: null });
    const history = await subjectHistory(ctx.db, localOperator, vin);
    expect(history.events[0]).toMatchObject({
      type: 'vehicle.enrolled',
      payload: { context: 'elv_intake', model: 'GL8', modelYear: 2022, powertrain: 'ice' },
    });
  });

  it('refuses a second certificate for the same vehicle', async () => {
    const { vin } = await receivedBev(ctx);
    const before = await countRows(ctx.db, touched);
    const error = await intakeVehicle(ctx.db, localSubmitter, { vin, massKg: 1700 }).catch((e) => e);
    expect(error).toMatchObject({ kind: 'conflict', code: 'certificate_exists' });
    expect(error.errors[0]).toMatchObject({ field: 'vin' });
    expect(await countRows(ctx.db, touched)).toEqual(before);
  });

  it('refuses a certificate with every reason, and writes no event', async () => {
    const before = await countRows(ctx.db, touched);
    const vin = nextVin();
    const result = await intakeVehicle(ctx.db, localSubmitter, {
      vin,
      massKg: 1500,
      receivedAt: '2026-11-02T01:00:00Z',
      flags: ['stolen', 'mortgaged', 'frame-missing'],
    });
    expect(result.refused).toBe(true);
    if (!result.refused) return;
    expect(result.reasons.map((r) => r.code)).toEqual([
      'mortgaged_or_pledged',
      'frame_missing',
      'suspected_stolen',
    ]);
    expect(result.reasons[0]!.rule).toMatch(/Art\. 21/);
    expect(await countRows(ctx.db, touched)).toEqual(before);
    const refusals = await ctx.db.kysely
      .selectFrom('elv_refusals')
      .selectAll()
      .where('vin', '=', vin)
      .execute();
    expect(refusals).toHaveLength(1);
  });

  it('applies the 2026 rule: an NEV without its battery is refused from 1 April 2026, accepted before', async () => {
    const after = await intakeVehicle(ctx.db, localSubmitter, {
      vin: nextVin(),
      massKg: 1600,
      powertrain: 'bev',
      receivedAt: '2026-04-01T00:30:00Z',
      flags: ['battery-missing'],
    });
    expect(after).toMatchObject({ refused: true, reasons: [{ code: 'traction_battery_missing' }] });
    const before = await intakeVehicle(ctx.db, localSubmitter, {
      vin: nextVin(),
      massKg: 1600,
      make: 'BYD',
      model: 'e5',
      powertrain: 'bev',
      receivedAt: '2026-03-20T02:00:00Z',
      flags: ['battery-missing'],
    });
    expect(before).toMatchObject({ refused: false, packCode: null });
    if (before.refused) return;
    expect(before.warnings.join(' ')).toMatch(/in writing/);
    // No pack was received, so none has to come out in pre-treatment.
    const { tractionBattery: _none, ...checklist } = example('pretreatment');
    await pretreatVehicle(ctx.db, localSubmitter, before.vin, {
      ...checklist,
      completedAt: '2026-03-21T08:00:00Z',
    });
  });

  it('refuses a missing assembly in the harvest and a five assembly sold for reuse', async () => {
    const vin = nextVin();
    await intakeVehicle(ctx.db, localSubmitter, {
      vin,
      massKg: 1400,
      make: 'VW',
      model: 'Lavida',
      powertrain: 'ice',
      missingItems: ['transmission'],
      receivedAt: '2026-11-02T01:00:00Z',
    });
    const { tractionBattery: _none, ...checklist } = example('pretreatment');
    await pretreatVehicle(ctx.db, localSubmitter, vin, checklist);
    await deregisterVehicle(ctx.db, localSubmitter, vin, { deregisteredAt: '2026-11-05T02:00:00Z' });
    const missing = await harvestVehicle(ctx.db, localSubmitter, vin, {
      harvestedAt: '2026-11-10T02:00:00Z',
      parts: [],
      assemblies: [{ type: 'transmission', destination: 'scrap' }],
    }).catch((e) => e);
    expect(missing).toMatchObject({ code: 'invalid_harvest', errors: [{ field: 'assemblies.0.type' }] });
    await harvestVehicle(ctx.db, localSubmitter, vin, {
      harvestedAt: '2026-11-10T02:00:00Z',
      parts: [],
      assemblies: [
        { type: 'engine', destination: 'remanufacturing', receiverPartyId: 'party:reman-05', massKg: 140 },
      ],
    });
    const reuse = await sellPart(ctx.db, localSubmitter, `${vin}-EN1`, {
      buyerPartyId: 'party:x',
      price: 100,
    }).catch((e) => e);
    expect(reuse).toMatchObject({ code: 'five_assembly_reuse_forbidden' });
  });

  it('asks an NEV for its pack code and names the field', async () => {
    const error = await intakeVehicle(ctx.db, localSubmitter, {
      vin: nextVin(),
      massKg: 1600,
      powertrain: 'phev',
      make: 'BYD',
      model: 'Qin',
    }).catch((e) => e);
    expect(error).toMatchObject({ code: 'pack_code_required', errors: [{ field: 'packCode' }] });
  });

  it('takes in a car of the loop without re-enrolling it; its installed pack is found in the log', async () => {
    const vin = nextVin();
    const pack = nextBatteryCode('pack');
    await registerAssets(ctx.db, localOperator, [
      { kind: 'vehicle', vin, make: 'BYD', model: 'Seal', powertrain: 'bev' },
      { kind: 'battery-pack', code: pack, massKg: 450, chemistry: 'LFP' },
    ]);
    await appendEvents(ctx.db, localSubmitter, [
      {
        type: 'vehicle.produced',
        subject: { kind: 'vehicle', id: vin },
        occurredAt: '2024-01-10T00:00:00Z',
        payload: {
          manufacturerPartyId: 'party:byd',
          producedAt: '2024-01-10T00:00:00Z',
          model: 'Seal',
          modelYear: 2024,
          powertrain: 'bev',
        },
      },
      {
        type: 'battery.produced',
        subject: { kind: 'battery-pack', id: pack },
        occurredAt: '2024-01-05T00:00:00Z',
        payload: {
          manufacturerPartyId: 'party:fdb',
          producedAt: '2024-01-05T00:00:00Z',
          chemistry: 'LFP',
          nominalEnergyKwh: 82,
          massKg: 450,
          batteryStatus: 'original',
        },
      },
      {
        type: 'battery.installed',
        subject: { kind: 'battery-pack', id: pack },
        occurredAt: '2024-01-10T01:00:00Z',
        payload: { host: { kind: 'vehicle', id: vin }, installedAt: '2024-01-10T01:00:00Z' },
      },
      {
        type: 'vehicle.sold',
        subject: { kind: 'vehicle', id: vin },
        occurredAt: '2024-02-01T00:00:00Z',
        payload: {
          soldAt: '2024-02-01T00:00:00Z',
          sellerPartyId: 'party:d',
          buyerPartyId: 'customer:x',
          price: { amountMinor: 18_000_000, currency: 'CNY' },
        },
      },
      {
        type: 'vehicle.registered',
        subject: { kind: 'vehicle', id: vin },
        occurredAt: '2024-02-03T00:00:00Z',
        payload: { registeredAt: '2024-02-03T00:00:00Z', region: 'CN-32', useClass: 'private' },
      },
    ]);
    const result = await intakeVehicle(ctx.db, localSubmitter, {
      vin,
      massKg: 2150,
      receivedAt: '2026-11-02T01:00:00Z',
    });
    expect(result).toMatchObject({ refused: false, enrolled: false, packCode: pack });
    const pretreat = rekey(example('pretreatment'), vin, pack) as Record<string, unknown>;
    delete (pretreat.tractionBattery as Record<string, unknown>).massKg;
    const done = await pretreatVehicle(ctx.db, localSubmitter, vin, pretreat);
    expect(done.tractionBattery).toMatchObject({ packCode: pack, outboundDeadline: '2026-11-24' });
    expect((await getAsset(ctx.db, localOperator, pack)).state).toBe('removed');
    const dossier = await vehicleDossier(ctx.db, localOperator, vin);
    expect(dossier.tractionBattery).toMatchObject({ chemistry: 'LFP', massKg: 450 });
  });

  it('gates dismantling on a complete GB 22128 pre-treatment', async () => {
    const { vin, pack } = await receivedBev(ctx);
    await deregisterVehicle(ctx.db, localSubmitter, vin, { deregisteredAt: '2026-11-05T02:00:00Z' });
    const early = await harvestVehicle(ctx.db, localSubmitter, vin, example('harvest')).catch((e) => e);
    expect(early).toMatchObject({ kind: 'conflict', code: 'pretreatment_required' });
    expect(early.message).toMatch(/blocked until pre-treatment is complete/);

    const checklist = rekey(example('pretreatment'), vin, pack) as {
      fluids: Array<{ drainedLitres: number }>;
      tractionBattery: { highVoltageIsolatedAt: string };
      airbags: { neutralised: number };
    };
    checklist.fluids[1]!.drainedLitres = 8; // coolant 8 of 12 l = 66.7 %
    checklist.tractionBattery.highVoltageIsolatedAt = '2026-11-03T03:00:00Z'; // after removal
    checklist.airbags.neutralised = 7;
    const before = await countRows(ctx.db, touched);
    const refused = await pretreatVehicle(ctx.db, localSubmitter, vin, checklist).catch((e) => e);
    expect(refused).toMatchObject({ kind: 'invalid', code: 'pretreatment_incomplete' });
    const fields = refused.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'fluids.1.drainedLitres',
        'tractionBattery.highVoltageIsolatedAt',
        'airbags.neutralised',
      ]),
    );
    expect(
      refused.errors.find((e: { field: string }) => e.field === 'fluids.1.drainedLitres').message,
    ).toMatch(/66\.7 %/);
    expect(await countRows(ctx.db, touched)).toEqual(before);
    expect((await getAsset(ctx.db, localOperator, pack)).state).toBe('installed');
  });

  it('harvests reusable parts and the five assemblies; a code without the VIN is refused, nothing written', async () => {
    const { vin, pack } = await readyToHarvest(ctx);
    const harvest = rekey(example('harvest'), vin, pack) as { assemblies: Array<{ code?: string }> };
    const bad = structuredClone(harvest);
    bad.assemblies[3]!.code = 'FRAME-0001';
    const before = await countRows(ctx.db, touched);
    const error = await harvestVehicle(ctx.db, localSubmitter, vin, bad).catch((e) => e);
    expect(error).toMatchObject({ code: 'invalid_harvest', errors: [{ field: 'assemblies.3.code' }] });
    expect(error.errors[0].message).toMatch(/original VIN/);
    expect(await countRows(ctx.db, touched)).toEqual(before);

    const done = await harvestVehicle(ctx.db, localSubmitter, vin, harvest);
    expect(done.parts).toHaveLength(5);
    expect(done.parts[0]).toMatchObject({
      partId: `${vin}-R01`,
      status: 'in_stock',
      marking: '报废机动车回用件',
      price: 1200,
    });
    expect(done.parts[0]!.historyUrl).toMatch(new RegExp(`/app/verify\\?subject=${vin}-R01$`));
    expect(done.assemblies.map((a) => a.code)).toEqual([
      `${vin}-SG1`,
      `${vin}-FA1`,
      `${vin}-RA1`,
      `${vin}-FR1`,
    ]);
    expect((await getAsset(ctx.db, localOperator, vin)).state).toBe('dismantled');
    expect((await getAsset(ctx.db, localOperator, `${vin}-SG1`)).state).toBe('sold');
    expect((await getAsset(ctx.db, localOperator, `${vin}-FR1`)).state).toBe('scrapped');
    const label = await partLabelPdf(ctx.db, localOperator, `${vin}-R03`);
    expect(label.subarray(0, 5).toString()).toBe('%PDF-');
    const again = await harvestVehicle(ctx.db, localSubmitter, vin, harvest).catch((e) => e);
    expect(again).toMatchObject({ code: 'already_dismantled' });
  });

  it('keeps reusable-part stock: search by part number and compatible model, reserve, sell', async () => {
    const { vin, pack } = await readyToHarvest(ctx);
    await harvestVehicle(ctx.db, localSubmitter, vin, rekey(example('harvest'), vin, pack));
    const byNumber = await searchStock(ctx.db, localOperator, { partNumber: '1514952-00-B' });
    expect(byNumber.items.map((p) => p.partId)).toContain(`${vin}-R03`);
    const byModel = await searchStock(ctx.db, localOperator, { model: 'model y' });
    expect(byModel.items.every((p) => p.compatibleModels.some((m) => /Model Y/.test(m)))).toBe(true);
    expect(byModel.items.map((p) => p.partId)).toContain(`${vin}-R03`);

    const partId = `${vin}-R01`;
    await reservePart(ctx.db, localOperator, partId, {
      partyId: 'party:workshop-a',
      until: '2099-01-01T00:00:00Z',
    });
    const reserved = await searchStock(ctx.db, localOperator, { partNumber: '1081401-E0-D' });
    expect(reserved.items.find((p) => p.partId === partId)).toMatchObject({ status: 'reserved' });
    const stolen = await sellPart(ctx.db, localSubmitter, partId, {
      buyerPartyId: 'party:workshop-b',
      price: '1100.00',
    }).catch((e) => e);
    expect(stolen).toMatchObject({ code: 'part_reserved' });
    const sale = await sellPart(ctx.db, localSubmitter, partId, {
      buyerPartyId: 'party:workshop-a',
      price: '1150.50',
      soldAt: '2026-11-20T03:00:00Z',
    });
    expect(sale).toMatchObject({ price: 1150.5, currency: 'CNY', destination: 'reuse' });
    expect((await getAsset(ctx.db, localOperator, partId)).state).toBe('sold');
    const twice = await sellPart(ctx.db, localSubmitter, partId, {
      buyerPartyId: 'party:workshop-a',
      price: 1,
    }).catch((e) => e);
    expect(twice).toMatchObject({ code: 'part_not_in_stock' });
    await reservePart(ctx.db, localOperator, `${vin}-R02`, { partyId: 'party:workshop-a' });
    await releasePart(ctx.db, localOperator, `${vin}-R02`);
    await sellPart(ctx.db, localSubmitter, `${vin}-R02`, {
      buyerPartyId: 'party:workshop-b',
      price: 900,
      soldAt: '2026-11-21T03:00:00Z',
    });
  });

  it('weighs materials: ISO 22628 rates against the intake mass; heavier than the vehicle is refused', async () => {
    const { vin, pack } = await readyToHarvest(ctx);
    const early = await weighVehicle(ctx.db, localSubmitter, vin, example('materials')).catch((e) => e);
    expect(early).toMatchObject({ code: 'not_dismantled' });
    await harvestVehicle(ctx.db, localSubmitter, vin, rekey(example('harvest'), vin, pack));
    const before = await countRows(ctx.db, touched);
    const heavy = await weighVehicle(ctx.db, localSubmitter, vin, {
      outputs: [{ material: 'ferrous', massKg: 1200 }],
    }).catch((e) => e);
    expect(heavy).toMatchObject({ code: 'heavier_than_vehicle', errors: [{ field: 'outputs' }] });
    expect(heavy.errors[0].message).toMatch(/heavier than the vehicle's 1760 kg/);
    expect(await countRows(ctx.db, touched)).toEqual(before);

    const rates = await weighVehicle(ctx.db, localSubmitter, vin, example('materials'));
    // reuse: parts 110.2 + remanufactured assemblies 57; recycling: battery 490 + 1008 weighed; energy: rubber 40.
    expect(rates).toMatchObject({
      massKg: 1760,
      reuseKg: 167.2,
      recycleKg: 1498,
      energyRecoveryKg: 40,
      disposalKg: 45,
      recyclabilityRate: 0.9461,
      recoverabilityRate: 0.9689,
      meetsTargets: { recyclability: true, recoverability: true },
    });
    expect(rates.lots).toHaveLength(8);
    expect((await getAsset(ctx.db, localOperator, rates.lots[0]!.lotId)).state).toBe('recovered');
    const more = await weighVehicle(ctx.db, localSubmitter, vin, {
      outputs: [{ material: 'glass', massKg: 20 }],
    }).catch((e) => e);
    expect(more).toMatchObject({ code: 'heavier_than_vehicle' });
  });

  it('weighs a shredder batch, allocated by intake mass', async () => {
    const a = await readyToHarvest(ctx);
    const b = await readyToHarvest(ctx);
    for (const v of [a, b])
      await harvestVehicle(ctx.db, localSubmitter, v.vin, {
        harvestedAt: '2026-11-10T02:00:00Z',
        parts: [],
        assemblies: [],
      });
    const batch = await weighBatch(ctx.db, localSubmitter, {
      batchId: `shred-${a.vin.slice(-6)}`,
      vins: [a.vin, b.vin],
      weighedAt: '2026-11-15T02:00:00Z',
      outputs: [
        { material: 'ferrous', massKg: 1500 },
        { material: 'shredder_residue', massKg: 300 },
      ],
    });
    expect(batch.lots[0]!.allocation).toEqual([
      { vin: a.vin, massKg: 750 },
      { vin: b.vin, massKg: 750 },
    ]);
    expect(batch.vehicles[0]).toMatchObject({ vin: a.vin, recycleKg: 490 + 750, disposalKg: 150 });
  });

  it('hands the battery to the battery flow and flags it overdue after 15 working days', async () => {
    const { vin, pack } = await readyToHarvest(ctx);
    const bad = await handOverBattery(ctx.db, localSubmitter, pack, {
      toPartyId: 'party:cascade-01',
      receiverName: 'Cascade Energy Co.',
      receiverCode: '91320500MA1MXK7Q30',
      purpose: 'repurposing',
    }).catch((e) => e);
    expect(bad).toMatchObject({ code: 'invalid_receiver_code', errors: [{ field: 'receiverCode' }] });

    const report = await dismantlingReport(ctx.db, localOperator, '2026-11-01', '2026-11-30', {
      clock: clockAt('2026-11-25T02:00:00Z'),
    });
    expect(report.batteryOutbound.find((b) => b.packCode === pack)).toMatchObject({
      deadline: '2026-11-24',
      status: 'overdue',
      overdue: true,
    });
    expect(report.overdue.map((o) => o.reference)).toContain(pack);

    const out = await handOverBattery(ctx.db, localSubmitter, pack, {
      toPartyId: 'party:cascade-01',
      receiverName: 'Cascade Energy Co.',
      receiverCode: receiver,
      purpose: 'repurposing',
      handedOverAt: '2026-11-20T02:00:00Z',
    });
    expect(out).toMatchObject({ deadline: '2026-11-24', status: 'on_time' });
    const history = await subjectHistory(ctx.db, localOperator, pack);
    expect(history.events.map((e) => e.type)).toEqual([
      'battery.enrolled',
      'battery.removed',
      'battery.handed_over',
    ]);
    expect(vin).toBeTruthy();
  });

  it('reports what China asks for, as JSON and CSV, and a yearly EU-style report', async () => {
    const { vin, pack } = await readyToHarvest(ctx);
    await harvestVehicle(ctx.db, localSubmitter, vin, rekey(example('harvest'), vin, pack));
    await weighVehicle(ctx.db, localSubmitter, vin, example('materials'));
    await sellPart(ctx.db, localSubmitter, `${vin}-R04`, {
      buyerPartyId: 'party:workshop-c',
      price: 780,
      soldAt: '2026-11-22T03:00:00Z',
    });
    const report = await dismantlingReport(ctx.db, localOperator, '2026-11-01', '2026-11-30', {
      clock: clockAt('2026-11-29T00:00:00Z'),
    });
    expect(report.intake.find((i) => i.vin === vin)).toMatchObject({
      plateNumber: '苏E12345',
      engineNumber: 'TG123456789',
    });
    expect(report.certificates.find((c) => c.vin === vin)).toMatchObject({
      deregisteredAt: '2026-11-05T02:00:00.000Z',
    });
    const assemblies = report.fiveAssemblies.items.filter((a) => a.vin === vin);
    expect(assemblies.map((a) => `${a.assembly}:${a.destination}`)).toEqual([
      'front_axle:remanufacturing',
      'frame:scrap:smelting',
      'rear_axle:scrap:shredding',
      'steering_gear:remanufacturing',
    ]);
    expect(report.fiveAssemblies.summary.find((s) => s.assembly === 'frame')).toMatchObject({
      destination: 'scrap:smelting',
    });
    expect(report.partSales.filter((s) => s.vin === vin).map((s) => s.kind)).toEqual(
      expect.arrayContaining(['five_assembly', 'reused_part']),
    );
    expect(report.recoveryRates.vehicles).toBeGreaterThan(0);
    const csv = reportCsv(report);
    expect(csv.split('\n')[0]).toMatch(/^section,/);
    expect(csv).toMatch(/\nbattery_outbound,/);
    expect(csv).toMatch(/\nfive_assembly,/);

    const eu = await euElvReport(ctx.db, localOperator, 2026);
    expect(eu.vehiclesTreated).toBeGreaterThan(0);
    expect(eu.targets).toEqual({ reuseAndRecycling: 0.85, reuseAndRecovery: 0.95 });
    const rates = await periodRates(ctx.db, localOperator, '2026-11-01', '2026-11-30');
    expect(rates.vehicles).toBeGreaterThan(0);
  });

  it('checks permissions: a dealer may search stock but not take in a vehicle', async () => {
    const dealer = await createParty(ctx.db, localOperator, { name: 'Dealer D', roles: ['dealer'] });
    const principal = { partyId: dealer.id, name: dealer.name, roles: dealer.roles };
    await searchStock(ctx.db, principal, {});
    const error = await intakeVehicle(ctx.db, { principal, keyId: 'k' }, { vin: nextVin(), massKg: 1 }).catch(
      (e) => e,
    );
    expect(error).toMatchObject({ kind: 'forbidden' });
  });
});
