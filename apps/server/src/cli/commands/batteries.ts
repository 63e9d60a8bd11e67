import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import type { Db } from '../../db/database.ts';
import {
  batteryDossier,
  deployBattery,
  gradeBatteryByRules,
  gradingRules,
  handOverBattery,
  lotOriginOf,
  massBalance,
  produceBattery,
  recordSohTest,
  recoverLot,
  recycleBattery,
  recycledContent,
  reportHealth,
  repurposeBatteries,
  retireBattery,
} from '../../modules/batteries/index.ts';
import { localSubmitter } from '../../modules/ledger/index.ts';
import { localOperator } from '../../modules/parties/index.ts';
import {
  accessLevels,
  checkAccessLevel,
  declarePassport,
  exportBatteryPass,
  exportCatenax,
  markReported,
  passportQr,
  reportCsv,
  showPassport,
  traceabilityReport,
} from '../../modules/passports/index.ts';
import { systemClock } from '../../shared/clock.ts';
import { action, withDatabase, withDbOption } from '../context.ts';
import { printJson, UsageError } from '../output.ts';

type Opts = Record<string, unknown> & { json?: boolean; db?: string };

const collect = (value: string, previous: string[] = []) => [...previous, value];
/** A numeric flag; anything else is passed on so the schema names the field and the reason. */
const num = (v: unknown) => (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v);
const defined = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

function readJson(path: string, flag: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`${flag}: cannot read ${path} (${(error as Error).message})`);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    throw new UsageError(`${flag}: ${path} is not valid JSON`);
  }
}

/** The input object: --data JSON, --file JSON, or the flags. */
function inputOf(opts: Opts, fromFlags: () => Record<string, unknown>): unknown {
  if (typeof opts.data === 'string') {
    try {
      return JSON.parse(opts.data);
    } catch {
      throw new UsageError('--data is not valid JSON');
    }
  }
  if (typeof opts.file === 'string') return readJson(opts.file, '--file');
  return defined(fromFlags());
}

const now = (v: unknown) => (typeof v === 'string' ? v : systemClock());

function withInput(command: Command): Command {
  return withDbOption(
    command
      .option('--data <json>', 'the whole input as one JSON object (see examples/battery-*.json)')
      .option('--file <path>', 'the whole input from a JSON file')
      .option('--json', 'print one JSON document'),
  );
}

function print(opts: Opts, value: unknown, line: string) {
  if (opts.json) printJson(value);
  else process.stdout.write(`${line}\n`);
}

function run(work: (db: Db, opts: Opts, ...args: string[]) => Promise<void>) {
  return action(async (...args: unknown[]) => {
    const command = args.at(-1) as Command;
    const opts = command.opts() as Opts;
    const positional = args.slice(0, -2) as string[];
    await withDatabase(opts, (db) => work(db, opts, ...positional));
  });
}

