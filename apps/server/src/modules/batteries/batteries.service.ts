/**
 * Battery second life and recycling: SOH tests, grading, cascade products (梯次利用), deployment,
 * health readings, retirement, hand-overs, recycling, recovered material lots with their mass
 * balance, and new batteries made with recovered material. Every step is a lifecycle event appended
 * to the ledger in the same database transaction as this module's rows (and, for a new product or
 * lot, as its asset registration).
 */
import { randomUUID } from 'node:crypto';
import { checkBatteryCode } from '@carloop/codes';
import type { z } from '@hono/zod-openapi';
import type { Db } from '../../db/database.ts';
import type { Executor } from '../../db/transaction.ts';
import { type Clock, systemClock } from '../../shared/clock.ts';
import { conflict, type FieldError, fieldErrorsFromZod, invalid, notFound } from '../../shared/errors.ts';
import { assetsById, getAsset, locationAt, registerAssets } from '../assets/index.ts';
import { appendEvents, type HistoryEvent, type Submitter, subjectHistory } from '../ledger/index.ts';
import { batteryKindOfCode } from '../lifecycle/index.ts';
import { localOperator, type Principal, requirePermission } from '../parties/index.ts';
import {
  attributeElement,
  type BatteryContent,
  batteryContent,
  defaultGradingRules,
  type ElementMaterial,
  elementBalances,
  elementMassOf,
  euRecyclingEfficiencyCheck,
  type GradingRoute,
  type GradingRuleSet,
  gradeBattery,
  intensityKeyOf,
  isElementMaterial,
  massViolations,
  materialIntensityVersion,
  recoveryTargetsVersion,
  recycledShares,
  resistanceSpreadPercent,
  routeInLog,
  routePermits,
  stateOfHealth,
  sumContents,
} from './batteries.model.ts';
import * as repo from './batteries.repository.ts';
import {
  deployInput,
  gradeInput,
  handOverInput,
  healthInput,
  produceInput,
  recoverInput,
  recycleInput,
  repurposeInput,
  retireInput,
  sohTestInput,
} from './batteries.schemas.ts';
import { inOneTransaction } from './batteries.transaction.ts';

export interface WriteOptions {
  clock?: Clock;
}

const batteryKindNames = ['battery-pack', 'battery-module', 'battery-cell'];

export function parse<S extends z.ZodType>(schema: S, raw: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const errors = fieldErrorsFromZod(parsed.error.issues);
    throw invalid(
      'invalid_input',
      `${what}: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`,
      errors,
    );
  }
  return parsed.data;
}

const dateOf = (iso: string) => iso.slice(0, 10);
const round = (v: number, digits = 3) => Math.round(v * 10 ** digits) / 10 ** digits;

// ---------------------------------------------------------------- what the platform knows about a battery

export interface BatteryFacts {
  code: string;
  kind: string;
  state: string;
  chemistry: string | null;
  /** Key of the material-intensity table, when the chemistry has a row. */
  chemistryKey: string | null;
  ratedEnergyKwh: number | null;
  massKg: number | null;
  originalCode: string | null;
  origin: 'produced' | 'enrolled' | null;
  manufacturerPartyId: string | null;
  producedAt: string | null;
  batteryStatus: 'original' | 'repurposed' | 'remanufactured' | null;
  componentCodes: string[];
  recycledInputs: Array<{ lotId: string; massKg: number }>;
  /** First time it went into service: installed in a host, or deployed at a site. */
  putIntoServiceAt: string | null;
  lastVehicleVin: string | null;
  latestSoh: { sohPercent: number; at: string; source: string } | null;
  latestRemainingEnergyKwh: { value: number; at: string } | null;
  latestResistanceMilliohm: { value: number; at: string } | null;
  recycled: {
    recycledAt: string;
    recyclerPartyId: string;
    process: string;
    inputMassKg: number;
    batchId: string | null;
  } | null;
  retired: { retiredAt: string; reason: string } | null;
  events: HistoryEvent[];
}

async function historyOf(db: Db, code: string): Promise<HistoryEvent[]> {
  try {
    return (await subjectHistory(db, localOperator, code)).events;
  } catch (error) {
    if ((error as { code?: string }).code === 'subject_not_found') return [];
    throw error;
  }
}

type Payload = Record<string, unknown>;
const payloadOf = (e: HistoryEvent): Payload => (e.payload ?? {}) as Payload;

/** The battery as the log and the registry know it (used here and by the passports module). */
export async function batteryFacts(db: Db, code: string): Promise<BatteryFacts> {
  const asset = (await assetsById(db.kysely, [code])).get(code);
  if (!asset) {
    const report = checkBatteryCode(code);
    if (!report.valid)
      throw invalid(
        'invalid_battery_code',
        `${code} is not a GB/T 34014 battery code: ${report.errors.map((e) => e.message).join('; ')}`,
        report.errors.map((e) => ({
          field: e.field === 'code' ? 'code' : `code.${e.field}`,
          message: e.message,
        })),
      );
  }
  if (!asset || !batteryKindNames.includes(asset.kind))
    throw notFound(
      'battery_not_found',
      asset ? `${code} is a ${asset.kind}, not a battery` : `no battery ${code}`,
    );
  const view = (await getAsset(db, localOperator, code)) as Record<string, unknown>;
  const events = await historyOf(db, code);
  const created = events.find((e) => e.type === 'battery.produced' || e.type === 'battery.enrolled');
  const p = created ? payloadOf(created) : {};
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  const numOrNull = (v: unknown) => (typeof v === 'number' ? v : null);
  const chemistry =
    str(view.chemistry) ?? str(p.chemistry) ?? checkBatteryCode(code).fields.chemistry ?? null;
  let putIntoServiceAt: string | null = null;
  let lastVehicleVin: string | null = null;
  let latestSoh: BatteryFacts['latestSoh'] = null;
  let latestRemainingEnergyKwh: BatteryFacts['latestRemainingEnergyKwh'] = null;
  let latestResistanceMilliohm: BatteryFacts['latestResistanceMilliohm'] = null;
  let recycled: BatteryFacts['recycled'] = null;
  let retired: BatteryFacts['retired'] = null;
  for (const e of events) {
    const q = payloadOf(e);
    const host = q.host as { kind?: string; id?: string } | undefined;
    if (host?.kind === 'vehicle' && typeof host.id === 'string') lastVehicleVin = host.id;
    switch (e.type) {
      case 'battery.installed':
      case 'battery.enrolled':
      case 'battery.deployed':
        putIntoServiceAt ??= str(q.installedAt) ?? str(q.enrolledAt) ?? str(q.deployedAt) ?? e.occurredAt;
        break;
      case 'battery.soh_tested':
        latestSoh = {
          sohPercent: q.sohPercent as number,
          at: str(q.testedAt) ?? e.occurredAt,
          source: 'soh_test',
        };
        if (typeof q.remainingEnergyKwh === 'number')
          latestRemainingEnergyKwh = { value: q.remainingEnergyKwh, at: latestSoh.at };
        if (typeof q.internalResistanceMilliohm === 'number')
          latestResistanceMilliohm = { value: q.internalResistanceMilliohm, at: latestSoh.at };
        break;
      case 'battery.health_reported':
        latestSoh = {
          sohPercent: q.sohPercent as number,
          at: str(q.measuredAt) ?? e.occurredAt,
          source: `health_reading:${String(q.method)}`,
        };
        break;
      case 'battery.retired':
        retired = { retiredAt: str(q.retiredAt) ?? e.occurredAt, reason: String(q.reason) };
        if (typeof q.sohPercent === 'number')
          latestSoh = { sohPercent: q.sohPercent, at: retired.retiredAt, source: 'retirement' };
        break;
      case 'battery.recycled':
        recycled = {
          recycledAt: str(q.recycledAt) ?? e.occurredAt,
          recyclerPartyId: String(q.recyclerPartyId),
          process: String(q.process),
          inputMassKg: Number(q.inputMassKg),
          batchId: str(q.batchId),
        };
        break;
    }
  }
  const ratedEnergyKwh = numOrNull(view.ratedCapacityKwh) ?? numOrNull(p.nominalEnergyKwh);
  return {
    code,
    kind: asset.kind,
    state: asset.state,
    chemistry,
    chemistryKey: intensityKeyOf(chemistry),
    ratedEnergyKwh,
    massKg: numOrNull(view.massKg) ?? numOrNull(p.massKg),
    originalCode: str(view.originalCode),
    origin: created ? (created.type === 'battery.produced' ? 'produced' : 'enrolled') : null,
    manufacturerPartyId: str(p.manufacturerPartyId),
    producedAt: str(p.producedAt),
    batteryStatus: (str(p.batteryStatus) as BatteryFacts['batteryStatus']) ?? null,
    componentCodes: Array.isArray(p.componentCodes) ? (p.componentCodes as string[]) : [],
    recycledInputs: Array.isArray(p.recycledInputs)
      ? (p.recycledInputs as BatteryFacts['recycledInputs'])
      : [],
    putIntoServiceAt,
    lastVehicleVin,
    latestSoh,
    latestRemainingEnergyKwh,
    latestResistanceMilliohm,
    recycled,
    retired,
    events,
  };
}

