/**
 * ELV dismantling use cases: intake with the refusal checks and the recycling certificate,
 * deregistration, GB 22128 pre-treatment, harvest of reusable parts and the five assemblies, the
 * traction battery's hand-over, reusable-part stock and sales, weighed materials. Each state change is
 * a lifecycle event appended with the module's own rows in one transaction.
 *
 * Vehicles from outside the loop: a VIN the platform has never seen (or registered without any event,
 * e.g. by a CSV import) is registered from the intake data and enters the log with `vehicle.enrolled`
 * (context `elv_intake`), which carries only what the intake declared — no production history is
 * invented. Its traction pack, if unknown, enters with `battery.enrolled` inside it.
 */
import { checkBatteryCode, checkVin } from '@carloop/codes';
import type { z } from '@hono/zod-openapi';
import type { Db } from '../../db/database.ts';
import type { Executor } from '../../db/transaction.ts';
import { inOneTransaction } from '../../db/transaction.ts';
import { type Clock, systemClock } from '../../shared/clock.ts';
import { conflict, type FieldError, fieldErrorsFromZod, invalid, notFound } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { toMajorUnits, toMinorUnits } from '../../shared/money.ts';
import { assetsById, contentsAt, getAsset, registerAssets } from '../assets/index.ts';
import { appendEvents, type Submitter } from '../ledger/index.ts';
import { getParty, type Principal, requirePermission } from '../parties/index.ts';
import {
  accountedKg,
  allocateByMass,
  assemblyCodeCarriesVin,
  assessIntake,
  certificateNumber,
  checkEnterpriseCode,
  checkPretreatment,
  deadlineStatus,
  defaultAssemblyCode,
  isNewEnergy,
  type MassBalanceInput,
  type RecoveryRates,
  type RefusalReason,
  recoveryRates,
  rules,
  type Treatment,
  workingDayDeadline,
} from './dismantling.model.ts';
import * as repo from './dismantling.repository.ts';
import {
  type BatchMaterialsInput,
  batchMaterialsInput,
  deregistrationInput,
  erasureInput,
  type FacilityInput,
  facilityInput,
  type HarvestInput,
  harvestInput,
  type IntakeInput,
  intakeInput,
  type MaterialsInput,
  materialsInput,
  outboundInput,
  pretreatmentInput,
  reservationInput,
  saleInput,
} from './dismantling.schemas.ts';

export interface ServiceOptions {
  clock?: Clock;
}

interface Event {
  type: string;
  subject: { kind: string; id: string };
  occurredAt: string;
  payload: Record<string, unknown>;
}

const LOCAL_SITE = 'site:main';

function parse<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success)
    throw invalid('invalid_input', 'the input failed validation', fieldErrorsFromZod(parsed.error.issues));
  return parsed.data;
}

function requireValidVin(vin: string, field = 'vin'): void {
  const report = checkVin(vin);
  if (!report.valid)
    throw invalid(
      'invalid_vin',
      `${vin} is not a valid VIN`,
      report.errors.map((e) => ({
        field: e.field.startsWith('vin') ? e.field.replace(/^vin/, field) : field,
        message: e.message,
      })),
    );
}

function requirePackCode(code: string, field: string): void {
  const report = checkBatteryCode(code);
  const errors: FieldError[] = report.valid
    ? report.fields.productType === 'pack'
      ? []
      : [
          {
            field,
            message: `${code} is a ${report.fields.productType} code, not a pack code (GB/T 34014 position 4)`,
          },
        ]
    : report.errors.map((e) => ({ field, message: e.message }));
  if (errors.length > 0)
    throw invalid('invalid_pack_code', `${code} is not a valid traction-pack code`, errors);
}

const json = (value: unknown) => JSON.stringify(value);
const partyOf = (submitter: Submitter) => submitter.principal.partyId;

async function requireIntake(db: Executor, vin: string): Promise<repo.IntakeRow> {
  const intake = await repo.findIntake(db, vin);
  if (!intake) throw notFound('elv_not_found', `no end-of-life intake for ${vin}`);
  return intake;
}

/**
 * Register what does not exist yet. An asset left in state 'registered' by an earlier attempt whose
 * events were refused has no history and is reused; anything else with the id is a conflict.
 */
async function ensureRegistered(
  db: Db,
  principal: Principal,
  raws: Array<{ kind: string; id: string } & object>,
) {
  if (raws.length === 0) return;
  const existing = await assetsById(
    db.kysely,
    raws.map((r) => r.id),
  );
  const fresh = raws.filter((raw) => {
    const found = existing.get(raw.id);
    if (!found) return true;
    if (found.kind === raw.kind && found.state === 'registered') return false;
    throw conflict('asset_exists', `${raw.id} is already a ${found.kind} in state ${found.state}`, [
      { field: 'id', message: `${raw.id} already exists` },
    ]);
  });
  const result = await registerAssets(
    db,
    principal,
    fresh.map(({ id, ...rest }) =>
      rest.kind === 'vehicle'
        ? { vin: id, ...rest }
        : rest.kind === 'battery-pack'
          ? { code: id, ...rest }
          : { id, ...rest },
    ),
  );
  if (result.rejected.length > 0) {
    const errors = result.rejected.flatMap((r) =>
      r.errors.map((e) => ({ ...e, field: `${fresh[r.index]!.id}.${e.field}` })),
    );
    throw invalid('registration_refused', 'the assets could not be registered', errors);
  }
}

// ---------------------------------------------------------------- facility

export async function setFacility(db: Db, principal: Principal, raw: unknown, options: ServiceOptions = {}) {
  requirePermission(principal, 'dismantling:operate');
  const input: FacilityInput = parse(facilityInput, raw);
  const row: repo.FacilityRow = {
    party_id: principal.partyId,
    name: input.name,
    address: input.address ?? null,
    permit_number: input.permitNumber ?? null,
    authority_name: input.authorityName ?? null,
    authority_address: input.authorityAddress ?? null,
    country: input.country ?? 'CN',
    updated_at: (options.clock ?? systemClock)(),
  };
  await repo.upsertFacility(db.kysely, row);
  return facilityView(row);
}

export function facilityView(row: repo.FacilityRow) {
  return {
    partyId: row.party_id,
    name: row.name,
    address: row.address,
    permitNumber: row.permit_number,
    authorityName: row.authority_name,
    authorityAddress: row.authority_address,
    country: row.country,
    updatedAt: row.updated_at,
  };
}

// ---------------------------------------------------------------- intake and certificate

export interface IntakeRefusal {
  refused: true;
  vin: string;
  reasons: RefusalReason[];
}

export interface IntakeResult {
  refused: false;
  certificateNumber: string;
  vin: string;
  receivedAt: string;
  issuedAt: string;
  scheme: string;
  massKg: number;
  enrolled: boolean;
  packCode: string | null;
  /** For a new-energy vehicle: the MIIT traceability report of the intake is due by this date. */
  traceabilityReportDue: string | null;
  warnings: string[];
}

interface VehicleFacts {
  make: string;
  model: string;
  modelYear: number | null;
  powertrain: string;
  /** Whether the asset must be registered, and whether it needs its creation event. */
  register: boolean;
  enroll: boolean;
  declared: { model?: string; modelYear?: number; powertrain?: string };
  installedPack: string | null;
}

