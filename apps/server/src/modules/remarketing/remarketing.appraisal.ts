import type { Db } from '../../db/database.ts';
import { systemClock } from '../../shared/clock.ts';
import { DomainError, type FieldError, invalid } from '../../shared/errors.ts';
import { toMajorUnits } from '../../shared/money.ts';
import { appendEvents, type EventInput, type Submitter } from '../ledger/index.ts';
import { requirePermission } from '../parties/index.ts';
import { ageOf, conditionsOf, isNewEnergy, stayCurrency, vehicleHistory } from './remarketing.facts.ts';
import { daysBetween } from './remarketing.model.ts';
import * as repo from './remarketing.repository.ts';
import { appraiseInput } from './remarketing.schemas.ts';
import {
  event,
  money,
  newId,
  parseInput,
  requireOpenStay,
  type ServiceOptions,
  stayContext,
  timeOr,
} from './remarketing.service.ts';
import { batteryAdjustment, scoreInspection, valueRetail } from './remarketing.valuation.ts';

// ---------------------------------------------------------------- appraisal

/**
 * Appraise a stock car: the valuation module's GB/T 30323 scoring, accident/flood/fire from the
 * inspection and from the log, and for a new-energy car the battery health check — SOH against the
 * SOH expected at its age and mileage. The valuation engine values it (retail, B2C) with all of that;
 * `vehicle.appraised` (and `vehicle.battery_health_reported` when the pack is known) are appended.
 */
