import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { localSubmitter } from '../../modules/ledger/index.ts';
import { localOperator } from '../../modules/parties/index.ts';
import {
  appraiseStockVehicle,
  cancelWorkOrder,
  completeWorkOrder,
  decideVehicle,
  decisionPdf,
  delistVehicle,
  getStockItem,
  intakeVehicle,
  listStock,
  listVehicle,
  listWorkOrders,
  openWorkOrder,
  type PriceTables,
  parsePriceTables,
  priceTables,
  priceVehicle,
  realisedSales,
  reconditioningPlan,
  recordDisclosure,
  releaseReservation,
  reserveVehicle,
  salesCsv,
  sellVehicle,
  stockAgeing,
  updateDocuments,
} from '../../modules/remarketing/index.ts';
import { createServices } from '../../services.ts';
import { action, withDatabase, withDbOption } from '../context.ts';
import { definedFields as defined, numericFlag as num, readJsonFile } from '../input.ts';
import { printJson, UsageError } from '../output.ts';

type Opts = Record<string, string | boolean | undefined> & { json?: boolean; db?: string };

/** A numeric flag as a number when it looks like one; otherwise as given, so validation names it. */

const list = (value: unknown) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : undefined;

function tablesOption(opts: Opts): { tables?: PriceTables } {
  return typeof opts.prices === 'string'
    ? { tables: parsePriceTables(readJsonFile(opts.prices, 'prices')) }
    : {};
}

const say = (text: string) => process.stdout.write(`${text}\n`);

function stockLine(item: { vin: string; state: string; daysInStock: number; source: string }) {
  return `${item.vin}  ${item.state.padEnd(14)} ${String(item.daysInStock).padStart(4)} d  ${item.source}`;
}

