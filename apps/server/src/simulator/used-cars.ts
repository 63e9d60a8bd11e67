/**
 * A car in used-car stock (after a buyback hand-back or a trade-in), through the remarketing module:
 * the transfer papers recorded, any accident disclosed, the disposition decided (retail, wholesale or
 * dismantle — the module's own rule, committed to the log), then listed and sold to a retail buyer at
 * the market's price, sold to the trade at auction (and registered again by the trade buyer's
 * customer), or sent to a dismantler.
 */
import { appendEvents } from '../modules/ledger/index.ts';
import {
  decideVehicle,
  listVehicle,
  recordDisclosure,
  sellVehicle,
  updateDocuments,
} from '../modules/remarketing/index.ts';
import { refused, worthOn } from './guarantees.ts';
import { DAY_MS, iso, type SimVehicle, schedule, type World } from './world.ts';

export function scheduleUsedCar(
  world: World,
  v: SimVehicle,
  stockedAt: number,
  onDismantle: (v: SimVehicle, at: number) => void,
): void {
  schedule(world, stockedAt + 7 * DAY_MS, `used-${v.n}-${stockedAt}`, async () => {
    try {
      await remarket(world, v, stockedAt + 7 * DAY_MS, onDismantle);
    } catch (error) {
      refused(world, error);
    }
  });
}

async function remarket(
  world: World,
  v: SimVehicle,
  at: number,
  onDismantle: (v: SimVehicle, at: number) => void,
) {
  const operator = world.cast.usedCars;
  const r = world.random.fork(`used-${v.n}-${at}`);
  const call = () => world.tally.serviceCalls++;
  await updateDocuments(world.db, operator.principal, v.vin, {
    documents: ['registration_certificate', 'driving_licence', 'service_history'],
    keys: 2,
  });
  call();
  if (v.damage > 0) {
    await recordDisclosure(world.db, operator.principal, v.vin, {
      accident: true,
      note: 'accident history from the log disclosed to buyers',
      disclosedAt: iso(at),
    });
    call();
  }
  const decision = await decideVehicle(world.db, operator, v.vin, { asOf: iso(at), commit: true });
  call();
  const route: string = decision.route ?? 'retail';
  if (route === 'dismantle') {
    onDismantle(v, at + 5 * DAY_MS);
    return;
  }
  const value = Math.round(worthOn(v, at));
  if (route === 'wholesale') {
    const soldAt = at + r.uniform(3, 15) * DAY_MS;
    await sellVehicle(world.db, operator, v.vin, {
      price: Math.round(value * r.uniform(0.8, 0.9)),
      currency: 'CNY',
      channel: 'wholesale',
      tradeChannel: 'auction',
      buyerPartyId: `trade:sim-${r.int(1, 40)}`,
      soldAt: iso(soldAt),
    });
    call();
    v.status = 'sold_to_trade';
    schedule(world, soldAt + 20 * DAY_MS, `re-registered-${v.n}-${soldAt}`, async () => {
      const dealer = world.cast.dealers[v.dealer]!;
      const when = iso(soldAt + 20 * DAY_MS);
      await appendEvents(world.db, dealer, [
        {
          type: 'vehicle.registered',
          subject: { kind: 'vehicle', id: v.vin },
          occurredAt: when,
          payload: { registeredAt: when, region: 'CN-32', useClass: 'private' },
        },
      ]);
      call();
      v.status = 'in_use';
    });
    return;
  }
  const listedAt = at + r.uniform(5, 20) * DAY_MS;
  await listVehicle(world.db, operator, v.vin, {
    channel: 'online',
    price: Math.round(value * 1.05),
    currency: 'CNY',
    listedAt: iso(listedAt),
  });
  call();
  const soldAt = listedAt + r.uniform(10, 60) * DAY_MS;
  schedule(world, soldAt, `resale-${v.n}-${soldAt}`, async () => {
    try {
      await sellVehicle(world.db, operator, v.vin, {
        price: Math.round(worthOn(v, soldAt) * r.uniform(0.98, 1.08)),
        currency: 'CNY',
        channel: 'retail',
        buyerPartyId: `customer:sim-r${v.n.toString(36)}-${Math.round(soldAt / DAY_MS).toString(36)}`,
        soldAt: iso(soldAt),
      });
      call();
      v.status = 'in_use';
    } catch (error) {
      refused(world, error);
    }
  });
}
