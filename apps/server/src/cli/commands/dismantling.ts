import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import {
  certificateDocument,
  certificatePdf,
  deregisterVehicle,
  dismantlingReport,
  eraseOwnerData,
  euElvReport,
  euReportCsv,
  handOverBattery,
  harvestVehicle,
  intakeFlags,
  intakeVehicle,
  partLabelPdf,
  periodRates,
  pretreatVehicle,
  releasePart,
  reportCsv,
  reservePart,
  searchStock,
  sellPart,
  setFacility,
  vehicleDossier,
  weighBatch,
  weighVehicle,
} from '../../modules/dismantling/index.ts';
import { localSubmitter } from '../../modules/ledger/index.ts';
import { localOperator } from '../../modules/parties/index.ts';
import { action, type DbOptions, withDatabase, withDbOption } from '../context.ts';
import { readJsonFile } from '../input.ts';
import { printJson, UsageError } from '../output.ts';

type Opts = DbOptions & Record<string, unknown>;

/** A JSON input file (checklist, harvest, materials); a bad file is refused naming the file. */

const list = (value: unknown) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];

function numberOf(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== 'string' || value.trim() === '' || !Number.isFinite(n))
    throw new UsageError(`${flag} must be a number, got "${String(value)}"`);
  return n;
}

function out(opts: Opts, doc: unknown, human: string) {
  if (opts.json) printJson(doc);
  else process.stdout.write(`${human}\n`);
}

const defined = (record: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));

/** The intake record from flags (and an optional --file, which the flags override). */
function intakeFromOptions(opts: Opts): Record<string, unknown> {
  const base =
    typeof opts.file === 'string' ? (readJsonFile(opts.file, '--file') as Record<string, unknown>) : {};
  const flags = list(opts.flags);
  const unknownFlag = flags.find((f) => !(intakeFlags as readonly string[]).includes(f));
  if (unknownFlag) throw new UsageError(`--flags: "${unknownFlag}" is not one of ${intakeFlags.join(', ')}`);
  const documents = opts.documents !== undefined ? list(opts.documents) : undefined;
  const owner = defined({
    name: opts.ownerName,
    idType: opts.ownerIdType,
    idNumber: opts.ownerId,
    address: opts.ownerAddress,
    nationality: opts.ownerNationality,
  });
  const photos = (opts.photo as string[] | undefined)?.map((p) => {
    const match = /^(exterior|vin|engine_number|other)=(.+)$/.exec(p);
    if (!match)
      throw new UsageError(
        `--photo must be kind=uri (kind: exterior, vin, engine_number, other), got "${p}"`,
      );
    return { kind: match[1], uri: match[2] };
  });
  return {
    ...base,
    ...defined({
      vin: opts.vin,
      massKg: numberOf(opts.massKg, '--mass-kg'),
      receivedAt: opts.receivedAt,
      flags: flags.length > 0 ? flags : undefined,
      missingItems: opts.missing !== undefined ? list(opts.missing) : undefined,
      make: opts.make,
      model: opts.model,
      modelYear: numberOf(opts.modelYear, '--model-year'),
      powertrain: opts.powertrain,
      vehicleClass: opts.vehicleClass,
      engineNumber: opts.engineNumber,
      firstRegisteredOn: opts.firstRegisteredOn,
      packCode: opts.packCode,
      siteId: opts.site,
      certificateNumber: opts.certificateNumber,
      plateNumber: opts.plate,
      registrationCountry: opts.registrationCountry,
      owner: Object.keys(owner).length > 0 ? owner : undefined,
      documents:
        documents !== undefined
          ? {
              registrationCertificate: documents.includes('registration-certificate'),
              drivingLicence: documents.includes('driving-licence'),
              platesReturned:
                numberOf(opts.platesReturned, '--plates-returned') ?? (documents.includes('plates') ? 2 : 0),
            }
          : undefined,
      photos,
    }),
  };
}

