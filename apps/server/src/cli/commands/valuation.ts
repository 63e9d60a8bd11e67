import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { stringify } from 'csv-stringify/sync';
import { localOperator } from '../../modules/parties/index.ts';
import {
  activateModel,
  appraise,
  backtest,
  convertUkListings,
  defaultUkSoldAt,
  fitModelFrom,
  forecast,
  getActiveModel,
  type LearnedModel,
  learnedModelOf,
  listModels,
  parseCsvText,
  parseRow,
  parseSplit,
  registerModel,
  remarkPortfolio,
  remarkRequest,
  transactionsFrom,
  type VehicleFacts,
  valueRequest,
  valueVehicle,
} from '../../modules/valuation/index.ts';
import { invalid } from '../../shared/errors.ts';
import { currencyExponent } from '../../shared/money.ts';
import { action, withDatabase, withDbOption } from '../context.ts';
import { printJson, UsageError } from '../output.ts';

function readText(path: string, what: string): string {
  if (!existsSync(path)) throw new UsageError(`${what} ${path} does not exist`);
  return readFileSync(path, 'utf8');
}

function readJson(path: string, what: string): unknown {
  try {
    return JSON.parse(readText(path, what)) as unknown;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw invalid('invalid_json', `${what} ${path} is not valid JSON: ${(error as Error).message}`, [
      { field: what, message: 'not valid JSON' },
    ]);
  }
}

const say = (quiet: boolean | undefined, text: string) => {
  if (!quiet) process.stdout.write(`${text}\n`);
};
const pct = (v: number) => `${(v * 100).toFixed(2)}%`;

function reportRejected(rejected: Array<{ line: number; reason: string }>, limit = 50): void {
  for (const r of rejected.slice(0, limit)) process.stderr.write(`line ${r.line}: ${r.reason}\n`);
  if (rejected.length > limit)
    process.stderr.write(`… and ${rejected.length - limit} more rejected rows (see --json)\n`);
}

/** The model to predict with: a model file, else the active model of the database. */
async function modelFromOptions(
  opts: { model?: string; db?: string },
  currency?: string,
): Promise<LearnedModel> {
  if (opts.model) return learnedModelOf(readJson(opts.model, 'model'));
  const model = await withDatabase(opts, (db) => getActiveModel(db, currency));
  if (!model)
    throw invalid(
      'no_valuation_model',
      'no --model file given and no active model in the database: fit one with `carloop valuation fit --transactions <csv> --activate`',
      [{ field: '--model', message: 'required without an active model' }],
    );
  return model;
}