async function vehicleFacts(
  db: Db,
  principal: Principal,
  input: IntakeInput,
  warnings: string[],
): Promise<VehicleFacts> {
  const found = (await assetsById(db.kysely, [input.vin])).get(input.vin);
  if (found && found.kind !== 'vehicle')
    throw invalid('not_a_vehicle', `${input.vin} is registered as a ${found.kind}`, [
      { field: 'vin', message: `is a ${found.kind}` },
    ]);
  if (found) {
    const view = (await getAsset(db, principal, input.vin)) as unknown as {
      make: string;
      model: string;
      modelYear: number | null;
      powertrain: string;
    };
    let installedPack: string | null = null;
    if (found.state !== 'registered') {
      const contents = await contentsAt(db, principal, input.vin);
      installedPack = contents.children.find((c) => c.kind === 'battery-pack')?.id ?? null;
    }
    return {
      make: view.make,
      model: view.model,
      modelYear: view.modelYear,
      powertrain: view.powertrain,
      register: false,
      enroll: found.state === 'registered',
      declared: {
        model: view.model,
        ...(view.modelYear !== null ? { modelYear: view.modelYear } : {}),
        powertrain: view.powertrain,
      },
      installedPack,
    };
  }
  // Never seen: register from the intake data. The assets table needs a make, model and powertrain;
  // what the intake did not declare is stored as 'unknown' (powertrain: 'bev' when a traction pack is
  // declared, else 'ice'), and only declared facts go into the log's vehicle.enrolled event.
  const undeclared = (['make', 'model', 'powertrain'] as const).filter((f) => input[f] === undefined);
  if (undeclared.length > 0)
    warnings.push(
      `vehicle data not declared at intake (${undeclared.join(', ')}): recorded as unknown; give them from the registration certificate`,
    );
  return {
    make: input.make ?? 'unknown',
    model: input.model ?? 'unknown',
    modelYear: input.modelYear ?? null,
    powertrain: input.powertrain ?? (input.packCode ? 'bev' : 'ice'),
    register: true,
    enroll: true,
    declared: {
      ...(input.model !== undefined ? { model: input.model } : {}),
      ...(input.modelYear !== undefined ? { modelYear: input.modelYear } : {}),
      ...(input.powertrain !== undefined ? { powertrain: input.powertrain } : {}),
    },
    installedPack: null,
  };
}

/**
 * Receive an end-of-life vehicle and issue its recycling certificate (Order 715 Art. 9), or refuse
 * it with the reasons (实施细则 Arts. 20–21; 2026 battery rules Art. 21). A refusal writes no event
 * (the vehicle is not taken in) but is kept in the refusal register, without personal data.
 */
export function intakeVehicle(db: Db, submitter: Submitter, raw: unknown, options: ServiceOptions = {}) {
  // Registration of an unknown asset and its events must land together: one joined transaction.
  return inOneTransaction(db, (scoped) => intakeVehicleWithin(scoped, submitter, raw, options));
}

async function intakeVehicleWithin(
  db: Db,
  submitter: Submitter,
  raw: unknown,
  options: ServiceOptions = {},
): Promise<IntakeResult | IntakeRefusal> {
  const principal = submitter.principal;
  requirePermission(principal, 'dismantling:operate');
  const now = (options.clock ?? systemClock)();
  const input: IntakeInput = parse(intakeInput, raw);
  requireValidVin(input.vin);
  if (input.packCode !== undefined) requirePackCode(input.packCode, 'packCode');
  const receivedAt = input.receivedAt ? new Date(input.receivedAt).toISOString() : now;

  const certificate = await repo.findCertificate(db.kysely, input.vin);
  if (certificate)
    throw conflict(
      'certificate_exists',
      `${input.vin} already has recycling certificate ${certificate.certificate_number}`,
      [
        {
          field: 'vin',
          message: `certificate ${certificate.certificate_number} was issued ${certificate.issued_at}; a second one is refused`,
        },
      ],
    );
  if (await repo.findIntake(db.kysely, input.vin))
    throw conflict('already_received', `${input.vin} has already been received`, [
      { field: 'vin', message: 'already received' },
    ]);

  const flags = input.flags ?? [];
  const assessment = assessIntake(flags, receivedAt);
  const warnings = [...assessment.warnings];
  const known = (await assetsById(db.kysely, [input.vin])).get(input.vin);
  if (flags.includes('battery-missing') && known?.kind === 'vehicle') {
    const view = (await getAsset(db, principal, input.vin)) as unknown as { powertrain: string };
    if (!isNewEnergy(view.powertrain) && view.powertrain !== 'hev')
      throw invalid(
        'not_new_energy',
        `${input.vin} is a ${view.powertrain} vehicle: it has no traction battery`,
        [{ field: 'flags', message: 'battery-missing applies to new-energy vehicles' }],
      );
  }
  if (assessment.refusals.length > 0) {
    await repo.insertRefusal(db.kysely, {
      id: newId(),
      vin: input.vin,
      refused_at: receivedAt,
      requested_by: principal.partyId,
      reasons: json(assessment.refusals),
    });
    return { refused: true, vin: input.vin, reasons: assessment.refusals };
  }

  const facts = await vehicleFacts(db, principal, input, warnings);
  const newEnergy = isNewEnergy(facts.powertrain);
  const batteryMissing = assessment.missingItems.includes('traction_battery');
  let packCode = input.packCode ?? facts.installedPack;
  if (input.packCode && facts.installedPack && input.packCode !== facts.installedPack)
    throw conflict('pack_mismatch', `the log has ${facts.installedPack} installed in ${input.vin}`, [
      { field: 'packCode', message: `is not the pack installed in this vehicle (${facts.installedPack})` },
    ]);
  if (batteryMissing) packCode = null;
  if (newEnergy && !packCode && !batteryMissing)
    throw invalid('pack_code_required', `${input.vin} is a new-energy vehicle: give its traction-pack code`, [
      { field: 'packCode', message: 'required for a new-energy vehicle (MIIT 2018 Art. 13 intake record)' },
    ]);
  let enrollPack = false;
  if (packCode) {
    const pack = (await assetsById(db.kysely, [packCode])).get(packCode);
    if (pack && pack.kind !== 'battery-pack')
      throw invalid('not_a_pack', `${packCode} is a ${pack.kind}`, [
        { field: 'packCode', message: `is a ${pack.kind}` },
      ]);
    if (!pack || pack.state === 'registered') enrollPack = true;
    else if (pack.state !== 'installed')
      throw conflict('pack_not_installed', `pack ${packCode} is ${pack.state}, not installed in a vehicle`, [
        { field: 'packCode', message: `the log has it in state ${pack.state}` },
      ]);
    else if (facts.installedPack !== packCode)
      throw conflict('pack_elsewhere', `pack ${packCode} is installed in another host`, [
        { field: 'packCode', message: 'the log has it installed elsewhere' },
      ]);
  }

  const facility = await repo.findFacility(db.kysely, principal.partyId);
  const scheme =
    (facility?.country ?? 'CN') === 'CN' ? 'cn_elv_recycling_certificate' : 'eu_certificate_of_destruction';
  const year = new Date(receivedAt).getUTCFullYear();
  const number =
    input.certificateNumber ??
    certificateNumber(year, (await repo.countCertificatesOfYear(db.kysely, year)) + 1);
  if (await repo.findCertificateByNumber(db.kysely, number))
    throw conflict('certificate_number_taken', `certificate number ${number} is already used`, [
      { field: 'certificateNumber', message: 'already used for another vehicle' },
    ]);

  const toRegister: Array<{ kind: string; id: string } & Record<string, unknown>> = [];
  if (facts.register)
    toRegister.push({
      kind: 'vehicle',
      id: input.vin,
      make: facts.make,
      model: facts.model,
      powertrain: facts.powertrain,
      ...(facts.modelYear !== null ? { modelYear: facts.modelYear } : {}),
    });
  if (packCode && enrollPack) toRegister.push({ kind: 'battery-pack', id: packCode });
  await ensureRegistered(db, principal, toRegister);

  const dismantler = partyOf(submitter);
  const vehicle = { kind: 'vehicle', id: input.vin };
  const events: Event[] = [];
  if (facts.enroll)
    events.push({
      type: 'vehicle.enrolled',
      subject: vehicle,
      occurredAt: receivedAt,
      payload: {
        enrolledAt: receivedAt,
        enrollerPartyId: dismantler,
        context: 'elv_intake',
        ...facts.declared,
      },
    });
  if (packCode && enrollPack)
    events.push({
      type: 'battery.enrolled',
      subject: { kind: 'battery-pack', id: packCode },
      occurredAt: receivedAt,
      payload: { enrolledAt: receivedAt, enrollerPartyId: dismantler, host: vehicle },
    });
  const missingItems = [...new Set([...assessment.missingItems, ...(input.missingItems ?? [])])];
  if (input.missingItems?.length)
    warnings.push(
      `received without ${input.missingItems.join(', ')}: the owner explains in writing (实施细则 Art. 20)`,
    );
  events.push({
    type: 'vehicle.elv_received',
    subject: vehicle,
    occurredAt: receivedAt,
    payload: {
      receivedAt,
      dismantlerPartyId: dismantler,
      massKg: input.massKg,
      ...(missingItems.length > 0 ? { missingItems } : {}),
      ...(packCode ? { packCode } : {}),
    },
  });
  events.push({
    type: 'vehicle.recycling_certificate_issued',
    subject: vehicle,
    occurredAt: receivedAt,
    payload: { certificateNumber: number, issuedAt: receivedAt, issuerPartyId: dismantler, scheme },
  });
  const documents = input.documents ?? {
    registrationCertificate: false,
    drivingLicence: false,
    platesReturned: 0,
  };
  if (!documents.registrationCertificate || !documents.drivingLicence || documents.platesReturned === 0)
    warnings.push(
      'registration certificate, driving licence and plates are to be taken back (Order 715 Art. 9)',
    );

  await appendEvents(db, submitter, events, {
    ...(options.clock ? { clock: options.clock } : {}),
    project: async (trx, { eventIds }) => {
      const receivedEvent = eventIds[events.length - 2]!;
      await repo.insertIntake(
        trx,
        {
          vin: input.vin,
          received_at: receivedAt,
          dismantler_party_id: dismantler,
          site_id: input.siteId ?? null,
          mass_kg: input.massKg,
          vehicle_class: input.vehicleClass ?? 'M1',
          make: facts.make,
          model: facts.model,
          model_year: facts.modelYear,
          powertrain: facts.powertrain,
          engine_number: input.engineNumber ?? null,
          pack_code: packCode ?? null,
          first_registered_on: input.firstRegisteredOn ?? null,
          missing_items: json(missingItems),
          documents: json(documents),
          photos: json(input.photos ?? []),
          enrolled: facts.enroll ? 1 : 0,
          event_id: receivedEvent,
          created_at: now,
        },
        {
          vin: input.vin,
          holder_name: input.owner?.name ?? null,
          id_type: input.owner?.idType ?? null,
          id_number: input.owner?.idNumber ?? null,
          holder_address: input.owner?.address ?? null,
          nationality: input.owner?.nationality ?? null,
          plate_number: input.plateNumber ?? null,
          registration_country: input.registrationCountry ?? (input.plateNumber ? 'CN' : null),
          erased_at: null,
          erasure_reason: null,
        },
      );
      await repo.insertCertificate(trx, {
        vin: input.vin,
        certificate_number: number,
        issued_at: receivedAt,
        issuer_party_id: dismantler,
        scheme,
        year,
        event_id: eventIds[events.length - 1]!,
      });
    },
  });
  const nev = newEnergy || packCode !== null;
  return {
    refused: false,
    certificateNumber: number,
    vin: input.vin,
    receivedAt,
    issuedAt: receivedAt,
    scheme,
    massKg: input.massKg,
    enrolled: facts.enroll,
    packCode: packCode ?? null,
    traceabilityReportDue: nev
      ? workingDayDeadline(receivedAt, rules.traceability.intakeReportWorkingDays)
      : null,
    warnings,
  };
}

