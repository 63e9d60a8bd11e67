/** All SQL of the dismantling module: portable Kysely for SQLite and PostgreSQL. */
import type { Executor } from '../../db/transaction.ts';
import type {
  DismantlingFacilitiesTable,
  ElvBatteriesTable,
  ElvCertificatesTable,
  ElvDeregistrationsTable,
  ElvDismantlingsTable,
  ElvIntakesTable,
  ElvMaterialOutputsTable,
  ElvOwnersTable,
  ElvPartModelsTable,
  ElvPartSalesTable,
  ElvPartsTable,
  ElvPretreatmentsTable,
  ElvRefusalsTable,
  ElvReservationsTable,
} from './dismantling.tables.ts';

export type FacilityRow = DismantlingFacilitiesTable;
export type IntakeRow = ElvIntakesTable;
export type OwnerRow = ElvOwnersTable;
export type RefusalRow = ElvRefusalsTable;
export type CertificateRow = ElvCertificatesTable;
export type DeregistrationRow = ElvDeregistrationsTable;
export type PretreatmentRow = ElvPretreatmentsTable;
export type DismantlingRow = ElvDismantlingsTable;
export type PartRow = ElvPartsTable;
export type PartModelRow = ElvPartModelsTable;
export type ReservationRow = ElvReservationsTable;
export type SaleRow = ElvPartSalesTable;
export type BatteryRow = ElvBatteriesTable;
export type MaterialOutputRow = ElvMaterialOutputsTable;

export interface Period {
  /** Inclusive ISO instant. */
  from: string;
  /** Exclusive ISO instant. */
  to: string;
}

// ---------------------------------------------------------------- facilities

export async function upsertFacility(db: Executor, row: FacilityRow): Promise<void> {
  await db
    .insertInto('dismantling_facilities')
    .values(row)
    .onConflict((oc) =>
      oc.column('party_id').doUpdateSet({
        name: row.name,
        address: row.address,
        permit_number: row.permit_number,
        authority_name: row.authority_name,
        authority_address: row.authority_address,
        country: row.country,
        updated_at: row.updated_at,
      }),
    )
    .execute();
}

export async function findFacility(db: Executor, partyId: string): Promise<FacilityRow | undefined> {
  return db
    .selectFrom('dismantling_facilities')
    .selectAll()
    .where('party_id', '=', partyId)
    .executeTakeFirst();
}

// ---------------------------------------------------------------- intake, owner, refusals

export async function insertIntake(db: Executor, row: IntakeRow, owner: OwnerRow): Promise<void> {
  await db.insertInto('elv_intakes').values(row).execute();
  await db.insertInto('elv_owners').values(owner).execute();
}

export async function findIntake(db: Executor, vin: string): Promise<IntakeRow | undefined> {
  return db.selectFrom('elv_intakes').selectAll().where('vin', '=', vin).executeTakeFirst();
}

export async function findIntakes(db: Executor, vins: string[]): Promise<Map<string, IntakeRow>> {
  const found = new Map<string, IntakeRow>();
  for (let i = 0; i < vins.length; i += 500) {
    const rows = await db
      .selectFrom('elv_intakes')
      .selectAll()
      .where('vin', 'in', vins.slice(i, i + 500))
      .execute();
    for (const row of rows) found.set(row.vin, row);
  }
  return found;
}

export async function listIntakes(db: Executor, period: Period): Promise<IntakeRow[]> {
  return db
    .selectFrom('elv_intakes')
    .selectAll()
    .where('received_at', '>=', period.from)
    .where('received_at', '<', period.to)
    .orderBy('received_at')
    .orderBy('vin')
    .execute();
}

export async function findOwner(db: Executor, vin: string): Promise<OwnerRow | undefined> {
  return db.selectFrom('elv_owners').selectAll().where('vin', '=', vin).executeTakeFirst();
}

export async function findOwners(db: Executor, vins: string[]): Promise<Map<string, OwnerRow>> {
  const found = new Map<string, OwnerRow>();
  for (let i = 0; i < vins.length; i += 500) {
    const rows = await db
      .selectFrom('elv_owners')
      .selectAll()
      .where('vin', 'in', vins.slice(i, i + 500))
      .execute();
    for (const row of rows) found.set(row.vin, row);
  }
  return found;
}