export function registerValuationCommands(program: Command): void {
  const valuation = program
    .command('valuation')
    .description('residual values: GB/T 30323 appraisal, learned models, valuations, forecasts, backtests');

  withDbOption(
    valuation
      .command('fit')
      .description('fit a learned model from interchange-format transactions; write it and/or register it')
      .requiredOption('--transactions <csv>', 'training transactions (interchange CSV)')
      .option('--out <model.json>', 'write the model artefact here')
      .option('--activate', 'register the model in the database and make it the active one of its currency')
      .option('--register', 'register the model in the database without activating it')
      .option('--no-comparables', 'do not keep the training sales as the comparable-sales pool')
      .option('--json', 'print one JSON report'),
  ).action(
    action(
      async (opts: {
        transactions: string;
        out?: string;
        activate?: boolean;
        register?: boolean;
        comparables: boolean;
        json?: boolean;
        db?: string;
      }) => {
        if (!opts.out && !opts.activate && !opts.register)
          throw new UsageError('give --out <model.json>, --activate or --register (or several)');
        const loaded = transactionsFrom({ csv: readText(opts.transactions, 'transactions file') });
        const onProgress =
          process.stderr.isTTY && !opts.json
            ? (stage: string) => process.stderr.write(`  ${stage}\n`)
            : undefined;
        const artefact = fitModelFrom(loaded, onProgress);
        if (opts.out) writeFileSync(opts.out, `${JSON.stringify(artefact)}\n`);
        let registered: unknown = null;
        if (opts.activate || opts.register) {
          registered = await withDatabase(opts, (db) =>
            registerModel(db, localOperator, artefact, {
              activate: Boolean(opts.activate),
              ...(opts.comparables ? { comparables: loaded.transactions } : {}),
            }),
          );
        }
        const report = {
          modelVersion: artefact.modelVersion,
          out: opts.out ?? null,
          registered: registered !== null,
          activated: Boolean(opts.activate),
          rows: loaded.rows,
          used: loaded.transactions.length,
          rejected: loaded.rejected,
          currency: artefact.currency,
          trees: artefact.gbm.trees.length,
          features: [...artefact.features.numeric, ...artefact.features.categorical],
          metrics: artefact.metrics,
        };
        if (opts.json) printJson(report);
        else {
          say(
            false,
            `model ${artefact.modelVersion} (${artefact.currency}): ${loaded.transactions.length} of ${loaded.rows} rows used, ${loaded.rejected.length} rejected, ${report.trees} trees, fitted in ${artefact.metrics.fit.seconds} s`,
          );
          const m = artefact.metrics.calibration;
          say(
            false,
            `held-out calibration rows (${m.n}): MAPE ${pct(m.mape)}, MdAPE ${pct(m.mdape)}, bias ${pct(m.bias)}, P10–P90 coverage ${pct(m.coverage80)}`,
          );
          if (opts.out) say(false, `written to ${opts.out}`);
          if (opts.activate) say(false, `registered and active for ${artefact.currency}`);
          else if (opts.register) say(false, 'registered (not active)');
        }
        reportRejected(opts.json ? [] : loaded.rejected);
        return 0;
      },
    ),
  );

  withDbOption(
    valuation
      .command('predict')
      .description('append value_p10,value_p50,value_p90 (and reason) to each row of a CSV, same order')
      .option('--model <model.json>', 'a model artefact (default: the active model in the database)')
      .requiredOption('--input <in.csv>', 'vehicles in the interchange format (price may be absent)')
      .requiredOption('--out <out.csv>', 'where to write the rows with their values')
      .option('--json', 'print one JSON report'),
  ).action(
    action(async (opts: { model?: string; input: string; out: string; json?: boolean; db?: string }) => {
      const table = parseCsvText(readText(opts.input, 'input file'));
      const facts: Array<VehicleFacts | null> = [];
      const reasons: string[] = [];
      for (const { line, cells } of table.rows) {
        const parsed = parseRow(cells, line, { requirePrice: false });
        facts.push(parsed.ok ? parsed.row : null);
        reasons.push(parsed.ok ? '' : parsed.reason);
      }
      const firstCurrency = facts.find((f) => f?.currency)?.currency;
      const model = await modelFromOptions(opts, firstCurrency);
      const started = performance.now();
      const valid = facts
        .map((f, i) => ({ f, i }))
        .filter((x): x is { f: VehicleFacts; i: number } => x.f !== null);
      const outcomes = model.predict(valid.map((x) => x.f));
      const seconds = (performance.now() - started) / 1000;
      const values: Array<[string, string, string]> = table.rows.map(() => ['', '', '']);
      const digits = currencyExponent(model.currency);
      valid.forEach(({ i }, k) => {
        const o = outcomes[k]!;
        if (o.ok)
          values[i] = [o.value.p10.toFixed(digits), o.value.p50.toFixed(digits), o.value.p90.toFixed(digits)];
        else reasons[i] = o.reason;
      });
      const header = [...table.header, 'value_p10', 'value_p50', 'value_p90', 'reason'];
      const rows = table.rows.map(({ cells }, i) => [
        ...table.header.map((h) => cells[h] ?? ''),
        ...values[i]!,
        reasons[i]!,
      ]);
      writeFileSync(opts.out, stringify([header, ...rows]));
      const refused = reasons.filter(Boolean).length;
      const report = {
        modelVersion: model.version,
        rows: rows.length,
        valued: rows.length - refused,
        refused,
        out: opts.out,
        rowsPerSecond: Math.round(valid.length / Math.max(seconds, 1e-9)),
      };
      if (opts.json) printJson(report);
      else
        say(
          false,
          `${opts.out}: ${report.valued} of ${report.rows} rows valued with ${model.version}; ${refused} with a reason instead of a value`,
        );
      return 0;
    }),
  );

  valuation
    .command('backtest')
    .description('fit on a split of the transactions and measure on the rest')
    .requiredOption('--transactions <csv>', 'all transactions (interchange CSV)')
    .option('--split <split>', 'random:<test fraction>:<seed> or time:<ISO date>', 'random:0.2:42')
    .option('--json', 'print one JSON report')
    .action(
      action(async (opts: { transactions: string; split: string; json?: boolean }) => {
        if (!parseSplit(opts.split))
          throw new UsageError(
            '--split is random:<test fraction>:<seed> (e.g. random:0.2:42) or time:<ISO date>',
          );
        const report = backtest(localOperator, {
          csv: readText(opts.transactions, 'transactions file'),
          split: opts.split,
        });
        if (opts.json) printJson(report);
        else {
          say(
            false,
            `${report.split}: trained on ${report.train}, tested on ${report.test} (${report.refused} refused), model ${report.modelVersion}`,
          );
          say(
            false,
            `MAPE ${pct(report.mape)}  MdAPE ${pct(report.mdape)}  bias ${pct(report.bias)}  P10–P90 coverage ${pct(report.coverage80)}  (hedonic base alone: MAPE ${pct(report.baseOnly.mape)})`,
          );
          for (const [title, groups] of [
            ['segment', report.bySegment],
            ['fuel', report.byFuel],
          ] as const) {
            for (const [k, m] of Object.entries(groups))
              say(
                false,
                `  ${title} ${k.padEnd(20)} n ${String(m.n).padStart(6)}  MAPE ${pct(m.mape)}  coverage ${pct(m.coverage80)}`,
              );
          }
          reportRejected(report.rejected);
        }
        return 0;
      }),
    );

  withDbOption(
    valuation
      .command('appraise')
      .description('score a GB/T 30323-2013 inspection: per category, total, grade, flags, trail (stored)')
      .requiredOption(
        '--inspection <inspection.json>',
        'the inspection (see examples/valuation-inspection.json)',
      )
      .option('--json', 'print one JSON document'),
  ).action(
    action(async (opts: { inspection: string; json?: boolean; db?: string }) => {
      const inspection = readJson(opts.inspection, 'inspection') as Parameters<typeof appraise>[2];
      const result = await withDatabase(opts, (db) => appraise(db, localOperator, inspection));
      if (opts.json) printJson(result);
      else {
        for (const c of result.categories)
          say(false, `${`${c.zh} ${c.en}`.padEnd(28)}${String(c.score).padStart(6)} / ${c.points}`);
        say(false, `total ${result.total}, grade ${result.grade} ${result.gradeLabel}`);
        for (const r of result.reasons) say(false, `  ${r}`);
        say(false, `stored as ${result.id}`);
      }
      return 0;
    }),
  );

  withDbOption(
    valuation
      .command('value')
      .description(
        'reconciled valuation of a vehicle (learned model, market comparison, replacement cost), stored',
      )
      .requiredOption('--request <request.json>', 'a ValuationRequest (see examples/valuation-request.json)')
      .option('--json', 'print one JSON document'),
  ).action(
    action(async (opts: { request: string; json?: boolean; db?: string }) => {
      const parsed = valueRequest.safeParse(readJson(opts.request, 'request'));
      if (!parsed.success)
        throw invalid(
          'invalid_request',
          'the valuation request failed validation',
          parsed.error.issues.map((i) => ({ field: i.path.join('.') || '(root)', message: i.message })),
        );
      const result = await withDatabase(opts, (db) => valueVehicle(db, localOperator, parsed.data));
      if (opts.json) printJson(result);
      else {
        say(false, result.explanation);
        say(false, `stored as ${result.id}`);
      }
      return 0;
    }),
  );

  withDbOption(
    valuation
      .command('forecast')
      .description('value distribution at a future date and odometer, from the active (or given) model')
      .requiredOption('--make <make>')
      .requiredOption('--model <model>')
      .requiredOption('--year <year>', 'model year')
      .requiredOption('--currency <code>')
      .requiredOption('--at <date>', 'ISO date, e.g. the term end')
      .requiredOption('--odometer-km <km>', 'odometer expected at that date')
      .option('--fuel <fuel>')
      .option('--transmission <transmission>')
      .option('--engine-l <litres>')
      .option('--new-price <amount>', 'new price, for the residual rate')
      .option('--soh <fraction>', 'battery state of health at that date, 0–1')
      .option('--model-version <version>', 'a registered model instead of the active one')
      .option('--json', 'print one JSON document'),
  ).action(
    action(async (opts: Record<string, string | boolean | undefined> & { db?: string }) => {
      const num = (name: string, v: unknown) => {
        if (v === undefined) return undefined;
        const n = Number(v);
        if (!Number.isFinite(n)) throw new UsageError(`--${name} must be a number`);
        return n;
      };
      const request = {
        make: String(opts.make),
        model: String(opts.model),
        year: num('year', opts.year)!,
        currency: String(opts.currency),
        atDate: String(opts.at),
        odometerKm: num('odometer-km', opts.odometerKm)!,
        ...(opts.fuel ? { fuel: String(opts.fuel) } : {}),
        ...(opts.transmission ? { transmission: String(opts.transmission) } : {}),
        ...(opts.engineL !== undefined ? { engineL: num('engine-l', opts.engineL)! } : {}),
        ...(opts.newPrice !== undefined ? { newPrice: num('new-price', opts.newPrice)! } : {}),
        ...(opts.soh !== undefined ? { soh: num('soh', opts.soh)! } : {}),
        ...(opts.modelVersion ? { modelVersion: String(opts.modelVersion) } : {}),
      };
      const result = await withDatabase(opts, (db) => forecast(db, localOperator, request));
      if (opts.json) printJson(result);
      else {
        say(
          false,
          `${request.year} ${request.make} ${request.model} at ${result.atDate}, ${request.odometerKm} km: P10 ${result.p10} P50 ${result.p50} P90 ${result.p90} ${result.currency} (model ${result.modelVersion})`,
        );
        for (const s of result.trail) say(false, `  ${s.step}: ${s.detail}`);
      }
      return 0;
    }),
  );

  withDbOption(
    valuation
      .command('remark')
      .description('re-mark a portfolio (interchange CSV of vehicles, optional id column) at a date')
      .requiredOption(
        '--portfolio <csv>',
        'vehicles: make,model,year,mileage_km,fuel,…; mileage is the odometer at --at',
      )
      .requiredOption('--at <date>', 'ISO date of the re-mark')
      .requiredOption('--currency <code>')
      .option('--out <csv>', 'write each vehicle’s values here')
      .option('--json', 'print one JSON document'),
  ).action(
    action(
      async (opts: {
        portfolio: string;
        at: string;
        currency: string;
        out?: string;
        json?: boolean;
        db?: string;
      }) => {
        const table = parseCsvText(readText(opts.portfolio, 'portfolio file'));
        const num = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : Number(v));
        const vehicles = table.rows.map(({ cells }) => {
          const v: Record<string, unknown> = {
            make: cells.make ?? '',
            model: cells.model ?? '',
            year: num(cells.year) ?? Number.NaN,
            odometerKm: num(cells.mileage_km) ?? Number.NaN,
          };
          if (cells.id) v.id = cells.id;
          for (const [col, key] of [
            ['fuel', 'fuel'],
            ['transmission', 'transmission'],
            ['body', 'body'],
            ['trim', 'trim'],
          ] as const)
            if (cells[col]) v[key] = cells[col];
          for (const [col, key] of [
            ['engine_l', 'engineL'],
            ['power_kw', 'powerKw'],
            ['new_price', 'newPrice'],
            ['soh', 'soh'],
          ] as const)
            if (num(cells[col]) !== undefined) v[key] = num(cells[col]);
          return v;
        });
        const parsed = remarkRequest.safeParse({ atDate: opts.at, currency: opts.currency, vehicles });
        if (!parsed.success)
          throw invalid(
            'invalid_portfolio',
            'the portfolio failed validation',
            parsed.error.issues.map((i) => ({
              field: i.path.join('.'),
              message: i.message,
              ...(typeof i.path[1] === 'number' ? { line: table.rows[i.path[1]]!.line } : {}),
            })),
          );
        const result = await withDatabase(opts, (db) => remarkPortfolio(db, localOperator, parsed.data));
        if (opts.out) {
          writeFileSync(
            opts.out,
            stringify([
              ['id', 'value_p10', 'value_p50', 'value_p90', 'reason'],
              ...result.vehicles.map((v) => [
                v.id ?? '',
                v.p10 ?? '',
                v.p50 ?? '',
                v.p90 ?? '',
                v.reason ?? '',
              ]),
            ]),
          );
        }
        if (opts.json) printJson(result);
        else
          say(
            false,
            `${result.valued} vehicles valued, ${result.refused} refused at ${result.atDate}: total P50 ${result.total.p50} ${result.currency} (P10 ${result.total.p10}, P90 ${result.total.p90}); stored as ${result.id}`,
          );
        return 0;
      },
    ),
  );

  withDbOption(
    valuation.command('models').description('the model registry').option('--json', 'print one JSON document'),
  ).action(
    action(async (opts: { json?: boolean; db?: string }) => {
      const models = await withDatabase(opts, (db) => listModels(db, localOperator, { limit: 500 }));
      if (opts.json) printJson({ models });
      else if (models.length === 0)
        say(false, 'no models: fit one with `carloop valuation fit --transactions <csv> --activate`');
      else
        for (const m of models) {
          const cal = (m.metrics as { calibration?: { mape: number; coverage80: number } }).calibration;
          say(
            false,
            `${m.active ? '*' : ' '} ${m.modelVersion}  ${m.currency}  ${m.rowsUsed} rows  registered ${m.registeredAt}${cal ? `  MAPE ${pct(cal.mape)} coverage ${pct(cal.coverage80)}` : ''}`,
          );
        }
      return 0;
    }),
  );

  withDbOption(
    valuation
      .command('register')
      .description('register a model file in the database')
      .requiredOption('--model <model.json>')
      .option('--activate', 'make it the active model of its currency')
      .option('--json', 'print one JSON document'),
  ).action(
    action(async (opts: { model: string; activate?: boolean; json?: boolean; db?: string }) => {
      const summary = await withDatabase(opts, (db) =>
        registerModel(db, localOperator, readJson(opts.model, 'model'), { activate: Boolean(opts.activate) }),
      );
      if (opts.json) printJson(summary);
      else say(false, `${summary.modelVersion} registered${summary.active ? ' and active' : ''}`);
      return 0;
    }),
  );

  withDbOption(
    valuation
      .command('activate <modelVersion>')
      .description('make a registered model the active one of its currency')
      .option('--json', 'print one JSON document'),
  ).action(
    action(async (modelVersion: string, opts: { json?: boolean; db?: string }) => {
      const summary = await withDatabase(opts, (db) => activateModel(db, localOperator, modelVersion));
      if (opts.json) printJson(summary);
      else say(false, `${summary.modelVersion} is the active ${summary.currency} model`);
      return 0;
    }),
  );

  valuation
    .command('convert-uk')
    .description('convert the UK 100k listing files (one CSV per make, miles, GBP) to the interchange format')
    .requiredOption('--dir <dir>', 'folder of the UK CSV files')
    .requiredOption('--out <file.csv>', 'interchange CSV to write')
    .option('--sold-at <date>', 'the sale date given to every row (the files have none)', defaultUkSoldAt)
    .option('--json', 'print one JSON report')
    .action(
      action(async (opts: { dir: string; out: string; soldAt: string; json?: boolean }) => {
        if (!existsSync(opts.dir)) throw new UsageError(`--dir ${opts.dir} does not exist`);
        if (!/^\d{4}-\d{2}-\d{2}$/.test(opts.soldAt))
          throw new UsageError('--sold-at must be an ISO date, e.g. 2020-07-01');
        const { csv, report } = convertUkListings(opts.dir, opts.soldAt);
        writeFileSync(opts.out, csv);
        if (opts.json) printJson({ ...report, out: opts.out });
        else
          say(
            false,
            `${report.rows} rows from ${report.files.length} files written to ${opts.out} (sold_at ${report.soldAt} for every row: the files carry no date)`,
          );
        return 0;
      }),
    );
}