export function registerDismantlingCommands(program: Command): void {
  const d = program
    .command('dismantling')
    .description(
      'end-of-life vehicles: intake and certificate, pre-treatment, harvest, stock, materials, reports',
    );

  withDbOption(
    d
      .command('facility')
      .description('your treatment facility as printed on certificates (EU CoD items 1–2)')
      .requiredOption('--name <name>')
      .option('--address <address>')
      .option('--permit <number>', 'qualification / permit number')
      .option('--authority-name <name>', 'authority that permitted the facility')
      .option('--authority-address <address>')
      .option(
        '--country <code>',
        'ISO 3166-1 alpha-2; CN issues 回收证明, others a Certificate of Destruction',
        'CN',
      )
      .option('--json', 'JSON document'),
  ).action(
    action(async (opts: Opts) => {
      const view = await withDatabase(opts, (db) =>
        setFacility(
          db,
          localOperator,
          defined({
            name: opts.name,
            address: opts.address,
            permitNumber: opts.permit,
            authorityName: opts.authorityName,
            authorityAddress: opts.authorityAddress,
            country: opts.country,
          }),
        ),
      );
      out(opts, view, `facility ${view.name} (${view.country})`);
    }),
  );

  withDbOption(
    d
      .command('intake')
      .description('receive an ELV and issue its recycling certificate, or refuse it (exit 1, refused: true)')
      .requiredOption('--vin <vin>')
      .option('--mass-kg <kg>', 'vehicle mass at intake (required)')
      .option('--flags <list>', `refusal checks, comma-separated: ${intakeFlags.join(',')}`)
      .option('--received-at <time>', 'ISO 8601 UTC; default now')
      .option(
        '--missing <items>',
        'other missing items: steering_gear,transmission,front_axle,rear_axle,exhaust_aftertreatment',
      )
      .option('--make <make>', 'as on the registration certificate (a VIN new to the platform)')
      .option('--model <model>')
      .option('--model-year <year>')
      .option('--powertrain <p>', 'ice|hev|phev|bev|erev|fcev')
      .option('--vehicle-class <c>', 'M1|N1|… (default M1)')
      .option('--engine-number <n>')
      .option('--first-registered-on <date>', 'YYYY-MM-DD')
      .option('--pack-code <code>', 'traction pack received (required for a new-energy vehicle)')
      .option('--site <id>')
      .option(
        '--certificate-number <n>',
        'number printed by the national system; default ELV-<year>-<sequence>',
      )
      .option('--owner-name <name>', 'personal data: kept off the log, erasable')
      .option('--owner-id-type <t>', 'resident_id|passport|uscc|other')
      .option('--owner-id <number>')
      .option('--owner-address <address>')
      .option('--owner-nationality <n>')
      .option('--plate <number>', 'registration plate (kept off the log)')
      .option('--registration-country <code>', 'nationality mark, e.g. CN')
      .option('--documents <list>', 'taken back: registration-certificate,driving-licence,plates')
      .option('--plates-returned <n>')
      .option(
        '--photo <kind=uri>',
        'photo reference (repeatable): exterior=…, vin=…',
        (v: string, acc: string[] = []) => [...acc, v],
      )
      .option('--file <intake.json>', 'the whole intake as JSON (flags override it)')
      .option('--json', 'JSON document'),
  ).action(
    action(async (opts: Opts) => {
      const input = intakeFromOptions(opts);
      if (input.massKg === undefined) throw new UsageError('--mass-kg is required');
      const result = await withDatabase(opts, (db) => intakeVehicle(db, localSubmitter, input));
      if (result.refused) {
        if (opts.json) printJson(result);
        else for (const r of result.reasons) process.stdout.write(`refused: ${r.message} (${r.rule})\n`);
        process.stderr.write(
          `no recycling certificate for ${result.vin}: ${result.reasons.map((r) => r.code).join(', ')}\n`,
        );
        return 1;
      }
      if (!opts.json) for (const w of result.warnings) process.stderr.write(`warning: ${w}\n`);
      out(
        opts,
        result,
        `certificate ${result.certificateNumber} issued for ${result.vin}${result.enrolled ? ' (enrolled: new to the platform)' : ''}`,
      );
      return 0;
    }),
  );

  withDbOption(
    d
      .command('certificate')
      .description('the recycling certificate with the EU Certificate of Destruction fields')
      .requiredOption('--vin <vin>')
      .option('--format <f>', 'json|pdf', 'json')
      .option('--out <file>', 'write here (a PDF needs it unless stdout is redirected)')
      .option('--json', 'JSON document (same as --format json)'),
  ).action(
    action(async (opts: Opts) => {
      const vin = String(opts.vin);
      if (opts.format !== 'json' && opts.format !== 'pdf')
        throw new UsageError('--format must be json or pdf');
      if (opts.format === 'pdf') {
        const bytes = await withDatabase(opts, (db) => certificatePdf(db, localOperator, vin));
        if (typeof opts.out === 'string') {
          writeFileSync(opts.out, bytes);
          process.stderr.write(`wrote ${opts.out} (${bytes.length} bytes)\n`);
        } else if (process.stdout.isTTY) throw new UsageError('give --out <file.pdf> for a PDF');
        else process.stdout.write(bytes);
        return;
      }
      const doc = await withDatabase(opts, (db) => certificateDocument(db, localOperator, vin));
      if (typeof opts.out === 'string') writeFileSync(opts.out, `${JSON.stringify(doc, null, 2)}\n`);
      else printJson(doc);
    }),
  );

  withDbOption(
    d
      .command('deregister')
      .description('record the deregistration (注销登记)')
      .requiredOption('--vin <vin>')
      .option('--at <time>', 'ISO 8601 UTC; default now')
      .option('--authority <partyId>', 'the registration authority (opaque id)')
      .option('--reference <ref>', 'deregistration certificate number')
      .option('--json', 'JSON document'),
  ).action(
    action(async (opts: Opts) => {
      const result = await withDatabase(opts, (db) =>
        deregisterVehicle(
          db,
          localSubmitter,
          String(opts.vin),
          defined({ deregisteredAt: opts.at, authorityPartyId: opts.authority, reference: opts.reference }),
        ),
      );
      out(opts, result, `${result.vin} deregistered ${result.deregisteredAt}`);
    }),
  );

  withDbOption(
    d
      .command('pretreat')
      .description(
        'record a complete GB 22128 pre-treatment checklist (see examples/dismantling-pretreatment.json)',
      )
      .requiredOption('--vin <vin>')
      .requiredOption('--checklist <file.json>')
      .option('--json', 'JSON document'),
  ).action(
    action(async (opts: Opts) => {
      const checklist = readJsonFile(String(opts.checklist), '--checklist');
      const result = await withDatabase(opts, (db) =>
        pretreatVehicle(db, localSubmitter, String(opts.vin), checklist),
      );
      out(
        opts,
        result,
        `${result.vin} pre-treated ${result.completedAt}${result.tractionBattery ? `; battery ${result.tractionBattery.packCode} to hand out by ${result.tractionBattery.outboundDeadline}` : ''}`,
      );
    }),
  );

  withDbOption(
    d
      .command('harvest')
      .description(
        'dismantle: reusable parts into stock, five assemblies to remanufacturing or scrap (examples/dismantling-harvest.json)',
      )
      .requiredOption('--vin <vin>')
      .requiredOption('--file <parts.json>')
      .option('--json', 'JSON document'),
  ).action(
    action(async (opts: Opts) => {
      const file = readJsonFile(String(opts.file), '--file');
      const result = await withDatabase(opts, (db) =>
        harvestVehicle(db, localSubmitter, String(opts.vin), file),
      );
      out(
        opts,
        result,
        `${result.vin} dismantled: ${result.parts.length} reusable parts, ${result.assemblies.length} assemblies`,
      );
    }),
  );

  withDbOption(
    d
      .command('weigh')
      .description('weighed outputs (examples/dismantling-materials.json); prints the ISO 22628 rates')
      .option('--vin <vin>', 'one vehicle')
      .option('--batch <id>', 'a shredder batch of several vehicles (with --vins)')
      .option('--vins <list>', 'the batch’s VINs, comma-separated')
      .requiredOption('--file <materials.json>')
      .option('--json', 'JSON document'),
  ).action(
    action(async (opts: Opts) => {
      const file = readJsonFile(String(opts.file), '--file') as Record<string, unknown>;
      if (opts.batch !== undefined) {
        if (opts.vin !== undefined) throw new UsageError('give --vin or --batch, not both');
        const vins = list(opts.vins);
        if (vins.length === 0) throw new UsageError('--batch needs --vins');
        const result = await withDatabase(opts, (db) =>
          weighBatch(db, localSubmitter, { ...file, batchId: opts.batch, vins }),
        );
        out(
          opts,
          result,
          `batch ${result.batchId}: ${result.lots.length} lots over ${result.vehicles.length} vehicles`,
        );
        return;
      }
      if (opts.vin === undefined) throw new UsageError('give --vin (or --batch with --vins)');
      const result = await withDatabase(opts, (db) =>
        weighVehicle(db, localSubmitter, String(opts.vin), file),
      );
      out(
        opts,
        result,
        `${result.vin}: recyclability ${(result.recyclabilityRate * 100).toFixed(1)} % (target ${result.targets.recyclability * 100} %), recoverability ${(result.recoverabilityRate * 100).toFixed(1)} % (target ${result.targets.recoverability * 100} %)`,
      );
    }),
  );

  withDbOption(
    d
      .command('show')
      .description('the ELV dossier (no personal data)')
      .requiredOption('--vin <vin>')
      .option('--json', 'JSON document'),
  ).action(
    action(async (opts: Opts) => {
      const dossier = await withDatabase(opts, (db) => vehicleDossier(db, localOperator, String(opts.vin)));
      out(
        opts,
        dossier,
        `${dossier.vin}: ${dossier.stage}; certificate ${dossier.certificate?.certificateNumber ?? '—'}`,
      );
    }),
  );

  withDbOption(
    d
      .command('erase-owner')
      .description("erase the owner's personal data (it was never in the log)")
      .requiredOption('--vin <vin>')
      .requiredOption('--reason <reason>')
      .option('--json', 'JSON document'),
  ).action(
    action(async (opts: Opts) => {
      const result = await withDatabase(opts, (db) =>
        eraseOwnerData(db, localOperator, String(opts.vin), { reason: opts.reason }),
      );
      out(opts, result, `owner data of ${result.vin} erased`);
    }),
  );

  withDbOption(
    d
      .command('stock')
      .description('reusable-part stock (回用件): search by part number and compatible model')
      .option('--part-number <pn>')
      .option('--model <text>', 'part of a compatible model, case-insensitive')
      .option('--status <s>', 'in_stock|sold')
      .option('--limit <n>', 'at most n parts', '100')
      .option('--after <partId>', 'paging: start after this part')
      .option('--json', 'JSON document'),
  ).action(
    action(async (opts: Opts) => {
      if (opts.status !== undefined && opts.status !== 'in_stock' && opts.status !== 'sold')
        throw new UsageError('--status must be in_stock or sold');
      const limit = numberOf(opts.limit, '--limit')!;
      if (!Number.isInteger(limit) || limit < 1 || limit > 500)
        throw new UsageError('--limit must be an integer 1–500');
      const page = await withDatabase(opts, (db) =>
        searchStock(
          db,
          localOperator,
          defined({
            partNumber: opts.partNumber,
            model: opts.model,
            status: opts.status,
            after: opts.after,
            limit,
          }),
        ),
      );
      if (opts.json) printJson(page);
      else
        for (const p of page.items)
          process.stdout.write(
            `${p.partId.padEnd(24)} ${String(p.partNumber).padEnd(16)} ${p.status.padEnd(9)} ${p.price} ${p.currency}  ${p.compatibleModels.join('; ')}\n`,
          );
    }),
  );

  withDbOption(
    d
      .command('reserve')
      .description('reserve a part for a buyer (default 72 hours)')
      .requiredOption('--part <id>')
      .requiredOption('--party <partyId>')
      .option('--until <time>', 'ISO 8601 UTC')
      .option('--json', 'JSON document'),
  ).action(
    action(async (opts: Opts) => {
      const result = await withDatabase(opts, (db) =>
        reservePart(
          db,
          localOperator,
          String(opts.part),
          defined({ partyId: opts.party, until: opts.until }),
        ),
      );
      out(opts, result, `${result.partId} reserved for ${result.partyId} until ${result.until}`);
    }),
  );

  withDbOption(
    d
      .command('release')
      .description('release a reservation')
      .requiredOption('--part <id>')
      .option('--json', 'JSON document'),
  ).action(
    action(async (opts: Opts) => {
      const result = await withDatabase(opts, (db) => releasePart(db, localOperator, String(opts.part)));
      out(opts, result, `${result.partId} released`);
    }),
  );

  withDbOption(
    d
      .command('sell')
      .description('sell a reusable part for reuse (marked 报废机动车回用件)')
      .requiredOption('--part <id>')
      .requiredOption('--buyer <partyId>')
      .requiredOption('--price <amount>', 'major units, e.g. 1150.00')
      .option('--currency <code>', 'ISO 4217 (default: the part’s)')
      .option('--at <time>', 'ISO 8601 UTC; default now')
      .option('--json', 'JSON document'),
  ).action(
    action(async (opts: Opts) => {
      const result = await withDatabase(opts, (db) =>
        sellPart(
          db,
          localSubmitter,
          String(opts.part),
          defined({ buyerPartyId: opts.buyer, price: opts.price, currency: opts.currency, soldAt: opts.at }),
        ),
      );
      out(
        opts,
        result,
        `${result.partId} sold to ${result.buyerPartyId} for ${result.price} ${result.currency}`,
      );
    }),
  );

  withDbOption(
    d
      .command('label')
      .description('the 报废机动车回用件 label of a part, as PDF, with a QR code to its public history')
      .requiredOption('--part <id>')
      .requiredOption('--out <file.pdf>'),
  ).action(
    action(async (opts: Opts) => {
      const bytes = await withDatabase(opts, (db) => partLabelPdf(db, localOperator, String(opts.part)));
      writeFileSync(String(opts.out), bytes);
      process.stdout.write(`wrote ${String(opts.out)} (${bytes.length} bytes)\n`);
    }),
  );

  withDbOption(
    d
      .command('battery-outbound')
      .description('hand the removed traction battery to a repurposer or recycler (within 15 working days)')
      .requiredOption('--pack <code>')
      .requiredOption('--to <partyId>', 'receiving enterprise (party id)')
      .requiredOption('--receiver-code <uscc>', 'its unified social credit code (or DUNS)')
      .requiredOption('--purpose <p>', 'repurposing|recycling')
      .option('--receiver-name <name>', 'required when the receiver is not a registered party')
      .option('--at <time>', 'ISO 8601 UTC; default now')
      .option('--json', 'JSON document'),
  ).action(
    action(async (opts: Opts) => {
      const result = await withDatabase(opts, (db) =>
        handOverBattery(
          db,
          localSubmitter,
          String(opts.pack),
          defined({
            toPartyId: opts.to,
            receiverCode: opts.receiverCode,
            receiverName: opts.receiverName,
            purpose: opts.purpose,
            handedOverAt: opts.at,
          }),
        ),
      );
      out(
        opts,
        result,
        `${result.packCode} handed to ${result.receiver.name} (${result.status}, deadline ${result.deadline})`,
      );
    }),
  );

  withDbOption(
    d
      .command('report')
      .description(
        'China ELV report: intake, certificates, five assemblies, parts sales ledger, battery outbound, overdue items',
      )
      .requiredOption('--from <date>', 'first day, YYYY-MM-DD')
      .requiredOption('--to <date>', 'last day (inclusive), YYYY-MM-DD')
      .option('--format <f>', 'csv|json', 'json')
      .option('--out <file>', 'write here instead of stdout')
      .option('--json', 'same as --format json'),
  ).action(
    action(async (opts: Opts) => {
      const format = opts.json ? 'json' : opts.format;
      if (format !== 'json' && format !== 'csv') throw new UsageError('--format must be csv or json');
      const report = await withDatabase(opts, (db) =>
        dismantlingReport(db, localOperator, String(opts.from), String(opts.to)),
      );
      const text = format === 'csv' ? reportCsv(report) : `${JSON.stringify(report, null, 2)}\n`;
      if (typeof opts.out === 'string') writeFileSync(opts.out, text);
      else process.stdout.write(text);
      if (report.overdue.length > 0) process.stderr.write(`${report.overdue.length} overdue item(s)\n`);
    }),
  );

  withDbOption(
    d
      .command('eu-report')
      .description('yearly EU-style ELV report: reuse, recycling, recovery by material against 85 % / 95 %')
      .requiredOption('--year <yyyy>')
      .option('--format <f>', 'csv|json', 'json')
      .option('--out <file>', 'write here instead of stdout')
      .option('--json', 'same as --format json'),
  ).action(
    action(async (opts: Opts) => {
      const format = opts.json ? 'json' : opts.format;
      if (format !== 'json' && format !== 'csv') throw new UsageError('--format must be csv or json');
      const year = numberOf(opts.year, '--year')!;
      const report = await withDatabase(opts, (db) => euElvReport(db, localOperator, year));
      const text = format === 'csv' ? euReportCsv(report) : `${JSON.stringify(report, null, 2)}\n`;
      if (typeof opts.out === 'string') writeFileSync(opts.out, text);
      else process.stdout.write(text);
    }),
  );

  withDbOption(
    d
      .command('rates')
      .description('ISO 22628 rates of the vehicles dismantled in a period')
      .requiredOption('--from <date>')
      .requiredOption('--to <date>')
      .option('--json', 'JSON document'),
  ).action(
    action(async (opts: Opts) => {
      const rates = await withDatabase(opts, (db) =>
        periodRates(db, localOperator, String(opts.from), String(opts.to)),
      );
      out(
        opts,
        rates,
        `${rates.vehicles} vehicles: recyclability ${(rates.recyclabilityRate * 100).toFixed(1)} %, recoverability ${(rates.recoverabilityRate * 100).toFixed(1)} %`,
      );
    }),
  );
}
