/**
 * The guarantee's end, decided by the customer as a rational owner would: hand the car back when the
 * market would pay less than the GFV (the put is in the money), otherwise keep it — or trade it in to
 * the operator when there is equity. Settlement goes through the settle-and-stock workflow (buyback
 * statement, `vehicle.stocked`, the remarketing intake, one transaction); a kept car through
 * `declineBuyback`; an accident car's guarantee through `cancelContract` (accident exclusion).
 */
import { cancelContract, declineBuyback } from '../modules/buyback/index.ts';
import { DomainError } from '../shared/errors.ts';
import { settleAndStock } from '../workflows/settle-and-stock.ts';
import { marketValue } from './market.ts';
import { advanceOdometer, iso, type SimVehicle, schedule, sohOf, type World } from './world.ts';

/** What the car would fetch on `at` (CNY major units), by the world's market law. */
export function worthOn(v: SimVehicle, at: number): number {
  const km = advanceOdometer(v, at);
  return marketValue({
    spec: v.spec,
    modelYear: v.modelYear,
    at,
    odometerKm: km,
    damage: v.damage,
    idiosyncrasy: v.idiosyncrasy,
    ...(v.pack ? { soh: sohOf(v.pack, at, km) } : {}),
  });
}

function refused(world: World, error: unknown): void {
  if (!(error instanceof DomainError)) throw error;
  world.tally.refused[error.code] = (world.tally.refused[error.code] ?? 0) + 1;
}

export function scheduleContractEnd(
  world: World,
  v: SimVehicle,
  onStocked: (v: SimVehicle, at: number) => void,
): void {
  const contract = v.contract;
  if (!contract) return;
  schedule(world, contract.termEndAt, `contract-end-${v.n}`, async () => {
    // An accident car's guarantee is being voided (the exclusion): there is nothing to settle.
    if (v.status !== 'in_use' || v.contract !== contract || v.structuralDamage) return;
    const at = contract.termEndAt;
    const value = worthOn(v, at) * 100;
    const r = world.random.fork(`contract-end-${v.n}`);
    const inspection = {
      inspectedAt: iso(at),
      damage:
        v.damage > 0.01
          ? [
              {
                item: 'rear bumper scuffed through the paint',
                type: 'scratch' as const,
                sizeMm: 60,
                repairCost: '1200.00',
              },
            ]
          : [],
      missingItems: r.chance(0.05) ? ['key'] : [],
      ...(v.pack
        ? { sohPercent: Math.round(sohOf(v.pack, at, v.odometerKm) * 1000) / 10, stateOfChargePercent: 60 }
        : {}),
    };
    const settle = async (option: 'hand_back' | 'trade_in') => {
      const statement = await settleAndStock(world.db, world.cast.buyback, contract.id, {
        odometerKm: v.odometerKm,
        inspection,
        option,
        at: iso(at),
        locationId: 'yard:sim-central',
        dealerPartyId: world.cast.usedCars.principal.partyId,
      });
      world.tally.serviceCalls++;
      v.status = 'in_stock';
      v.contract = null;
      v.stockCostMinor = Math.round(
        Number((statement as { paid?: number }).paid ?? contract.gfvMinor / 100) * 100,
      );
      onStocked(v, at);
    };
    try {
      if (value < contract.gfvMinor) await settle('hand_back');
      else if (r.chance(world.config.sales.tradeInShareAtTermEnd)) {
        try {
          await settle('trade_in');
        } catch (error) {
          refused(world, error);
          await decline(world, v, at);
        }
      } else await decline(world, v, at);
    } catch (error) {
      refused(world, error);
    }
  });
}

async function decline(world: World, v: SimVehicle, at: number): Promise<void> {
  const option = world.random
    .fork(`decline-${v.n}`)
    .pick(['kept_paid_gfv', 'refinanced', 'part_exchanged'] as const);
  await declineBuyback(world.db, world.cast.buyback, v.contract!.id, { option, at: iso(at) });
  world.tally.serviceCalls++;
  v.contract = null;
}

/** Void the guarantee of an accident car (GB/T 30323 五级: the exclusion in the return conditions). */
export function scheduleAccidentExclusion(world: World, v: SimVehicle, at: number): void {
  const contract = v.contract;
  if (!contract) return;
  schedule(world, at, `cancel-${v.n}`, async () => {
    if (v.contract !== contract) return;
    try {
      await cancelContract(world.db, world.cast.buyback, contract.id, {
        reason: 'accident_exclusion',
        at: iso(Math.min(at, contract.termEndAt - 86_400_000)),
      });
      world.tally.serviceCalls++;
    } catch (error) {
      refused(world, error);
    }
    v.contract = null;
  });
}

export { refused };
