import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import {
  builtInProducts,
  cancelContract,
  contractMarks,
  contractStates,
  declineBuyback,
  expireContracts,
  getContract,
  getQuote,
  getRemark,
  getStatement,
  issueContract,
  listContracts,
  portfolioExposure,
  quoteGuarantee,
  quotePdf,
  readProductFile,
  remarkHistory,
  remarkPortfolio,
  returnConditionsByRef,
  statementPdf,
} from '../../modules/buyback/index.ts';
import { localSubmitter } from '../../modules/ledger/index.ts';
import { localOperator } from '../../modules/parties/index.ts';
import { createServices } from '../../services.ts';
import { settleAndStock } from '../../workflows/settle-and-stock.ts';
import { action, withDatabase, withDbOption } from '../context.ts';
import { numericFlag as num, readJsonFile } from '../input.ts';
import { printJson, UsageError } from '../output.ts';

type Opts = Record<string, string | boolean | undefined> & { json?: boolean; db?: string };

/** A numeric flag as a number when it looks like one; otherwise as given, so validation names it. */

const defined = (record: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));

const m = (amount: number, currency: string) => `${amount} ${currency}`;

export function registerBuybackCommands(program: Command): void {
  const buyback = program
    .command('buyback')
    .description('guaranteed future value (保值回购): quotes, contracts, settlement, portfolio risk');

  withDbOption(
    buyback
      .command('quote')
      .description('quote a guaranteed future value for a new vehicle (needs a fitted valuation model)')
      .requiredOption('--make <make>')
      .requiredOption('--model <model>')
      .requiredOption('--year <year>', 'model year')
      .requiredOption(
        '--fuel <fuel>',
        'petrol|diesel|hybrid|plug-in hybrid|electric (or ice|hev|phev|bev|erev|fcev)',
      )
      .requiredOption('--new-price <amount>', 'major units, e.g. 259800.00')
      .requiredOption('--currency <code>', 'ISO 4217, e.g. CNY')
      .requiredOption('--term-months <n>', '12–60')
      .requiredOption('--km-per-year <km>', 'annual distance (rounded up to the product band)')
      .option('--soh <fraction>', 'EV battery state of health at sale, 0–1')
      .option('--trim <trim>')
      .option('--transmission <t>')
      .option('--engine-l <litres>')
      .option('--product <id>', 'built-in product id (see `buyback products`)')
      .option('--product-file <file>', 'a product definition (e.g. examples/buyback-product.json)')
      .option('--at <time>', 'quote date, ISO 8601 UTC; default now')
      .option('--pdf <file>', 'also write the printable quote (PDF, 中文/English)')
      .option('--json', 'print one JSON object'),
  ).action(
    action(async (opts: Opts) => {
      if (opts.product && opts.productFile)
        throw new UsageError('give --product or --product-file, not both');
      const request = defined({
        make: opts.make,
        model: opts.model,
        year: num(opts.year),
        fuel: opts.fuel,
        newPrice: opts.newPrice,
        currency: opts.currency,
        termMonths: num(opts.termMonths),
        kmPerYear: num(opts.kmPerYear),
        soh: num(opts.soh),
        trim: opts.trim,
        transmission: opts.transmission,
        engineL: num(opts.engineL),
        product: opts.product,
        productDefinition:
          typeof opts.productFile === 'string' ? readProductFile(opts.productFile) : undefined,
        at: opts.at,
      });
      const quote = await withDatabase(opts, (db) => quoteGuarantee(db, localOperator, request));
      if (typeof opts.pdf === 'string') writeFileSync(opts.pdf, await quotePdf(quote));
      if (opts.json) printJson(quote);
      else
        process.stdout.write(
          `quote ${quote.quoteId}: GFV ${m(quote.gfv, quote.currency)} (${(quote.gfvPercent * 100).toFixed(1)} % of new) after ${quote.termMonths} months / ${quote.allowanceKm} km; expected cost ${m(quote.expectedCost, quote.currency)}; valid until ${quote.validUntil}\n`,
        );
    }),
  );

  withDbOption(
    buyback
      .command('contract')
      .description(
        'issue a contract from a quote at the sale (registers the vehicle if it is new to the platform)',
      )
      .requiredOption('--quote <quoteId>')
      .requiredOption('--vin <vin>')
      .option('--sold-at <time>', 'time of sale, ISO 8601 UTC; default now')
      .option('--sale-price <amount>', 'price paid; default the quoted new price')
      .option('--buyer <ref>', "opaque buyer reference (never a person's name)")
      .option('--odometer-km <km>', 'odometer at delivery')
      .option('--json', 'print one JSON object'),
  ).action(
    action(async (opts: Opts) => {
      const contract = await withDatabase(opts, (db) =>
        issueContract(
          db,
          localSubmitter,
          defined({
            quoteId: opts.quote,
            vin: opts.vin,
            soldAt: opts.soldAt,
            salePrice: opts.salePrice,
            buyerRef: opts.buyer,
            odometerKm: num(opts.odometerKm),
          }),
          { assetHooks: createServices(db).assetHooks },
        ),
      );
      if (opts.json) printJson(contract);
      else
        process.stdout.write(
          `contract ${contract.contractId} on ${contract.vin}: GFV ${m(contract.gfv, contract.currency)} at ${contract.termEndAt.slice(0, 10)}, window ${contract.exerciseWindow.opensAt.slice(0, 10)}–${contract.exerciseWindow.closesAt.slice(0, 10)} (${contract.state})\n`,
        );
    }),
  );

  withDbOption(
    buyback
      .command('settle')
      .description('settle a returned car from its return inspection and take it into used-car stock')
      .requiredOption('--contract <id>')
      .requiredOption('--odometer-km <km>')
      .requiredOption(
        '--inspection <file>',
        'return inspection JSON (see examples/buyback-return-inspection.json)',
      )
      .option('--option <o>', 'hand-back (default) or trade-in (when the market value beats the GFV)')
      .option('--at <time>', 'time of the hand-back, ISO 8601 UTC; default now')
      .option('--location <id>', 'where the car is stocked')
      .option('--dealer <partyId>', 'who holds the stock; default the local operator')
      .option('--pdf <file>', 'also write the statement (PDF, 中文/English)')
      .option('--json', 'print one JSON object'),
  ).action(
    action(async (opts: Opts) => {
      const option = typeof opts.option === 'string' ? opts.option.replace('-', '_') : undefined;
      const request = defined({
        odometerKm: num(opts.odometerKm),
        inspection: readJsonFile(String(opts.inspection), 'inspection'),
        option,
        at: opts.at,
        locationId: opts.location,
        dealerPartyId: opts.dealer,
      });
      const statement = await withDatabase(opts, (db) =>
        settleAndStock(db, localSubmitter, String(opts.contract), request),
      );
      if (typeof opts.pdf === 'string') writeFileSync(opts.pdf, await statementPdf(statement));
      if (opts.json) printJson(statement);
      else
        process.stdout.write(
          `settled ${statement.contractId}: GFV ${m(statement.gfv, statement.currency)} − excess ${m(statement.excessCharge, statement.currency)} − damage and missing items = ${m(statement.total, statement.currency)}; paid ${m(statement.paid, statement.currency)}; ${statement.vin} is in stock\n`,
        );
    }),
  );

  withDbOption(
    buyback
      .command('statement <contractId>')
      .description('the settlement statement of a settled contract')
      .option('--pdf <file>', 'write it as PDF')
      .option('--json', 'print one JSON object'),
  ).action(
    action(async (contractId: string, opts: Opts) => {
      const statement = await withDatabase(opts, (db) => getStatement(db, localOperator, contractId));
      if (typeof opts.pdf === 'string') writeFileSync(opts.pdf, await statementPdf(statement));
      if (opts.json || typeof opts.pdf !== 'string') printJson(statement);
    }),
  );

  withDbOption(
    buyback
      .command('decline')
      .description('the customer keeps the car in the exercise window')
      .requiredOption('--contract <id>')
      .requiredOption('--option <o>', 'kept_paid_gfv|refinanced|part_exchanged')
      .option('--at <time>')
      .option('--json', 'print one JSON object'),
  ).action(
    action(async (opts: Opts) => {
      const contract = await withDatabase(opts, (db) =>
        declineBuyback(
          db,
          localSubmitter,
          String(opts.contract),
          defined({ option: opts.option, at: opts.at }),
        ),
      );
      if (opts.json) printJson(contract);
      else process.stdout.write(`contract ${contract.contractId} is ${contract.state}\n`);
    }),
  );

  withDbOption(
    buyback
      .command('cancel')
      .description('void a contract before its end')
      .requiredOption('--contract <id>')
      .requiredOption('--reason <r>', 'accident_exclusion|sale_reversed|customer_request|other')
      .option('--note <text>')
      .option('--at <time>')
      .option('--json', 'print one JSON object'),
  ).action(
    action(async (opts: Opts) => {
      const contract = await withDatabase(opts, (db) =>
        cancelContract(
          db,
          localSubmitter,
          String(opts.contract),
          defined({ reason: opts.reason, note: opts.note, at: opts.at }),
        ),
      );
      if (opts.json) printJson(contract);
      else process.stdout.write(`contract ${contract.contractId} is ${contract.state}\n`);
    }),
  );

  withDbOption(
    buyback
      .command('expire')
      .description('record the expiry of every contract whose exercise window closed unused')
      .option('--at <time>')
      .option('--json', 'print one JSON object'),
  ).action(
    action(async (opts: Opts) => {
      const result = await withDatabase(opts, (db) =>
        expireContracts(db, localSubmitter, defined({ at: opts.at })),
      );
      if (opts.json) printJson(result);
      else {
        process.stdout.write(`expired ${result.expired.length} contract(s)\n`);
        for (const f of result.failed) process.stdout.write(`  not expired ${f.contractId}: ${f.reason}\n`);
      }
      return result.failed.length > 0 ? 1 : 0;
    }),
  );

  withDbOption(
    buyback
      .command('show <contractId>')
      .description('one contract with its history')
      .option('--json', 'JSON object'),
  ).action(
    action(async (contractId: string, opts: Opts) => {
      printJson(await withDatabase(opts, (db) => getContract(db, localOperator, contractId)));
    }),
  );

  withDbOption(
    buyback
      .command('show-quote <quoteId>')
      .description('one quote')
      .option('--pdf <file>', 'write the printable quote')
      .option('--json', 'JSON object'),
  ).action(
    action(async (quoteId: string, opts: Opts) => {
      const quote = await withDatabase(opts, (db) => getQuote(db, localOperator, quoteId));
      if (typeof opts.pdf === 'string') writeFileSync(opts.pdf, await quotePdf(quote));
      if (opts.json || typeof opts.pdf !== 'string') printJson(quote);
    }),
  );

  withDbOption(
    buyback
      .command('list')
      .description('contracts, by state')
      .option('--state <s>', contractStates.join('|'))
      .option('--vin <vin>')
      .option('--limit <n>', 'page size', '50')
      .option('--after <id>', 'cursor: the last id of the previous page')
      .option('--json', 'JSON array'),
  ).action(
    action(async (opts: Opts) => {
      const state = opts.state as (typeof contractStates)[number] | undefined;
      if (state !== undefined && !contractStates.includes(state))
        throw new UsageError(`--state must be one of ${contractStates.join(', ')}`);
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new UsageError('--limit must be 1–500');
      const rows = await withDatabase(opts, (db) =>
        listContracts(db, localOperator, {
          ...(state ? { state } : {}),
          ...(typeof opts.vin === 'string' ? { vin: opts.vin } : {}),
          ...(typeof opts.after === 'string' ? { after: opts.after } : {}),
          limit,
        }),
      );
      if (opts.json) printJson(rows);
      else
        for (const c of rows)
          process.stdout.write(
            `${c.contractId}  ${c.vin}  ${c.state.padEnd(11)}  GFV ${m(c.gfv, c.currency)}  ends ${c.termEndAt.slice(0, 10)}\n`,
          );
    }),
  );

  withDbOption(
    buyback
      .command('portfolio')
      .description('exposure of the open book by cohort; with --stress, under a stress scenario')
      .option('--stress <scenario.json>', 'a stress scenario (see examples/buyback-stress.json)')
      .option('--at <time>', 'as of; default now')
      .option('--json', 'print one JSON object'),
  ).action(
    action(async (opts: Opts) => {
      const scenario = typeof opts.stress === 'string' ? readJsonFile(opts.stress, 'stress') : undefined;
      const report = await withDatabase(opts, (db) =>
        portfolioExposure(db, localOperator, defined({ at: opts.at, scenario })),
      );
      if (opts.json) printJson(report);
      else {
        if (report.totals.length === 0) process.stdout.write(`no open contracts at ${report.asOf}\n`);
        for (const t of report.totals) {
          const stressed =
            'stressed' in t && t.stressed
              ? `; stressed expected loss ${m(t.stressed.expectedLoss, t.currency)}`
              : '';
          process.stdout.write(
            `${t.currency}: ${t.contracts} contract(s), GFV ${m(t.totalGfv, t.currency)}, P50 ${m(t.forecastP50, t.currency)}, expected loss ${m(t.expectedLoss, t.currency)}${stressed}\n`,
          );
        }
      }
    }),
  );

  withDbOption(
    buyback
      .command('remark')
      .description('re-mark the open book with the active valuation model (kept as history)')
      .option('--at <time>', 'as of; default now')
      .option('--json', 'print one JSON object'),
  ).action(
    action(async (opts: Opts) => {
      const run = await withDatabase(opts, (db) =>
        remarkPortfolio(db, localOperator, defined({ at: opts.at })),
      );
      if (opts.json) printJson(run);
      else
        process.stdout.write(
          `re-mark ${run.remarkId}: ${run.contracts} contract(s) marked, ${run.refused} refused\n`,
        );
    }),
  );

  withDbOption(
    buyback
      .command('remarks')
      .description('history of re-marks: the runs, one run (--remark) or one contract (--contract)')
      .option('--remark <id>')
      .option('--contract <id>')
      .option('--limit <n>', 'runs to show', '50')
      .option('--json', 'print one JSON document'),
  ).action(
    action(async (opts: Opts) => {
      if (opts.remark && opts.contract) throw new UsageError('give --remark or --contract, not both');
      const result = await withDatabase(
        opts,
        (db): Promise<unknown> =>
          typeof opts.remark === 'string'
            ? getRemark(db, localOperator, opts.remark)
            : typeof opts.contract === 'string'
              ? contractMarks(db, localOperator, opts.contract)
              : remarkHistory(db, localOperator, { limit: Number(opts.limit) || 50 }),
      );
      printJson(result);
    }),
  );

  buyback
    .command('products')
    .description('the built-in buyback products')
    .option('--json', 'JSON array')
    .action(
      action(async () => {
        printJson(builtInProducts());
      }),
    );

  buyback
    .command('conditions [ref]')
    .description('return conditions (fair wear and tear, missing items, accident exclusion) as data')
    .option('--json', 'JSON object')
    .action(
      action(async (ref: string | undefined) => {
        printJson(returnConditionsByRef(ref ?? 'fair-wear-and-tear@1', 'ref'));
      }),
    );
}
