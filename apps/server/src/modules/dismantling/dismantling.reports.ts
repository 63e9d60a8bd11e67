/**
 * The records China's ELV rules ask for (intake, certificates, five-assembly quantity / model /
 * destination, the parts sales ledger, battery outbound within 15 working days) and a yearly
 * EU-style ELV report (Directive 2000/53/EC Art. 7 targets, Decision 2005/293/EC categories).
 */
import { stringify } from 'csv-stringify/sync';
import type { Db } from '../../db/database.ts';
import { type Clock, systemClock } from '../../shared/clock.ts';
import { invalid } from '../../shared/errors.ts';
import { toMajorUnits } from '../../shared/money.ts';
import { chinaDate, workingDaysBetween } from '../../shared/working-days.ts';
import { type Principal, requirePermission } from '../parties/index.ts';
import {
  deadlineStatus,
  isNewEnergy,
  materialCategories,
  recoveryRates,
  rules,
  sumBalances,
  treatments,
  workingDayDeadline,
} from './dismantling.model.ts';
import * as repo from './dismantling.repository.ts';
import { balanceOf } from './dismantling.service.ts';

const datePattern = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A report period from two days (both inclusive, China civil dates, i.e. from 00:00 UTC+8) or two
 * ISO instants (from inclusive, to exclusive).
 */
export function reportPeriod(from: string, to: string): repo.Period & { fromDay: string; toDay: string } {
  const start = (value: string, field: string) => {
    const instant = datePattern.test(value) ? Date.parse(`${value}T00:00:00+08:00`) : Date.parse(value);
    if (Number.isNaN(instant))
      throw invalid('invalid_period', `${field} is not a date`, [
        { field, message: 'expected YYYY-MM-DD or an ISO 8601 time' },
      ]);
    return instant;
  };
  const fromAt = start(from, 'from');
  const toAt = datePattern.test(to) ? start(to, 'to') + 86_400_000 : start(to, 'to');
  if (toAt <= fromAt)
    throw invalid('invalid_period', 'to is before from', [
      { field: 'to', message: 'must not be before from' },
    ]);
  const fromIso = new Date(fromAt).toISOString();
  const toIso = new Date(toAt).toISOString();
  return {
    from: fromIso,
    to: toIso,
    fromDay: chinaDate(fromIso),
    toDay: chinaDate(new Date(toAt - 1).toISOString()),
  };
}

export interface ReportOptions {
  clock?: Clock;
}