/** Record the deregistration (注销登记) the recycler applied for with the certificate (Order 715 Art. 9). */
export async function deregisterVehicle(
  db: Db,
  submitter: Submitter,
  vin: string,
  raw: unknown,
  options: ServiceOptions = {},
) {
  requirePermission(submitter.principal, 'dismantling:operate');
  const input = parse(deregistrationInput, raw);
  const intake = await requireIntake(db.kysely, vin);
  const certificate = await repo.findCertificate(db.kysely, vin);
  if (!certificate)
    throw conflict('certificate_required', `${vin} has no recycling certificate`, [
      { field: 'vin', message: 'no certificate' },
    ]);
  const existing = await repo.findDeregistration(db.kysely, vin);
  if (existing)
    throw conflict('already_deregistered', `${vin} was deregistered ${existing.deregistered_at}`, [
      { field: 'vin', message: 'already deregistered' },
    ]);
  const at = input.deregisteredAt
    ? new Date(input.deregisteredAt).toISOString()
    : (options.clock ?? systemClock)();
  if (at < certificate.issued_at)
    throw invalid('before_certificate', 'deregistration cannot precede the certificate', [
      { field: 'deregisteredAt', message: `is before the certificate (${certificate.issued_at})` },
    ]);
  const authority = input.authorityPartyId ?? 'authority:vehicle-registration';
  await appendEvents(
    db,
    submitter,
    [
      {
        type: 'vehicle.deregistered',
        subject: { kind: 'vehicle', id: vin },
        occurredAt: at,
        payload: { deregisteredAt: at, authorityPartyId: authority },
      },
    ],
    {
      ...(options.clock ? { clock: options.clock } : {}),
      project: (trx, { eventIds }) =>
        repo.insertDeregistration(trx, {
          vin,
          deregistered_at: at,
          authority_party_id: authority,
          reference: input.reference ?? null,
          event_id: eventIds[0]!,
        }),
    },
  );
  return {
    vin: intake.vin,
    deregisteredAt: at,
    authorityPartyId: authority,
    reference: input.reference ?? null,
  };
}

/** Erase the owner's personal data from the module's table; the log never held it. */
export async function eraseOwnerData(
  db: Db,
  principal: Principal,
  vin: string,
  raw: unknown,
  options: ServiceOptions = {},
) {
  requirePermission(principal, 'dismantling:operate');
  const { reason } = parse(erasureInput, raw);
  await requireIntake(db.kysely, vin);
  const at = (options.clock ?? systemClock)();
  await repo.eraseOwner(db.kysely, vin, at, reason);
  return { vin, erasedAt: at, reason };
}

// ---------------------------------------------------------------- pre-treatment

/**
 * Record a complete GB 22128 pre-treatment; an incomplete checklist is refused with every failing
 * item, and nothing is written. The traction battery's removal is its own event on the pack.
 */
