/**
 * Return inspection and settlement. `prepareSettlement` checks everything and works out the
 * statement (GFV − excess distance − damage − missing items, never below zero; the equity when the
 * market pays more than the GFV) and the lifecycle events; `recordSettlement` writes the buyback
 * module's rows inside the ledger append's transaction. The workflow workflows/settle-and-stock.ts
 * puts the two around the used-car stock intake so that all of it is one transaction.
 */
import type { Db } from '../../db/database.ts';
import type { Executor } from '../../db/transaction.ts';
import { type Clock, systemClock } from '../../shared/clock.ts';
import { conflict, DomainError, type FieldError, invalid, notFound } from '../../shared/errors.ts';
import { currencyExponent, toMinorUnits } from '../../shared/money.ts';
import { appendEvents, type EventInput, type Submitter, subjectHistory } from '../ledger/index.ts';
import { localOperator, type Principal, requirePermission } from '../parties/index.ts';
import { type ReturnConditions, returnConditionsByRef } from './buyback.config.ts';
import type { ConditionAppraisal } from './buyback.forecast.ts';
import { batteryPowertrains } from './buyback.model.ts';
import * as repo from './buyback.repository.ts';
import { type ReturnInspection, settleRequest } from './buyback.schemas.ts';
import {
  type BuybackOptions,
  type ContractTerms,
  contractTermsOf,
  major,
  parseInput,
  quantilesOf,
  recordTransition,
  timeOf,
  windowOf,
} from './buyback.service.ts';
import { valuationEngine } from './buyback.valuation.ts';
import { applyContractAction, type ContractState, type StoredStatus } from './contract.machine.ts';
import {
  assessDamage,
  type ChargeLine,
  type DamageAssessment,
  type DamageFinding,
  type ExcessLine,
  excessDistanceCharge,
  excessKmOf,
  missingMeasurements,
  ratePerKmOf,
  settlementTotal,
} from './settlement.model.ts';

export type SettlementOption = 'hand_back' | 'trade_in';

/** The statement and the events of a settlement, worked out and checked, not yet written. */
export interface SettlementPlan {
  contract: repo.ContractRow;
  terms: ContractTerms;
  at: string;
  option: SettlementOption;
  transition: { from: ContractState; to: StoredStatus };
  statement: Statement;
  /** The buyback's own events (hand-back or part-exchange), appended first. */
  events: EventInput[];
  /** Events that need the car in stock first (the appraisal), appended after the stock intake. */
  afterStock: EventInput[];
  /** The used-car stock intake the workflow records (`vehicle.stocked`). */
  stock: {
    at: string;
    dealerPartyId: string;
    source: 'buyback' | 'trade_in';
    acquisitionCostMinor: number;
    currency: string;
    locationId?: string;
  };
}

/** The statement in minor units; `statementView` turns it into the published document. */
export interface Statement {
  contractId: string;
  quoteId: string;
  vin: string;
  currency: string;
  settledAt: string;
  option: SettlementOption;
  gfvMinor: number;
  odometerKm: number;
  odometerAtSaleKm: number;
  allowanceKm: number;
  excessKm: number;
  excessChargeMinor: number;
  excessLines: ExcessLine[];
  damageCharges: ChargeLine[];
  damageAssessment: DamageAssessment[];
  missingItems: ChargeLine[];
  totalMinor: number;
  appraisal: {
    score: number;
    grade: number;
    accident: boolean;
    flood: boolean;
    fire: boolean;
    detail: unknown;
  } | null;
  marketValue: { p10Minor: number; p50Minor: number; p90Minor: number; modelVersion: string | null } | null;
  marketValueNote: string | null;
  equity: { tradeInValueMinor: number; amountMinor: number; available: boolean } | null;
  paidMinor: number;
  returnConditions: string;
  inspection: { inspectedAt: string | null; inspectorPartyId: string | null; notes: string | null };
}

// ---------------------------------------------------------------- input checks