/** The China ELV report for a period, with overdue items flagged. */
export async function dismantlingReport(
  db: Db,
  principal: Principal,
  from: string,
  to: string,
  options: ReportOptions = {},
) {
  requirePermission(principal, 'dismantling:report');
  const period = reportPeriod(from, to);
  const asOf = (options.clock ?? systemClock)();
  const k = db.kysely;
  const [intakes, certificates, assemblies, sales, batteries, refusals, dismantlings] = await Promise.all([
    repo.listIntakes(k, period),
    repo.listCertificates(k, period),
    repo.listAssemblies(k, period),
    repo.listSales(k, period),
    repo.listBatteriesForReport(k, period),
    repo.listRefusals(k, period),
    repo.listDismantlings(k, period),
  ]);
  const vins = [
    ...new Set([
      ...intakes.map((i) => i.vin),
      ...certificates.map((c) => c.vin),
      ...assemblies.map((a) => a.vin),
      ...sales.map((s) => s.vin),
      ...batteries.map((b) => b.vin),
      ...dismantlings.map((d) => d.vin),
    ]),
  ];
  const vehicles = await repo.findIntakes(k, vins);
  const owners = await repo.findOwners(k, vins);
  const deregistrations = await repo.findDeregistrations(k, vins);
  const soldParts = await repo.findPartsByIds(
    k,
    sales.map((s) => s.part_id),
  );
  const modelOf = (vin: string) => {
    const v = vehicles.get(vin);
    return v ? `${v.make} ${v.model}` : null;
  };

  const intakeRows = intakes.map((i) => {
    const nev = isNewEnergy(i.powertrain) || i.pack_code !== null;
    return {
      vin: i.vin,
      receivedAt: i.received_at,
      make: i.make,
      model: i.model,
      modelYear: i.model_year,
      powertrain: i.powertrain,
      engineNumber: i.engine_number,
      plateNumber: owners.get(i.vin)?.plate_number ?? null,
      massKg: i.mass_kg,
      packCode: i.pack_code,
      missingItems: (JSON.parse(i.missing_items) as string[]).join(' '),
      enrolled: i.enrolled === 1,
      // MIIT 2018 Art. 13(a): NEV intake and certificate reported within 15 working days.
      traceabilityReportDue: nev
        ? workingDayDeadline(i.received_at, rules.traceability.intakeReportWorkingDays)
        : null,
    };
  });
  const certificateRows = certificates.map((c) => ({
    certificateNumber: c.certificate_number,
    vin: c.vin,
    issuedAt: c.issued_at,
    scheme: c.scheme,
    issuerPartyId: c.issuer_party_id,
    model: modelOf(c.vin),
    deregisteredAt: deregistrations.get(c.vin)?.deregistered_at ?? null,
  }));
  const assemblyRows = assemblies.map((a) => ({
    vin: a.vin,
    model: modelOf(a.vin),
    assembly: a.category,
    code: a.part_id,
    quantity: 1,
    destination: a.destination === 'remanufacturing' ? 'remanufacturing' : `scrap:${a.scrap_route}`,
    receiverPartyId: a.receiver_party_id,
    date: a.harvested_at,
  }));
  const summary = new Map<
    string,
    { assembly: string; model: string | null; destination: string; quantity: number }
  >();
  for (const a of assemblyRows) {
    const key = `${a.assembly}|${a.model}|${a.destination}`;
    const row = summary.get(key) ?? {
      assembly: a.assembly,
      model: a.model,
      destination: a.destination,
      quantity: 0,
    };
    row.quantity += 1;
    summary.set(key, row);
  }
  const salesRows = sales.map((s) => {
    const part = soldParts.get(s.part_id);
    return {
      soldAt: s.sold_at,
      partId: s.part_id,
      kind: part?.part_class === 'assembly' ? 'five_assembly' : 'reused_part',
      category: part?.category ?? null,
      partNumber: part?.part_number ?? null,
      vin: s.vin,
      model: modelOf(s.vin),
      quantity: 1,
      buyerPartyId: s.buyer_party_id,
      price: toMajorUnits(s.price_minor, s.currency),
      currency: s.currency,
      destination: s.destination,
      marking: s.destination === 'reuse' ? '报废机动车回用件' : null,
    };
  });
  const batteryRows = batteries.map((b) => {
    const status = deadlineStatus(b.outbound_deadline, b.handed_over_at, asOf);
    return {
      packCode: b.pack_code,
      vin: b.vin,
      batteryType: b.chemistry,
      removedAt: b.removed_at,
      deadline: b.outbound_deadline,
      handedOverAt: b.handed_over_at,
      receiverName: b.receiver_name,
      receiverCode: b.receiver_code,
      purpose: b.purpose,
      workingDaysTaken: workingDaysBetween(b.removed_at, b.handed_over_at ?? asOf),
      status,
      overdue: status === 'overdue' || status === 'late',
    };
  });
  const dismantledVins = dismantlings.map((d) => d.vin);
  const [parts, vehicleBatteries, outputs] = await Promise.all([
    repo.partsOfVehicles(k, dismantledVins),
    repo.batteriesOfVehicles(k, dismantledVins),
    repo.outputsOfVehicles(k, dismantledVins),
  ]);
  const weighed = dismantledVins.filter((vin) => outputs.some((o) => o.vin === vin));
  const dismantledIntakes = await repo.findIntakes(k, dismantledVins);
  const balances = weighed.map((vin) =>
    balanceOf(
      dismantledIntakes.get(vin)!,
      parts.filter((p) => p.vin === vin),
      vehicleBatteries.filter((b) => b.vin === vin),
      outputs.filter((o) => o.vin === vin),
    ),
  );
  const overdue = batteryRows
    .filter((b) => b.overdue)
    .map((b) => ({
      kind: 'battery_outbound',
      reference: b.packCode,
      vin: b.vin,
      deadline: b.deadline,
      status: b.status,
      message:
        b.status === 'overdue'
          ? `traction battery still on site ${b.workingDaysTaken} working days after removal (limit ${rules.traceability.batteryOutboundWorkingDays})`
          : `handed out after ${b.workingDaysTaken} working days (limit ${rules.traceability.batteryOutboundWorkingDays})`,
    }));
  return {
    period: { from: period.fromDay, to: period.toDay },
    generatedAt: asOf,
    intake: intakeRows,
    certificates: certificateRows,
    fiveAssemblies: { items: assemblyRows, summary: [...summary.values()] },
    partSales: salesRows,
    batteryOutbound: batteryRows,
    refusals: refusals.map((r) => ({
      vin: r.vin,
      refusedAt: r.refused_at,
      reasons: JSON.parse(r.reasons) as Array<{ code: string }>,
    })),
    recoveryRates: { vehicles: balances.length, ...recoveryRates(sumBalances(balances)) },
    overdue,
  };
}