export async function eraseOwner(db: Executor, vin: string, at: string, reason: string): Promise<void> {
  await db
    .updateTable('elv_owners')
    .set({
      holder_name: null,
      id_type: null,
      id_number: null,
      holder_address: null,
      nationality: null,
      plate_number: null,
      registration_country: null,
      erased_at: at,
      erasure_reason: reason,
    })
    .where('vin', '=', vin)
    .execute();
}

export async function insertRefusal(db: Executor, row: RefusalRow): Promise<void> {
  await db.insertInto('elv_refusals').values(row).execute();
}

export async function listRefusals(db: Executor, period: Period): Promise<RefusalRow[]> {
  return db
    .selectFrom('elv_refusals')
    .selectAll()
    .where('refused_at', '>=', period.from)
    .where('refused_at', '<', period.to)
    .orderBy('refused_at')
    .execute();
}

// ---------------------------------------------------------------- certificate, deregistration

export async function insertCertificate(db: Executor, row: CertificateRow): Promise<void> {
  await db.insertInto('elv_certificates').values(row).execute();
}

export async function findCertificate(db: Executor, vin: string): Promise<CertificateRow | undefined> {
  return db.selectFrom('elv_certificates').selectAll().where('vin', '=', vin).executeTakeFirst();
}

export async function findCertificateByNumber(db: Executor, number: string) {
  return db
    .selectFrom('elv_certificates')
    .selectAll()
    .where('certificate_number', '=', number)
    .executeTakeFirst();
}

export async function countCertificatesOfYear(db: Executor, year: number): Promise<number> {
  const row = await db
    .selectFrom('elv_certificates')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('year', '=', year)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function listCertificates(db: Executor, period: Period): Promise<CertificateRow[]> {
  return db
    .selectFrom('elv_certificates')
    .selectAll()
    .where('issued_at', '>=', period.from)
    .where('issued_at', '<', period.to)
    .orderBy('issued_at')
    .orderBy('certificate_number')
    .execute();
}

export async function insertDeregistration(db: Executor, row: DeregistrationRow): Promise<void> {
  await db.insertInto('elv_deregistrations').values(row).execute();
}

export async function findDeregistration(db: Executor, vin: string): Promise<DeregistrationRow | undefined> {
  return db.selectFrom('elv_deregistrations').selectAll().where('vin', '=', vin).executeTakeFirst();
}

export async function findDeregistrations(
  db: Executor,
  vins: string[],
): Promise<Map<string, DeregistrationRow>> {
  const found = new Map<string, DeregistrationRow>();
  for (let i = 0; i < vins.length; i += 500) {
    const rows = await db
      .selectFrom('elv_deregistrations')
      .selectAll()
      .where('vin', 'in', vins.slice(i, i + 500))
      .execute();
    for (const row of rows) found.set(row.vin, row);
  }
  return found;
}

// ---------------------------------------------------------------- pre-treatment, dismantling

export async function insertPretreatment(db: Executor, row: PretreatmentRow): Promise<void> {
  await db.insertInto('elv_pretreatments').values(row).execute();
}

export async function findPretreatment(db: Executor, vin: string): Promise<PretreatmentRow | undefined> {
  return db.selectFrom('elv_pretreatments').selectAll().where('vin', '=', vin).executeTakeFirst();
}

export async function insertDismantling(db: Executor, row: DismantlingRow): Promise<void> {
  await db.insertInto('elv_dismantlings').values(row).execute();
}

export async function findDismantling(db: Executor, vin: string): Promise<DismantlingRow | undefined> {
  return db.selectFrom('elv_dismantlings').selectAll().where('vin', '=', vin).executeTakeFirst();
}

export async function listDismantlings(db: Executor, period: Period): Promise<DismantlingRow[]> {
  return db
    .selectFrom('elv_dismantlings')
    .selectAll()
    .where('dismantled_at', '>=', period.from)
    .where('dismantled_at', '<', period.to)
    .orderBy('dismantled_at')
    .orderBy('vin')
    .execute();
}

// ---------------------------------------------------------------- parts and stock

export async function insertParts(db: Executor, parts: PartRow[], models: PartModelRow[]): Promise<void> {
  for (let i = 0; i < parts.length; i += 200)
    await db
      .insertInto('elv_parts')
      .values(parts.slice(i, i + 200))
      .execute();
  for (let i = 0; i < models.length; i += 200)
    await db
      .insertInto('elv_part_models')
      .values(models.slice(i, i + 200))
      .execute();
}

export async function findPart(db: Executor, partId: string): Promise<PartRow | undefined> {
  return db.selectFrom('elv_parts').selectAll().where('part_id', '=', partId).executeTakeFirst();
}

export async function partsOfVehicles(db: Executor, vins: string[]): Promise<PartRow[]> {
  const rows: PartRow[] = [];
  for (let i = 0; i < vins.length; i += 500)
    rows.push(
      ...(await db
        .selectFrom('elv_parts')
        .selectAll()
        .where('vin', 'in', vins.slice(i, i + 500))
        .orderBy('part_id')
        .execute()),
    );
  return rows;
}

export async function modelsOfParts(db: Executor, partIds: string[]): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>();
  for (let i = 0; i < partIds.length; i += 500) {
    const rows = await db
      .selectFrom('elv_part_models')
      .select(['part_id', 'model'])
      .where('part_id', 'in', partIds.slice(i, i + 500))
      .orderBy('part_id')
      .orderBy('model_key')
      .execute();
    for (const row of rows) found.set(row.part_id, [...(found.get(row.part_id) ?? []), row.model]);
  }
  return found;
}