function damageFindings(
  inspection: ReturnInspection,
  currency: string,
  rules: ReturnConditions,
): DamageFinding[] {
  const errors: FieldError[] = [];
  const findings: DamageFinding[] = [];
  inspection.damage.forEach((d, i) => {
    const field = `inspection.damage.${i}`;
    try {
      const finding: DamageFinding = {
        item: d.item,
        type: d.type,
        ...(d.sizeMm !== undefined ? { sizeMm: d.sizeMm } : {}),
        ...(d.count !== undefined ? { count: d.count } : {}),
        ...(d.zone ? { zone: d.zone } : {}),
        ...(d.location ? { location: d.location } : {}),
        ...(d.treadMm !== undefined ? { treadMm: d.treadMm } : {}),
        ...(d.conditions ? { conditions: d.conditions } : {}),
        repairCostMinor: toMinorUnits(d.repairCost, currency, `${field}.repairCost`),
        ...(d.replaceCost !== undefined
          ? { replaceCostMinor: toMinorUnits(d.replaceCost, currency, `${field}.replaceCost`) }
          : {}),
        ...(d.repairable !== undefined ? { repairable: d.repairable } : {}),
      };
      for (const m of missingMeasurements(finding, rules))
        errors.push({
          field: `${field}.${m}`,
          message: `needed to judge a ${d.type} against fair wear and tear`,
        });
      if (d.repairable === false && d.replaceCost === undefined)
        errors.push({ field: `${field}.replaceCost`, message: 'required when the item cannot be repaired' });
      findings.push(finding);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      errors.push(...error.errors);
    }
  });
  if (errors.length > 0)
    throw invalid('invalid_inspection', errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
  return findings;
}

/** Missing items at the return conditions' prices (× count); items they do not price carry their amount. */
function missingItemCharges(
  inspection: ReturnInspection,
  currency: string,
  rules: ReturnConditions,
): ChargeLine[] {
  const errors: FieldError[] = [];
  const lines: ChargeLine[] = [];
  inspection.missingItems.forEach((raw, i) => {
    const field = `inspection.missingItems.${i}`;
    const m = typeof raw === 'string' ? { item: raw } : raw;
    const count = 'count' in m && m.count !== undefined ? m.count : 1;
    const listed = rules.missingItems[m.item];
    const amount = 'amount' in m ? m.amount : undefined;
    if (listed) {
      if (amount !== undefined) {
        errors.push({
          field: `${field}.amount`,
          message: `${m.item} is priced by the return conditions; leave out amount`,
        });
        return;
      }
      const price = listed.charge[currency];
      if (!price) {
        errors.push({
          field: `${field}.item`,
          message: `the return conditions price ${m.item} only in ${Object.keys(listed.charge).join(', ')}`,
        });
        return;
      }
      const each = toMinorUnits(price, currency, `${field}.item`);
      lines.push({ item: count > 1 ? `${listed.en} × ${count}` : listed.en, amountMinor: each * count });
      return;
    }
    if (amount === undefined) {
      errors.push({
        field: `${field}.item`,
        message: `${m.item} is not priced by the return conditions (${Object.keys(rules.missingItems).join(', ')}); give its amount`,
      });
      return;
    }
    try {
      const each = toMinorUnits(amount, currency, `${field}.amount`);
      lines.push({
        item: count > 1 ? `${m.item.replaceAll('_', ' ')} × ${count}` : m.item.replaceAll('_', ' '),
        amountMinor: each * count,
      });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      errors.push(...error.errors);
    }
  });
  if (errors.length > 0)
    throw invalid('invalid_inspection', errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
  return lines;
}

interface VehicleRecord {
  highestOdometer: { km: number; eventId: string; type: string } | null;
  exclusions: string[];
}

/** What the log says about the vehicle since the sale: the highest odometer reading and excluded accidents. */
async function vehicleRecord(
  db: Db,
  vin: string,
  since: string,
  rules: ReturnConditions,
): Promise<VehicleRecord> {
  // Read as the platform: the rules need every payload, whoever submitted it; only yes/no reaches the caller.
  const history = await subjectHistory(db, localOperator, vin);
  let highest: VehicleRecord['highestOdometer'] = null;
  const exclusions: string[] = [];
  const rule = rules.accidentExclusion.reportedAccident;
  for (const e of history.events) {
    const p = (e.payload ?? {}) as Record<string, unknown>;
    if (typeof p.odometerKm === 'number' && (highest === null || p.odometerKm > highest.km))
      highest = { km: p.odometerKm, eventId: e.id, type: e.type };
    if (e.type === 'vehicle.accident_reported' && e.occurredAt >= since) {
      const reasons = [
        rule.structural && p.structural === true ? 'structural damage' : null,
        rule.flood && p.flood === true ? 'flood' : null,
        rule.fire && p.fire === true ? 'fire' : null,
        rule.severities.includes(String(p.severity)) ? `severity ${p.severity}` : null,
      ].filter(Boolean);
      if (reasons.length > 0)
        exclusions.push(
          `accident reported ${e.occurredAt.slice(0, 10)} (${reasons.join(', ')}; event ${e.id})`,
        );
    }
  }
  return { highestOdometer: highest, exclusions };
}

function appraisalExclusions(a: ConditionAppraisal, rules: ReturnConditions): string[] {
  const out: string[] = [];
  if (a.grade >= rules.accidentExclusion.appraisalGrade)
    out.push(`GB/T 30323 grade ${a.grade} (事故车, accident car)`);
  if (rules.accidentExclusion.appraisalFlags.includes('flood') && a.flood)
    out.push('flood damage found at inspection');
  if (rules.accidentExclusion.appraisalFlags.includes('fire') && a.fire)
    out.push('fire damage found at inspection');
  return out;
}

// ---------------------------------------------------------------- prepare

export type SettleOptions = BuybackOptions;

/**
 * Check a return and work out its statement. Refused (with the reason): a contract that is not in
 * its exercise window, already settled, expired or cancelled; an accident car (the exclusion); an
 * odometer below the reading at sale or a later recorded one — that reading is recorded on the
 * vehicle first (`vehicle.odometer_read`), so the log flags the suspected rollback.
 */
export async function prepareSettlement(
  db: Db,
  submitter: Submitter,
  contractId: string,
  raw: unknown,
  options: SettleOptions = {},
): Promise<SettlementPlan> {
  const principal = submitter.principal;
  requirePermission(principal, 'buyback:settle');
  const clock = options.clock ?? systemClock;
  const port = options.valuation ?? valuationEngine;
  const request = parseInput(settleRequest, raw, 'invalid_settlement');
  const contract = await repo.findContract(db.kysely, contractId);
  if (!contract) throw notFound('contract_not_found', `no buyback contract ${contractId}`);
  const terms = contractTermsOf(contract);
  const currency = contract.currency;
  const at = timeOf(request.at, 'at', clock);
  const transition = applyContractAction(contract.status as StoredStatus, windowOf(contract), at, 'exercise');
  const inspection = request.inspection;
  if (inspection.currency && inspection.currency !== currency)
    throw invalid(
      'currency_mismatch',
      `the inspection is priced in ${inspection.currency}, the contract in ${currency}`,
      [{ field: 'inspection.currency', message: `must be ${currency}` }],
    );
  const rules = returnConditionsByRef(terms.returnConditions);
  const findings = damageFindings(inspection, currency, rules);
  const missingItems = missingItemCharges(inspection, currency, rules);

  const record = await vehicleRecord(db, contract.vin, contract.sold_at, rules);
  const floor = Math.max(contract.odometer_at_sale_km, record.highestOdometer?.km ?? 0);
  if (request.odometerKm < floor) {
    await appendEvents(
      db,
      submitter,
      [
        {
          type: 'vehicle.odometer_read',
          subject: { kind: 'vehicle', id: contract.vin },
          occurredAt: at,
          payload: { odometerKm: request.odometerKm, readAt: at, source: 'inspection' },
        },
      ],
      { clock },
    );
    const atSale = request.odometerKm < contract.odometer_at_sale_km;
    const message = atSale
      ? `odometer ${request.odometerKm} km is below the ${contract.odometer_at_sale_km} km recorded at sale`
      : `odometer ${request.odometerKm} km is below the ${record.highestOdometer!.km} km recorded by ${record.highestOdometer!.type} (event ${record.highestOdometer!.eventId})`;
    throw conflict(
      'odometer_rollback',
      `${message}; the reading is recorded and flagged on ${contract.vin}, nothing is settled`,
      [{ field: 'odometerKm', message }],
    );
  }

  let appraisal: ConditionAppraisal | null = null;
  if (inspection.appraisal !== undefined) {
    try {
      appraisal = await port.appraise(db, inspection.appraisal);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      throw new DomainError(
        error.kind,
        error.code,
        `inspection.appraisal: ${error.message}`,
        error.errors.map((e) => ({
          ...e,
          field: `inspection.appraisal.${e.field}`.replace(/\.\(root\)$/, ''),
        })),
      );
    }
  }
  const exclusions = [...record.exclusions, ...(appraisal ? appraisalExclusions(appraisal, rules) : [])];
  if (exclusions.length > 0) {
    throw conflict(
      'accident_exclusion',
      `the guarantee excludes accident cars: ${exclusions.join('; ')}. Cancel the contract with reason accident_exclusion and buy the car at market, if at all`,
      exclusions.map((message) => ({ field: 'contract', message })),
    );
  }

  const exponent = currencyExponent(currency);
  const excessKm = excessKmOf(request.odometerKm, contract.odometer_at_sale_km, contract.allowance_km);
  const excess = excessDistanceCharge(excessKm, terms.excessTiers, exponent);
  const damageAssessment = findings.map((f) => assessDamage(f, rules));
  const damageCharges: ChargeLine[] = damageAssessment
    .filter((a) => !a.withinFairWearAndTear)
    .map((a) => ({ item: a.item, amountMinor: a.amountMinor }));
  const soc = inspection.stateOfChargePercent;
  if (
    batteryPowertrains.includes(contract.powertrain) &&
    soc !== undefined &&
    soc < rules.evStateOfCharge.minPercent
  ) {
    const price = rules.evStateOfCharge.charge[currency];
    if (price)
      damageCharges.push({
        item: `state of charge ${soc} % below the ${rules.evStateOfCharge.minPercent} % minimum (recharge before collection)`,
        amountMinor: toMinorUnits(price, currency, 'inspection.stateOfChargePercent'),
      });
  }
  const totalMinor = settlementTotal({
    gfvMinor: contract.gfv_minor,
    excessChargeMinor: excess.chargeMinor,
    damageCharges,
    missingItems,
  });

  // The market value of the returned car, for the equity option. Without a model it is left out, said so.
  let marketValue: Statement['marketValue'] = null;
  let marketValueNote: string | null = null;
  let priceBasis: 'c2b' | 'wholesale' | 'b2c' | undefined;
  try {
    const v = terms.vehicle;
    const forecast = await port.forecast(db, {
      make: v.make,
      model: v.model,
      ...(v.trim ? { trim: v.trim } : {}),
      year: v.year,
      fuel: v.fuel,
      ...(v.transmission ? { transmission: v.transmission } : {}),
      ...(v.engineL !== undefined ? { engineL: v.engineL } : {}),
      newPrice: major(contract.new_price_minor, currency),
      currency,
      atDate: at,
      odometerKm: request.odometerKm,
      ...(inspection.sohPercent !== undefined ? { soh: inspection.sohPercent / 100 } : {}),
      ...(appraisal ? { conditionScore: appraisal.score } : {}),
    });
    const q = quantilesOf(forecast, currency, 'currency');
    marketValue = { p10Minor: q.p10, p50Minor: q.p50, p90Minor: q.p90, modelVersion: forecast.modelVersion };
    priceBasis = forecast.priceBasis;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    marketValueNote = `market value not assessed: ${error.message}`;
  }
  const damageMinor = damageCharges.reduce((s, c) => s + c.amountMinor, 0);
  const missingMinor = missingItems.reduce((s, c) => s + c.amountMinor, 0);
  let equity: Statement['equity'] = null;
  if (marketValue) {
    // Excess distance is already in the market value (the odometer is an input); damage and missing items are not.
    const tradeInValueMinor = Math.max(0, marketValue.p50Minor - damageMinor - missingMinor);
    const amountMinor = Math.max(0, tradeInValueMinor - totalMinor);
    equity = { tradeInValueMinor, amountMinor, available: amountMinor > 0 };
  }
  if (request.option === 'trade_in' && !equity?.available) {
    const reason = equity
      ? 'the market value does not exceed the guaranteed settlement'
      : (marketValueNote ?? 'no market value');
    throw conflict('no_equity', `a trade-in needs positive equity: ${reason}`, [
      { field: 'option', message: reason },
    ]);
  }
  const paidMinor = request.option === 'trade_in' ? equity!.tradeInValueMinor : totalMinor;

  const statement: Statement = {
    contractId: contract.id,
    quoteId: contract.quote_id,
    vin: contract.vin,
    currency,
    settledAt: at,
    option: request.option,
    gfvMinor: contract.gfv_minor,
    odometerKm: request.odometerKm,
    odometerAtSaleKm: contract.odometer_at_sale_km,
    allowanceKm: contract.allowance_km,
    excessKm,
    excessChargeMinor: excess.chargeMinor,
    excessLines: excess.lines,
    damageCharges,
    damageAssessment,
    missingItems,
    totalMinor,
    appraisal: appraisal
      ? {
          score: appraisal.score,
          grade: appraisal.grade,
          accident: appraisal.accident,
          flood: appraisal.flood,
          fire: appraisal.fire,
          detail: appraisal.detail,
        }
      : null,
    marketValue,
    marketValueNote,
    equity,
    paidMinor,
    returnConditions: terms.returnConditions,
    inspection: {
      inspectedAt: inspection.inspectedAt ?? null,
      inspectorPartyId: inspection.inspectorPartyId ?? null,
      notes: inspection.notes ?? null,
    },
  };

  const subject = { kind: 'vehicle' as const, id: contract.vin };
  const money = (amountMinor: number) => ({ amountMinor, currency });
  const events: EventInput[] =
    request.option === 'hand_back'
      ? [
          {
            type: 'vehicle.buyback_exercised',
            subject,
            occurredAt: at,
            payload: {
              contractId: contract.id,
              exercisedAt: at,
              odometerKm: request.odometerKm,
              settlement: {
                gfv: money(contract.gfv_minor),
                excessDistanceCharge: money(excess.chargeMinor),
                damageCharge: money(damageMinor),
                missingItemsCharge: money(missingMinor),
                paid: money(paidMinor),
              },
            },
          },
        ]
      : [
          {
            type: 'vehicle.odometer_read',
            subject,
            occurredAt: at,
            payload: { odometerKm: request.odometerKm, readAt: at, source: 'inspection' },
          },
          {
            type: 'vehicle.buyback_declined',
            subject,
            occurredAt: at,
            payload: { contractId: contract.id, declinedAt: at, option: 'part_exchanged' },
          },
        ];
  const afterStock: EventInput[] = [];
  if (appraisal && marketValue && priceBasis) {
    afterStock.push({
      type: 'vehicle.appraised',
      subject,
      occurredAt: at,
      payload: {
        appraisedAt: inspection.inspectedAt ?? at,
        appraiserPartyId: inspection.inspectorPartyId ?? principal.partyId,
        odometerKm: request.odometerKm,
        score: appraisal.score,
        grade: appraisal.grade,
        value: money(marketValue.p50Minor),
        priceBasis,
      },
    });
  }
  return {
    contract,
    terms,
    at,
    option: request.option,
    transition: request.option === 'hand_back' ? transition : { from: transition.from, to: 'declined' },
    statement,
    events,
    afterStock,
    stock: {
      at,
      dealerPartyId: request.dealerPartyId ?? principal.partyId,
      source: request.option === 'hand_back' ? 'buyback' : 'trade_in',
      acquisitionCostMinor: paidMinor,
      currency,
      ...(request.locationId ? { locationId: request.locationId } : {}),
    },
  };
}

// ---------------------------------------------------------------- record

export type StatementView = ReturnType<typeof statementView>;

/** The published statement: money in major units next to the currency. */
export function statementView(s: Statement, eventIds: Record<string, string>) {
  const m = (minor: number) => major(minor, s.currency);
  return {
    statementId: s.contractId,
    contractId: s.contractId,
    quoteId: s.quoteId,
    vin: s.vin,
    currency: s.currency,
    settledAt: s.settledAt,
    option: s.option,
    gfv: m(s.gfvMinor),
    odometerKm: s.odometerKm,
    odometerAtSaleKm: s.odometerAtSaleKm,
    allowanceKm: s.allowanceKm,
    excessKm: s.excessKm,
    excessCharge: m(s.excessChargeMinor),
    excessLines: s.excessLines.map((l) => ({
      fromKm: l.fromKm,
      toKm: l.toKm,
      km: l.km,
      ratePerKm: ratePerKmOf(l.rateMicro),
      amount: m(l.amountMinor),
    })),
    damageCharges: s.damageCharges.map((c) => ({ item: c.item, amount: m(c.amountMinor) })),
    missingItems: s.missingItems.map((c) => ({ item: c.item, amount: m(c.amountMinor) })),
    total: m(s.totalMinor),
    damageAssessment: s.damageAssessment.map((a) => ({
      item: a.item,
      type: a.type,
      withinFairWearAndTear: a.withinFairWearAndTear,
      reason: a.reason,
      basis: a.basis,
      amount: m(a.amountMinor),
    })),
    appraisal: s.appraisal,
    marketValue: s.marketValue
      ? {
          p10: m(s.marketValue.p10Minor),
          p50: m(s.marketValue.p50Minor),
          p90: m(s.marketValue.p90Minor),
          modelVersion: s.marketValue.modelVersion,
        }
      : null,
    marketValueNote: s.marketValueNote,
    equity: s.equity
      ? {
          tradeInValue: m(s.equity.tradeInValueMinor),
          amount: m(s.equity.amountMinor),
          available: s.equity.available,
        }
      : null,
    paid: m(s.paidMinor),
    returnConditions: s.returnConditions,
    inspection: s.inspection,
    eventIds,
  };
}

/**
 * Write the settlement (statement, contract status, its transition) inside the ledger append's
 * transaction; `eventIds` names the events the statement refers to.
 */
export async function recordSettlement(
  trx: Executor,
  plan: SettlementPlan,
  eventIds: Record<string, string>,
  clock: Clock = systemClock,
): Promise<StatementView> {
  const s = plan.statement;
  const view = statementView(s, eventIds);
  await repo.insertSettlement(trx, {
    contract_id: s.contractId,
    settled_at: s.settledAt,
    option: s.option,
    odometer_km: s.odometerKm,
    excess_km: s.excessKm,
    currency: s.currency,
    gfv_minor: s.gfvMinor,
    excess_charge_minor: s.excessChargeMinor,
    damage_minor: s.damageCharges.reduce((x, c) => x + c.amountMinor, 0),
    missing_minor: s.missingItems.reduce((x, c) => x + c.amountMinor, 0),
    total_minor: s.totalMinor,
    paid_minor: s.paidMinor,
    statement: JSON.stringify(view),
  });
  await repo.updateContractStatus(trx, s.contractId, {
    status: plan.transition.to,
    at: clock(),
    closedAt: s.settledAt,
    closeReason: s.option === 'hand_back' ? 'handed back' : 'part-exchanged at market value (equity kept)',
  });
  const eventId = eventIds.exercised ?? eventIds.declined ?? null;
  await recordTransition(
    trx,
    s.contractId,
    s.settledAt,
    plan.transition.from,
    plan.transition.to,
    eventId,
    s.option,
  );
  return view;
}

/** The statement of a settled contract (as published at settlement). */
export async function getStatement(db: Db, principal: Principal, contractId: string): Promise<StatementView> {
  requirePermission(principal, 'buyback:read');
  const contract = await repo.findContract(db.kysely, contractId);
  if (!contract) throw notFound('contract_not_found', `no buyback contract ${contractId}`);
  const row = await repo.findSettlement(db.kysely, contractId);
  if (!row)
    throw notFound('statement_not_found', `contract ${contractId} is not settled (state ${contract.status})`);
  return JSON.parse(row.statement) as StatementView;
}
