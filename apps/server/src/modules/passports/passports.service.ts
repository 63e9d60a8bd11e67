/**
 * The EU battery passport (Reg. (EU) 2023/1542 Art. 77): one per battery, built from the log, the
 * batteries module and the operator's declaration; shown per access level, exported as the seven
 * Battery Pass submodels or the Catena-X form (each validated against its schema), reachable by QR.
 * A repurposed product has a new passport linked to its originals' (Art. 77(7)); a recycled
 * battery's passport has ceased (Art. 77(8)) and only its end-of-life record is answered.
 */
import { randomUUID } from 'node:crypto';
import { checkBatteryCode } from '@carloop/codes';
import QRCode from 'qrcode';
import type { Db } from '../../db/database.ts';
import { type Clock, systemClock } from '../../shared/clock.ts';
import { conflict, DomainError, forbidden, invalid } from '../../shared/errors.ts';
import {
  type BatteryFacts,
  batteryFacts,
  cascadeLinks,
  expectedContentOf,
  parse,
  recoveredLotsOf,
  recycledSharesFor,
} from '../batteries/index.ts';
import { type HistoryEvent, subjectHistory } from '../ledger/index.ts';
import { getParty, localOperator, mayPerform, type Principal, requirePermission } from '../parties/index.ts';
import { type AccessLevel, levelRank, longlist } from './passports.longlist.ts';
import {
  type BatteryPassStatus,
  batteryPassIdentifier,
  buildBatteryPass,
  buildCatenax,
  catenaxIdentifier,
  filterByAccess,
  type PassportInput,
} from './passports.model.ts';
import * as repo from './passports.repository.ts';
import {
  type SubmodelName,
  submodelNames,
  type ValidationReport,
  validateCatenax,
  validateSubmodel,
} from './passports.schema-registry.ts';
import { type PassportDeclaration, passportDeclaration } from './passports.schemas.ts';

/** Where the public passport is served; the QR code carries this URL (CARLOOP_PUBLIC_URL). */
export function publicPassportUrl(code: string): string {
  const base = (process.env.CARLOOP_PUBLIC_URL || 'http://127.0.0.1:3000').replace(/\/+$/, '');
  return `${base}/passports/${encodeURIComponent(code)}`;
}

/** The highest access level a caller holds (no caller: the public). */
export function accessLevelOf(principal: Principal | null): AccessLevel {
  if (principal === null) return 'public';
  if (mayPerform(principal, 'passport:read:authority')) return 'authority';
  if (mayPerform(principal, 'passport:read:legitimate-interest')) return 'legitimate-interest';
  return 'public';
}

function grantedLevel(principal: Principal | null, requested: AccessLevel | undefined): AccessLevel {
  const held = accessLevelOf(principal);
  if (requested === undefined) return held;
  if (levelRank(requested) > levelRank(held))
    throw forbidden(
      'access_level_denied',
      `party "${principal?.name ?? 'anonymous'}" may see the ${held} passport, not the ${requested} one (Reg. (EU) 2023/1542 Art. 77(2))`,
    );
  return requested;
}

/** The battery's passport identity, issued on first need (a concurrent first request keeps one). */
async function passportOf(db: Db, code: string, clock: Clock): Promise<repo.PassportRow> {
  const known = (await repo.passportsOf(db.kysely, [code])).get(code);
  if (known) return known;
  await repo.insertPassportIfAbsent(db.kysely, {
    batteryCode: code,
    passportId: randomUUID(),
    issuedAt: clock(),
  });
  return (await repo.passportsOf(db.kysely, [code])).get(code)!;
}

export type PassportStatus = 'live' | 'superseded' | 'ceased';

export function passportStatusOf(state: string): PassportStatus {
  if (state === 'recycled') return 'ceased';
  if (state === 'repurposed') return 'superseded';
  return 'live';
}

function batteryStatusOf(facts: BatteryFacts): BatteryPassStatus {
  if (facts.batteryStatus === 'repurposed') return 'Repurposed';
  if (facts.batteryStatus === 'remanufactured') return 'Remanufactured';
  const lastGrade = facts.events.filter((e) => e.type === 'battery.graded').at(-1);
  if (
    facts.state === 'retired' ||
    (facts.state === 'graded' && (lastGrade?.payload as { route?: string })?.route === 'recycle')
  )
    return 'Waste';
  // Repair or re-installation of a non-waste battery keeps its passport, status "Reused" (Art. 77(7)).
  const removedAt = facts.events.findIndex((e) => e.type === 'battery.removed');
  if (removedAt >= 0 && facts.events.slice(removedAt).some((e) => e.type === 'battery.installed'))
    return 'Reused';
  return 'Original';
}