function contentOf(f: BatteryFacts): BatteryContent | null {
  if (f.chemistryKey === null || f.ratedEnergyKwh === null) return null;
  return batteryContent(f.code, f.chemistryKey, f.ratedEnergyKwh, f.massKg);
}

/**
 * What the battery holds by material. A cascade product holds what its originals held (its new
 * rating is their remaining energy, not their material), so its content is theirs summed.
 */
async function contentFor(db: Db, f: BatteryFacts, depth = 0): Promise<BatteryContent | null> {
  if (f.batteryStatus === 'repurposed' && depth < 8) {
    const sources = await repo.sourcesOfProduct(db.kysely, f.code);
    if (sources.length > 0) {
      const parts: BatteryContent[] = [];
      for (const s of sources) {
        const part = await contentFor(db, await batteryFacts(db, s.sourceCode), depth + 1);
        if (part === null) return null;
        parts.push(part);
      }
      return sumContents(f.code, f.massKg, parts);
    }
  }
  return contentOf(f);
}

/** Expected material content of a battery (for the passport's material composition). */
export async function expectedContentOf(db: Db, code: string): Promise<BatteryContent | null> {
  return contentFor(db, await batteryFacts(db, code));
}

async function requireBattery(db: Db, code: string, field = 'code'): Promise<BatteryFacts> {
  try {
    return await batteryFacts(db, code);
  } catch (error) {
    if ((error as { code?: string }).code !== 'battery_not_found') throw error;
    throw notFound('battery_not_found', `${(error as Error).message} (${field})`);
  }
}

/** Append the events and write the projection in one transaction; the projection gets the event ids. */
async function appendWithProjection(
  db: Db,
  submitter: Submitter,
  events: Array<{
    type: string;
    subject: { kind: string; id: string };
    occurredAt: string;
    payload: Payload;
  }>,
  project: (trx: Executor, eventIds: string[]) => Promise<void>,
  options: WriteOptions,
) {
  return appendEvents(db, submitter, events, {
    ...(options.clock ? { clock: options.clock } : {}),
    project: (trx, appended) => project(trx, appended.eventIds),
  });
}

// ---------------------------------------------------------------- SOH test

