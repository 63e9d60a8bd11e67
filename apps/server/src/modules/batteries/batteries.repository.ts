/** All SQL of the batteries module (portable Kysely: runs on SQLite and PostgreSQL). */
import type { Executor } from '../../db/transaction.ts';

const num = (v: number | string | null): number | null => (v === null ? null : Number(v));
const parseList = (text: string): string[] => JSON.parse(text) as string[];

// ---------------------------------------------------------------- SOH tests

export interface SohTestRow {
  id: string;
  batteryCode: string;
  eventId: string;
  testedAt: string;
  testerPartyId: string;
  method: string;
  standard: string | null;
  ratedEnergyKwh: number | null;
  measuredEnergyKwh: number | null;
  ratedCapacityAh: number | null;
  measuredCapacityAh: number | null;
  sohPercent: number;
  internalResistanceMilliohm: number | null;
  resistanceSpreadPercent: number | null;
  safetyFindings: string[];
  createdAt: string;
}

export async function insertSohTest(db: Executor, t: SohTestRow): Promise<void> {
  await db
    .insertInto('battery_soh_tests')
    .values({
      id: t.id,
      battery_code: t.batteryCode,
      event_id: t.eventId,
      tested_at: t.testedAt,
      tester_party_id: t.testerPartyId,
      method: t.method,
      standard: t.standard,
      rated_energy_kwh: t.ratedEnergyKwh,
      measured_energy_kwh: t.measuredEnergyKwh,
      rated_capacity_ah: t.ratedCapacityAh,
      measured_capacity_ah: t.measuredCapacityAh,
      soh_percent: t.sohPercent,
      internal_resistance_mohm: t.internalResistanceMilliohm,
      resistance_spread_percent: t.resistanceSpreadPercent,
      safety_findings: JSON.stringify(t.safetyFindings),
      created_at: t.createdAt,
    })
    .execute();
}

type SohTestDbRow = {
  id: string;
  battery_code: string;
  event_id: string;
  tested_at: string;
  tester_party_id: string;
  method: string;
  standard: string | null;
  rated_energy_kwh: number | null;
  measured_energy_kwh: number | null;
  rated_capacity_ah: number | null;
  measured_capacity_ah: number | null;
  soh_percent: number;
  internal_resistance_mohm: number | null;
  resistance_spread_percent: number | null;
  safety_findings: string;
  created_at: string;
};

const toSohTest = (r: SohTestDbRow): SohTestRow => ({
  id: r.id,
  batteryCode: r.battery_code,
  eventId: r.event_id,
  testedAt: r.tested_at,
  testerPartyId: r.tester_party_id,
  method: r.method,
  standard: r.standard,
  ratedEnergyKwh: num(r.rated_energy_kwh),
  measuredEnergyKwh: num(r.measured_energy_kwh),
  ratedCapacityAh: num(r.rated_capacity_ah),
  measuredCapacityAh: num(r.measured_capacity_ah),
  sohPercent: Number(r.soh_percent),
  internalResistanceMilliohm: num(r.internal_resistance_mohm),
  resistanceSpreadPercent: num(r.resistance_spread_percent),
  safetyFindings: parseList(r.safety_findings),
  createdAt: r.created_at,
});

export async function sohTestsOf(db: Executor, code: string): Promise<SohTestRow[]> {
  const rows = await db
    .selectFrom('battery_soh_tests')
    .selectAll()
    .where('battery_code', '=', code)
    .orderBy('tested_at')
    .orderBy('created_at')
    .execute();
  return rows.map(toSohTest);
}

export async function latestSohTests(db: Executor, codes: string[]): Promise<Map<string, SohTestRow>> {
  const out = new Map<string, SohTestRow>();
  if (codes.length === 0) return out;
  const rows = await db
    .selectFrom('battery_soh_tests')
    .selectAll()
    .where('battery_code', 'in', codes)
    .orderBy('tested_at')
    .orderBy('created_at')
    .execute();
  for (const r of rows) out.set(r.battery_code, toSohTest(r));
  return out;
}

// ---------------------------------------------------------------- grades