function registerBatteryCommands(program: Command): void {
  const battery = program
    .command('battery')
    .description(
      'battery second life: SOH tests, grading, cascade products, deployment, recycling, recovered material',
    );

  withDbOption(
    battery.command('show <code>').description('a battery’s second-life dossier').option('--json'),
  ).action(
    run(async (db, opts, code) => {
      const d = await batteryDossier(db, localOperator, code!);
      print(
        opts,
        d,
        `${d.code} ${d.kind} ${d.state} SOH ${d.latestSoh?.sohPercent ?? '?'} % (${d.events.length} events)`,
      );
    }),
  );

  withInput(
    battery
      .command('test <code>')
      .description(
        'record an SOH test (measured vs rated capacity or energy, resistance, method, standard, tester)',
      )
      .option('--tested-at <time>', 'ISO 8601 UTC; default now')
      .option('--tester <party>', 'tester party id')
      .option('--method <m>', 'capacity_discharge|pulse_discharge|eis|bms_readout')
      .option('--standard <s>', 'e.g. "GB/T 34015-2017"')
      .option('--measured-kwh <kwh>')
      .option('--rated-kwh <kwh>', 'default: the registered rating')
      .option('--measured-ah <ah>')
      .option('--rated-ah <ah>')
      .option('--soh <percent>', 'only for a read-out (nothing measured here)')
      .option('--resistance-mohm <mohm>', 'internal resistance, mΩ')
      .option('--module-resistances <list>', 'comma-separated mΩ of each module or cell (gives the spread)')
      .option('--spread <percent>', 'resistance spread, %')
      .option('--finding <finding>', 'safety finding (repeatable)', collect),
  ).action(
    run(async (db, opts, code) => {
      const input = inputOf(opts, () => ({
        testedAt: now(opts.testedAt),
        testerPartyId: opts.tester,
        method: opts.method,
        standard: opts.standard,
        measuredEnergyKwh: num(opts.measuredKwh),
        ratedEnergyKwh: num(opts.ratedKwh),
        measuredCapacityAh: num(opts.measuredAh),
        ratedCapacityAh: num(opts.ratedAh),
        sohPercent: num(opts.soh),
        internalResistanceMilliohm: num(opts.resistanceMohm),
        moduleResistancesMilliohm:
          typeof opts.moduleResistances === 'string' ? opts.moduleResistances.split(',').map(num) : undefined,
        resistanceSpreadPercent: num(opts.spread),
        safetyFindings: opts.finding,
      }));
      const t = await recordSohTest(db, localSubmitter, code!, input);
      print(opts, t, `${code} SOH ${t.sohPercent} % (${t.sohBasis}), test ${t.id}`);
    }),
  );

  withInput(
    battery
      .command('grade <code>')
      .description('grade the latest SOH test by the rules; the grade keeps its reason')
      .option('--graded-at <time>', 'ISO 8601 UTC; default now')
      .option('--grader <party>', 'grader party id')
      .option('--test-id <id>', 'default: the latest test')
      .option('--rules <file>', 'a rule set (JSON) instead of the versioned default'),
  ).action(
    run(async (db, opts, code) => {
      const input = inputOf(opts, () => ({
        gradedAt: now(opts.gradedAt),
        graderPartyId: opts.grader,
        testId: opts.testId,
        rules: typeof opts.rules === 'string' ? readJson(opts.rules, '--rules') : undefined,
      }));
      const g = await gradeBatteryByRules(db, localSubmitter, code!, input);
      print(opts, g, `${code} grade ${g.grade} → ${g.route}: ${g.reason}`);
    }),
  );

  battery
    .command('rules')
    .description('print the versioned default grading rules')
    .option('--json')
    .action(action(async () => printJson(gradingRules())));

  withInput(
    battery
      .command('repurpose')
      .description(
        'make graded packs/modules into a cascade-use product with a new 19-character GB/T 34014 code',
      )
      .option('--new-code <code>', 'the product’s cascade-use code (19 characters)')
      .option('--source <code>', 'an original pack or module (repeatable)', collect)
      .option('--operator <party>', 'the repurposing enterprise')
      .option(
        '--application <a>',
        'energy_storage|base_station_backup|charging_station_buffer|low_speed_vehicle|other',
      )
      .option('--at <time>', 'ISO 8601 UTC; default now')
      .option('--energy-kwh <kwh>', 'new rated energy; default: the sources’ measured remaining energy')
      .option('--mass-kg <kg>', 'default: the sources’ mass'),
  ).action(
    run(async (db, opts) => {
      const input = inputOf(opts, () => ({
        newCode: opts.newCode,
        sourceCodes: opts.source,
        operatorPartyId: opts.operator,
        application: opts.application,
        repurposedAt: now(opts.at),
        ratedEnergyKwh: num(opts.energyKwh),
        massKg: num(opts.massKg),
      }));
      const p = await repurposeBatteries(db, localSubmitter, input);
      print(
        opts,
        p,
        `${p.code} (${p.kind}, ${p.ratedEnergyKwh} kWh) made from ${p.sources.map((s) => s.code).join(', ')}`,
      );
    }),
  );

  withInput(
    battery
      .command('deploy <code>')
      .description('deploy a cascade product at a site')
      .option('--site <id>')
      .option('--operator <party>')
      .option('--application <a>')
      .option('--at <time>', 'commissioning time; default now')
      .option('--usable-kwh <kwh>'),
  ).action(
    run(async (db, opts, code) => {
      const input = inputOf(opts, () => ({
        siteId: opts.site,
        operatorPartyId: opts.operator,
        application: opts.application,
        commissionedAt: now(opts.at),
        usableEnergyKwh: num(opts.usableKwh),
      }));
      const d = await deployBattery(db, localSubmitter, code!, input);
      print(opts, d, `${code} deployed at ${d.siteId} (${d.application}) from ${d.commissionedAt}`);
    }),
  );

  withInput(
    battery
      .command('health <code>')
      .description('a periodic health reading of a battery in service')
      .option('--soh <percent>')
      .option('--method <m>', 'bms|bench_test|third_party_report', 'bms')
      .option('--at <time>', 'default now'),
  ).action(
    run(async (db, opts, code) => {
      const input = inputOf(opts, () => ({
        sohPercent: num(opts.soh),
        method: opts.method,
        measuredAt: now(opts.at),
      }));
      const h = await reportHealth(db, localSubmitter, code!, input);
      print(opts, h, `${code} SOH ${h.sohPercent} % at ${h.measuredAt}`);
    }),
  );

  withInput(
    battery
      .command('retire <code>')
      .description('retire a battery from service')
      .option('--reason <r>', 'end_of_service|failed_test|damaged|recall')
      .option('--soh <percent>')
      .option('--at <time>', 'default now'),
  ).action(
    run(async (db, opts, code) => {
      const input = inputOf(opts, () => ({
        reason: opts.reason,
        sohPercent: num(opts.soh),
        retiredAt: now(opts.at),
      }));
      const r = await retireBattery(db, localSubmitter, code!, input);
      print(opts, r, `${code} retired (${r.reason}) at ${r.retiredAt}`);
    }),
  );

  const handOver = (purposeFixed?: string) =>
    run(async (db, opts, code) => {
      const input = inputOf(opts, () => ({
        fromPartyId: opts.from,
        toPartyId: opts.to ?? opts.recycler,
        purpose: purposeFixed ?? opts.purpose,
        handedOverAt: now(opts.at),
      }));
      const h = await handOverBattery(db, localSubmitter, code!, input);
      print(opts, h, `${code} handed from ${h.fromPartyId} to ${h.toPartyId} (${h.purpose})`);
    });
  withInput(
    battery
      .command('hand-over <code>')
      .description('custody passes to another enterprise')
      .option('--from <party>')
      .option('--to <party>')
      .option('--purpose <p>', 'testing|repurposing|recycling|storage')
      .option('--at <time>', 'default now'),
  ).action(handOver());
  withInput(
    battery
      .command('intake <code>')
      .description('intake at a recycler (a hand-over for recycling)')
      .option('--from <party>', 'the party handing it in')
      .option('--recycler <party>')
      .option('--at <time>', 'default now'),
  ).action(handOver('recycling'));

  withInput(
    battery
      .command('recycle <code>')
      .description('feed a battery into a recycling process; its passport ends (Art. 77(8))')
      .option('--recycler <party>')
      .option('--process <p>', 'hydrometallurgical|pyrometallurgical|direct|mechanical_pretreatment')
      .option('--input-mass-kg <kg>', 'default: the battery’s mass')
      .option('--batch <id>', 'recycling batch')
      .option('--at <time>', 'default now'),
  ).action(
    run(async (db, opts, code) => {
      const input = inputOf(opts, () => ({
        recyclerPartyId: opts.recycler,
        process: opts.process,
        inputMassKg: num(opts.inputMassKg),
        batchId: opts.batch,
        recycledAt: now(opts.at),
      }));
      const r = await recycleBattery(db, localSubmitter, code!, input);
      print(opts, r, `${code} recycled (${r.process}, ${r.inputMassKg} kg) at ${r.recycledAt}`);
    }),
  );

  withInput(
    battery
      .command('recover')
      .description(
        'record a recovered lot (black mass or an element) with its origin; checks the mass balance',
      )
      .option('--lot-id <id>', 'default: lot-<uuid>')
      .option(
        '--material <m>',
        'lithium|nickel|cobalt|manganese|copper|aluminium|graphite|iron|black_mass|steel|plastics|other',
      )
      .option('--form <f>', 'metal|carbonate|hydroxide|sulfate|oxide|powder|scrap')
      .option('--mass-kg <kg>', 'lot mass')
      .option('--element-mass-kg <kg>', 'element content; default: from the form’s stoichiometry')
      .option('--process <p>', 'hydrometallurgical|pyrometallurgical|direct|shredding')
      .option('--recycler <party>')
      .option('--source <code>', 'a recycled battery it came from (repeatable)', collect)
      .option('--batch <id>', 'every battery of a recycling batch')
      .option(
        '--from-lot <lotId>',
        'an intermediate lot (black mass) it was refined from (repeatable)',
        collect,
      )
      .option('--at <time>', 'default now'),
  ).action(
    run(async (db, opts) => {
      const input = inputOf(opts, () => ({
        lotId: opts.lotId,
        material: opts.material,
        form: opts.form,
        massKg: num(opts.massKg),
        elementMassKg: num(opts.elementMassKg),
        process: opts.process,
        recyclerPartyId: opts.recycler,
        sourceCodes: opts.source,
        batchId: opts.batch,
        inputLotIds: opts.fromLot,
        recoveredAt: now(opts.at),
      }));
      const lot = await recoverLot(db, localSubmitter, input);
      print(
        opts,
        lot,
        `${lot.lotId}: ${lot.massKg} kg ${lot.material} from ${lot.origin.map((o) => o.code).join(', ')}`,
      );
    }),
  );

  withDbOption(
    battery
      .command('balance [codes...]')
      .description('mass balance and recovery rates vs China 2024 规范条件 and EU Annex XII on a date')
      .option('--batch <id>')
      .option('--at <date>', 'YYYY-MM-DD; default: the recycling date')
      .option('--json'),
  ).action(
    action(async (codes: string[], opts: Opts) => {
      const balance = await withDatabase(opts, (db) =>
        massBalance(db, localOperator, {
          codes,
          ...(typeof opts.batch === 'string' ? { batchId: opts.batch } : {}),
          ...(typeof opts.at === 'string' ? { at: opts.at } : {}),
        }),
      );
      if (opts.json) printJson(balance);
      else
        for (const e of balance.elements)
          process.stdout.write(
            `${e.element.padEnd(10)} expected ${e.expectedKg ?? '-'} kg, recovered ${e.recoveredKg} kg, rate ${e.ratePercent ?? '-'} % (CN ${e.china.targetPercent ?? '-'} %: ${e.china.met ?? '-'}; EU ${e.eu.targetPercent ?? '-'} %: ${e.eu.met ?? '-'})\n`,
          );
    }),
  );

  withDbOption(
    battery.command('lot <lotId>').description('a recovered lot and its origin').option('--json'),
  ).action(
    run(async (db, opts, lotId) => {
      const lot = await lotOriginOf(db, localOperator, lotId!);
      print(
        opts,
        lot,
        `${lot.lotId}: ${lot.massKg} kg ${lot.material} from ${lot.origin.map((o) => o.batteryCode).join(', ')}`,
      );
    }),
  );

  withInput(
    battery
      .command('produce')
      .description('produce a new battery, optionally from recovered lots (recycled content)')
      .option('--code <code>', '24-character GB/T 34014 code')
      .option('--chemistry <c>', 'LFP|NCM|NCA|LMO|LCO|LTO|NiMH|sodium_ion|other')
      .option('--variant <v>', 'e.g. NMC811, for the expected material content')
      .option('--energy-kwh <kwh>')
      .option('--mass-kg <kg>')
      .option('--manufacturer <party>')
      .option('--component <code>', 'a module or cell it contains (repeatable)', collect)
      .option('--input <lot=kg>', 'recovered lot used and the kg of it (repeatable)', collect)
      .option('--at <time>', 'default now'),
  ).action(
    run(async (db, opts) => {
      const inputs = ((opts.input as string[] | undefined) ?? []).map((pair) => {
        const [lotId, kg] = pair.split('=');
        if (!lotId || kg === undefined) throw new UsageError(`--input ${pair}: expected <lotId>=<kg>`);
        return { lotId, massKg: num(kg) };
      });
      const input = inputOf(opts, () => ({
        code: opts.code,
        chemistry: opts.chemistry,
        chemistryVariant: opts.variant,
        nominalEnergyKwh: num(opts.energyKwh),
        massKg: num(opts.massKg),
        manufacturerPartyId: opts.manufacturer,
        producedAt: now(opts.at),
        componentCodes: opts.component,
        recycledInputs: inputs.length > 0 ? inputs : undefined,
      }));
      const r = await produceBattery(db, localSubmitter, input);
      print(
        opts,
        r,
        `${r.code}: ${r.shares.map((s) => `${s.material} ${s.postConsumerSharePercent} %`).join(', ')} recycled`,
      );
    }),
  );

  withDbOption(
    battery
      .command('recycled-content <code>')
      .description('recycled content from recovered lots (Art. 8)')
      .option('--json'),
  ).action(
    run(async (db, opts, code) => {
      const r = await recycledContent(db, localOperator, code!);
      print(opts, r, r.shares.map((s) => `${s.material} ${s.postConsumerSharePercent} %`).join(', '));
    }),
  );
}