export async function pretreatVehicle(
  db: Db,
  submitter: Submitter,
  vin: string,
  raw: unknown,
  options: ServiceOptions = {},
) {
  const principal = submitter.principal;
  requirePermission(principal, 'dismantling:operate');
  const intake = await requireIntake(db.kysely, vin);
  if (!(await repo.findCertificate(db.kysely, vin)))
    throw conflict('certificate_required', `${vin} has no recycling certificate`, [
      { field: 'vin', message: 'no certificate' },
    ]);
  const done = await repo.findPretreatment(db.kysely, vin);
  if (done)
    throw conflict('already_pretreated', `${vin} was pre-treated ${done.completed_at}`, [
      { field: 'vin', message: 'already pre-treated' },
    ]);
  const checklist = parse(pretreatmentInput, raw);
  const battery = checklist.tractionBattery;
  if (battery) requirePackCode(battery.packCode, 'tractionBattery.packCode');
  const errors = checkPretreatment(checklist, {
    receivedAt: intake.received_at,
    // A traction pack received with the vehicle must come out; an NEV received without one (before the
    // 2026 rule) has none to remove.
    newEnergy: intake.pack_code !== null,
    packCodeAtIntake: intake.pack_code,
  });
  if (errors.length > 0)
    throw invalid(
      'pretreatment_incomplete',
      `pre-treatment of ${vin} is not complete (GB 22128); dismantling stays blocked`,
      errors,
    );

  const completedAt = new Date(checklist.completedAt).toISOString();
  const events: Event[] = [];
  let chemistry: string | null = null;
  let batteryMass = battery?.massKg ?? null;
  if (battery) {
    const pack = (await assetsById(db.kysely, [battery.packCode])).get(battery.packCode);
    if (pack && pack.kind !== 'battery-pack')
      throw invalid('not_a_pack', `${battery.packCode} is a ${pack.kind}`, [
        { field: 'tractionBattery.packCode', message: `is a ${pack.kind}` },
      ]);
    if (!pack || pack.state === 'registered') {
      await ensureRegistered(db, principal, [{ kind: 'battery-pack', id: battery.packCode }]);
      events.push({
        type: 'battery.enrolled',
        subject: { kind: 'battery-pack', id: battery.packCode },
        occurredAt: intake.received_at,
        payload: {
          enrolledAt: intake.received_at,
          enrollerPartyId: partyOf(submitter),
          host: { kind: 'vehicle', id: vin },
        },
      });
    } else {
      const details = (await getAsset(db, principal, battery.packCode)) as unknown as {
        chemistry: string | null;
        massKg: number | null;
      };
      chemistry = details.chemistry;
      batteryMass ??= details.massKg;
    }
    const removedAt = new Date(battery.removedAt).toISOString();
    events.push({
      type: 'battery.removed',
      subject: { kind: 'battery-pack', id: battery.packCode },
      occurredAt: removedAt,
      payload: { host: { kind: 'vehicle', id: vin }, removedAt, reason: 'vehicle_end_of_life' },
    });
  }
  events.push({
    type: 'vehicle.pretreated',
    subject: { kind: 'vehicle', id: vin },
    occurredAt: completedAt,
    payload: {
      completedAt,
      siteId: checklist.siteId,
      ...(battery
        ? {
            tractionPackCode: battery.packCode,
            highVoltageIsolatedAt: new Date(battery.highVoltageIsolatedAt).toISOString(),
          }
        : {}),
      lowVoltageBatteryRemoved: checklist.lowVoltageBattery.removed,
      airbagsNeutralised: checklist.airbags.neutralised,
      fluids: checklist.fluids,
      refrigerant: checklist.refrigerant,
    },
  });
  await appendEvents(db, submitter, events, {
    ...(options.clock ? { clock: options.clock } : {}),
    project: async (trx, { eventIds }) => {
      await repo.insertPretreatment(trx, {
        vin,
        completed_at: completedAt,
        site_id: checklist.siteId,
        checklist: json(checklist),
        pack_code: battery?.packCode ?? null,
        battery_mass_kg: batteryMass,
        event_id: eventIds.at(-1)!,
      });
      if (battery) {
        const removedAt = new Date(battery.removedAt).toISOString();
        await repo.insertBattery(trx, {
          pack_code: battery.packCode,
          vin,
          chemistry,
          mass_kg: batteryMass,
          removed_at: removedAt,
          outbound_deadline: workingDayDeadline(removedAt, rules.traceability.batteryOutboundWorkingDays),
          handed_over_at: null,
          receiver_party_id: null,
          receiver_name: null,
          receiver_code: null,
          purpose: null,
          removal_event_id: eventIds.at(-2)!,
          outbound_event_id: null,
        });
      }
    },
  });
  return {
    vin,
    completedAt,
    complete: true,
    tractionBattery: battery
      ? {
          packCode: battery.packCode,
          removedAt: new Date(battery.removedAt).toISOString(),
          outboundDeadline: workingDayDeadline(
            battery.removedAt,
            rules.traceability.batteryOutboundWorkingDays,
          ),
        }
      : null,
    fluids: checklist.fluids.map((f) => ({
      ...f,
      drainageRate:
        f.capacityLitres === 0 ? 1 : Math.round((f.drainedLitres / f.capacityLitres) * 10_000) / 10_000,
    })),
  };
}

// ---------------------------------------------------------------- harvest

interface PlannedPart {
  row: repo.PartRow;
  models: string[];
  registration: { kind: 'part'; id: string } & Record<string, unknown>;
  events: Event[];
  sale: Omit<repo.SaleRow, 'event_id'> | null;
}

function moneyOf(value: number | string | undefined, currency: string, field: string): number {
  return value === undefined ? 0 : toMinorUnits(value, currency, field);
}

function planHarvest(
  vin: string,
  input: HarvestInput,
  at: string,
  site: string,
  missingAtIntake: readonly string[],
): PlannedPart[] {
  const currency = input.currency ?? 'CNY';
  const errors: FieldError[] = [];
  input.assemblies.forEach((a, i) => {
    if (missingAtIntake.includes(a.type))
      errors.push({
        field: `assemblies.${i}.type`,
        message: `the vehicle was received without its ${a.type}`,
      });
  });
  const planned: PlannedPart[] = [];
  input.parts.forEach((p, i) => {
    const id = `${vin}-R${String(i + 1).padStart(2, '0')}`;
    let value = 0;
    try {
      value = moneyOf(p.value, currency, `parts.${i}.value`);
    } catch (error) {
      errors.push(...((error as { errors?: FieldError[] }).errors ?? []));
    }
    const location = p.locationId ?? site;
    planned.push({
      row: {
        part_id: id,
        vin,
        part_class: 'reusable',
        category: p.category,
        part_number: p.partNumber,
        name: p.name ?? null,
        condition: p.condition,
        value_minor: value,
        currency,
        mass_kg: p.massKg ?? null,
        location_id: location,
        status: 'in_stock',
        destination: 'reuse',
        receiver_party_id: null,
        scrap_route: null,
        harvested_at: at,
        event_id: '',
      },
      models: [...new Set(p.compatibleModels ?? [])],
      registration: {
        kind: 'part',
        id,
        partNumber: p.partNumber,
        ...(p.name ? { name: p.name } : {}),
        fiveAssembly: false,
        ...(p.massKg ? { massKg: p.massKg } : {}),
      },
      events: [
        {
          type: 'part.harvested',
          subject: { kind: 'part', id },
          occurredAt: at,
          payload: {
            vin,
            harvestedAt: at,
            category: p.category,
            fiveAssembly: false,
            partNumber: p.partNumber,
            condition: p.condition,
            ...(p.massKg ? { massKg: p.massKg } : {}),
          },
        },
        {
          type: 'part.stocked',
          subject: { kind: 'part', id },
          occurredAt: at,
          payload: { stockedAt: at, locationId: location, askingPrice: { amountMinor: value, currency } },
        },
      ],
      sale: null,
    });
  });
  const counts = new Map<string, number>();
  const codes = new Set<string>();
  input.assemblies.forEach((a, i) => {
    const n = (counts.get(a.type) ?? 0) + 1;
    counts.set(a.type, n);
    const code = a.code ?? defaultAssemblyCode(vin, a.type, n);
    const field = `assemblies.${i}`;
    // 实施细则: the frame's code carries the original VIN; Carloop asks it of every assembly code.
    if (!assemblyCodeCarriesVin(code, vin))
      errors.push({
        field: `${field}.code`,
        message: `${code} does not carry the VIN ${vin}${a.type === 'frame' ? ' (the frame code must keep the original VIN)' : ''}`,
      });
    else if (!/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,99}$/.test(code))
      errors.push({ field: `${field}.code`, message: 'letters, digits and . _ : / - only (max 100)' });
    if (codes.has(code)) errors.push({ field: `${field}.code`, message: `${code} is used twice` });
    codes.add(code);
    if (a.destination === 'remanufacturing' && !a.receiverPartyId)
      errors.push({
        field: `${field}.receiverPartyId`,
        message: 'the remanufacturing enterprise is required (Order 715 Art. 12)',
      });
    if (a.destination === 'remanufacturing' && a.route)
      errors.push({ field: `${field}.route`, message: 'only for an assembly sent to scrap' });
    if (a.destination === 'scrap' && (a.receiverPartyId || a.price !== undefined))
      errors.push({
        field: `${field}.destination`,
        message: 'scrap goes to smelting or shredding: give route, not receiver or price',
      });
    let price = 0;
    try {
      price = moneyOf(a.price, currency, `${field}.price`);
    } catch (error) {
      errors.push(...((error as { errors?: FieldError[] }).errors ?? []));
    }
    const route = a.route ?? 'shredding';
    const remanufacturing = a.destination === 'remanufacturing';
    const condition = a.condition ?? (remanufacturing ? 'fair' : 'poor');
    planned.push({
      row: {
        part_id: code,
        vin,
        part_class: 'assembly',
        category: a.type,
        part_number: a.partNumber ?? null,
        name: null,
        condition,
        value_minor: price,
        currency,
        mass_kg: a.massKg ?? null,
        location_id: null,
        status: remanufacturing ? 'remanufacturing' : 'scrapped',
        destination: remanufacturing ? 'remanufacturing' : 'scrap',
        receiver_party_id: a.receiverPartyId ?? null,
        scrap_route: remanufacturing ? null : route,
        harvested_at: at,
        event_id: '',
      },
      models: [],
      registration: {
        kind: 'part',
        id: code,
        partNumber: a.partNumber ?? code,
        fiveAssembly: true,
        assemblyType: a.type,
        ...(a.massKg ? { massKg: a.massKg } : {}),
      },
      events: [
        {
          type: 'part.harvested',
          subject: { kind: 'part', id: code },
          occurredAt: at,
          payload: {
            vin,
            harvestedAt: at,
            category: a.type,
            fiveAssembly: true,
            ...(a.partNumber ? { partNumber: a.partNumber } : {}),
            condition,
            ...(a.massKg ? { massKg: a.massKg } : {}),
          },
        },
        ...(remanufacturing
          ? [
              {
                type: 'part.stocked',
                subject: { kind: 'part', id: code },
                occurredAt: at,
                payload: { stockedAt: at, locationId: site },
              },
            ]
          : []),
        remanufacturing
          ? {
              type: 'part.sold',
              subject: { kind: 'part', id: code },
              occurredAt: at,
              payload: {
                soldAt: at,
                buyerPartyId: a.receiverPartyId ?? 'unknown',
                price: { amountMinor: price, currency },
                destination: 'remanufacturing',
                reusedPartMarked: false,
              },
            }
          : {
              type: 'part.scrapped',
              subject: { kind: 'part', id: code },
              occurredAt: at,
              payload: { scrappedAt: at, route, ...(a.massKg ? { massKg: a.massKg } : {}) },
            },
      ],
      sale: remanufacturing
        ? {
            part_id: code,
            vin,
            sold_at: at,
            buyer_party_id: a.receiverPartyId ?? 'unknown',
            price_minor: price,
            currency,
            destination: 'remanufacturing',
          }
        : null,
    });
  });
  if (errors.length > 0)
    throw invalid('invalid_harvest', 'the harvest was refused; nothing was written', errors);
  return planned;
}