export interface GradeRow {
  id: string;
  batteryCode: string;
  eventId: string;
  testId: string;
  gradedAt: string;
  graderPartyId: string;
  grade: string;
  route: string;
  ruleId: string;
  rulesVersion: string;
  reason: string;
  evaluation: unknown;
  createdAt: string;
}

export async function insertGrade(db: Executor, g: GradeRow): Promise<void> {
  await db
    .insertInto('battery_grades')
    .values({
      id: g.id,
      battery_code: g.batteryCode,
      event_id: g.eventId,
      test_id: g.testId,
      graded_at: g.gradedAt,
      grader_party_id: g.graderPartyId,
      grade: g.grade,
      route: g.route,
      rule_id: g.ruleId,
      rules_version: g.rulesVersion,
      reason: g.reason,
      evaluation: JSON.stringify(g.evaluation),
      created_at: g.createdAt,
    })
    .execute();
}

export async function gradesOf(db: Executor, codes: string[]): Promise<GradeRow[]> {
  if (codes.length === 0) return [];
  const rows = await db
    .selectFrom('battery_grades')
    .selectAll()
    .where('battery_code', 'in', codes)
    .orderBy('graded_at')
    .orderBy('created_at')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    batteryCode: r.battery_code,
    eventId: r.event_id,
    testId: r.test_id,
    gradedAt: r.graded_at,
    graderPartyId: r.grader_party_id,
    grade: r.grade,
    route: r.route,
    ruleId: r.rule_id,
    rulesVersion: r.rules_version,
    reason: r.reason,
    evaluation: JSON.parse(r.evaluation) as unknown,
    createdAt: r.created_at,
  }));
}

// ---------------------------------------------------------------- cascade products

export interface CascadeProductRow {
  code: string;
  operatorPartyId: string;
  application: string;
  repurposedAt: string;
  ratedEnergyKwh: number;
  massKg: number;
  chemistry: string;
  eventId: string;
}

export interface CascadeSourceRow {
  sourceCode: string;
  productCode: string;
  sourceKind: string;
  eventId: string;
}

export async function insertCascadeProduct(
  db: Executor,
  product: CascadeProductRow,
  sources: CascadeSourceRow[],
): Promise<void> {
  await db
    .insertInto('cascade_products')
    .values({
      code: product.code,
      operator_party_id: product.operatorPartyId,
      application: product.application,
      repurposed_at: product.repurposedAt,
      rated_energy_kwh: product.ratedEnergyKwh,
      mass_kg: product.massKg,
      chemistry: product.chemistry,
      event_id: product.eventId,
    })
    .execute();
  await db
    .insertInto('cascade_product_sources')
    .values(
      sources.map((s) => ({
        source_code: s.sourceCode,
        product_code: s.productCode,
        source_kind: s.sourceKind,
        event_id: s.eventId,
      })),
    )
    .execute();
}

export async function cascadeProduct(db: Executor, code: string): Promise<CascadeProductRow | undefined> {
  const r = await db.selectFrom('cascade_products').selectAll().where('code', '=', code).executeTakeFirst();
  return r
    ? {
        code: r.code,
        operatorPartyId: r.operator_party_id,
        application: r.application,
        repurposedAt: r.repurposed_at,
        ratedEnergyKwh: Number(r.rated_energy_kwh),
        massKg: Number(r.mass_kg),
        chemistry: r.chemistry,
        eventId: r.event_id,
      }
    : undefined;
}

const toSource = (r: {
  source_code: string;
  product_code: string;
  source_kind: string;
  event_id: string;
}) => ({
  sourceCode: r.source_code,
  productCode: r.product_code,
  sourceKind: r.source_kind,
  eventId: r.event_id,
});

export async function sourcesOfProduct(db: Executor, productCode: string): Promise<CascadeSourceRow[]> {
  const rows = await db
    .selectFrom('cascade_product_sources')
    .selectAll()
    .where('product_code', '=', productCode)
    .orderBy('source_code')
    .execute();
  return rows.map(toSource);
}