export function registerRemarketingCommands(program: Command): void {
  const rm = program
    .command('remarketing')
    .description(
      'used-car operations: intake, appraisal, reconditioning, pricing, sale, disposition decision',
    );

  withDbOption(
    rm
      .command('intake')
      .description('take a car into used-car stock (buyback cars are stocked automatically at settlement)')
      .requiredOption('--vin <vin>')
      .requiredOption('--source <source>', 'buyback|trade-in|purchase')
      .option('--acquisition-cost <amount>', 'what was paid, major units')
      .option('--currency <code>', 'ISO 4217, e.g. CNY')
      .option(
        '--documents <list>',
        'comma-separated: registration_certificate,driving_licence,purchase_invoice,…',
      )
      .option('--keys <n>', 'keys handed over')
      .option('--odometer-km <km>', 'odometer reading at intake')
      .option('--location <id>', 'yard or lot id')
      .option('--dealer <partyId>', 'the dealer taking it in (default: the operator)')
      .option('--stocked-at <time>', 'ISO 8601 UTC, default now')
      .option('--make <make>', 'a car the platform does not know: its make')
      .option('--model <model>')
      .option('--model-year <year>')
      .option('--powertrain <p>', 'ice|hev|phev|bev|erev|fcev')
      .option('--new-price <amount>')
      .option('--json', 'print one JSON object'),
  ).action(
    action(async (opts: Opts) => {
      const vehicle =
        opts.make || opts.model || opts.powertrain
          ? defined({
              make: opts.make,
              model: opts.model,
              modelYear: num(opts.modelYear),
              powertrain: opts.powertrain,
              newPrice: opts.newPrice,
              currency: opts.newPrice ? opts.currency : undefined,
            })
          : undefined;
      const input = defined({
        vin: opts.vin,
        source: opts.source,
        acquisitionCost: opts.acquisitionCost,
        currency: opts.currency,
        documents: list(opts.documents),
        keys: num(opts.keys),
        odometerKm: num(opts.odometerKm),
        locationId: opts.location,
        dealerPartyId: opts.dealer,
        stockedAt: opts.stockedAt,
        vehicle,
      });
      const item = await withDatabase(opts, (db) =>
        intakeVehicle(db, localSubmitter, input, { assetHooks: createServices(db).assetHooks }),
      );
      if (opts.json) printJson(item);
      else say(`in stock: ${stockLine(item)}`);
    }),
  );

  withDbOption(
    rm
      .command('stock')
      .description('the cars in used-car stock with their state')
      .option('--state <state>', 'in_stock|reconditioning|listed|reserved|sold|wholesaled|dismantle|all')
      .option('--json', 'print one JSON document'),
  ).action(
    action(async (opts: Opts) => {
      const items = await withDatabase(opts, (db) =>
        listStock(db, localOperator, { state: typeof opts.state === 'string' ? opts.state : undefined }),
      );
      if (opts.json) printJson(items);
      else for (const i of items) say(stockLine(i));
    }),
  );

  withDbOption(
    rm
      .command('show <vin>')
      .description('one stock car with its history, appraisal, work orders, price')
      .option('--json'),
  ).action(
    action(async (vin: string, opts: Opts) => {
      const item = await withDatabase(opts, (db) => getStockItem(db, localOperator, vin));
      if (opts.json) printJson(item);
      else say(stockLine(item));
    }),
  );

  withDbOption(
    rm
      .command('documents')
      .description('record the papers and keys handed over')
      .requiredOption('--vin <vin>')
      .requiredOption('--documents <list>', 'comma-separated document codes')
      .option('--keys <n>')
      .option('--json'),
  ).action(
    action(async (opts: Opts) => {
      const item = await withDatabase(opts, (db) =>
        updateDocuments(
          db,
          localOperator,
          String(opts.vin),
          defined({ documents: list(opts.documents) ?? [], keys: num(opts.keys) }),
        ),
      );
      if (opts.json) printJson(item);
      else say(`documents: ${item.documents.join(', ')}; keys ${item.keys}`);
    }),
  );

  withDbOption(
    rm
      .command('disclose')
      .description('record that accident, flood or fire was disclosed to buyers')
      .requiredOption('--vin <vin>')
      .option('--accident')
      .option('--flood')
      .option('--fire')
      .option('--note <text>')
      .option('--json'),
  ).action(
    action(async (opts: Opts) => {
      const item = await withDatabase(opts, (db) =>
        recordDisclosure(
          db,
          localOperator,
          String(opts.vin),
          defined({ accident: opts.accident, flood: opts.flood, fire: opts.fire, note: opts.note }),
        ),
      );
      if (opts.json) printJson(item);
      else say(`disclosed: ${JSON.stringify(item.disclosed)}`);
    }),
  );

  withDbOption(
    rm
      .command('appraise')
      .description('GB/T 30323 appraisal (inspection JSON) with accident/flood/fire and the EV battery check')
      .requiredOption('--vin <vin>')
      .requiredOption('--inspection <file>', 'inspection JSON (see examples/remarketing-inspection.json)')
      .requiredOption('--odometer-km <km>')
      .option('--soh <percent>', 'battery state of health, % (EVs)')
      .option('--soh-method <m>', 'bms|bench_test|third_party_report', 'bms')
      .option('--pack-code <code>', 'the traction pack measured')
      .option('--value <amount>', "appraiser's retail value if the engine cannot value the car")
      .option('--json'),
  ).action(
    action(async (opts: Opts) => {
      const input = defined({
        inspection: readJsonFile(String(opts.inspection), 'inspection'),
        odometerKm: num(opts.odometerKm),
        battery:
          opts.soh !== undefined
            ? defined({ sohPercent: num(opts.soh), method: opts.sohMethod, packCode: opts.packCode })
            : undefined,
        value: opts.value,
      });
      const result = await withDatabase(opts, (db) =>
        appraiseStockVehicle(db, localSubmitter, String(opts.vin), input),
      );
      if (opts.json) printJson(result);
      else
        say(
          `score ${result.score}, grade ${result.grade} (${result.gradeLabel}); retail ${result.retail} ${result.currency}`,
        );
    }),
  );

  const recondition = rm
    .command('recondition')
    .description('reconditioning work orders and the plan that pays back');
  withDbOption(
    recondition
      .command('plan')
      .description('the recommended reconditioning plan (only what pays back)')
      .requiredOption('--vin <vin>')
      .option('--prices <file>', 'another version of the price table')
      .option('--json'),
  ).action(
    action(async (opts: Opts) => {
      const plan = await withDatabase(opts, (db) =>
        reconditioningPlan(db, localOperator, String(opts.vin), tablesOption(opts)),
      );
      if (opts.json) printJson(plan);
      else say(plan.explanation);
    }),
  );
  withDbOption(
    recondition
      .command('open')
      .description('open a work order from the recommended plan (--plan) or from items (--items file.json)')
      .requiredOption('--vin <vin>')
      .option('--plan', 'open the recommended plan')
      .option('--items <file>', 'JSON array of {description, finding?, parts, labour, days, points?}')
      .option('--note <text>')
      .option('--json'),
  ).action(
    action(async (opts: Opts) => {
      if (Boolean(opts.plan) === (typeof opts.items === 'string'))
        throw new UsageError('give exactly one of --plan and --items <file>');
      const input = defined({
        fromPlan: opts.plan ? true : undefined,
        items: typeof opts.items === 'string' ? readJsonFile(opts.items, 'items') : undefined,
        note: opts.note,
      });
      const order = await withDatabase(opts, (db) =>
        openWorkOrder(db, localOperator, String(opts.vin), input),
      );
      if (opts.json) printJson(order);
      else
        say(
          `work order ${order.id}: ${order.items.length} item(s), ${order.cost} ${order.currency}, ${order.days} day(s)`,
        );
    }),
  );
  withDbOption(
    recondition
      .command('complete <id>')
      .description('complete a work order (vehicle.reconditioned)')
      .option('--actual-cost <amount>')
      .option('--odometer-km <km>')
      .option('--completed-at <time>')
      .option('--json'),
  ).action(
    action(async (id: string, opts: Opts) => {
      const order = await withDatabase(opts, (db) =>
        completeWorkOrder(
          db,
          localSubmitter,
          id,
          defined({
            actualCost: opts.actualCost,
            odometerKm: num(opts.odometerKm),
            completedAt: opts.completedAt,
          }),
        ),
      );
      if (opts.json) printJson(order);
      else say(`work order ${order.id} completed`);
    }),
  );
  withDbOption(recondition.command('cancel <id>').option('--note <text>').option('--json')).action(
    action(async (id: string, opts: Opts) => {
      const order = await withDatabase(opts, (db) =>
        cancelWorkOrder(db, localOperator, id, typeof opts.note === 'string' ? opts.note : undefined),
      );
      if (opts.json) printJson(order);
      else say(`work order ${order.id} cancelled`);
    }),
  );
  withDbOption(recondition.command('list').requiredOption('--vin <vin>').option('--json')).action(
    action(async (opts: Opts) => {
      const orders = await withDatabase(opts, (db) => listWorkOrders(db, localOperator, String(opts.vin)));
      if (opts.json) printJson(orders);
      else
        for (const o of orders)
          say(`${o.id}  ${o.status}  ${o.cost} ${o.currency}  ${o.items.length} item(s)`);
    }),
  );

  withDbOption(
    rm
      .command('price')
      .description('retail and wholesale from the valuation engine; asking price aged by days in stock')
      .requiredOption('--vin <vin>')
      .option('--grace-days <n>', 'days before the first markdown')
      .option('--decay-rate <r>', 'markdown per 30 days after the grace period, e.g. 0.03')
      .option('--floor <ratio>', 'lowest asking price as a share of retail, e.g. 0.85')
      .option('--as-of <time>')
      .option('--json'),
  ).action(
    action(async (opts: Opts) => {
      const result = await withDatabase(opts, (db) =>
        priceVehicle(
          db,
          localOperator,
          String(opts.vin),
          defined({
            graceDays: num(opts.graceDays),
            ratePer30Days: num(opts.decayRate),
            floorRatio: num(opts.floor),
            asOf: opts.asOf,
          }),
        ),
      );
      if (opts.json) printJson(result);
      else say(result.explanation);
    }),
  );

  withDbOption(
    rm
      .command('list')
      .description('list the car for sale (or re-price it)')
      .requiredOption('--vin <vin>')
      .option('--channel <c>', 'online|retail_lot|auction', 'online')
      .option('--price <amount>', 'default: the aged asking price')
      .option('--currency <code>')
      .option('--json'),
  ).action(
    action(async (opts: Opts) => {
      const item = await withDatabase(opts, (db) =>
        listVehicle(
          db,
          localSubmitter,
          String(opts.vin),
          defined({ channel: opts.channel, price: opts.price, currency: opts.currency }),
        ),
      );
      if (opts.json) printJson(item);
      else say(`listed ${item.vin} at ${item.listing?.price} ${item.listing?.currency}`);
    }),
  );

  withDbOption(
    rm
      .command('delist')
      .description('withdraw the car from sale')
      .requiredOption('--vin <vin>')
      .option('--reason <r>', 'price_review|reconditioning|withdrawn|disposition_change', 'withdrawn')
      .option('--json'),
  ).action(
    action(async (opts: Opts) => {
      const item = await withDatabase(opts, (db) =>
        delistVehicle(db, localSubmitter, String(opts.vin), { reason: opts.reason }),
      );
      if (opts.json) printJson(item);
      else say(`delisted ${item.vin}`);
    }),
  );

  withDbOption(
    rm
      .command('reserve')
      .description('hold the car for one buyer')
      .requiredOption('--vin <vin>')
      .requiredOption('--holder <partyId>', 'opaque id of the buyer (no personal data)')
      .option('--days <n>', 'default 7')
      .option('--until <time>')
      .option('--deposit <amount>')
      .option('--currency <code>')
      .option('--json'),
  ).action(
    action(async (opts: Opts) => {
      const item = await withDatabase(opts, (db) =>
        reserveVehicle(
          db,
          localSubmitter,
          String(opts.vin),
          defined({
            holderPartyId: opts.holder,
            days: num(opts.days),
            until: opts.until,
            deposit: opts.deposit,
            currency: opts.currency,
          }),
        ),
      );
      if (opts.json) printJson(item);
      else say(`reserved ${item.vin} until ${item.reservation?.until}`);
    }),
  );

  withDbOption(
    rm
      .command('release')
      .description('release the reservation')
      .requiredOption('--vin <vin>')
      .option('--json'),
  ).action(
    action(async (opts: Opts) => {
      const item = await withDatabase(opts, (db) =>
        releaseReservation(db, localSubmitter, String(opts.vin), {}),
      );
      if (opts.json) printJson(item);
      else say(`released ${item.vin}`);
    }),
  );

  withDbOption(
    rm
      .command('sell')
      .description('sell the car (vehicle.resold or vehicle.wholesaled with the realised price)')
      .requiredOption('--vin <vin>')
      .requiredOption('--price <amount>', 'major units')
      .requiredOption('--currency <code>', 'ISO 4217')
      .requiredOption('--channel <c>', 'retail|wholesale')
      .option('--buyer <partyId>', 'opaque buyer id (default: a new customer id)')
      .option('--reservation <id>', 'sell to the holder of this reservation')
      .option('--trade-channel <c>', 'wholesale: auction|trade_buyer|export')
      .option('--sold-at <time>')
      .option('--json'),
  ).action(
    action(async (opts: Opts) => {
      const result = await withDatabase(opts, (db) =>
        sellVehicle(
          db,
          localSubmitter,
          String(opts.vin),
          defined({
            price: opts.price,
            currency: opts.currency,
            channel: opts.channel,
            buyerPartyId: opts.buyer,
            reservationId: opts.reservation,
            tradeChannel: opts.tradeChannel,
            soldAt: opts.soldAt,
          }),
        ),
      );
      if (opts.json) printJson(result);
      else say(result.explanation);
    }),
  );

  withDbOption(
    rm
      .command('decide')
      .description('disposition decision: retail vs wholesale vs dismantle, with breakdowns and reasons')
      .requiredOption('--vin <vin>')
      .option('--commit', 'record the decision in the log (dismantle: the car leaves every sales channel)')
      .option('--route <r>', 'with --commit: take this allowed route instead of the chosen one')
      .option('--as-of <time>')
      .option('--prices <file>', 'another version of the price table')
      .option('--pdf <file>', 'also write the decision as a PDF for sign-off')
      .option('--json'),
  ).action(
    action(async (opts: Opts) => {
      const decision = await withDatabase(opts, (db) =>
        decideVehicle(
          db,
          localSubmitter,
          String(opts.vin),
          defined({ commit: opts.commit ? true : undefined, route: opts.route, asOf: opts.asOf }),
          tablesOption(opts),
        ),
      );
      if (typeof opts.pdf === 'string') writeFileSync(opts.pdf, await decisionPdf(decision));
      if (opts.json) printJson(decision);
      else {
        for (const r of decision.routes)
          say(
            `${r.route.padEnd(10)} ${String(r.expectedNet).padStart(14)} ${r.currency}  ${r.allowed ? 'allowed' : `blocked: ${r.blockedBy.join(', ')}`}`,
          );
        say(`chosen: ${decision.chosen}`);
        for (const reason of decision.reasons) say(`- ${reason}`);
      }
    }),
  );

  withDbOption(
    rm
      .command('ageing')
      .description('stock ageing by days in stock')
      .option('--as-of <time>')
      .option('--json'),
  ).action(
    action(async (opts: Opts) => {
      const view = await withDatabase(opts, (db) =>
        stockAgeing(db, localOperator, typeof opts.asOf === 'string' ? { asOf: opts.asOf } : {}),
      );
      if (opts.json) printJson(view);
      else for (const b of view.bands) say(`${b.band.padEnd(6)} ${b.count}`);
    }),
  );

  withDbOption(
    rm
      .command('sales')
      .description('realised sales in the valuation interchange CSV (feed it to valuation fit)')
      .option('--from <date>')
      .option('--to <date>')
      .option('--channel <c>', 'retail|wholesale|all', 'retail')
      .option('--out <file>', 'write the CSV here (default: stdout)')
      .option('--json', 'JSON rows instead of CSV'),
  ).action(
    action(async (opts: Opts) => {
      if (!['retail', 'wholesale', 'all'].includes(String(opts.channel)))
        throw new UsageError('--channel must be retail, wholesale or all');
      const result = await withDatabase(opts, (db) =>
        realisedSales(db, localOperator, {
          from: typeof opts.from === 'string' ? opts.from : undefined,
          to: typeof opts.to === 'string' ? opts.to : undefined,
          channel: opts.channel as 'retail',
        }),
      );
      if (opts.json) return printJson(result);
      const csv = salesCsv(result.transactions);
      if (typeof opts.out === 'string') {
        writeFileSync(opts.out, csv);
        say(
          `${result.transactions.length} sale(s) written to ${opts.out}${result.skipped.length ? `; ${result.skipped.length} left out (no year or odometer)` : ''}`,
        );
      } else process.stdout.write(csv);
    }),
  );

  rm.command('tables')
    .description('the versioned price tables and legal gates')
    .option('--json')
    .action(
      action(async (opts: Opts) => {
        const tables = priceTables(localOperator);
        if (opts.json) printJson(tables);
        else
          say(
            `${tables.prices.table}@${tables.prices.version}, ${tables.gates.table}@${tables.gates.version}`,
          );
      }),
    );
}