/**
 * Dismantle: parts for reuse (marked 报废机动车回用件, into stock) and the five assemblies (to
 * remanufacturing or scrap). Refused until pre-treatment is complete and the vehicle deregistered.
 */
export async function harvestVehicle(
  db: Db,
  submitter: Submitter,
  vin: string,
  raw: unknown,
  options: ServiceOptions = {},
) {
  const principal = submitter.principal;
  requirePermission(principal, 'dismantling:operate');
  const intake = await requireIntake(db.kysely, vin);
  const pretreatment = await repo.findPretreatment(db.kysely, vin);
  if (!pretreatment)
    throw conflict(
      'pretreatment_required',
      `${vin} has not been pre-treated: dismantling is blocked until pre-treatment is complete (GB 22128)`,
      [{ field: 'vin', message: 'record the pre-treatment checklist first (carloop dismantling pretreat)' }],
    );
  if (!(await repo.findDeregistration(db.kysely, vin)))
    throw conflict(
      'deregistration_required',
      `${vin} is not deregistered: dismantling follows deregistration (Order 715 Art. 9)`,
      [{ field: 'vin', message: 'record the deregistration first (carloop dismantling deregister)' }],
    );
  const dismantled = await repo.findDismantling(db.kysely, vin);
  if (dismantled)
    throw conflict('already_dismantled', `${vin} was dismantled ${dismantled.dismantled_at}`, [
      { field: 'vin', message: 'already dismantled' },
    ]);
  const input = parse(harvestInput, raw);
  const at = input.harvestedAt ? new Date(input.harvestedAt).toISOString() : (options.clock ?? systemClock)();
  if (at < pretreatment.completed_at)
    throw invalid('before_pretreatment', 'dismantling cannot precede pre-treatment', [
      {
        field: 'harvestedAt',
        message: `is before pre-treatment was completed (${pretreatment.completed_at})`,
      },
    ]);
  const site = input.siteId ?? pretreatment.site_id ?? LOCAL_SITE;
  const planned = planHarvest(vin, input, at, site, JSON.parse(intake.missing_items) as string[]);
  await ensureRegistered(
    db,
    principal,
    planned.map((p) => p.registration),
  );
  const events: Event[] = [
    {
      type: 'vehicle.dismantled',
      subject: { kind: 'vehicle', id: vin },
      occurredAt: at,
      payload: {
        dismantledAt: at,
        siteId: site,
        supervision: input.supervision ?? 'none',
        fluidsDrained: true,
      },
    },
    ...planned.flatMap((p) => p.events),
  ];
  await appendEvents(db, submitter, events, {
    ...(options.clock ? { clock: options.clock } : {}),
    project: async (trx, { eventIds }) => {
      await repo.insertDismantling(trx, {
        vin,
        dismantled_at: at,
        site_id: site,
        supervision: input.supervision ?? 'none',
        event_id: eventIds[0]!,
      });
      let next = 1;
      const rows = planned.map((p) => {
        const row = { ...p.row, event_id: eventIds[next]! };
        next += p.events.length;
        return row;
      });
      const models = planned.flatMap((p) =>
        p.models.map((model) => ({ part_id: p.row.part_id, model, model_key: model.toUpperCase() })),
      );
      const uniqueModels = [...new Map(models.map((m) => [`${m.part_id} ${m.model_key}`, m])).values()];
      await repo.insertParts(trx, rows, uniqueModels);
      next = 1;
      for (const p of planned) {
        if (p.sale)
          await repo.insertSale(trx, { ...p.sale, event_id: eventIds[next + p.events.length - 1]! });
        next += p.events.length;
      }
    },
  });
  const reusable = planned.filter((p) => p.row.part_class === 'reusable');
  const assemblies = planned.filter((p) => p.row.part_class === 'assembly');
  return {
    vin,
    dismantledAt: at,
    parts: reusable.map((p) => partView(p.row, p.models, undefined, at)),
    assemblies: assemblies.map((p) => assemblyView(p.row)),
  };
}

export function assemblyView(row: repo.PartRow) {
  return {
    code: row.part_id,
    type: row.category,
    destination: row.destination,
    receiverPartyId: row.receiver_party_id,
    route: row.scrap_route,
    price: toMajorUnits(row.value_minor, row.currency),
    currency: row.currency,
    massKg: row.mass_kg,
    harvestedAt: row.harvested_at,
  };
}

export function publicHistoryUrl(id: string): string {
  const base = (process.env.CARLOOP_PUBLIC_URL ?? 'http://127.0.0.1:3000').replace(/\/+$/, '');
  // The console's verify page fetches the public bundle and checks it in the buyer's browser.
  return `${base}/app/verify?subject=${encodeURIComponent(id)}`;
}