export async function recordSohTest(
  db: Db,
  submitter: Submitter,
  code: string,
  raw: unknown,
  options: WriteOptions = {},
) {
  requirePermission(submitter.principal, 'battery:test');
  const input = parse(sohTestInput, raw, 'SOH test');
  const facts = await requireBattery(db, code);
  const ratedEnergyKwh = input.ratedEnergyKwh ?? facts.ratedEnergyKwh ?? undefined;
  const soh = stateOfHealth({
    measuredEnergyKwh: input.measuredEnergyKwh,
    ratedEnergyKwh,
    measuredCapacityAh: input.measuredCapacityAh,
    ratedCapacityAh: input.ratedCapacityAh,
    sohPercent: input.sohPercent,
  });
  const errors: FieldError[] = [];
  if (soh === null) {
    errors.push({
      field: 'measuredEnergyKwh',
      message:
        input.measuredEnergyKwh !== undefined
          ? `the battery has no rated energy on record; give ratedEnergyKwh`
          : 'give measuredEnergyKwh (against the rated energy), measuredCapacityAh with ratedCapacityAh, or sohPercent for a read-out',
    });
  } else if (soh.sohPercent > 120) {
    errors.push({
      field: soh.basis === 'capacity' ? 'measuredCapacityAh' : 'measuredEnergyKwh',
      message: `gives SOH ${soh.sohPercent} %, above the 120 % a real battery can show; check the measurement and the rating`,
    });
  }
  if (
    input.measuredCapacityAh !== undefined &&
    input.ratedCapacityAh === undefined &&
    soh?.basis !== 'energy'
  )
    errors.push({ field: 'ratedCapacityAh', message: 'required with measuredCapacityAh' });
  const measuredSpread =
    input.moduleResistancesMilliohm === undefined
      ? null
      : resistanceSpreadPercent(input.moduleResistancesMilliohm);
  if (measuredSpread !== null && input.resistanceSpreadPercent !== undefined)
    errors.push({
      field: 'resistanceSpreadPercent',
      message:
        'give either moduleResistancesMilliohm (the spread is computed) or resistanceSpreadPercent, not both',
    });
  if (errors.length > 0)
    throw invalid('invalid_soh_test', errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
  const spread = measuredSpread ?? input.resistanceSpreadPercent ?? null;
  const sohPercent = soh!.sohPercent;
  const remainingEnergyKwh =
    input.measuredEnergyKwh ??
    (ratedEnergyKwh !== undefined ? round((ratedEnergyKwh * sohPercent) / 100, 3) : undefined);
  const findings = input.safetyFindings ?? [];
  const payload: Payload = {
    testedAt: input.testedAt,
    testerPartyId: input.testerPartyId,
    sohPercent,
    method: input.method,
    ...(remainingEnergyKwh !== undefined && remainingEnergyKwh > 0 ? { remainingEnergyKwh } : {}),
    ...(input.internalResistanceMilliohm !== undefined
      ? { internalResistanceMilliohm: input.internalResistanceMilliohm }
      : {}),
    ...(input.standard !== undefined ? { standard: input.standard } : {}),
    ...(spread !== null ? { resistanceSpreadPercent: spread } : {}),
    ...(findings.length > 0 ? { safetyFindings: findings } : {}),
  };
  const now = (options.clock ?? systemClock)();
  const id = randomUUID();
  let row: repo.SohTestRow | undefined;
  await appendWithProjection(
    db,
    submitter,
    [
      {
        type: 'battery.soh_tested',
        subject: { kind: facts.kind, id: code },
        occurredAt: input.testedAt,
        payload,
      },
    ],
    async (trx, [eventId]) => {
      row = {
        id,
        batteryCode: code,
        eventId: eventId!,
        testedAt: input.testedAt,
        testerPartyId: input.testerPartyId,
        method: input.method,
        standard: input.standard ?? null,
        ratedEnergyKwh: ratedEnergyKwh ?? null,
        measuredEnergyKwh: input.measuredEnergyKwh ?? null,
        ratedCapacityAh: input.ratedCapacityAh ?? null,
        measuredCapacityAh: input.measuredCapacityAh ?? null,
        sohPercent,
        internalResistanceMilliohm: input.internalResistanceMilliohm ?? null,
        resistanceSpreadPercent: spread,
        safetyFindings: findings,
        createdAt: now,
      };
      await repo.insertSohTest(trx, row);
    },
    options,
  );
  return { ...row!, sohBasis: soh!.basis, remainingEnergyKwh: remainingEnergyKwh ?? null };
}

// ---------------------------------------------------------------- grading

/** The latest SOH test: one recorded here, else the last `battery.soh_tested` in the log. */
async function gradingFactsOf(db: Db, facts: BatteryFacts, testId: string | undefined) {
  const tests = await repo.sohTestsOf(db.kysely, facts.code);
  if (testId !== undefined) {
    const test = tests.find((t) => t.id === testId);
    if (!test) throw notFound('soh_test_not_found', `no SOH test ${testId} of ${facts.code}`);
    return {
      testId: test.id,
      sohPercent: test.sohPercent,
      spread: test.resistanceSpreadPercent,
      findings: test.safetyFindings,
    };
  }
  const lastLogged = facts.events.filter((e) => e.type === 'battery.soh_tested').at(-1);
  const lastHere = tests.at(-1);
  if (lastHere && (!lastLogged || lastLogged.id === lastHere.eventId))
    return {
      testId: lastHere.id,
      sohPercent: lastHere.sohPercent,
      spread: lastHere.resistanceSpreadPercent,
      findings: lastHere.safetyFindings,
    };
  if (lastLogged) {
    const q = payloadOf(lastLogged);
    return {
      testId: lastLogged.id,
      sohPercent: q.sohPercent as number,
      spread: typeof q.resistanceSpreadPercent === 'number' ? q.resistanceSpreadPercent : null,
      findings: Array.isArray(q.safetyFindings) ? (q.safetyFindings as string[]) : [],
    };
  }
  throw conflict('not_tested', `${facts.code} has no SOH test to grade; record one first (battery test)`, [
    { field: 'testId', message: 'no SOH test on record' },
  ]);
}

export async function gradeBatteryByRules(
  db: Db,
  submitter: Submitter,
  code: string,
  raw: unknown,
  options: WriteOptions = {},
) {
  requirePermission(submitter.principal, 'battery:grade');
  const input = parse(gradeInput, raw, 'grading');
  const facts = await requireBattery(db, code);
  const ruleSet: GradingRuleSet = input.rules ?? defaultGradingRules;
  const test = await gradingFactsOf(db, facts, input.testId);
  const result = gradeBattery(ruleSet, {
    sohPercent: test.sohPercent,
    resistanceSpreadPercent: test.spread,
    safetyFindings: test.findings,
  });
  const inLog = routeInLog[result.rule.route];
  const payload: Payload = {
    gradedAt: input.gradedAt,
    graderPartyId: input.graderPartyId,
    grade: result.rule.grade,
    route: inLog.route,
    use: inLog.use,
    ruleId: result.rule.id,
    rulesVersion: ruleSet.version,
    reason: result.reason.slice(0, 2_000),
  };
  const now = (options.clock ?? systemClock)();
  let row: repo.GradeRow | undefined;
  await appendWithProjection(
    db,
    submitter,
    [
      {
        type: 'battery.graded',
        subject: { kind: facts.kind, id: code },
        occurredAt: input.gradedAt,
        payload,
      },
    ],
    async (trx, [eventId]) => {
      row = {
        id: randomUUID(),
        batteryCode: code,
        eventId: eventId!,
        testId: test.testId,
        gradedAt: input.gradedAt,
        graderPartyId: input.graderPartyId,
        grade: result.rule.grade,
        route: result.rule.route,
        ruleId: result.rule.id,
        rulesVersion: ruleSet.version,
        reason: result.reason,
        evaluation: result.evaluations,
        createdAt: now,
      };
      await repo.insertGrade(trx, row);
    },
    options,
  );
  return row!;
}

/** The active grading rules (versioned data). */
export function gradingRules(): GradingRuleSet {
  return defaultGradingRules;
}

// ---------------------------------------------------------------- cascade use (梯次利用)

function checkCascadeCode(newCode: string): { kind: string; chemistryCode: string | null } {
  const report = checkBatteryCode(newCode);
  if (report.form === 'standard') {
    throw invalid(
      'wrong_code_form',
      `${newCode} is a 24-character standard code; a cascade-use product takes the 19-character GB/T 34014 cascade form (no traceability field, ending R + P/M/C)`,
      [
        {
          field: 'newCode',
          message:
            'must be the 19-character cascade-use form (GB/T 34014 §4.2), not the 24-character standard form',
        },
      ],
    );
  }
  if (!report.valid) {
    throw invalid(
      'invalid_battery_code',
      `newCode ${newCode} is not a valid GB/T 34014 cascade-use code: ${report.errors.map((e) => e.message).join('; ')}`,
      report.errors.map((e) => ({
        field: e.field === 'code' ? 'newCode' : `newCode.${e.field}`,
        message: e.message,
      })),
    );
  }
  if (report.fields.cascadeProductType !== report.fields.productType) {
    throw invalid(
      'invalid_battery_code',
      `newCode ${newCode} names a ${report.fields.productType} at position 4 but a ${report.fields.cascadeProductType} after the R`,
      [
        {
          field: 'newCode.cascadeProductType',
          message: `must repeat the product type of position 4 (${newCode[3]})`,
        },
      ],
    );
  }
  return { kind: `battery-${report.fields.productType}`, chemistryCode: report.fields.chemistryCode };
}

async function latestGradeRoute(
  db: Db,
  facts: BatteryFacts,
): Promise<{ route: GradingRoute | 'reuse' | 'repurpose' | 'recycle'; reason: string } | null> {
  const here = (await repo.gradesOf(db.kysely, [facts.code])).at(-1);
  const logged = facts.events.filter((e) => e.type === 'battery.graded').at(-1);
  if (here && (!logged || logged.id === here.eventId))
    return { route: here.route as GradingRoute, reason: here.reason };
  if (logged) {
    const q = payloadOf(logged);
    return {
      route: q.route as 'reuse' | 'repurpose' | 'recycle',
      reason: typeof q.reason === 'string' ? q.reason : `grade ${String(q.grade)}`,
    };
  }
  return null;
}

export async function repurposeBatteries(
  db: Db,
  submitter: Submitter,
  raw: unknown,
  options: WriteOptions = {},
) {
  requirePermission(submitter.principal, 'battery:repurpose');
  const input = parse(repurposeInput, raw, 'repurposing');
  const product = checkCascadeCode(input.newCode);
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  input.sourceCodes.forEach((code, i) => {
    if (seen.has(code)) errors.push({ field: `sourceCodes.${i}`, message: `${code} is listed twice` });
    seen.add(code);
  });
  if (seen.has(input.newCode))
    errors.push({ field: 'newCode', message: 'must differ from every source code' });
  if (errors.length > 0) throw invalid('invalid_sources', errors.map((e) => e.message).join('; '), errors);
  if ((await assetsById(db.kysely, [input.newCode])).has(input.newCode))
    throw conflict('duplicate_asset', `${input.newCode} is already registered`, [
      { field: 'newCode', message: 'already registered; a cascade product gets a new code' },
    ]);

  const used = await repo.productsOfSources(db.kysely, input.sourceCodes);
  const sources: BatteryFacts[] = [];
  for (const [i, code] of input.sourceCodes.entries()) {
    const field = `sourceCodes.${i}`;
    const prior = used.get(code);
    if (prior)
      throw conflict('already_repurposed', `${code} is already in cascade product ${prior.productCode}`, [
        {
          field,
          message: `already reused in cascade product ${prior.productCode}; a pack or module goes into one product only`,
        },
      ]);
    const facts = await requireBattery(db, code, field);
    if (facts.state === 'repurposed')
      throw conflict('already_repurposed', `${code} was already repurposed`, [
        { field, message: 'already repurposed' },
      ]);
    if (facts.state !== 'graded')
      throw conflict('not_graded', `${code} is ${facts.state}; only a graded battery can be repurposed`, [
        { field, message: `state ${facts.state}; test and grade it first (battery test, battery grade)` },
      ]);
    const grade = await latestGradeRoute(db, facts);
    if (grade?.route === 'recycle')
      throw conflict('graded_for_recycling', `${code} was graded for recycling: ${grade.reason}`, [
        { field, message: 'graded for recycling, not for second life' },
      ]);
    if (
      grade &&
      grade.route !== 'reuse' &&
      grade.route !== 'repurpose' &&
      !routePermits(defaultGradingRules, grade.route as GradingRoute, input.application)
    )
      throw invalid(
        'application_not_permitted',
        `${code} is graded ${grade.route}, which does not permit ${input.application}`,
        [
          {
            field: 'application',
            message: `${grade.route} permits ${(defaultGradingRules.routeApplications?.[grade.route as GradingRoute] ?? []).join(', ')}`,
          },
        ],
      );
    const sourceLetter = code[4];
    if (product.chemistryCode !== null && sourceLetter !== product.chemistryCode)
      throw invalid(
        'chemistry_mismatch',
        `${code} has chemistry code ${sourceLetter}, the new code ${product.chemistryCode}`,
        [{ field: 'newCode.chemistry', message: `must match the sources' chemistry code (${sourceLetter})` }],
      );
    const container = (await locationAt(db, localOperator, code, input.repurposedAt)).within[0];
    if (container)
      throw conflict('still_composed', `${code} is still in ${container.id} on ${input.repurposedAt}`, [
        { field, message: `still in ${container.id}; record its removal or the disassembly first` },
      ]);
    sources.push(facts);
  }

  const tests = await repo.latestSohTests(db.kysely, input.sourceCodes);
  const remaining = sources.map((s) => {
    const t = tests.get(s.code);
    if (t?.measuredEnergyKwh != null) return t.measuredEnergyKwh;
    if (s.latestRemainingEnergyKwh) return s.latestRemainingEnergyKwh.value;
    return s.latestSoh && s.ratedEnergyKwh !== null
      ? (s.ratedEnergyKwh * s.latestSoh.sohPercent) / 100
      : null;
  });
  const ratedEnergyKwh =
    input.ratedEnergyKwh ??
    (remaining.every((r) => r !== null) ? round(remaining.reduce((a, b) => a! + b!, 0)!, 3) : null);
  const massKg =
    input.massKg ??
    (sources.every((s) => s.massKg !== null)
      ? round(
          sources.reduce((a, s) => a + s.massKg!, 0),
          3,
        )
      : null);
  const missing: FieldError[] = [];
  if (ratedEnergyKwh === null)
    missing.push({
      field: 'ratedEnergyKwh',
      message: 'required: the remaining energy of some source is unknown',
    });
  if (massKg === null)
    missing.push({ field: 'massKg', message: 'required: the mass of some source is unknown' });
  if (missing.length > 0) throw invalid('invalid_input', missing.map((e) => e.message).join('; '), missing);

  const chemistry = sources[0]!.chemistry ?? 'other';
  const eventChemistry = eventChemistryOf(chemistry);
  const componentKinds: Record<string, string[]> = {
    'battery-pack': ['battery-module', 'battery-cell'],
    'battery-module': ['battery-cell'],
    'battery-cell': [],
  };
  const components = sources.filter((s) => componentKinds[product.kind]!.includes(s.kind)).map((s) => s.code);
  const at = input.repurposedAt;
  const events = [
    ...sources.map((s) => ({
      type: 'battery.repurposed',
      subject: { kind: s.kind, id: s.code },
      occurredAt: at,
      payload: {
        originalCode: s.code,
        newCode: input.newCode,
        repurposedAt: at,
        operatorPartyId: input.operatorPartyId,
        intendedApplication: input.application,
      } as Payload,
    })),
    {
      type: 'battery.produced',
      subject: { kind: product.kind, id: input.newCode },
      occurredAt: at,
      payload: {
        manufacturerPartyId: input.operatorPartyId,
        producedAt: at,
        chemistry: eventChemistry,
        nominalEnergyKwh: ratedEnergyKwh!,
        massKg: massKg!,
        batteryStatus: 'repurposed',
        ...(components.length > 0 ? { componentCodes: components } : {}),
      } as Payload,
    },
  ];
  return inOneTransaction(db, async (scoped) => {
    await registerAssets(scoped, submitter.principal, [
      {
        kind: product.kind,
        code: input.newCode,
        chemistry,
        ratedCapacityKwh: ratedEnergyKwh!,
        massKg: massKg!,
        originalCode: sources[0]!.code,
      },
    ]).then((r) => {
      const rejection = r.rejected[0];
      if (rejection)
        throw invalid(
          'invalid_asset',
          rejection.errors.map((e) => e.message).join('; '),
          rejection.errors.map((e) => ({ ...e, field: e.field === 'code' ? 'newCode' : e.field })),
        );
    });
    let productRow: repo.CascadeProductRow | undefined;
    await appendWithProjection(
      scoped,
      submitter,
      events,
      async (trx, eventIds) => {
        productRow = {
          code: input.newCode,
          operatorPartyId: input.operatorPartyId,
          application: input.application,
          repurposedAt: at,
          ratedEnergyKwh: ratedEnergyKwh!,
          massKg: massKg!,
          chemistry,
          eventId: eventIds.at(-1)!,
        };
        await repo.insertCascadeProduct(
          trx,
          productRow,
          sources.map((s, i) => ({
            sourceCode: s.code,
            productCode: input.newCode,
            sourceKind: s.kind,
            eventId: eventIds[i]!,
          })),
        );
      },
      options,
    );
    return {
      ...productRow!,
      kind: product.kind,
      sources: sources.map((s) => ({ code: s.code, kind: s.kind, chemistry: s.chemistry })),
      componentCodes: components,
    };
  });
}

/** The lifecycle chemistry enum for a registered chemistry name (NMC622 → NCM). */
function eventChemistryOf(chemistry: string): string {
  const key = chemistry.toUpperCase().replace(/[^A-Z0-9]/g, '');
  if (key.startsWith('NMC') || key.startsWith('NCM') || key === 'TERNARY') return 'NCM';
  if (key.startsWith('NCA')) return 'NCA';
  if (key === 'LFP' || key === 'LIFEPO4') return 'LFP';
  const known: Record<string, string> = {
    LMO: 'LMO',
    LCO: 'LCO',
    LTO: 'LTO',
    NIMH: 'NiMH',
    SODIUMION: 'sodium_ion',
  };
  return known[key] ?? 'other';
}

export async function deployBattery(
  db: Db,
  submitter: Submitter,
  code: string,
  raw: unknown,
  options: WriteOptions = {},
) {
  requirePermission(submitter.principal, 'battery:deploy');
  const input = parse(deployInput, raw, 'deployment');
  const facts = await requireBattery(db, code);
  let row: repo.DeploymentRow | undefined;
  await appendWithProjection(
    db,
    submitter,
    [
      {
        type: 'battery.deployed',
        subject: { kind: facts.kind, id: code },
        occurredAt: input.commissionedAt,
        payload: {
          deployedAt: input.commissionedAt,
          application: input.application,
          siteId: input.siteId,
          operatorPartyId: input.operatorPartyId,
          ...(input.usableEnergyKwh !== undefined ? { usableEnergyKwh: input.usableEnergyKwh } : {}),
        },
      },
    ],
    async (trx, [eventId]) => {
      row = {
        id: randomUUID(),
        batteryCode: code,
        eventId: eventId!,
        siteId: input.siteId,
        operatorPartyId: input.operatorPartyId,
        application: input.application,
        commissionedAt: input.commissionedAt,
        usableEnergyKwh: input.usableEnergyKwh ?? null,
      };
      await repo.insertDeployment(trx, row);
    },
    options,
  );
  return row!;
}

export async function reportHealth(
  db: Db,
  submitter: Submitter,
  code: string,
  raw: unknown,
  options: WriteOptions = {},
) {
  requirePermission(submitter.principal, 'battery:deploy');
  const input = parse(healthInput, raw, 'health reading');
  const facts = await requireBattery(db, code);
  let row: repo.HealthReadingRow | undefined;
  await appendWithProjection(
    db,
    submitter,
    [
      {
        type: 'battery.health_reported',
        subject: { kind: facts.kind, id: code },
        occurredAt: input.measuredAt,
        payload: { ...input },
      },
    ],
    async (trx, [eventId]) => {
      row = { id: randomUUID(), batteryCode: code, eventId: eventId!, ...input };
      await repo.insertHealthReading(trx, row);
    },
    options,
  );
  return row!;
}

export async function retireBattery(
  db: Db,
  submitter: Submitter,
  code: string,
  raw: unknown,
  options: WriteOptions = {},
) {
  requirePermission(submitter.principal, 'battery:deploy');
  const input = parse(retireInput, raw, 'retirement');
  const facts = await requireBattery(db, code);
  let row: repo.RetirementRow | undefined;
  await appendWithProjection(
    db,
    submitter,
    [
      {
        type: 'battery.retired',
        subject: { kind: facts.kind, id: code },
        occurredAt: input.retiredAt,
        payload: { ...input },
      },
    ],
    async (trx, [eventId]) => {
      row = {
        batteryCode: code,
        eventId: eventId!,
        retiredAt: input.retiredAt,
        reason: input.reason,
        sohPercent: input.sohPercent ?? null,
      };
      await repo.insertRetirement(trx, row);
    },
    options,
  );
  return row!;
}

export async function handOverBattery(
  db: Db,
  submitter: Submitter,
  code: string,
  raw: unknown,
  options: WriteOptions = {},
) {
  requirePermission(submitter.principal, 'battery:hand-over');
  const input = parse(handOverInput, raw, 'hand-over');
  const facts = await requireBattery(db, code);
  let row: repo.HandoverRow | undefined;
  await appendWithProjection(
    db,
    submitter,
    [
      {
        type: 'battery.handed_over',
        subject: { kind: facts.kind, id: code },
        occurredAt: input.handedOverAt,
        payload: { ...input },
      },
    ],
    async (trx, [eventId]) => {
      row = { id: randomUUID(), batteryCode: code, eventId: eventId!, ...input };
      await repo.insertHandover(trx, row);
    },
    options,
  );
  return row!;
}

// ---------------------------------------------------------------- recycling and recovered material

export async function recycleBattery(
  db: Db,
  submitter: Submitter,
  code: string,
  raw: unknown,
  options: WriteOptions = {},
) {
  requirePermission(submitter.principal, 'battery:recycle');
  const input = parse(recycleInput, raw, 'recycling');
  const facts = await requireBattery(db, code);
  const inputMassKg = input.inputMassKg ?? facts.massKg;
  if (inputMassKg === null)
    throw invalid('invalid_input', `the mass of ${code} is not on record; give inputMassKg`, [
      { field: 'inputMassKg', message: 'required: the battery mass is unknown' },
    ]);
  let row: repo.RecyclingRow | undefined;
  await appendWithProjection(
    db,
    submitter,
    [
      {
        type: 'battery.recycled',
        subject: { kind: facts.kind, id: code },
        occurredAt: input.recycledAt,
        payload: {
          recycledAt: input.recycledAt,
          recyclerPartyId: input.recyclerPartyId,
          process: input.process,
          inputMassKg,
          ...(input.batchId ? { batchId: input.batchId } : {}),
        },
      },
    ],
    async (trx, [eventId]) => {
      row = {
        batteryCode: code,
        eventId: eventId!,
        recyclerPartyId: input.recyclerPartyId,
        recycledAt: input.recycledAt,
        process: input.process,
        inputMassKg,
        batchId: input.batchId ?? null,
      };
      await repo.insertRecycling(trx, row);
    },
    options,
  );
  return row!;
}

/** The batteries a lot comes from: named, by recycling batch, or carried over from its input lots. */
async function lotOrigin(
  db: Db,
  input: {
    sourceCodes?: string[] | undefined;
    batchId?: string | undefined;
    inputLotIds?: string[] | undefined;
  },
) {
  const codes: string[] = [...(input.sourceCodes ?? [])];
  if (input.batchId) {
    const batch = await repo.recyclingOfBatch(db.kysely, input.batchId);
    if (batch.length === 0)
      throw notFound('batch_not_found', `no battery was recycled in batch ${input.batchId}`);
    codes.push(...batch.map((b) => b.batteryCode));
  }
  if (input.inputLotIds) {
    const lots = await repo.recoveredLots(db.kysely, input.inputLotIds);
    const missing = input.inputLotIds.filter((id) => !lots.has(id));
    if (missing.length > 0)
      throw invalid(
        'unknown_lot',
        `no recovered lot ${missing.join(', ')}`,
        missing.map((id) => ({ field: 'inputLotIds', message: `no recovered lot ${id}` })),
      );
    codes.push(...(await repo.sourcesOfLots(db.kysely, input.inputLotIds)).map((s) => s.batteryCode));
  }
  return [...new Set(codes)];
}

export async function recoverLot(db: Db, submitter: Submitter, raw: unknown, options: WriteOptions = {}) {
  requirePermission(submitter.principal, 'battery:recover');
  const input = parse(recoverInput, raw, 'recovered lot');
  const lotId = input.lotId ?? `lot-${randomUUID()}`;
  if ((await assetsById(db.kysely, [lotId])).has(lotId))
    throw conflict('duplicate_asset', `${lotId} is already registered`, [
      { field: 'lotId', message: 'already registered' },
    ]);
  const codes = await lotOrigin(db, input);
  const sources: BatteryFacts[] = [];
  for (const [i, code] of codes.entries()) {
    const facts = await requireBattery(db, code, `sourceCodes.${i}`);
    if (facts.state !== 'recycled')
      throw conflict(
        'not_recycled',
        `${code} is ${facts.state}; material is recovered only from a recycled battery`,
        [
          {
            field: 'sourceCodes',
            message: `${code} has not been recycled (state ${facts.state}); record battery recycle first`,
          },
        ],
      );
    sources.push(facts);
  }
  const contents = new Map<string, BatteryContent | null>();
  for (const s of sources) contents.set(s.code, await contentFor(db, s));
  type Prior = Awaited<ReturnType<typeof repo.attributionsOf>>;
  /** Attribute the lot to its sources and refuse it if a source would give more than it could hold. */
  const plan = (prior: Prior) => {
    const primary = !input.inputLotIds;
    const violations: string[] = [];
    let elementMassKg: number | null = null;
    let basis: string | null = null;
    let attributions: Array<{ code: string; attributedKg: number | null; attributedMassKg: number }>;
    const massWeights = sources.map((s) => s.massKg ?? 0);
    const massTotal = massWeights.reduce((a, b) => a + b, 0);
    const massShare = (i: number) =>
      round(input.massKg * (massTotal > 0 ? massWeights[i]! / massTotal : 1 / sources.length), 4);
    if (isElementMaterial(input.material)) {
      const element = elementMassOf(input.material, input.form, input.massKg, input.elementMassKg);
      if ('error' in element)
        throw invalid('invalid_lot', element.error, [
          { field: input.elementMassKg !== undefined ? 'elementMassKg' : 'form', message: element.error },
        ]);
      elementMassKg = element.elementMassKg;
      basis = element.basis;
      if (input.material === 'aluminium') {
        attributions = sources.map((s, i) => ({
          code: s.code,
          attributedKg: round(
            elementMassKg! * (massTotal > 0 ? massWeights[i]! / massTotal : 1 / sources.length),
            4,
          ),
          attributedMassKg: massShare(i),
        }));
      } else {
        const noContent = sources.filter((s) => contents.get(s.code) === null);
        if (noContent.length > 0)
          throw invalid(
            'content_unknown',
            `cannot check the lot against ${noContent.map((s) => s.code).join(', ')}: chemistry or rated energy unknown (material-intensity table ${materialIntensityVersion})`,
            noContent.map((s) => ({
              field: 'sourceCodes',
              message: `${s.code}: chemistry ${s.chemistry ?? 'unknown'}, rated energy ${s.ratedEnergyKwh ?? 'unknown'}`,
            })),
          );
        const element = input.material as Exclude<ElementMaterial, 'aluminium'>;
        const split = attributeElement(
          element,
          elementMassKg,
          sources.map((s) => {
            const c = contents.get(s.code)!.elements[element];
            return {
              code: s.code,
              expectedKg: c.expectedKg,
              maxKg: c.maxKg,
              alreadyKg: prior
                .filter((p) => p.batteryCode === s.code && p.material === element)
                .reduce((a, p) => a + (p.attributedKg ?? 0), 0),
            };
          }),
        );
        violations.push(...split.violations);
        attributions = split.attributions.map((a, i) => ({
          code: a.code,
          attributedKg: a.attributedKg,
          attributedMassKg: massShare(i),
        }));
      }
    } else {
      attributions = sources.map((s, i) => ({
        code: s.code,
        attributedKg: null,
        attributedMassKg: massShare(i),
      }));
    }
    if (primary)
      violations.push(
        ...massViolations(
          input.massKg,
          sources.map((s) => ({
            code: s.code,
            massKg: s.massKg,
            alreadyKg: prior
              .filter((p) => p.batteryCode === s.code && p.primary)
              .reduce((a, p) => a + p.attributedMassKg, 0),
          })),
        ),
      );
    if (violations.length > 0)
      throw invalid(
        'recovered_mass_exceeds_content',
        `the lot is more than its source batteries could contain: ${violations.join('; ')}`,
        violations.map((message) => ({
          field: input.elementMassKg !== undefined ? 'elementMassKg' : 'massKg',
          message,
        })),
      );
    return { attributions, elementMassKg, basis };
  };
  // Checked now for a quick answer, and again under the log's append lock (in the projection), so
  // two lots recorded at once cannot together exceed what a battery held.
  const planned = plan(await repo.attributionsOf(db.kysely, codes));
  const { attributions, elementMassKg, basis } = planned;

  const sourceRefs = sources.map((s) => ({ kind: s.kind, id: s.code }));
  return inOneTransaction(db, async (scoped) => {
    const registered = await registerAssets(scoped, submitter.principal, [
      { kind: 'material-lot', id: lotId, material: input.material, massKg: input.massKg },
    ]);
    const rejection = registered.rejected[0];
    if (rejection)
      throw invalid(
        'invalid_lot',
        rejection.errors.map((e) => `${e.field}: ${e.message}`).join('; '),
        rejection.errors.map((e) => ({ ...e, field: e.field === 'id' ? 'lotId' : e.field })),
      );
    let lot: repo.RecoveredLotRow | undefined;
    await appendWithProjection(
      scoped,
      submitter,
      [
        {
          type: 'material-lot.recovered',
          subject: { kind: 'material-lot', id: lotId },
          occurredAt: input.recoveredAt,
          payload: {
            recoveredAt: input.recoveredAt,
            recyclerPartyId: input.recyclerPartyId,
            material: input.material,
            form: input.form,
            massKg: input.massKg,
            process: input.process,
            sources: sourceRefs,
            treatment: 'recycling',
            ...(input.inputLotIds ? { inputLotIds: input.inputLotIds } : {}),
          },
        },
      ],
      async (trx, [eventId]) => {
        plan(await repo.attributionsOf(trx, codes));
        lot = {
          lotId,
          eventId: eventId!,
          material: input.material,
          form: input.form,
          massKg: input.massKg,
          elementMassKg,
          process: input.process,
          recyclerPartyId: input.recyclerPartyId,
          recoveredAt: input.recoveredAt,
          inputLotIds: input.inputLotIds ?? [],
        };
        await repo.insertRecoveredLot(
          trx,
          lot,
          attributions.map((a) => ({
            lotId,
            batteryCode: a.code,
            attributedKg: a.attributedKg,
            attributedMassKg: a.attributedMassKg,
          })),
        );
      },
      options,
    );
    const balance = await massBalanceOf(scoped, codes, dateOf(input.recoveredAt));
    return { ...lot!, elementBasis: basis, origin: attributions, massBalance: balance };
  });
}

async function massBalanceOf(db: Db, codes: string[], at?: string) {
  const facts: BatteryFacts[] = [];
  for (const code of codes) facts.push(await requireBattery(db, code));
  const contents: Array<BatteryContent | null> = [];
  for (const f of facts) contents.push(await contentFor(db, f));
  const attributions = await repo.attributionsOf(db.kysely, codes);
  const recovered: Partial<Record<ElementMaterial, number>> = {};
  for (const a of attributions)
    if (a.attributedKg !== null && isElementMaterial(a.material))
      recovered[a.material] = (recovered[a.material] ?? 0) + a.attributedKg;
  const recycledDates = facts.map((f) => f.recycled?.recycledAt).filter((d): d is string => d !== undefined);
  const date =
    at ?? (recycledDates.length > 0 ? dateOf(recycledDates.sort().at(-1)!) : dateOf(systemClock()));
  const inputMassKg = facts.reduce((a, f) => a + (f.recycled?.inputMassKg ?? f.massKg ?? 0), 0);
  const outputMassKg = attributions.filter((a) => a.primary).reduce((a, x) => a + x.attributedMassKg, 0);
  const efficiency = inputMassKg > 0 ? round((outputMassKg / inputMassKg) * 100, 2) : null;
  return {
    batteries: facts.map((f, i) => ({
      code: f.code,
      chemistry: f.chemistry,
      chemistryKey: f.chemistryKey,
      ratedEnergyKwh: f.ratedEnergyKwh,
      massKg: f.massKg,
      state: f.state,
      recycledAt: f.recycled?.recycledAt ?? null,
      balanced: contents[i] !== null,
    })),
    checkedOn: date,
    elements: elementBalances(
      contents.filter((c): c is BatteryContent => c !== null),
      recovered,
      date,
    ),
    recyclingEfficiency: {
      inputMassKg: round(inputMassKg, 3),
      outputMassKg: round(outputMassKg, 3),
      percent: efficiency,
      eu: euRecyclingEfficiencyCheck(date, efficiency),
    },
    lots: [...new Set(attributions.map((a) => a.lotId))],
    tables: { materialIntensity: materialIntensityVersion, recoveryTargets: recoveryTargetsVersion },
  };
}

export async function massBalance(
  db: Db,
  principal: Principal,
  query: { codes?: string[]; batchId?: string; at?: string },
) {
  requirePermission(principal, 'battery:read');
  const codes = [...(query.codes ?? [])];
  if (query.batchId) {
    const batch = await repo.recyclingOfBatch(db.kysely, query.batchId);
    if (batch.length === 0)
      throw notFound('batch_not_found', `no battery was recycled in batch ${query.batchId}`);
    codes.push(...batch.map((b) => b.batteryCode));
  }
  if (codes.length === 0)
    throw invalid('invalid_query', 'name a battery or a batch', [
      { field: 'code', message: 'a battery code or batchId is required' },
    ]);
  if (query.at !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(query.at))
    throw invalid('invalid_date', 'at must be a date', [{ field: 'at', message: 'YYYY-MM-DD' }]);
  return massBalanceOf(db, [...new Set(codes)], query.at);
}

// ---------------------------------------------------------------- new batteries with recycled content

export async function produceBattery(db: Db, submitter: Submitter, raw: unknown, options: WriteOptions = {}) {
  requirePermission(submitter.principal, 'battery:produce');
  const input = parse(produceInput, raw, 'new battery');
  const report = checkBatteryCode(input.code);
  if (report.form === 'cascade')
    throw invalid(
      'wrong_code_form',
      `${input.code} is a cascade-use code; a new battery takes the 24-character standard form`,
      [
        {
          field: 'code',
          message: 'the 19-character cascade form is for repurposed products (battery repurpose)',
        },
      ],
    );
  const kind = batteryKindOfCode(input.code);
  const lotIds = (input.recycledInputs ?? []).map((r) => r.lotId);
  const lots = await repo.recoveredLots(db.kysely, lotIds);
  const usage = await repo.lotUsage(db.kysely, lotIds);
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  const inputs = (input.recycledInputs ?? []).map((r, i) => {
    const lot = lots.get(r.lotId);
    if (seen.has(r.lotId)) errors.push({ field: `recycledInputs.${i}.lotId`, message: 'listed twice' });
    seen.add(r.lotId);
    if (!lot) {
      errors.push({ field: `recycledInputs.${i}.lotId`, message: `no recovered lot ${r.lotId}` });
      return null;
    }
    const left = round(lot.massKg - (usage.get(r.lotId) ?? 0), 4);
    if (r.massKg > left + 1e-9)
      errors.push({
        field: `recycledInputs.${i}.massKg`,
        message: `lot ${r.lotId} has ${left} kg left of ${lot.massKg} kg`,
      });
    return {
      lotId: r.lotId,
      material: lot.material,
      massKg: r.massKg,
      elementMassKg:
        lot.elementMassKg === null ? null : round((lot.elementMassKg / lot.massKg) * r.massKg, 4),
    };
  });
  if (errors.length > 0)
    throw invalid(
      'invalid_recycled_inputs',
      errors.map((e) => `${e.field}: ${e.message}`).join('; '),
      errors,
    );
  return inOneTransaction(db, async (scoped) => {
    const registered = await registerAssets(scoped, submitter.principal, [
      {
        kind: kind ?? 'battery-pack',
        code: input.code,
        chemistry: input.chemistryVariant ?? input.chemistry,
        ratedCapacityKwh: input.nominalEnergyKwh,
        massKg: input.massKg,
      },
    ]);
    const rejection = registered.rejected[0];
    if (rejection) {
      const duplicate = rejection.errors.some((e) => e.message.endsWith('is already registered'));
      const message = rejection.errors.map((e) => `${e.field}: ${e.message}`).join('; ');
      throw duplicate
        ? conflict('duplicate_asset', message, rejection.errors)
        : invalid('invalid_asset', message, rejection.errors);
    }
    await appendWithProjection(
      scoped,
      submitter,
      [
        {
          type: 'battery.produced',
          subject: { kind: kind!, id: input.code },
          occurredAt: input.producedAt,
          payload: {
            manufacturerPartyId: input.manufacturerPartyId,
            producedAt: input.producedAt,
            chemistry: input.chemistry,
            nominalEnergyKwh: input.nominalEnergyKwh,
            massKg: input.massKg,
            batteryStatus: 'original',
            ...(input.componentCodes && input.componentCodes.length > 0
              ? { componentCodes: input.componentCodes }
              : {}),
            ...(input.recycledInputs ? { recycledInputs: input.recycledInputs } : {}),
          },
        },
      ],
      async (trx, [eventId]) => {
        // Again under the log's append lock: two batteries cannot use the same kilograms of a lot.
        const used = await repo.lotUsage(trx, lotIds);
        const overdrawn = inputs.filter(
          (r) => r!.massKg > lots.get(r!.lotId)!.massKg - (used.get(r!.lotId) ?? 0) + 1e-9,
        );
        if (overdrawn.length > 0)
          throw conflict(
            'lot_overdrawn',
            `lot ${overdrawn[0]!.lotId} was used by another battery meanwhile`,
            overdrawn.map((r) => ({
              field: 'recycledInputs',
              message: `lot ${r!.lotId} has not ${r!.massKg} kg left`,
            })),
          );
        await repo.insertRecycledInputs(
          trx,
          inputs.map((r) => ({ ...r!, batteryCode: input.code, eventId: eventId! })),
        );
      },
      options,
    );
    return recycledContentOf(scoped, input.code);
  });
}

async function recycledContentOf(db: Db, code: string) {
  const facts = await requireBattery(db, code);
  let inputs = await repo.recycledInputsOf(db.kysely, code);
  if (inputs.length === 0 && facts.recycledInputs.length > 0) {
    // Declared in the log directly: resolve the lots here.
    const lots = await repo.recoveredLots(
      db.kysely,
      facts.recycledInputs.map((r) => r.lotId),
    );
    inputs = facts.recycledInputs.flatMap((r) => {
      const lot = lots.get(r.lotId);
      return lot
        ? [
            {
              batteryCode: code,
              lotId: r.lotId,
              material: lot.material,
              massKg: r.massKg,
              eventId: '',
              elementMassKg:
                lot.elementMassKg === null ? null : round((lot.elementMassKg / lot.massKg) * r.massKg, 4),
            },
          ]
        : [];
    });
  }
  const recycledKg: Record<string, number> = {};
  for (const r of inputs)
    if (r.elementMassKg !== null) recycledKg[r.material] = (recycledKg[r.material] ?? 0) + r.elementMassKg;
  const origins = await repo.sourcesOfLots(
    db.kysely,
    inputs.map((r) => r.lotId),
  );
  const content = await contentFor(db, facts);
  return {
    code,
    chemistry: facts.chemistry,
    ratedEnergyKwh: facts.ratedEnergyKwh,
    // Art. 8(4): recycled-content rules do not apply to repurposed or remanufactured batteries.
    applicable: facts.batteryStatus !== 'repurposed' && facts.batteryStatus !== 'remanufactured',
    inputs: inputs.map((r) => ({
      lotId: r.lotId,
      material: r.material,
      massKg: r.massKg,
      elementMassKg: r.elementMassKg,
      origin: origins.filter((o) => o.lotId === r.lotId).map((o) => o.batteryCode),
    })),
    shares: recycledShares(content, recycledKg),
    contentKnown: content !== null,
  };
}

export async function recycledContent(db: Db, principal: Principal, code: string) {
  requirePermission(principal, 'battery:read');
  return recycledContentOf(db, code);
}

/** Shares for the passport (no permission check: the passports module enforces access itself). */
export async function recycledSharesFor(db: Db, code: string) {
  return (await recycledContentOf(db, code)).shares;
}

// ---------------------------------------------------------------- reads

export async function batteryDossier(db: Db, principal: Principal, code: string) {
  requirePermission(principal, 'battery:read');
  const facts = await requireBattery(db, code);
  const [tests, grades, deployments, health, handovers, retirement, recycling] = await Promise.all([
    repo.sohTestsOf(db.kysely, code),
    repo.gradesOf(db.kysely, [code]),
    repo.deploymentsOf(db.kysely, code),
    repo.healthReadingsOf(db.kysely, code),
    repo.handoversOf(db.kysely, code),
    repo.retirementOf(db.kysely, code),
    repo.recyclingOf(db.kysely, [code]),
  ]);
  const product = await repo.cascadeProduct(db.kysely, code);
  const usedIn = (await repo.productsOfSources(db.kysely, [code])).get(code);
  const attributions = await repo.attributionsOf(db.kysely, [code]);
  const content = await contentFor(db, facts);
  return {
    code,
    kind: facts.kind,
    state: facts.state,
    chemistry: facts.chemistry,
    ratedEnergyKwh: facts.ratedEnergyKwh,
    massKg: facts.massKg,
    batteryStatus: facts.batteryStatus,
    manufacturerPartyId: facts.manufacturerPartyId,
    producedAt: facts.producedAt,
    putIntoServiceAt: facts.putIntoServiceAt,
    latestSoh: facts.latestSoh,
    sohTests: tests,
    grades,
    cascade: {
      product: product ? { ...product, sources: await repo.sourcesOfProduct(db.kysely, code) } : null,
      usedIn: usedIn ? { productCode: usedIn.productCode, eventId: usedIn.eventId } : null,
    },
    deployments,
    healthReadings: health,
    retirement: retirement ?? null,
    handovers,
    recycling: recycling.get(code) ?? facts.recycled ?? null,
    recoveredLots: attributions.map((a) => ({
      lotId: a.lotId,
      material: a.material,
      attributedKg: a.attributedKg,
      attributedMassKg: a.attributedMassKg,
    })),
    expectedContent: content?.elements ?? null,
    events: facts.events.map((e) => ({ id: e.id, type: e.type, occurredAt: e.occurredAt })),
  };
}

/** Origin of a recovered lot: the batteries it came from (Art. 8 recycled content traces back to them). */
export async function lotOriginOf(db: Db, principal: Principal, lotId: string) {
  requirePermission(principal, 'battery:read');
  const lot = (await repo.recoveredLots(db.kysely, [lotId])).get(lotId);
  if (!lot) throw notFound('lot_not_found', `no recovered lot ${lotId}`);
  const sources = await repo.sourcesOfLots(db.kysely, [lotId]);
  const usage = await repo.lotUsage(db.kysely, [lotId]);
  return { ...lot, origin: sources, usedKg: usage.get(lotId) ?? 0 };
}

/** The cascade product an original went into, and a product's originals (for passport links). */
export async function cascadeLinks(db: Db, code: string) {
  const product = await repo.cascadeProduct(db.kysely, code);
  const originals = product ? (await repo.sourcesOfProduct(db.kysely, code)).map((s) => s.sourceCode) : [];
  const usedIn = (await repo.productsOfSources(db.kysely, [code])).get(code)?.productCode ?? null;
  return { originals, successor: usedIn };
}

export async function recoveredLotsOf(db: Db, code: string) {
  return repo.attributionsOf(db.kysely, [code]);
}
