/**
 * Workflow: a guaranteed car comes back → it is settled → it enters used-car stock.
 *
 * Spans two modules (buyback now, remarketing — issue 6 — next), so it lives here as a few named
 * steps around ONE ledger append: the hand-back (or part-exchange) event, `vehicle.stocked`, any
 * appraisal, the buyback module's rows and every intake step's rows commit together or not at all.
 *
 *   1. checkReturnAndWorkOutStatement  buyback.prepareSettlement (refusals happen here, before any write)
 *   2. stockIntakeEvent                 the `vehicle.stocked` event (the vehicle's state becomes in_stock)
 *   3. appendAndProject                 ledger append; inside its transaction:
 *        recordSettlement                 the statement, the contract's new state
 *        ...intakeSteps                   what the stock side records about the new stock car
 *
 * Remarketing hooks in through `StockIntakeStep`: a function given the transaction and a
 * `StockIntake` (VIN, acquisition cost, source, the statement, the event ids) that writes its own
 * tables (intake record, reconditioning plan, …). Add it to `defaultStockIntakeSteps` below (or pass
 * `intakeSteps`), and it runs in the same transaction as the settlement.
 */
import type { Db } from '../db/database.ts';
import type { Executor } from '../db/transaction.ts';
import {
  type BuybackOptions,
  prepareSettlement,
  recordSettlement,
  type SettlementPlan,
  type StatementView,
} from '../modules/buyback/index.ts';
import { appendEvents, type EventInput, type Submitter } from '../modules/ledger/index.ts';
import { recordBuybackIntake } from '../modules/remarketing/index.ts';
import { type Clock, systemClock } from '../shared/clock.ts';

/** The car as it enters used-car stock: what an intake step needs to know. */
export interface StockIntake {
  vin: string;
  stockedAt: string;
  dealerPartyId: string;
  source: 'buyback' | 'trade_in';
  acquisitionCost: { amountMinor: number; currency: string };
  locationId: string | null;
  contractId: string;
  /** The settlement statement as published (GB/T 30323 appraisal, damage found, market value). */
  statement: StatementView;
  /** Event ids: `exercised` or `declined` (+ `odometer`), `stocked`, and `appraised` when there was one. */
  eventIds: Record<string, string>;
}

/** One step of the stock side, run inside the settlement's transaction. */
export type StockIntakeStep = (trx: Executor, intake: StockIntake) => Promise<void>;

/** Intake steps every settlement runs. Remarketing (issue 6) registers its intake here. */
export const defaultStockIntakeSteps: StockIntakeStep[] = [recordBuybackIntake];

export interface SettleAndStockOptions extends BuybackOptions {
  intakeSteps?: readonly StockIntakeStep[];
}

/** Step 2: the `vehicle.stocked` event of the returned car. */
export function stockIntakeEvent(plan: SettlementPlan): EventInput {
  return {
    type: 'vehicle.stocked',
    subject: { kind: 'vehicle', id: plan.contract.vin },
    occurredAt: plan.stock.at,
    payload: {
      stockedAt: plan.stock.at,
      dealerPartyId: plan.stock.dealerPartyId,
      source: plan.stock.source,
      acquisitionCost: { amountMinor: plan.stock.acquisitionCostMinor, currency: plan.stock.currency },
      ...(plan.stock.locationId ? { locationId: plan.stock.locationId } : {}),
    },
  };
}

/** Which event id is which, in the order the events were appended. */
function namedEventIds(events: EventInput[], ids: string[]): Record<string, string> {
  const names: Record<string, string> = {
    'vehicle.buyback_exercised': 'exercised',
    'vehicle.buyback_declined': 'declined',
    'vehicle.odometer_read': 'odometer',
    'vehicle.stocked': 'stocked',
    'vehicle.appraised': 'appraised',
  };
  return Object.fromEntries(events.map((e, i) => [names[e.type] ?? e.type, ids[i]!]));
}

/**
 * Settle a returned car and take it into used-car stock, in one transaction. Returns the statement
 * (the JSON document; the PDF is rendered from it).
 */
export async function settleAndStock(
  db: Db,
  submitter: Submitter,
  contractId: string,
  request: unknown,
  options: SettleAndStockOptions = {},
): Promise<StatementView> {
  const clock: Clock = options.clock ?? systemClock;
  const plan = await prepareSettlement(db, submitter, contractId, request, options);
  const events = [...plan.events, stockIntakeEvent(plan), ...plan.afterStock];
  const steps = options.intakeSteps ?? defaultStockIntakeSteps;
  let statement: StatementView | undefined;
  await appendEvents(db, submitter, events, {
    clock,
    project: async (trx, { eventIds }) => {
      const named = namedEventIds(events, eventIds);
      statement = await recordSettlement(trx, plan, named, clock);
      const intake: StockIntake = {
        vin: plan.contract.vin,
        stockedAt: plan.stock.at,
        dealerPartyId: plan.stock.dealerPartyId,
        source: plan.stock.source,
        acquisitionCost: { amountMinor: plan.stock.acquisitionCostMinor, currency: plan.stock.currency },
        locationId: plan.stock.locationId ?? null,
        contractId: plan.contract.id,
        statement,
        eventIds: named,
      };
      for (const step of steps) await step(trx, intake);
    },
  });
  return statement!;
}