export function partView(
  row: repo.PartRow,
  models: string[],
  reservation: repo.ReservationRow | undefined,
  now: string,
) {
  const active = reservation && reservation.expires_at > now ? reservation : undefined;
  return {
    partId: row.part_id,
    vin: row.vin,
    category: row.category,
    partNumber: row.part_number,
    name: row.name,
    condition: row.condition,
    price: toMajorUnits(row.value_minor, row.currency),
    currency: row.currency,
    massKg: row.mass_kg,
    compatibleModels: models,
    locationId: row.location_id,
    status: row.status === 'in_stock' && active ? 'reserved' : row.status,
    reservation: active ? { partyId: active.party_id, until: active.expires_at } : null,
    marking: '报废机动车回用件',
    historyUrl: publicHistoryUrl(row.part_id),
    harvestedAt: row.harvested_at,
  };
}

// ---------------------------------------------------------------- reusable-part stock

export async function searchStock(
  db: Db,
  principal: Principal,
  query: {
    partNumber?: string | undefined;
    model?: string | undefined;
    status?: 'in_stock' | 'sold' | undefined;
    limit?: number | undefined;
    after?: string | undefined;
  },
  options: ServiceOptions = {},
) {
  requirePermission(principal, 'dismantling:stock');
  const limit = query.limit ?? 100;
  const rows = await repo.searchStock(db.kysely, {
    partNumber: query.partNumber,
    modelKey: query.model?.toUpperCase(),
    status: query.status,
    after: query.after,
    limit: limit + 1,
  });
  const page = rows.slice(0, limit);
  const ids = page.map((r) => r.part_id);
  const models = await repo.modelsOfParts(db.kysely, ids);
  const reservations = await repo.findReservations(db.kysely, ids);
  const now = (options.clock ?? systemClock)();
  return {
    items: page.map((r) => partView(r, models.get(r.part_id) ?? [], reservations.get(r.part_id), now)),
    next: rows.length > limit ? page.at(-1)!.part_id : null,
  };
}

async function requireReusable(db: Executor, partId: string): Promise<repo.PartRow> {
  const part = await repo.findPart(db, partId);
  if (part?.part_class === 'assembly')
    throw conflict(
      'five_assembly_reuse_forbidden',
      `${partId} is one of the five assemblies: it goes to remanufacturing or scrap`,
      [{ field: 'partId', message: 'five assemblies may not be sold for reuse (Order 715 Art. 12)' }],
    );
  if (part?.part_class !== 'reusable')
    throw notFound('part_not_found', `no reusable part ${partId} in stock records`);
  return part;
}

export async function getPart(db: Db, principal: Principal, partId: string, options: ServiceOptions = {}) {
  requirePermission(principal, 'dismantling:stock');
  const part = await repo.findPart(db.kysely, partId);
  if (!part) throw notFound('part_not_found', `no harvested part ${partId}`);
  if (part.part_class === 'assembly') return assemblyView(part);
  const models = await repo.modelsOfParts(db.kysely, [partId]);
  return partView(
    part,
    models.get(partId) ?? [],
    await repo.findReservation(db.kysely, partId),
    (options.clock ?? systemClock)(),
  );
}

/** Hold a part for a buyer. A commercial hold, not a lifecycle fact: kept off the log. */
export async function reservePart(
  db: Db,
  principal: Principal,
  partId: string,
  raw: unknown,
  options: ServiceOptions = {},
) {
  requirePermission(principal, 'dismantling:operate');
  const input = parse(reservationInput, raw);
  const now = (options.clock ?? systemClock)();
  const part = await requireReusable(db.kysely, partId);
  if (part.status !== 'in_stock')
    throw conflict('part_not_in_stock', `${partId} is ${part.status}`, [
      { field: 'partId', message: `is ${part.status}` },
    ]);
  const current = await repo.findReservation(db.kysely, partId);
  if (current && current.expires_at > now && current.party_id !== input.partyId)
    throw conflict(
      'part_reserved',
      `${partId} is reserved for ${current.party_id} until ${current.expires_at}`,
      [{ field: 'partId', message: 'reserved for another party' }],
    );
  const until = input.until
    ? new Date(input.until).toISOString()
    : new Date(Date.parse(now) + 72 * 3_600_000).toISOString();
  if (until <= now)
    throw invalid('invalid_until', 'the reservation must end in the future', [
      { field: 'until', message: 'is not in the future' },
    ]);
  await repo.putReservation(db.kysely, {
    part_id: partId,
    party_id: input.partyId,
    reserved_at: now,
    expires_at: until,
  });
  return { partId, partyId: input.partyId, reservedAt: now, until };
}

export async function releasePart(db: Db, principal: Principal, partId: string) {
  requirePermission(principal, 'dismantling:operate');
  await requireReusable(db.kysely, partId);
  await repo.deleteReservation(db.kysely, partId);
  return { partId, released: true };
}

/** Sell a reusable part for reuse: it is marked 报废机动车回用件 (Order 715 Art. 12). */
export async function sellPart(
  db: Db,
  submitter: Submitter,
  partId: string,
  raw: unknown,
  options: ServiceOptions = {},
) {
  requirePermission(submitter.principal, 'dismantling:operate');
  const input = parse(saleInput, raw);
  const now = (options.clock ?? systemClock)();
  const part = await requireReusable(db.kysely, partId);
  if (part.status !== 'in_stock')
    throw conflict('part_not_in_stock', `${partId} is ${part.status}`, [
      { field: 'partId', message: `is ${part.status}` },
    ]);
  const reservation = await repo.findReservation(db.kysely, partId);
  if (reservation && reservation.expires_at > now && reservation.party_id !== input.buyerPartyId)
    throw conflict(
      'part_reserved',
      `${partId} is reserved for ${reservation.party_id} until ${reservation.expires_at}`,
      [{ field: 'buyerPartyId', message: 'the part is reserved for another party' }],
    );
  const currency = input.currency ?? part.currency;
  const price = toMinorUnits(input.price, currency, 'price');
  const soldAt = input.soldAt ? new Date(input.soldAt).toISOString() : now;
  if (soldAt < part.harvested_at)
    throw invalid('before_harvest', 'a part cannot be sold before it was harvested', [
      { field: 'soldAt', message: `is before ${part.harvested_at}` },
    ]);
  await appendEvents(
    db,
    submitter,
    [
      {
        type: 'part.sold',
        subject: { kind: 'part', id: partId },
        occurredAt: soldAt,
        payload: {
          soldAt,
          buyerPartyId: input.buyerPartyId,
          price: { amountMinor: price, currency },
          destination: 'reuse',
          reusedPartMarked: true,
        },
      },
    ],
    {
      ...(options.clock ? { clock: options.clock } : {}),
      project: async (trx, { eventIds }) => {
        await repo.setPartStatus(trx, partId, 'sold');
        await repo.deleteReservation(trx, partId);
        await repo.insertSale(trx, {
          part_id: partId,
          vin: part.vin,
          sold_at: soldAt,
          buyer_party_id: input.buyerPartyId,
          price_minor: price,
          currency,
          destination: 'reuse',
          event_id: eventIds[0]!,
        });
      },
    },
  );
  return {
    partId,
    vin: part.vin,
    soldAt,
    buyerPartyId: input.buyerPartyId,
    price: toMajorUnits(price, currency),
    currency,
    destination: 'reuse',
  };
}

// ---------------------------------------------------------------- battery hand-over

/**
 * Hand the removed traction battery to a repurposer or recycler (MIIT 2018 Art. 13(b)): the receiver's
 * name and USCC go into the traceability record; the deadline is 15 working days from removal.
 */