export type DismantlingReport = Awaited<ReturnType<typeof dismantlingReport>>;

/** One CSV document: a `section` column, then the union of the sections' fields. */
export function reportCsv(report: DismantlingReport): string {
  const rows: Array<Record<string, unknown>> = [
    ...report.intake.map((r) => ({ section: 'intake', ...r })),
    ...report.certificates.map((r) => ({ section: 'certificate', ...r })),
    ...report.fiveAssemblies.items.map((r) => ({ section: 'five_assembly', ...r })),
    ...report.partSales.map((r) => ({ section: 'part_sale', ...r })),
    ...report.batteryOutbound.map((r) => ({ section: 'battery_outbound', ...r })),
    ...report.refusals.map((r) => ({
      section: 'refusal',
      vin: r.vin,
      refusedAt: r.refusedAt,
      reasons: r.reasons.map((x) => x.code).join(' '),
    })),
    {
      section: 'recovery_rates',
      vehicles: report.recoveryRates.vehicles,
      massKg: report.recoveryRates.massKg,
      reuseKg: report.recoveryRates.reuseKg,
      recycleKg: report.recoveryRates.recycleKg,
      energyRecoveryKg: report.recoveryRates.energyRecoveryKg,
      recyclabilityRate: report.recoveryRates.recyclabilityRate,
      recoverabilityRate: report.recoveryRates.recoverabilityRate,
    },
  ];
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return stringify(
    rows.map((r) => columns.map((c) => cell(r[c]))),
    { header: true, columns },
  );
}

const cell = (value: unknown) =>
  value === null || value === undefined ? '' : typeof value === 'boolean' ? String(value) : value;

/**
 * Yearly EU-style ELV report: vehicles treated in the year (dismantled), their mass, and where it went
 * by material and treatment; reuse + recycling and reuse + recovery against the 85 % / 95 % targets
 * (Directive 2000/53/EC Art. 7(2)(b)). Table layout after Decision 2005/293/EC (exact layout UNVERIFIED).
 */
export async function euElvReport(db: Db, principal: Principal, year: number, options: ReportOptions = {}) {
  requirePermission(principal, 'dismantling:report');
  if (!Number.isInteger(year) || year < 2000 || year > 2100)
    throw invalid('invalid_year', `${year} is not a report year`, [
      { field: 'year', message: 'a year, e.g. 2026' },
    ]);
  const period = reportPeriod(`${year}-01-01`, `${year}-12-31`);
  const k = db.kysely;
  const dismantled = await repo.listDismantlings(k, period);
  const vins = dismantled.map((d) => d.vin);
  const [intakes, parts, batteries, outputs] = await Promise.all([
    repo.findIntakes(k, vins),
    repo.partsOfVehicles(k, vins),
    repo.batteriesOfVehicles(k, vins),
    repo.outputsOfVehicles(k, vins),
  ]);
  const balances = vins.map((vin) =>
    balanceOf(
      intakes.get(vin)!,
      parts.filter((p) => p.vin === vin),
      batteries.filter((b) => b.vin === vin),
      outputs.filter((o) => o.vin === vin),
    ),
  );
  const totals = recoveryRates(sumBalances(balances));
  const byMaterial = materialCategories.map((material) => {
    const row: Record<string, number | string> = { material };
    for (const t of treatments)
      row[`${t}Kg`] = round3(
        outputs
          .filter((o) => o.material === material && o.treatment === t)
          .reduce((s, o) => s + o.mass_kg, 0),
      );
    return row;
  });
  const reusedParts = parts.filter((p) => p.part_class === 'reusable');
  const remanufactured = parts.filter((p) => p.destination === 'remanufacturing');
  return {
    year,
    generatedAt: (options.clock ?? systemClock)(),
    vehiclesTreated: vins.length,
    vehiclesWeighed: new Set(outputs.map((o) => o.vin)).size,
    totalMassKg: totals.massKg,
    reuse: {
      partsKg: round3(reusedParts.reduce((s, p) => s + (p.mass_kg ?? 0), 0)),
      remanufacturedAssembliesKg: round3(remanufactured.reduce((s, p) => s + (p.mass_kg ?? 0), 0)),
      tractionBatteriesKg: round3(
        batteries.filter((b) => b.purpose === 'repurposing').reduce((s, b) => s + (b.mass_kg ?? 0), 0),
      ),
      totalKg: totals.reuseKg,
    },
    pretreatmentBatteriesRecycledKg: round3(
      batteries.filter((b) => b.purpose !== 'repurposing').reduce((s, b) => s + (b.mass_kg ?? 0), 0),
    ),
    materials: byMaterial,
    recyclingKg: totals.recycleKg,
    energyRecoveryKg: totals.energyRecoveryKg,
    disposalKg: totals.disposalKg,
    unaccountedKg: totals.unaccountedKg,
    reuseAndRecyclingRate: totals.recyclabilityRate,
    reuseAndRecoveryRate: totals.recoverabilityRate,
    targets: {
      reuseAndRecycling: totals.targets.recyclability,
      reuseAndRecovery: totals.targets.recoverability,
    },
    meetsTargets: {
      reuseAndRecycling: totals.meetsTargets.recyclability,
      reuseAndRecovery: totals.meetsTargets.recoverability,
    },
    source: rules.recoveryTargets.source,
  };
}