/**
 * What the vehicle's log adds about the battery: accidents while it was fitted (Annex XIII 4,
 * "information on accidents") and SOH read through the vehicle (vehicle.battery_health_reported).
 */
async function vehicleEvidence(db: Db, facts: BatteryFacts) {
  const negativeEvents: Array<{ text: string; at: string }> = [];
  let latestSoh = facts.latestSoh;
  for (const e of facts.events) {
    const findings = (e.payload as { safetyFindings?: string[] } | undefined)?.safetyFindings;
    if (e.type === 'battery.soh_tested' && findings?.length)
      negativeEvents.push({ text: `safety finding: ${findings.join(', ')}`, at: e.occurredAt });
  }
  if (facts.lastVehicleVin) {
    let events: HistoryEvent[] = [];
    try {
      events = (await subjectHistory(db, localOperator, facts.lastVehicleVin)).events;
    } catch {
      events = [];
    }
    for (const e of events) {
      const p = (e.payload ?? {}) as {
        severity?: string;
        structural?: boolean;
        flood?: boolean;
        fire?: boolean;
        packCode?: string;
        sohPercent?: number;
        measuredAt?: string;
      };
      if (
        e.type === 'vehicle.battery_health_reported' &&
        p.packCode === facts.code &&
        typeof p.sohPercent === 'number'
      ) {
        const at = p.measuredAt ?? e.occurredAt;
        if (!latestSoh || at > latestSoh.at) latestSoh = { sohPercent: p.sohPercent, at, source: 'vehicle' };
      }
      if (e.type !== 'vehicle.accident_reported') continue;
      if (facts.putIntoServiceAt && e.occurredAt < facts.putIntoServiceAt) continue;
      const kinds = [
        p.structural ? 'structural' : null,
        p.flood ? 'flood' : null,
        p.fire ? 'fire' : null,
      ].filter(Boolean);
      negativeEvents.push({
        text: `vehicle accident (${p.severity ?? 'unknown'}${kinds.length ? `; ${kinds.join(', ')}` : ''})`,
        at: e.occurredAt,
      });
    }
  }
  return { negativeEvents: negativeEvents.sort((a, b) => a.at.localeCompare(b.at)), latestSoh };
}

function codeProductionDate(code: string): string | null {
  const { year, month, day } = checkBatteryCode(code).fields.production;
  if (year === null || month === null || day === null) return null;
  return new Date(Date.UTC(year, month - 1, day)).toISOString();
}

interface Assembled {
  facts: BatteryFacts;
  passport: repo.PassportRow;
  input: PassportInput;
  predecessors: Array<{ batteryCode: string; passportIdentifier: string }>;
  successor: { batteryCode: string; passportIdentifier: string } | null;
}