export async function handOverBattery(
  db: Db,
  submitter: Submitter,
  packCode: string,
  raw: unknown,
  options: ServiceOptions = {},
) {
  const principal = submitter.principal;
  requirePermission(principal, 'dismantling:operate');
  const input = parse(outboundInput, raw);
  const battery = await repo.findBattery(db.kysely, packCode);
  if (!battery)
    throw notFound('battery_not_found', `no traction battery ${packCode} removed in pre-treatment`);
  if (battery.handed_over_at)
    throw conflict('already_handed_over', `${packCode} was handed over ${battery.handed_over_at}`, [
      { field: 'packCode', message: 'already handed over' },
    ]);
  const codeError = checkEnterpriseCode(input.receiverCode);
  if (codeError)
    throw invalid('invalid_receiver_code', `${input.receiverCode} is not a receiver code`, [
      { field: 'receiverCode', message: codeError },
    ]);
  let receiverName = input.receiverName ?? null;
  if (!receiverName) {
    try {
      receiverName = (await getParty(db, principal, input.toPartyId)).name;
    } catch {
      throw invalid(
        'receiver_name_required',
        `${input.toPartyId} is not a known party: give the receiver's name`,
        [{ field: 'receiverName', message: 'required when the receiver is not a registered party' }],
      );
    }
  }
  const from = partyOf(submitter);
  if (from === input.toPartyId)
    throw invalid('same_party', 'the receiver must be another enterprise', [
      { field: 'toPartyId', message: 'is the sender' },
    ]);
  const now = (options.clock ?? systemClock)();
  const at = input.handedOverAt ? new Date(input.handedOverAt).toISOString() : now;
  if (at < battery.removed_at)
    throw invalid('before_removal', 'the battery cannot leave before it was removed', [
      { field: 'handedOverAt', message: `is before ${battery.removed_at}` },
    ]);
  await appendEvents(
    db,
    submitter,
    [
      {
        type: 'battery.handed_over',
        subject: { kind: 'battery-pack', id: packCode },
        occurredAt: at,
        payload: { fromPartyId: from, toPartyId: input.toPartyId, handedOverAt: at, purpose: input.purpose },
      },
    ],
    {
      ...(options.clock ? { clock: options.clock } : {}),
      project: (trx, { eventIds }) =>
        repo.recordOutbound(trx, packCode, {
          handed_over_at: at,
          receiver_party_id: input.toPartyId,
          receiver_name: receiverName,
          receiver_code: input.receiverCode,
          purpose: input.purpose,
          outbound_event_id: eventIds[0]!,
        }),
    },
  );
  return {
    packCode,
    vin: battery.vin,
    removedAt: battery.removed_at,
    handedOverAt: at,
    deadline: battery.outbound_deadline,
    status: deadlineStatus(battery.outbound_deadline, at, now),
    receiver: { partyId: input.toPartyId, name: receiverName, code: input.receiverCode },
    purpose: input.purpose,
  };
}

// ---------------------------------------------------------------- materials and rates

/** A vehicle's mass balance from the module's rows (parts, battery, weighed outputs). */
export function balanceOf(
  intake: repo.IntakeRow,
  parts: repo.PartRow[],
  batteries: repo.BatteryRow[],
  outputs: Array<{ treatment: string; mass_kg: number }>,
): MassBalanceInput {
  const reuseKg = parts
    .filter((p) => p.part_class === 'reusable' || p.destination === 'remanufacturing')
    .reduce((s, p) => s + (p.mass_kg ?? 0), 0);
  const battery = batteries[0];
  return {
    massKg: intake.mass_kg,
    reuseKg,
    batteryKg: battery?.mass_kg ?? 0,
    batteryReused: battery?.purpose === 'repurposing',
    outputs: outputs.map((o) => ({ treatment: o.treatment as Treatment, massKg: o.mass_kg })),
  };
}

async function balanceOfVehicle(db: Executor, vin: string) {
  const intake = await requireIntake(db, vin);
  return balanceOf(
    intake,
    await repo.partsOfVehicles(db, [vin]),
    await repo.batteriesOfVehicles(db, [vin]),
    await repo.outputsOfVehicles(db, [vin]),
  );
}

export async function vehicleRates(
  db: Db,
  principal: Principal,
  vin: string,
): Promise<RecoveryRates & { vin: string }> {
  requirePermission(principal, 'dismantling:read');
  return { vin, ...recoveryRates(await balanceOfVehicle(db.kysely, vin)) };
}

interface PlannedOutput {
  lotId: string;
  material: string;
  treatment: Treatment;
  process: 'dismantling' | 'shredding';
  massKg: number;
  shares: Array<{ vin: string; massKg: number }>;
}

async function recordOutputs(
  db: Db,
  submitter: Submitter,
  planned: PlannedOutput[],
  weighedAt: string,
  batchId: string | null,
  options: ServiceOptions,
) {
  await ensureRegistered(
    db,
    submitter.principal,
    planned.map((p) => ({ kind: 'material-lot', id: p.lotId, material: p.material, massKg: p.massKg })),
  );
  const events: Event[] = planned.map((p) => ({
    type: 'material-lot.recovered',
    subject: { kind: 'material-lot', id: p.lotId },
    occurredAt: weighedAt,
    payload: {
      recoveredAt: weighedAt,
      recyclerPartyId: partyOf(submitter),
      material: p.material,
      form: 'scrap',
      massKg: p.massKg,
      process: p.process,
      sources: p.shares.map((s) => ({ kind: 'vehicle', id: s.vin })),
      treatment: p.treatment,
    },
  }));
  await appendEvents(db, submitter, events, {
    ...(options.clock ? { clock: options.clock } : {}),
    project: (trx, { eventIds }) =>
      repo.insertMaterialOutputs(
        trx,
        planned.flatMap((p, i) =>
          p.shares.map((s) => ({
            id: newId(),
            lot_id: p.lotId,
            vin: s.vin,
            batch_id: batchId,
            weighed_at: weighedAt,
            material: p.material,
            treatment: p.treatment,
            mass_kg: s.massKg,
            event_id: eventIds[i]!,
          })),
        ),
      ),
  });
}

