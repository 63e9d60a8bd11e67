/**
 * The loop report: one document of how the whole loop is doing, read through the other modules'
 * public faces only — asset counts (assets), the log's money and mass facts (ledger scan), ISO 22628
 * rates of dismantled vehicles (dismantling), element recovery of recycled batteries (batteries).
 */
import type { Db } from '../../db/database.ts';
import { systemClock } from '../../shared/clock.ts';
import { countAssets } from '../assets/index.ts';
import { massBalance } from '../batteries/index.ts';
import { periodRates } from '../dismantling/index.ts';
import { currentCheckpoint, scanEvents } from '../ledger/index.ts';
import { type Principal, requirePermission } from '../parties/index.ts';
import {
  avoidedEmissions,
  guaranteePerformance,
  LoopLedger,
  reportedEventTypes,
  valueCaptured,
  vehiclesByStage,
} from './reports.model.ts';

/** Reading the loop report: the platform operator, regulators and auditors (every payload is read). */
export const loopReportPermission = 'payload:read-all';

export async function loopReport(db: Db, principal: Principal) {
  requirePermission(principal, loopReportPermission);
  const generatedAt = systemClock();
  const counts = await countAssets(db, principal);
  const kind = (k: string) => counts.byKind[k] ?? { total: 0, byState: {} };
  const ledger = new LoopLedger();
  await scanEvents(db, principal, reportedEventTypes, (e) => {
    if (e.payload) ledger.add(e.type, e.subject.id, e.payload);
  });
  const checkpoint = await currentCheckpoint(db);
  const vehicleRates = await periodRates(db, principal, '2000-01-01', generatedAt.slice(0, 10));
  const batteryBalance =
    ledger.recycledBatteries.length > 0
      ? await massBalance(db, principal, { codes: ledger.recycledBatteries, at: generatedAt.slice(0, 10) })
      : null;
  return {
    generatedAt,
    ledger: { size: checkpoint.size, rootHash: checkpoint.rootHash },
    vehicles: vehiclesByStage(kind('vehicle').byState),
    batteries: {
      packs: kind('battery-pack'),
      modules: kind('battery-module'),
      cells: kind('battery-cell'),
    },
    parts: kind('part'),
    materialLots: kind('material-lot'),
    valueCaptured: valueCaptured(ledger),
    guaranteePerformance: guaranteePerformance(ledger),
    recoveryRates: {
      vehicles: {
        standard: 'ISO 22628 / GB/T 19515 (reuse + recycling, + energy recovery)',
        ...vehicleRates,
      },
      batteryElements: batteryBalance
        ? {
            batteries: batteryBalance.batteries.length,
            checkedOn: batteryBalance.checkedOn,
            elements: batteryBalance.elements,
          }
        : { batteries: 0, elements: [] },
    },
    avoidedEmissions: avoidedEmissions(ledger),
  };
}

export type LoopReport = Awaited<ReturnType<typeof loopReport>>;