async function assemble(db: Db, code: string, clock: Clock): Promise<Assembled> {
  const facts = await batteryFacts(db, code);
  const passport = await passportOf(db, code, clock);
  const links = await cascadeLinks(db, code);
  const predecessors: Assembled['predecessors'] = [];
  for (const original of links.originals)
    predecessors.push({
      batteryCode: original,
      passportIdentifier: catenaxIdentifier((await passportOf(db, original, clock)).passportId),
    });
  const successor = links.successor
    ? {
        batteryCode: links.successor,
        passportIdentifier: catenaxIdentifier((await passportOf(db, links.successor, clock)).passportId),
      }
    : null;
  const declared = await repo.declarationOf(db.kysely, code);
  let manufacturer: PassportInput['manufacturer'] = null;
  if (facts.manufacturerPartyId) {
    try {
      const party = await getParty(db, localOperator, facts.manufacturerPartyId);
      manufacturer = { id: party.id, name: party.name };
    } catch {
      manufacturer = { id: facts.manufacturerPartyId, name: facts.manufacturerPartyId };
    }
  }
  const content = await expectedContentOf(db, code);
  const deployed = facts.events.filter((e) => e.type === 'battery.deployed').at(-1);
  const evidence = await vehicleEvidence(db, facts);
  const productType = (checkBatteryCode(code).fields.productType ??
    facts.kind.replace('battery-', '')) as PassportInput['productType'];
  const input: PassportInput = {
    code,
    productType,
    passportId: passport.passportId,
    issuedAt: passport.issuedAt,
    publicUrl: publicPassportUrl(code),
    batteryStatus: batteryStatusOf(facts),
    chemistry: facts.chemistry,
    chemistryKey: facts.chemistryKey,
    massKg: facts.massKg,
    ratedEnergyKwh: facts.ratedEnergyKwh,
    manufacturingDate: facts.producedAt,
    codeProductionDate: codeProductionDate(code),
    putIntoServiceAt: facts.putIntoServiceAt,
    manufacturer,
    application: (deployed?.payload as { application?: string } | undefined)?.application ?? null,
    materialMassesKg: content
      ? Object.fromEntries(Object.entries(content.elements).map(([k, v]) => [k, v.expectedKg]))
      : null,
    recycledShares: await recycledSharesFor(db, code),
    latestSoh: evidence.latestSoh,
    latestRemainingEnergyKwh: facts.latestRemainingEnergyKwh,
    latestResistanceMilliohm: facts.latestResistanceMilliohm,
    negativeEvents: evidence.negativeEvents,
    predecessors: predecessors.map((p) => p.passportIdentifier.replace('urn:uuid:', '')),
    lastModified: facts.events.at(-1)?.recordedAt ?? passport.issuedAt,
    declaration: (declared?.data ?? {}) as PassportDeclaration,
  };
  return { facts, passport, input, predecessors, successor };
}

const ceasedReason =
  'Reg. (EU) 2023/1542 Art. 77(8): the battery passport ceases to exist once the battery has been recycled; this is its end-of-life record';

async function endOfLifeRecord(db: Db, a: Assembled) {
  const recycled = a.facts.recycled!;
  const event = a.facts.events.find((e) => e.type === 'battery.recycled');
  const lots = await recoveredLotsOf(db, a.facts.code);
  return {
    productIdentifier: a.facts.code,
    batteryPassportIdentifier: batteryPassIdentifier(a.passport.passportId),
    passportIdentifier: catenaxIdentifier(a.passport.passportId),
    passportStatus: 'ceased' as const,
    reason: ceasedReason,
    endOfLife: {
      recycledAt: recycled.recycledAt,
      recyclerPartyId: recycled.recyclerPartyId,
      process: recycled.process,
      inputMassKg: recycled.inputMassKg,
      batchId: recycled.batchId,
      eventId: event?.id ?? null,
      recoveredLots: lots.map((l) => ({
        lotId: l.lotId,
        material: l.material,
        attributedKg: l.attributedKg,
      })),
    },
    linkedPassports: { predecessors: a.predecessors, successor: a.successor },
  };
}

export type PassportView =
  | ({ passportStatus: 'live' | 'superseded' } & Record<string, unknown>)
  | Awaited<ReturnType<typeof endOfLifeRecord>>;

/**
 * The passport as `access` may see it (default: the caller's highest level). A recycled battery is
 * answered with its end-of-life record instead (passportStatus "ceased").
 */
export async function showPassport(
  db: Db,
  principal: Principal | null,
  code: string,
  access?: AccessLevel,
  clock: Clock = systemClock,
): Promise<PassportView> {
  const level = grantedLevel(principal, access);
  const a = await assemble(db, code, clock);
  if (a.facts.state === 'recycled') return endOfLifeRecord(db, a);
  const { documents, gaps } = buildBatteryPass(a.input);
  const filtered = filterByAccess(documents, level, longlist());
  const visibleGaps = gaps.filter(
    (g) => !filtered.withheld.some((w) => g.startsWith(w.replaceAll('[]', ''))),
  );
  return {
    productIdentifier: code,
    batteryPassportIdentifier: batteryPassIdentifier(a.passport.passportId),
    passportIdentifier: catenaxIdentifier(a.passport.passportId),
    passportStatus: passportStatusOf(a.facts.state) as 'live' | 'superseded',
    access: level,
    publicUrl: a.input.publicUrl,
    ...filtered.documents,
    linkedPassports: { predecessors: a.predecessors, successor: a.successor },
    withheld: filtered.withheld,
    dataGaps: visibleGaps,
  };
}