export interface StockQuery {
  partNumber?: string | undefined;
  /** Upper-case fragment of a compatible model. */
  modelKey?: string | undefined;
  status?: 'in_stock' | 'sold' | undefined;
  after?: string | undefined;
  limit: number;
}

/** Reusable parts (回用件), by part number and/or compatible model, in part-id order. */
export async function searchStock(db: Executor, query: StockQuery): Promise<PartRow[]> {
  let q = db.selectFrom('elv_parts').selectAll().where('part_class', '=', 'reusable');
  if (query.partNumber !== undefined) q = q.where('part_number', '=', query.partNumber);
  if (query.status !== undefined) q = q.where('status', '=', query.status);
  if (query.after !== undefined) q = q.where('part_id', '>', query.after);
  if (query.modelKey !== undefined) {
    // A wildcard typed by the user only widens the search; model keys are upper-cased on both sides.
    const pattern = `%${query.modelKey}%`;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('elv_part_models')
          .select('elv_part_models.part_id')
          .whereRef('elv_part_models.part_id', '=', 'elv_parts.part_id')
          .where(({ eb: inner }) => inner('elv_part_models.model_key', 'like', pattern)),
      ),
    );
  }
  return q.orderBy('part_id').limit(query.limit).execute();
}

export async function setPartStatus(db: Executor, partId: string, status: string): Promise<void> {
  await db.updateTable('elv_parts').set({ status }).where('part_id', '=', partId).execute();
}

export async function findReservation(db: Executor, partId: string): Promise<ReservationRow | undefined> {
  return db.selectFrom('elv_reservations').selectAll().where('part_id', '=', partId).executeTakeFirst();
}

export async function findReservations(
  db: Executor,
  partIds: string[],
): Promise<Map<string, ReservationRow>> {
  const found = new Map<string, ReservationRow>();
  for (let i = 0; i < partIds.length; i += 500) {
    const rows = await db
      .selectFrom('elv_reservations')
      .selectAll()
      .where('part_id', 'in', partIds.slice(i, i + 500))
      .execute();
    for (const row of rows) found.set(row.part_id, row);
  }
  return found;
}

export async function putReservation(db: Executor, row: ReservationRow): Promise<void> {
  await db.deleteFrom('elv_reservations').where('part_id', '=', row.part_id).execute();
  await db.insertInto('elv_reservations').values(row).execute();
}

export async function deleteReservation(db: Executor, partId: string): Promise<void> {
  await db.deleteFrom('elv_reservations').where('part_id', '=', partId).execute();
}