/** The product each of these originals went into (absent = not repurposed). */
export async function productsOfSources(
  db: Executor,
  codes: string[],
): Promise<Map<string, CascadeSourceRow>> {
  const out = new Map<string, CascadeSourceRow>();
  if (codes.length === 0) return out;
  const rows = await db
    .selectFrom('cascade_product_sources')
    .selectAll()
    .where('source_code', 'in', codes)
    .execute();
  for (const r of rows) out.set(r.source_code, toSource(r));
  return out;
}

// ---------------------------------------------------------------- deployment, health, retirement, hand-over

export interface DeploymentRow {
  id: string;
  batteryCode: string;
  eventId: string;
  siteId: string;
  operatorPartyId: string;
  application: string;
  commissionedAt: string;
  usableEnergyKwh: number | null;
}

export async function insertDeployment(db: Executor, d: DeploymentRow): Promise<void> {
  await db
    .insertInto('battery_deployments')
    .values({
      id: d.id,
      battery_code: d.batteryCode,
      event_id: d.eventId,
      site_id: d.siteId,
      operator_party_id: d.operatorPartyId,
      application: d.application,
      commissioned_at: d.commissionedAt,
      usable_energy_kwh: d.usableEnergyKwh,
    })
    .execute();
}

export async function deploymentsOf(db: Executor, code: string): Promise<DeploymentRow[]> {
  const rows = await db
    .selectFrom('battery_deployments')
    .selectAll()
    .where('battery_code', '=', code)
    .orderBy('commissioned_at')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    batteryCode: r.battery_code,
    eventId: r.event_id,
    siteId: r.site_id,
    operatorPartyId: r.operator_party_id,
    application: r.application,
    commissionedAt: r.commissioned_at,
    usableEnergyKwh: num(r.usable_energy_kwh),
  }));
}

export interface HealthReadingRow {
  id: string;
  batteryCode: string;
  eventId: string;
  measuredAt: string;
  sohPercent: number;
  method: string;
}

export async function insertHealthReading(db: Executor, h: HealthReadingRow): Promise<void> {
  await db
    .insertInto('battery_health_readings')
    .values({
      id: h.id,
      battery_code: h.batteryCode,
      event_id: h.eventId,
      measured_at: h.measuredAt,
      soh_percent: h.sohPercent,
      method: h.method,
    })
    .execute();
}

export async function healthReadingsOf(db: Executor, code: string): Promise<HealthReadingRow[]> {
  const rows = await db
    .selectFrom('battery_health_readings')
    .selectAll()
    .where('battery_code', '=', code)
    .orderBy('measured_at')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    batteryCode: r.battery_code,
    eventId: r.event_id,
    measuredAt: r.measured_at,
    sohPercent: Number(r.soh_percent),
    method: r.method,
  }));
}

export interface RetirementRow {
  batteryCode: string;
  eventId: string;
  retiredAt: string;
  reason: string;
  sohPercent: number | null;
}

export async function insertRetirement(db: Executor, r: RetirementRow): Promise<void> {
  await db
    .insertInto('battery_retirements')
    .values({
      battery_code: r.batteryCode,
      event_id: r.eventId,
      retired_at: r.retiredAt,
      reason: r.reason,
      soh_percent: r.sohPercent,
    })
    .execute();
}

export async function retirementOf(db: Executor, code: string): Promise<RetirementRow | undefined> {
  const r = await db
    .selectFrom('battery_retirements')
    .selectAll()
    .where('battery_code', '=', code)
    .executeTakeFirst();
  return r
    ? {
        batteryCode: r.battery_code,
        eventId: r.event_id,
        retiredAt: r.retired_at,
        reason: r.reason,
        sohPercent: num(r.soh_percent),
      }
    : undefined;
}

export interface HandoverRow {
  id: string;
  batteryCode: string;
  eventId: string;
  fromPartyId: string;
  toPartyId: string;
  handedOverAt: string;
  purpose: string;
}

export async function insertHandover(db: Executor, h: HandoverRow): Promise<void> {
  await db
    .insertInto('battery_handovers')
    .values({
      id: h.id,
      battery_code: h.batteryCode,
      event_id: h.eventId,
      from_party_id: h.fromPartyId,
      to_party_id: h.toPartyId,
      handed_over_at: h.handedOverAt,
      purpose: h.purpose,
    })
    .execute();
}