function registerPassportCommands(program: Command): void {
  const passport = program
    .command('passport')
    .description('the EU battery passport (Battery Pass data model, Catena-X)');

  withDbOption(
    passport
      .command('show <batteryCode>')
      .description('the passport as an access level sees it; a recycled battery shows its end-of-life record')
      .option('--access <level>', accessLevels.join('|'), 'public')
      .option('--json'),
  ).action(
    run(async (db, opts, code) => {
      // One JSON document either way: the passport, or a recycled battery's end-of-life record.
      printJson(await showPassport(db, localOperator, code!, checkAccessLevel(opts.access as string)));
    }),
  );

  withDbOption(
    passport
      .command('export <batteryCode>')
      .description(
        'write the seven Battery Pass submodels (a directory) or the Catena-X form (a file), each schema-validated',
      )
      .option('--format <f>', 'batterypass|catenax', 'batterypass')
      .option('--out <path>', 'directory (batterypass) or file (catenax)')
      .option('--json', 'print the export report as JSON'),
  ).action(
    run(async (db, opts, code) => {
      if (typeof opts.out !== 'string') throw new UsageError('--out is required');
      const out = opts.out;
      if (opts.format === 'catenax') {
        const r = await exportCatenax(db, localOperator, code!);
        mkdirSync(dirname(out), { recursive: true });
        writeFileSync(out, `${JSON.stringify(r.document, null, 2)}\n`);
        const report = {
          batteryCode: code,
          format: 'catenax',
          written: [out],
          validation: [r.validation],
          dataGaps: r.dataGaps,
        };
        print(opts, report, `wrote ${out} (valid against ${r.validation.file})`);
        return;
      }
      if (opts.format !== 'batterypass') throw new UsageError('--format must be batterypass or catenax');
      const r = await exportBatteryPass(db, localOperator, code!);
      mkdirSync(out, { recursive: true });
      const written = Object.entries(r.documents).map(([name, document]) => {
        const file = join(out, `${name}.json`);
        writeFileSync(file, `${JSON.stringify(document, null, 2)}\n`);
        return file;
      });
      const report = {
        batteryCode: code,
        format: 'batterypass',
        written,
        validation: r.validation,
        dataGaps: r.dataGaps,
      };
      print(
        opts,
        report,
        `wrote ${written.length} submodels to ${out} (each valid against its newest schema)`,
      );
    }),
  );

  withDbOption(
    passport
      .command('qr <batteryCode>')
      .description('QR code (PNG and SVG) pointing at the public passport URL')
      .option('--out <dir>', 'directory for <code>.png and <code>.svg', '.')
      .option('--json'),
  ).action(
    run(async (db, opts, code) => {
      const dir = String(opts.out);
      mkdirSync(dir, { recursive: true });
      const png = await passportQr(db, code!, 'png');
      const svg = await passportQr(db, code!, 'svg');
      const files = [join(dir, `${code}.png`), join(dir, `${code}.svg`)];
      writeFileSync(files[0]!, png.png!);
      writeFileSync(files[1]!, svg.svg!);
      print(
        opts,
        { batteryCode: code, url: png.url, written: files },
        `wrote ${files.join(', ')} → ${png.url}`,
      );
    }),
  );

  withDbOption(
    passport
      .command('declare <batteryCode>')
      .description(
        'declare passport model data the log does not hold (see examples/battery-passport-declaration.json)',
      )
      .option('--file <path>', 'the declaration (JSON)')
      .option('--data <json>', 'the declaration inline')
      .option('--json'),
  ).action(
    run(async (db, opts, code) => {
      const input = inputOf(opts, () => {
        throw new UsageError('give --file or --data');
      });
      const r = await declarePassport(db, localOperator, code!, input);
      print(opts, r, `declared passport data for ${code} at ${r.declaredAt}`);
    }),
  );
}