export async function insertSale(db: Executor, row: SaleRow): Promise<void> {
  await db.insertInto('elv_part_sales').values(row).execute();
}

export async function listSales(db: Executor, period: Period): Promise<SaleRow[]> {
  return db
    .selectFrom('elv_part_sales')
    .selectAll()
    .where('sold_at', '>=', period.from)
    .where('sold_at', '<', period.to)
    .orderBy('sold_at')
    .orderBy('part_id')
    .execute();
}

export async function listAssemblies(db: Executor, period: Period): Promise<PartRow[]> {
  return db
    .selectFrom('elv_parts')
    .selectAll()
    .where('part_class', '=', 'assembly')
    .where('harvested_at', '>=', period.from)
    .where('harvested_at', '<', period.to)
    .orderBy('harvested_at')
    .orderBy('part_id')
    .execute();
}

export async function findPartsByIds(db: Executor, ids: string[]): Promise<Map<string, PartRow>> {
  const found = new Map<string, PartRow>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('elv_parts')
      .selectAll()
      .where('part_id', 'in', ids.slice(i, i + 500))
      .execute();
    for (const row of rows) found.set(row.part_id, row);
  }
  return found;
}

// ---------------------------------------------------------------- batteries

export async function insertBattery(db: Executor, row: BatteryRow): Promise<void> {
  await db.insertInto('elv_batteries').values(row).execute();
}

export async function findBattery(db: Executor, packCode: string): Promise<BatteryRow | undefined> {
  return db.selectFrom('elv_batteries').selectAll().where('pack_code', '=', packCode).executeTakeFirst();
}

export async function batteriesOfVehicles(db: Executor, vins: string[]): Promise<BatteryRow[]> {
  const rows: BatteryRow[] = [];
  for (let i = 0; i < vins.length; i += 500)
    rows.push(
      ...(await db
        .selectFrom('elv_batteries')
        .selectAll()
        .where('vin', 'in', vins.slice(i, i + 500))
        .execute()),
    );
  return rows;
}

export async function recordOutbound(
  db: Executor,
  packCode: string,
  outbound: Pick<
    BatteryRow,
    | 'handed_over_at'
    | 'receiver_party_id'
    | 'receiver_name'
    | 'receiver_code'
    | 'purpose'
    | 'outbound_event_id'
  >,
): Promise<void> {
  await db.updateTable('elv_batteries').set(outbound).where('pack_code', '=', packCode).execute();
}

/** Batteries removed before `period.to` that were handed out in the period or are still on site. */
export async function listBatteriesForReport(db: Executor, period: Period): Promise<BatteryRow[]> {
  return db
    .selectFrom('elv_batteries')
    .selectAll()
    .where('removed_at', '<', period.to)
    .where((eb) =>
      eb.or([
        eb('handed_over_at', 'is', null),
        eb.and([eb('handed_over_at', '>=', period.from), eb('handed_over_at', '<', period.to)]),
        eb('removed_at', '>=', period.from),
      ]),
    )
    .orderBy('removed_at')
    .orderBy('pack_code')
    .execute();
}

// ---------------------------------------------------------------- materials

export async function insertMaterialOutputs(db: Executor, rows: MaterialOutputRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 200)
    await db
      .insertInto('elv_material_outputs')
      .values(rows.slice(i, i + 200))
      .execute();
}

export async function outputsOfVehicles(db: Executor, vins: string[]): Promise<MaterialOutputRow[]> {
  const rows: MaterialOutputRow[] = [];
  for (let i = 0; i < vins.length; i += 500)
    rows.push(
      ...(await db
        .selectFrom('elv_material_outputs')
        .selectAll()
        .where('vin', 'in', vins.slice(i, i + 500))
        .orderBy('weighed_at')
        .orderBy('id')
        .execute()),
    );
  return rows;
}

export async function countLotsWithPrefix(db: Executor, prefix: string): Promise<number> {
  const row = await db
    .selectFrom('elv_material_outputs')
    .select((eb) => eb.fn.count<number>('lot_id').distinct().as('n'))
    .where('lot_id', 'like', `${prefix}%`)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