export async function handoversOf(db: Executor, code: string): Promise<HandoverRow[]> {
  const rows = await db
    .selectFrom('battery_handovers')
    .selectAll()
    .where('battery_code', '=', code)
    .orderBy('handed_over_at')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    batteryCode: r.battery_code,
    eventId: r.event_id,
    fromPartyId: r.from_party_id,
    toPartyId: r.to_party_id,
    handedOverAt: r.handed_over_at,
    purpose: r.purpose,
  }));
}

// ---------------------------------------------------------------- recycling

export interface RecyclingRow {
  batteryCode: string;
  eventId: string;
  recyclerPartyId: string;
  recycledAt: string;
  process: string;
  inputMassKg: number;
  batchId: string | null;
}

export async function insertRecycling(db: Executor, r: RecyclingRow): Promise<void> {
  await db
    .insertInto('battery_recycling')
    .values({
      battery_code: r.batteryCode,
      event_id: r.eventId,
      recycler_party_id: r.recyclerPartyId,
      recycled_at: r.recycledAt,
      process: r.process,
      input_mass_kg: r.inputMassKg,
      batch_id: r.batchId,
    })
    .execute();
}

const toRecycling = (r: {
  battery_code: string;
  event_id: string;
  recycler_party_id: string;
  recycled_at: string;
  process: string;
  input_mass_kg: number;
  batch_id: string | null;
}): RecyclingRow => ({
  batteryCode: r.battery_code,
  eventId: r.event_id,
  recyclerPartyId: r.recycler_party_id,
  recycledAt: r.recycled_at,
  process: r.process,
  inputMassKg: Number(r.input_mass_kg),
  batchId: r.batch_id,
});

export async function recyclingOf(db: Executor, codes: string[]): Promise<Map<string, RecyclingRow>> {
  const out = new Map<string, RecyclingRow>();
  if (codes.length === 0) return out;
  const rows = await db
    .selectFrom('battery_recycling')
    .selectAll()
    .where('battery_code', 'in', codes)
    .execute();
  for (const r of rows) out.set(r.battery_code, toRecycling(r));
  return out;
}

export async function recyclingOfBatch(db: Executor, batchId: string): Promise<RecyclingRow[]> {
  const rows = await db
    .selectFrom('battery_recycling')
    .selectAll()
    .where('batch_id', '=', batchId)
    .orderBy('battery_code')
    .execute();
  return rows.map(toRecycling);
}

// ---------------------------------------------------------------- recovered lots

export interface RecoveredLotRow {
  lotId: string;
  eventId: string;
  material: string;
  form: string;
  massKg: number;
  elementMassKg: number | null;
  process: string;
  recyclerPartyId: string;
  recoveredAt: string;
  inputLotIds: string[];
}

export interface LotSourceRow {
  lotId: string;
  batteryCode: string;
  attributedKg: number | null;
  attributedMassKg: number;
}

export async function insertRecoveredLot(
  db: Executor,
  lot: RecoveredLotRow,
  sources: LotSourceRow[],
): Promise<void> {
  await db
    .insertInto('recovered_lots')
    .values({
      lot_id: lot.lotId,
      event_id: lot.eventId,
      material: lot.material,
      form: lot.form,
      mass_kg: lot.massKg,
      element_mass_kg: lot.elementMassKg,
      process: lot.process,
      recycler_party_id: lot.recyclerPartyId,
      recovered_at: lot.recoveredAt,
      input_lot_ids: JSON.stringify(lot.inputLotIds),
    })
    .execute();
  await db
    .insertInto('recovered_lot_sources')
    .values(
      sources.map((s) => ({
        lot_id: s.lotId,
        battery_code: s.batteryCode,
        attributed_kg: s.attributedKg,
        attributed_mass_kg: s.attributedMassKg,
      })),
    )
    .execute();
}