function registerTraceabilityCommands(program: Command): void {
  const traceability = program
    .command('traceability')
    .description('China battery traceability (溯源) reporting: deadlines in working days and status');

  withDbOption(
    traceability
      .command('report')
      .description(
        'reportable events in a period with deadline, reported date and status (on_time|late|overdue|due_soon|pending)',
      )
      .requiredOption('--from <date>', 'YYYY-MM-DD (China date) or ISO time')
      .requiredOption('--to <date>', 'YYYY-MM-DD (inclusive) or ISO time')
      .option('--party <id>', 'only this party’s duties')
      .option('--format <f>', 'csv|json', 'json')
      .option('--as-of <time>', 'status as of this time; default now')
      .option('--out <file>', 'write the report here instead of stdout'),
  ).action(
    run(async (db, opts) => {
      if (opts.format !== 'csv' && opts.format !== 'json')
        throw new UsageError('--format must be csv or json');
      const rows = await traceabilityReport(db, localOperator, {
        from: String(opts.from),
        to: String(opts.to),
        ...(typeof opts.party === 'string' ? { party: opts.party } : {}),
        ...(typeof opts.asOf === 'string' ? { asOf: opts.asOf } : {}),
      });
      const text = opts.format === 'csv' ? reportCsv(rows) : `${JSON.stringify(rows, null, 2)}\n`;
      if (typeof opts.out === 'string') writeFileSync(opts.out, text);
      else process.stdout.write(text);
    }),
  );

  withDbOption(
    traceability
      .command('mark-reported')
      .description('record that reportable events were uploaded to the national traceability platform')
      .option('--event-id <id>', 'ledger event id (repeatable)', collect)
      .option('--battery <code>', 'every open duty of this battery')
      .option('--event <duty>', 'with --battery: only this duty, e.g. recycler_intake')
      .option('--at <time>', 'when it was uploaded; default now')
      .option('--reference <ref>', 'the platform’s receipt number')
      .option('--json'),
  ).action(
    run(async (db, opts) => {
      const rows = await markReported(
        db,
        localOperator,
        defined({
          eventIds: opts.eventId,
          batteryCode: opts.battery,
          event: opts.event,
          reportedAt: now(opts.at),
          reference: opts.reference,
        }),
      );
      print(opts, rows, rows.map((r) => `${r.event} ${r.batteryCode ?? ''} ${r.status}`).join('\n'));
    }),
  );
}

export function registerBatteriesCommands(program: Command): void {
  registerBatteryCommands(program);
  registerPassportCommands(program);
  registerTraceabilityCommands(program);
}