function heavierThanVehicle(vin: string, balance: MassBalanceInput, addedKg: number): FieldError | null {
  const before = accountedKg(balance);
  if (before + addedKg <= balance.massKg + 1e-9) return null;
  return {
    field: 'outputs',
    message:
      `${vin}: weighed outputs ${round3(addedKg)} kg plus ${round3(before)} kg already accounted (reused parts, battery, earlier weighings) ` +
      `= ${round3(before + addedKg)} kg, heavier than the vehicle's ${balance.massKg} kg recorded at intake`,
  };
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;

async function requireDismantled(db: Executor, vin: string, field = 'vin') {
  if (!(await repo.findDismantling(db, vin)))
    throw conflict('not_dismantled', `${vin} has not been dismantled: weigh its outputs after dismantling`, [
      { field, message: 'not dismantled yet' },
    ]);
}

/** Weighed outputs of one vehicle; returns its ISO 22628 rates. */
export async function weighVehicle(
  db: Db,
  submitter: Submitter,
  vin: string,
  raw: unknown,
  options: ServiceOptions = {},
) {
  requirePermission(submitter.principal, 'dismantling:operate');
  await requireIntake(db.kysely, vin);
  await requireDismantled(db.kysely, vin);
  const input: MaterialsInput = parse(materialsInput, raw);
  const weighedAt = input.weighedAt
    ? new Date(input.weighedAt).toISOString()
    : (options.clock ?? systemClock)();
  const balance = await balanceOfVehicle(db.kysely, vin);
  const added = input.outputs.reduce((s, o) => s + o.massKg, 0);
  const heavy = heavierThanVehicle(vin, balance, added);
  if (heavy)
    throw invalid(
      'heavier_than_vehicle',
      'weighed outputs are heavier than the vehicle; nothing was written',
      [heavy],
    );
  const prefix = `lot-${vin}-`;
  const first = (await repo.countLotsWithPrefix(db.kysely, prefix)) + 1;
  const planned: PlannedOutput[] = input.outputs.map((o, i) => ({
    lotId: `${prefix}${String(first + i).padStart(2, '0')}-${o.material}`,
    material: o.material,
    treatment: o.treatment ?? rules.materials[o.material].defaultTreatment,
    process: o.process ?? 'dismantling',
    massKg: o.massKg,
    shares: [{ vin, massKg: o.massKg }],
  }));
  await recordOutputs(db, submitter, planned, weighedAt, null, options);
  const rates = recoveryRates(await balanceOfVehicle(db.kysely, vin));
  return {
    vin,
    weighedAt,
    lots: planned.map((p) => ({
      lotId: p.lotId,
      material: p.material,
      treatment: p.treatment,
      massKg: p.massKg,
    })),
    ...rates,
  };
}

/** A shredder batch of several vehicles: each output is allocated by the vehicles' intake masses. */
export async function weighBatch(db: Db, submitter: Submitter, raw: unknown, options: ServiceOptions = {}) {
  requirePermission(submitter.principal, 'dismantling:operate');
  const input: BatchMaterialsInput = parse(batchMaterialsInput, raw);
  const vins = [...new Set(input.vins)];
  if (vins.length !== input.vins.length)
    throw invalid('duplicate_vin', 'a VIN is listed twice', [
      { field: 'vins', message: 'each vehicle once' },
    ]);
  const intakes = await repo.findIntakes(db.kysely, vins);
  const missing = vins.filter((v) => !intakes.has(v));
  if (missing.length > 0) throw notFound('elv_not_found', `no end-of-life intake for ${missing.join(', ')}`);
  for (const [i, vin] of vins.entries()) await requireDismantled(db.kysely, vin, `vins.${i}`);
  const masses = vins.map((v) => intakes.get(v)!.mass_kg);
  const weighedAt = input.weighedAt
    ? new Date(input.weighedAt).toISOString()
    : (options.clock ?? systemClock)();
  const prefix = `lot-${input.batchId}-`;
  if ((await repo.countLotsWithPrefix(db.kysely, prefix)) > 0)
    throw conflict('batch_exists', `batch ${input.batchId} was already weighed`, [
      { field: 'batchId', message: 'already weighed' },
    ]);
  const planned: PlannedOutput[] = input.outputs.map((o, i) => {
    const shares = allocateByMass(o.massKg, masses);
    return {
      lotId: `${prefix}${String(i + 1).padStart(2, '0')}-${o.material}`,
      material: o.material,
      treatment: o.treatment ?? rules.materials[o.material].defaultTreatment,
      process: o.process ?? 'shredding',
      massKg: o.massKg,
      shares: vins.map((vin, k) => ({ vin, massKg: shares[k]! })).filter((s) => s.massKg > 0),
    };
  });
  const errors: FieldError[] = [];
  for (const vin of vins) {
    const added = planned.reduce((s, p) => s + (p.shares.find((x) => x.vin === vin)?.massKg ?? 0), 0);
    const heavy = heavierThanVehicle(vin, await balanceOfVehicle(db.kysely, vin), added);
    if (heavy) errors.push(heavy);
  }
  if (errors.length > 0)
    throw invalid(
      'heavier_than_vehicle',
      'weighed outputs are heavier than the vehicles; nothing was written',
      errors,
    );
  await recordOutputs(db, submitter, planned, weighedAt, input.batchId, options);
  const vehicles = [];
  for (const vin of vins) vehicles.push({ vin, ...recoveryRates(await balanceOfVehicle(db.kysely, vin)) });
  return {
    batchId: input.batchId,
    weighedAt,
    lots: planned.map((p) => ({
      lotId: p.lotId,
      material: p.material,
      treatment: p.treatment,
      massKg: p.massKg,
      allocation: p.shares,
    })),
    vehicles,
  };
}

// ---------------------------------------------------------------- the dossier

/** Everything the module knows of one ELV, without the owner's personal data. */
export async function vehicleDossier(db: Db, principal: Principal, vin: string) {
  requirePermission(principal, 'dismantling:read');
  const intake = await requireIntake(db.kysely, vin);
  const [certificate, deregistration, pretreatment, dismantling, parts, batteries, outputs] =
    await Promise.all([
      repo.findCertificate(db.kysely, vin),
      repo.findDeregistration(db.kysely, vin),
      repo.findPretreatment(db.kysely, vin),
      repo.findDismantling(db.kysely, vin),
      repo.partsOfVehicles(db.kysely, [vin]),
      repo.batteriesOfVehicles(db.kysely, [vin]),
      repo.outputsOfVehicles(db.kysely, [vin]),
    ]);
  const models = await repo.modelsOfParts(
    db.kysely,
    parts.map((p) => p.part_id),
  );
  const now = systemClock();
  return {
    vin,
    stage: dismantling
      ? 'dismantled'
      : pretreatment
        ? 'pretreated'
        : deregistration
          ? 'deregistered'
          : certificate
            ? 'certified'
            : 'received',
    intake: intakeView(intake),
    certificate: certificate
      ? {
          certificateNumber: certificate.certificate_number,
          issuedAt: certificate.issued_at,
          scheme: certificate.scheme,
        }
      : null,
    deregistration: deregistration
      ? {
          deregisteredAt: deregistration.deregistered_at,
          authorityPartyId: deregistration.authority_party_id,
          reference: deregistration.reference,
        }
      : null,
    pretreatment: pretreatment
      ? {
          completedAt: pretreatment.completed_at,
          siteId: pretreatment.site_id,
          checklist: JSON.parse(pretreatment.checklist) as unknown,
        }
      : null,
    dismantling: dismantling
      ? {
          dismantledAt: dismantling.dismantled_at,
          siteId: dismantling.site_id,
          supervision: dismantling.supervision,
        }
      : null,
    parts: parts
      .filter((p) => p.part_class === 'reusable')
      .map((p) => partView(p, models.get(p.part_id) ?? [], undefined, now)),
    assemblies: parts.filter((p) => p.part_class === 'assembly').map(assemblyView),
    tractionBattery: batteries[0] ? batteryView(batteries[0], now) : null,
    materials: outputs.map((o) => ({
      lotId: o.lot_id,
      batchId: o.batch_id,
      weighedAt: o.weighed_at,
      material: o.material,
      treatment: o.treatment,
      massKg: o.mass_kg,
    })),
    rates: recoveryRates(balanceOf(intake, parts, batteries, outputs)),
  };
}

export function intakeView(intake: repo.IntakeRow) {
  return {
    receivedAt: intake.received_at,
    dismantlerPartyId: intake.dismantler_party_id,
    siteId: intake.site_id,
    massKg: intake.mass_kg,
    vehicleClass: intake.vehicle_class,
    make: intake.make,
    model: intake.model,
    modelYear: intake.model_year,
    powertrain: intake.powertrain,
    engineNumber: intake.engine_number,
    packCode: intake.pack_code,
    firstRegisteredOn: intake.first_registered_on,
    missingItems: JSON.parse(intake.missing_items) as string[],
    documents: JSON.parse(intake.documents) as unknown,
    photos: JSON.parse(intake.photos) as unknown,
    enrolled: intake.enrolled === 1,
  };
}

export function batteryView(b: repo.BatteryRow, asOf: string) {
  const status = deadlineStatus(b.outbound_deadline, b.handed_over_at, asOf);
  return {
    packCode: b.pack_code,
    vin: b.vin,
    chemistry: b.chemistry,
    massKg: b.mass_kg,
    removedAt: b.removed_at,
    outboundDeadline: b.outbound_deadline,
    handedOverAt: b.handed_over_at,
    receiver: b.receiver_party_id
      ? { partyId: b.receiver_party_id, name: b.receiver_name, code: b.receiver_code }
      : null,
    purpose: b.purpose,
    status,
    overdue: status === 'overdue' || status === 'late',
  };
}