function schemaViolation(reports: ValidationReport[]): DomainError {
  const errors = reports.flatMap((r) => r.errors);
  return new DomainError(
    'integrity',
    'schema_violation',
    `the exported passport does not validate against ${reports
      .filter((r) => !r.valid)
      .map((r) => r.file)
      .join(', ')}`,
    errors,
  );
}

async function exportable(db: Db, principal: Principal, code: string, clock: Clock) {
  if (!mayPerform(principal, 'passport:declare')) requirePermission(principal, 'passport:read:authority');
  const a = await assemble(db, code, clock);
  if (a.facts.state === 'recycled') {
    const record = await endOfLifeRecord(db, a);
    throw conflict(
      'passport_ceased',
      `${code} was recycled on ${record.endOfLife.recycledAt}: ${ceasedReason}`,
      [
        {
          field: 'batteryCode',
          message: `recycled on ${record.endOfLife.recycledAt} by ${record.endOfLife.recyclerPartyId} (${record.endOfLife.process}); no live passport`,
        },
      ],
    );
  }
  return a;
}

/** The seven Battery Pass submodels, each validated against the newest version of its schema. */
export async function exportBatteryPass(
  db: Db,
  principal: Principal,
  code: string,
  clock: Clock = systemClock,
) {
  const a = await exportable(db, principal, code, clock);
  const { documents, gaps } = buildBatteryPass(a.input);
  const validation = submodelNames.map((name) => ({
    submodel: name,
    ...validateSubmodel(name, documents[name]),
  }));
  if (validation.some((v) => !v.valid)) throw schemaViolation(validation);
  return {
    batteryCode: code,
    passportIdentifier: catenaxIdentifier(a.passport.passportId),
    documents: documents as Record<SubmodelName, Record<string, unknown>>,
    validation: validation.map(({ submodel, schema, version, file, valid }) => ({
      submodel,
      schema,
      version,
      file,
      valid,
    })),
    dataGaps: gaps,
  };
}

/** The Catena-X battery_pass 6.1.0 form, validated against its schema. */
export async function exportCatenax(db: Db, principal: Principal, code: string, clock: Clock = systemClock) {
  const a = await exportable(db, principal, code, clock);
  const { document, gaps } = buildCatenax(a.input);
  const report = validateCatenax(document);
  if (!report.valid) throw schemaViolation([report]);
  return {
    batteryCode: code,
    passportIdentifier: catenaxIdentifier(a.passport.passportId),
    document,
    validation: { schema: report.schema, version: report.version, file: report.file, valid: true },
    dataGaps: gaps,
  };
}

/** QR code (ISO/IEC 18004) pointing at the public passport URL. */
export async function passportQr(
  db: Db,
  code: string,
  format: 'png' | 'svg',
): Promise<{ url: string; png?: Buffer; svg?: string }> {
  await batteryFacts(db, code);
  const url = publicPassportUrl(code);
  if (format === 'svg')
    return { url, svg: await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }) };
  return {
    url,
    png: await QRCode.toBuffer(url, { type: 'png', errorCorrectionLevel: 'M', margin: 2, width: 320 }),
  };
}

/** The operator's declaration of model data (replaces the previous one). */
export async function declarePassport(
  db: Db,
  principal: Principal,
  code: string,
  raw: unknown,
  clock: Clock = systemClock,
) {
  requirePermission(principal, 'passport:declare');
  const data = parse(passportDeclaration, raw, 'passport declaration');
  const facts = await batteryFacts(db, code);
  if (facts.state === 'recycled')
    throw conflict('passport_ceased', `${code} was recycled; its passport has ceased`, [
      { field: 'batteryCode', message: 'recycled: no live passport to declare data for' },
    ]);
  const declaredAt = clock();
  await repo.saveDeclaration(db.kysely, {
    batteryCode: code,
    data,
    declaredAt,
    declaredBy: principal.partyId,
  });
  return { batteryCode: code, declaredAt, declaredBy: principal.partyId, declaration: data };
}

export function checkAccessLevel(value: string | undefined): AccessLevel | undefined {
  if (value === undefined) return undefined;
  if (value === 'public' || value === 'legitimate-interest' || value === 'authority') return value;
  throw invalid('invalid_access', `unknown access level ${value}`, [
    { field: 'access', message: 'one of public, legitimate-interest, authority' },
  ]);
}