export type EuElvReport = Awaited<ReturnType<typeof euElvReport>>;

export function euReportCsv(report: EuElvReport): string {
  const rows = [
    ...report.materials.map((m) => ({ line: 'material', ...m })),
    { line: 'reuse', material: 'parts', reuseKg: report.reuse.partsKg },
    {
      line: 'reuse',
      material: 'remanufactured_assemblies',
      reuseKg: report.reuse.remanufacturedAssembliesKg,
    },
    { line: 'reuse', material: 'traction_batteries', reuseKg: report.reuse.tractionBatteriesKg },
    {
      line: 'recycling',
      material: 'traction_batteries',
      recyclingKg: report.pretreatmentBatteriesRecycledKg,
    },
    {
      line: 'total',
      material: 'all',
      vehicles: report.vehiclesTreated,
      massKg: report.totalMassKg,
      reuseKg: report.reuse.totalKg,
      recyclingKg: report.recyclingKg,
      energy_recoveryKg: report.energyRecoveryKg,
      disposalKg: report.disposalKg,
      reuseAndRecyclingRate: report.reuseAndRecyclingRate,
      reuseAndRecoveryRate: report.reuseAndRecoveryRate,
    },
  ];
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return stringify(
    rows.map((r) => columns.map((c) => cell((r as Record<string, unknown>)[c]))),
    { header: true, columns },
  );
}

/** ISO 22628 rates of the vehicles dismantled (and weighed) in a period. */
export async function periodRates(db: Db, principal: Principal, from: string, to: string) {
  requirePermission(principal, 'dismantling:read');
  const period = reportPeriod(from, to);
  const k = db.kysely;
  const vins = (await repo.listDismantlings(k, period)).map((d) => d.vin);
  const [intakes, parts, batteries, outputs] = await Promise.all([
    repo.findIntakes(k, vins),
    repo.partsOfVehicles(k, vins),
    repo.batteriesOfVehicles(k, vins),
    repo.outputsOfVehicles(k, vins),
  ]);
  // Grouped by VIN once: a period can hold thousands of vehicles and tens of thousands of rows.
  const byVin = <T extends { vin: string }>(rows: readonly T[]) => {
    const map = new Map<string, T[]>();
    for (const row of rows) map.set(row.vin, [...(map.get(row.vin) ?? []), row]);
    return map;
  };
  const [partsOf, batteriesOf, outputsOf] = [byVin(parts), byVin(batteries), byVin(outputs)];
  const weighed = vins.filter((vin) => outputsOf.has(vin));
  const balances = weighed.map((vin) =>
    balanceOf(
      intakes.get(vin)!,
      partsOf.get(vin) ?? [],
      batteriesOf.get(vin) ?? [],
      outputsOf.get(vin) ?? [],
    ),
  );
  return {
    period: { from: period.fromDay, to: period.toDay },
    vehicles: weighed.length,
    notYetWeighed: vins.filter((v) => !outputsOf.has(v)),
    ...recoveryRates(sumBalances(balances)),
  };
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;
