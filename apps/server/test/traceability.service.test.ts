import { expect, it } from 'vitest';
import { registerAssets } from '../src/modules/assets/index.ts';
import { exampleBatteryCode, exampleVin } from '../src/modules/batteries/batteries.examples.ts';
import { gradeBatteryByRules, recordSohTest } from '../src/modules/batteries/index.ts';
import { appendEvents, localSubmitter, type Submitter } from '../src/modules/ledger/index.ts';
import { createParty, localOperator } from '../src/modules/parties/index.ts';
import { markReported, reportCsv, traceabilityReport } from '../src/modules/passports/index.ts';
import { describeEachDatabase } from './support/databases.ts';

const ev = (
  type: string,
  kind: string,
  id: string,
  occurredAt: string,
  payload: Record<string, unknown>,
) => ({
  type,
  subject: { kind, id },
  occurredAt,
  payload,
});

describeEachDatabase('China traceability reporting', (ctx) => {
  const code = exampleBatteryCode('pack');
  const vin = exampleVin();
  const party: Record<string, string> = {};
  const as = (name: string, role: 'dismantler' | 'recycler' | 'oem'): Submitter => ({
    principal: { partyId: party[name]!, name, roles: [role] },
    keyId: 'local',
  });

  it('finds every reportable event with its deadline in working days (PRC holidays) and its status', async () => {
    for (const [name, role] of [
      ['oem', 'oem'],
      ['dismantler', 'dismantler'],
      ['recycler', 'recycler'],
    ] as const)
      party[name] = (await createParty(ctx.db, localOperator, { name: `Trace ${name}`, roles: [role] })).id;
    await registerAssets(ctx.db, localOperator, [
      { kind: 'vehicle', vin, make: 'BYD', model: 'Dolphin', powertrain: 'bev' },
      { kind: 'battery-pack', code, chemistry: 'NCM', ratedCapacityKwh: 44.9, massKg: 320 },
    ]);
    await appendEvents(ctx.db, localSubmitter, [
      ev('vehicle.produced', 'vehicle', vin, '2025-01-02T02:00:00Z', {
        manufacturerPartyId: party.oem,
        producedAt: '2025-01-02T02:00:00Z',
        model: 'Dolphin',
        modelYear: 2025,
        powertrain: 'bev',
      }),
      ev('battery.produced', 'battery-pack', code, '2025-01-06T02:00:00Z', {
        manufacturerPartyId: party.oem,
        producedAt: '2025-01-06T02:00:00Z',
        chemistry: 'NCM',
        nominalEnergyKwh: 44.9,
        massKg: 320,
        batteryStatus: 'original',
      }),
    ]);
    await appendEvents(ctx.db, as('oem', 'oem'), [
      // 10:00 in Beijing on Monday 20 January 2025; Spring Festival 28 Jan – 4 Feb, make-up days 26 Jan and 8 Feb.
      ev('vehicle.battery_bound', 'vehicle', vin, '2025-01-20T02:00:00Z', {
        packCode: code,
        boundAt: '2025-01-20T02:00:00Z',
      }),
      ev('vehicle.sold', 'vehicle', vin, '2025-03-03T02:00:00Z', {
        soldAt: '2025-03-03T02:00:00Z',
        sellerPartyId: 'party:dealer-sh-01',
        buyerPartyId: 'customer:1',
        price: { amountMinor: 11_980_000, currency: 'CNY' },
      }),
      ev('vehicle.registered', 'vehicle', vin, '2025-03-04T02:00:00Z', {
        registeredAt: '2025-03-04T02:00:00Z',
        region: 'CN-44',
        useClass: 'private',
      }),
      ev('battery.installed', 'battery-pack', code, '2025-01-20T02:00:00Z', {
        host: { kind: 'vehicle', id: vin },
        installedAt: '2025-01-20T02:00:00Z',
      }),
    ]);
    await appendEvents(ctx.db, as('dismantler', 'dismantler'), [
      ev('vehicle.elv_received', 'vehicle', vin, '2025-09-01T02:00:00Z', {
        receivedAt: '2025-09-01T02:00:00Z',
        dismantlerPartyId: party.dismantler,
        massKg: 1600,
        packCode: code,
      }),
      ev('battery.removed', 'battery-pack', code, '2025-09-03T02:00:00Z', {
        host: { kind: 'vehicle', id: vin },
        removedAt: '2025-09-03T02:00:00Z',
        reason: 'vehicle_end_of_life',
      }),
      ev('battery.handed_over', 'battery-pack', code, '2025-09-10T02:00:00Z', {
        fromPartyId: party.dismantler,
        toPartyId: party.recycler,
        handedOverAt: '2025-09-10T02:00:00Z',
        purpose: 'recycling',
      }),
    ]);

    const rows = await traceabilityReport(ctx.db, localOperator, {
      from: '2025-01-01',
      to: '2025-12-31',
      asOf: '2025-09-26T02:00:00Z',
    });
    const by = Object.fromEntries(rows.map((r) => [r.event, r]));
    expect(rows.map((r) => r.event)).toEqual([
      'factory_outbound',
      'vehicle_certificate',
      'sale',
      'elv_intake',
      'elv_battery_removal',
      'elv_battery_outbound',
      'recycler_intake',
    ]);
    expect(by.vehicle_certificate).toEqual({
      event: 'vehicle_certificate',
      party: party.oem,
      batteryCode: code,
      vin,
      occurredAt: '2025-01-20T02:00:00.000Z',
      deadline: '2025-02-14',
      reportedAt: null,
      status: 'overdue',
    });
    expect(by.sale).toMatchObject({ party: 'party:dealer-sh-01', batteryCode: code, vin, status: 'overdue' });
    expect(by.elv_intake).toMatchObject({
      party: party.dismantler,
      deadline: '2025-09-22',
      status: 'overdue',
    });
    expect(by.elv_battery_removal).toMatchObject({ party: party.dismantler, vin, deadline: '2025-09-24' });
    // 15 working days from 10 September: the make-up Sunday 28 September counts.
    expect(by.elv_battery_outbound).toMatchObject({
      party: party.dismantler,
      deadline: '2025-09-30',
      status: 'due_soon',
    });
    expect(by.recycler_intake).toMatchObject({ party: party.recycler, status: 'pending' });
    expect(by.recycler_intake!.deadline > '2025-10-08').toBe(true);
  });

  it('records reported dates: on time, late; filters by party; exports CSV', async () => {
    const onTime = await markReported(ctx.db, localOperator, {
      batteryCode: code,
      event: 'factory_outbound',
      reportedAt: '2025-01-20T08:00:00Z',
      reference: 'MIIT-0001',
    });
    expect(onTime).toMatchObject([{ event: 'factory_outbound', status: 'on_time' }]);
    const late = await markReported(ctx.db, localOperator, {
      batteryCode: code,
      event: 'vehicle_certificate',
      reportedAt: '2025-02-17T02:00:00Z',
    });
    expect(late[0]!.status).toBe('late');
    await expect(
      markReported(ctx.db, localOperator, {
        batteryCode: code,
        event: 'vehicle_certificate',
        reportedAt: '2025-02-18T02:00:00Z',
      }),
    ).rejects.toMatchObject({ code: 'already_reported' });
    await expect(
      markReported(ctx.db, localOperator, {
        batteryCode: code,
        event: 'sale',
        reportedAt: '2024-01-01T00:00:00Z',
      }),
    ).rejects.toMatchObject({ kind: 'invalid', errors: [{ field: 'reportedAt' }] });

    // New events are picked up on the next report.
    await recordSohTest(ctx.db, as('recycler', 'recycler'), code, {
      testedAt: '2025-09-15T02:00:00Z',
      testerPartyId: party.recycler,
      method: 'bms_readout',
      sohPercent: 40,
    });
    await gradeBatteryByRules(ctx.db, as('recycler', 'recycler'), code, {
      gradedAt: '2025-09-16T02:00:00Z',
      graderPartyId: party.recycler,
    });
    await appendEvents(ctx.db, as('recycler', 'recycler'), [
      ev('battery.recycled', 'battery-pack', code, '2025-09-20T02:00:00Z', {
        recycledAt: '2025-09-20T02:00:00Z',
        recyclerPartyId: party.recycler,
        process: 'hydrometallurgical',
        inputMassKg: 320,
      }),
    ]);
    const recycler = await traceabilityReport(ctx.db, localOperator, {
      from: '2025-01-01',
      to: '2025-12-31',
      party: party.recycler,
      asOf: '2025-09-26T02:00:00Z',
    });
    expect(recycler.map((r) => r.event)).toEqual(['recycler_intake', 'final_treatment']);
    const all = await traceabilityReport(ctx.db, localOperator, {
      from: '2025-01-01',
      to: '2025-01-31',
      asOf: '2025-09-26T02:00:00Z',
    });
    expect(all.map((r) => [r.event, r.status])).toEqual([
      ['factory_outbound', 'on_time'],
      ['vehicle_certificate', 'late'],
    ]);
    // 15 working days from Monday 6 January 2025 end on the make-up Sunday 26 January.
    const csv = reportCsv(all).trim().split('\n');
    expect(csv[0]).toBe('event,party,batteryCode,vin,occurredAt,deadline,reportedAt,status');
    expect(csv[1]).toBe(
      `factory_outbound,${party.oem},${code},,2025-01-06T02:00:00.000Z,2025-01-26,2025-01-20T08:00:00.000Z,on_time`,
    );
  });

  it('refuses a bad date range naming the field', async () => {
    await expect(
      traceabilityReport(ctx.db, localOperator, { from: '2025-13-01', to: '2025-12-31' }),
    ).rejects.toMatchObject({
      errors: [{ field: 'from' }],
    });
    await expect(
      traceabilityReport(ctx.db, localOperator, { from: '2025-12-31', to: '2025-01-01' }),
    ).rejects.toMatchObject({
      errors: [{ field: 'to' }],
    });
  });
});