export async function appraiseStockVehicle(
  db: Db,
  submitter: Submitter,
  vin: string,
  raw: unknown,
  options: ServiceOptions = {},
) {
  const principal = submitter.principal;
  requirePermission(principal, 'remarketing:operate');
  const input = parseInput(appraiseInput, raw, 'appraisal');
  const clock = options.clock ?? systemClock;
  const at = timeOr(input.appraisedAt, clock, 'appraisedAt');
  const mismatch: FieldError[] = [];
  if (input.inspection.vin !== undefined && input.inspection.vin !== vin)
    mismatch.push({
      field: 'inspection.vin',
      message: `the inspection is of ${input.inspection.vin}, not ${vin}`,
    });
  if (input.inspection.odometerKm !== undefined && input.inspection.odometerKm !== input.odometerKm)
    mismatch.push({
      field: 'inspection.odometerKm',
      message: `the inspection read ${input.inspection.odometerKm} km, the appraisal ${input.odometerKm} km`,
    });
  if (mismatch.length > 0)
    throw invalid('inspection_mismatch', mismatch.map((e) => e.message).join('; '), mismatch);
  const stay = await requireOpenStay(db.kysely, vin, 'appraise it');
  const ctx = await stayContext(db, principal, stay);
  const scored = scoreInspection({ ...input.inspection, vin, odometerKm: input.odometerKm });
  if (ctx.history.odometer.highestKm !== null && input.odometerKm < ctx.history.odometer.highestKm)
    throw invalid(
      'odometer_rollback',
      `odometer ${input.odometerKm} km is below the ${ctx.history.odometer.highestKm} km already in the log`,
      [
        {
          field: 'odometerKm',
          message: `below the highest recorded reading ${ctx.history.odometer.highestKm} km`,
        },
      ],
    );
  const age = ageOf(ctx.vehicle, ctx.history, at);
  const recent = ctx.history.batteryHealth.filter((b) => daysBetween(b.measuredAt, at) <= 90).at(-1);
  let battery: Record<string, unknown> | null = null;
  let packCode: string | null = null;
  if (isNewEnergy(ctx.vehicle.powertrain) || input.battery) {
    const check =
      input.battery ??
      (recent
        ? {
            sohPercent: recent.sohPercent,
            method: recent.method,
            packCode: recent.packCode ?? undefined,
            measuredAt: recent.measuredAt,
          }
        : undefined);
    if (!check)
      throw invalid(
        'battery_check_required',
        `${vin} is a ${ctx.vehicle.powertrain}: the appraisal needs a battery health check (GB/T 30323 does not cover the traction battery), and the log has none from the last 90 days`,
        [{ field: 'battery.sohPercent', message: 'required for a new-energy vehicle' }],
      );
    packCode = check.packCode ?? ctx.history.packCode;
    const adj = batteryAdjustment(
      ctx.vehicle.powertrain,
      check.sohPercent / 100,
      age.years,
      input.odometerKm,
    );
    const expected = Math.round(adj.expectedSoh * 1000) / 10;
    const gap = check.sohPercent - expected;
    battery = {
      sohPercent: check.sohPercent,
      expectedSohPercent: expected,
      verdict: gap >= 3 ? 'better_than_expected' : gap <= -3 ? 'worse_than_expected' : 'as_expected',
      valueFactor: Math.round(adj.factor * 10_000) / 10_000,
      explanation: adj.explanation,
      method: check.method,
      measuredAt: check.measuredAt ?? at,
      packCode,
      source: input.battery ? 'measured at appraisal' : 'reported in the log',
    };
  }
  const currency = stayCurrency(ctx);
  if (!currency)
    throw invalid(
      'no_currency',
      `${vin} has no currency: the registry has no new price and no acquisition cost was recorded`,
      [{ field: 'currency', message: 'give acquisitionCost and currency at intake' }],
    );
  let retailMinor: number;
  let valuationId: string | null = null;
  let valueSource: string;
  try {
    const v = await valueRetail(
      db,
      principal,
      ctx,
      currency,
      at,
      input.inspection,
      battery ? (battery.sohPercent as number) / 100 : undefined,
      input.odometerKm,
    );
    retailMinor = v.retailMinor;
    valuationId = v.valuationId;
    valueSource = v.source;
  } catch (error) {
    if (!(error instanceof DomainError) || input.value === undefined) throw error;
    retailMinor = money(input.value, currency, 'value');
    valueSource = `appraiser's value (valuation engine: ${error.message})`;
  }
  const grade = scored.grade;
  const events: EventInput[] = [
    event('vehicle.appraised', vin, at, {
      appraisedAt: at,
      appraiserPartyId: input.appraiserPartyId ?? principal.partyId,
      odometerKm: input.odometerKm,
      score: scored.total,
      grade,
      value: { amountMinor: retailMinor, currency },
      priceBasis: 'b2c',
      ...(valuationId ? { valuationId } : {}),
    }),
  ];
  if (battery && input.battery && packCode)
    events.push(
      event('vehicle.battery_health_reported', vin, at, {
        packCode,
        sohPercent: input.battery.sohPercent,
        measuredAt: (battery.measuredAt as string) ?? at,
        method: input.battery.method,
        odometerKm: input.odometerKm,
      }),
    );
  const id = newId('apr', at);
  await appendEvents(db, submitter, events, {
    clock,
    project: async (trx, { eventIds }) => {
      await repo.insertAppraisal(trx, {
        id,
        stock_id: stay.id,
        vin,
        appraised_at: at,
        appraiser_party_id: input.appraiserPartyId ?? principal.partyId,
        odometer_km: input.odometerKm,
        score: scored.total,
        grade,
        accident: scored.flags.accident ? 1 : 0,
        flood: scored.flags.flood ? 1 : 0,
        fire: scored.flags.fire ? 1 : 0,
        inspection: JSON.stringify(input.inspection),
        appraisal: JSON.stringify(scored),
        battery: battery ? JSON.stringify(battery) : null,
        valuation_id: valuationId,
        retail_minor: retailMinor,
        currency,
        value_source: valueSource,
        event_id: eventIds[0]!,
        created_at: clock(),
      });
    },
  });
  const history = await vehicleHistory(db, principal, vin);
  const { conditions, sources } = conditionsOf(
    (await repo.latestAppraisals(db.kysely, [stay.id])).get(stay.id),
    history,
  );
  return {
    appraisalId: id,
    vin,
    score: scored.total,
    grade,
    gradeLabel: scored.gradeLabel,
    categories: scored.categories.map((c) => ({
      code: c.code,
      en: c.en,
      zh: c.zh,
      points: c.points,
      score: c.score,
    })),
    flags: scored.flags,
    conditions,
    conditionSources: sources,
    disclosureNeeded: (['accident', 'flood', 'fire'] as const).filter((c) => conditions[c]),
    battery,
    retail: toMajorUnits(retailMinor, currency),
    currency,
    valueSource,
    valuationId,
    reasons: scored.reasons,
  };
}