export async function recoveredLots(db: Executor, ids: string[]): Promise<Map<string, RecoveredLotRow>> {
  const out = new Map<string, RecoveredLotRow>();
  if (ids.length === 0) return out;
  const rows = await db.selectFrom('recovered_lots').selectAll().where('lot_id', 'in', ids).execute();
  for (const r of rows)
    out.set(r.lot_id, {
      lotId: r.lot_id,
      eventId: r.event_id,
      material: r.material,
      form: r.form,
      massKg: Number(r.mass_kg),
      elementMassKg: num(r.element_mass_kg),
      process: r.process,
      recyclerPartyId: r.recycler_party_id,
      recoveredAt: r.recovered_at,
      inputLotIds: parseList(r.input_lot_ids),
    });
  return out;
}

export async function sourcesOfLots(db: Executor, lotIds: string[]): Promise<LotSourceRow[]> {
  if (lotIds.length === 0) return [];
  const rows = await db
    .selectFrom('recovered_lot_sources')
    .selectAll()
    .where('lot_id', 'in', lotIds)
    .orderBy('lot_id')
    .orderBy('battery_code')
    .execute();
  return rows.map((r) => ({
    lotId: r.lot_id,
    batteryCode: r.battery_code,
    attributedKg: num(r.attributed_kg),
    attributedMassKg: Number(r.attributed_mass_kg),
  }));
}

/** Every lot attribution to these batteries, with the lot's material and whether it is a primary lot. */
export async function attributionsOf(
  db: Executor,
  codes: string[],
): Promise<Array<LotSourceRow & { material: string; primary: boolean; recoveredAt: string }>> {
  if (codes.length === 0) return [];
  const rows = await db
    .selectFrom('recovered_lot_sources as s')
    .innerJoin('recovered_lots as l', 'l.lot_id', 's.lot_id')
    .select([
      's.lot_id',
      's.battery_code',
      's.attributed_kg',
      's.attributed_mass_kg',
      'l.material',
      'l.input_lot_ids',
      'l.recovered_at',
    ])
    .where('s.battery_code', 'in', codes)
    .orderBy('l.recovered_at')
    .orderBy('s.lot_id')
    .execute();
  return rows.map((r) => ({
    lotId: r.lot_id,
    batteryCode: r.battery_code,
    attributedKg: num(r.attributed_kg),
    attributedMassKg: Number(r.attributed_mass_kg),
    material: r.material,
    primary: parseList(r.input_lot_ids).length === 0,
    recoveredAt: r.recovered_at,
  }));
}

// ---------------------------------------------------------------- recycled inputs of new batteries

export interface RecycledInputRow {
  batteryCode: string;
  lotId: string;
  material: string;
  massKg: number;
  elementMassKg: number | null;
  eventId: string;
}

export async function insertRecycledInputs(db: Executor, rows: RecycledInputRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('battery_recycled_inputs')
    .values(
      rows.map((r) => ({
        battery_code: r.batteryCode,
        lot_id: r.lotId,
        material: r.material,
        mass_kg: r.massKg,
        element_mass_kg: r.elementMassKg,
        event_id: r.eventId,
      })),
    )
    .execute();
}

export async function recycledInputsOf(db: Executor, code: string): Promise<RecycledInputRow[]> {
  const rows = await db
    .selectFrom('battery_recycled_inputs')
    .selectAll()
    .where('battery_code', '=', code)
    .orderBy('lot_id')
    .execute();
  return rows.map((r) => ({
    batteryCode: r.battery_code,
    lotId: r.lot_id,
    material: r.material,
    massKg: Number(r.mass_kg),
    elementMassKg: num(r.element_mass_kg),
    eventId: r.event_id,
  }));
}

/** kg of each lot already used in batteries. */
export async function lotUsage(db: Executor, lotIds: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (lotIds.length === 0) return out;
  const rows = await db
    .selectFrom('battery_recycled_inputs')
    .select(['lot_id', (eb) => eb.fn.sum<number>('mass_kg').as('used')])
    .where('lot_id', 'in', lotIds)
    .groupBy('lot_id')
    .execute();
  for (const r of rows) out.set(r.lot_id, Number(r.used));
  return out;
}
