import type { Command } from 'commander';
import {
  type AssetKind,
  assetKinds,
  contentsAt,
  getAsset,
  link,
  listAssets,
  locationAt,
  registerAsset,
  unlink,
} from '../../modules/assets/index.ts';
import { localOperator } from '../../modules/parties/index.ts';
import { createServices } from '../../services.ts';
import { action, withDatabase, withDbOption } from '../context.ts';
import { printJson, UsageError } from '../output.ts';

const flagToField: Record<string, string> = {
  kind: 'kind',
  vin: 'vin',
  code: 'code',
  make: 'make',
  model: 'model',
  trim: 'trim',
  modelYear: 'modelYear',
  powertrain: 'powertrain',
  newPrice: 'newPrice',
  currency: 'currency',
  chemistry: 'chemistry',
  capacityKwh: 'ratedCapacityKwh',
  massKg: 'massKg',
  originalCode: 'originalCode',
  id: 'id',
  partNumber: 'partNumber',
  serial: 'serial',
  name: 'name',
  fiveAssembly: 'fiveAssembly',
  assemblyType: 'assemblyType',
  material: 'material',
};
const numericFlags = new Set(['modelYear', 'capacityKwh', 'massKg']);

function registrationFromFlags(opts: Record<string, unknown>): Record<string, unknown> {
  if (typeof opts.data === 'string') {
    try {
      return JSON.parse(opts.data) as Record<string, unknown>;
    } catch {
      throw new UsageError('--data is not valid JSON');
    }
  }
  const record: Record<string, unknown> = {};
  for (const [flag, field] of Object.entries(flagToField)) {
    const value = opts[flag];
    if (value === undefined) continue;
    record[field] = numericFlags.has(flag) && /^-?\d+(\.\d+)?$/.test(String(value)) ? Number(value) : value;
  }
  return record;
}

function checkKind(kind: string | undefined): AssetKind | undefined {
  if (kind === undefined) return undefined;
  if (!(assetKinds as readonly string[]).includes(kind))
    throw new UsageError(`--kind must be one of ${assetKinds.join(', ')}`);
  return kind as AssetKind;
}

export function registerAssetCommands(program: Command): void {
  const asset = program
    .command('asset')
    .description('vehicles, battery packs/modules/cells, parts, material lots and their composition');
  withDbOption(
    asset
      .command('register')
      .description('register one asset, from flags or --data JSON')
      .option('--data <json>', 'the registration as one JSON object (see examples/)')
      .option('--kind <kind>', assetKinds.join('|'))
      .option('--vin <vin>')
      .option('--code <code>', 'GB/T 34014 battery code')
      .option('--make <make>')
      .option('--model <model>')
      .option('--trim <trim>')
      .option('--model-year <year>')
      .option('--powertrain <p>', 'ice|hev|phev|bev|erev|fcev')
      .option('--new-price <amount>', 'major units, e.g. 259800.00')
      .option('--currency <code>', 'ISO 4217, e.g. CNY')
      .option('--chemistry <c>')
      .option('--capacity-kwh <kwh>')
      .option('--mass-kg <kg>')
      .option('--original-code <code>', 'for cascade-use products')
      .option('--id <id>', 'part or material-lot id')
      .option('--part-number <pn>')
      .option('--serial <serial>')
      .option('--name <name>')
      .option('--five-assembly', 'the part is one of the five major assemblies')
      .option('--assembly-type <t>', 'engine|steering_gear|transmission|front_axle|rear_axle|frame')
      .option('--material <m>')
      .option('--json', 'print one JSON object'),
  ).action(
    action(async (opts: Record<string, unknown> & { json?: boolean; db?: string }) => {
      const view = await withDatabase(opts, (db) =>
        registerAsset(db, localOperator, registrationFromFlags(opts), {
          hooks: createServices(db).assetHooks,
        }),
      );
      if (opts.json) printJson(view);
      else process.stdout.write(`registered ${view.kind} ${view.id} (state ${view.state})\n`);
    }),
  );
  withDbOption(
    asset
      .command('show <id>')
      .description('one asset with its container and contents')
      .option('--json', 'JSON object'),
  ).action(
    action(async (id: string, opts: { json?: boolean; db?: string }) => {
      const view = await withDatabase(opts, (db) => getAsset(db, localOperator, id));
      if (opts.json) printJson(view);
      else
        process.stdout.write(
          `${Object.entries(view)
            .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : v}`)
            .join('\n')}\n`,
        );
    }),
  );
  withDbOption(
    asset
      .command('list')
      .description('list assets of a kind')
      .option('--kind <kind>', assetKinds.join('|'))
      .option('--state <state>', 'lifecycle state')
      .option('--limit <n>', 'at most n assets', '100')
      .option('--after <id>', 'start after this id (paging)')
      .option('--json', 'JSON array'),
  ).action(
    action(
      async (opts: {
        kind?: string;
        state?: string;
        limit: string;
        after?: string;
        json?: boolean;
        db?: string;
      }) => {
        const limit = Number(opts.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > 100000)
          throw new UsageError('--limit must be an integer 1–100000');
        const kind = checkKind(opts.kind);
        const items = await withDatabase(opts, (db) =>
          listAssets(db, localOperator, {
            limit,
            ...(kind ? { kind } : {}),
            ...(opts.state ? { state: opts.state } : {}),
            ...(opts.after ? { after: opts.after } : {}),
          }),
        );
        if (opts.json) printJson(items);
        else
          for (const a of items) process.stdout.write(`${a.kind.padEnd(15)} ${a.id.padEnd(26)} ${a.state}\n`);
      },
    ),
  );
  withDbOption(
    asset
      .command('link')
      .description('put a component into a container (cell→module→pack→vehicle, part→vehicle)')
      .requiredOption('--parent <id>')
      .requiredOption('--child <id>')
      .option('--from <time>', 'ISO 8601 UTC; default now')
      .option('--json', 'JSON object'),
  ).action(
    action(async (opts: { parent: string; child: string; from?: string; json?: boolean; db?: string }) => {
      const row = await withDatabase(opts, (db) =>
        link(db, localOperator, {
          parentId: opts.parent,
          childId: opts.child,
          ...(opts.from ? { validFrom: opts.from } : {}),
        }),
      );
      if (opts.json) printJson(row);
      else process.stdout.write(`${row.childId} is in ${row.parentId} from ${row.validFrom}\n`);
    }),
  );
  withDbOption(
    asset
      .command('unlink')
      .description('take a component out of its container')
      .requiredOption('--child <id>')
      .option('--to <time>', 'ISO 8601 UTC; default now')
      .option('--json', 'JSON object'),
  ).action(
    action(async (opts: { child: string; to?: string; json?: boolean; db?: string }) => {
      const row = await withDatabase(opts, (db) =>
        unlink(db, localOperator, { childId: opts.child, ...(opts.to ? { validTo: opts.to } : {}) }),
      );
      if (opts.json) printJson(row);
      else process.stdout.write(`${row.childId} left ${row.parentId} at ${row.validTo}\n`);
    }),
  );
  withDbOption(
    asset
      .command('contents <id>')
      .description('what the asset contained at a time')
      .option('--at <time>')
      .option('--json', 'JSON object'),
  ).action(
    action(async (id: string, opts: { at?: string; json?: boolean; db?: string }) =>
      printJson(await withDatabase(opts, (db) => contentsAt(db, localOperator, id, opts.at))),
    ),
  );
  withDbOption(
    asset
      .command('location <id>')
      .description('where the asset was at a time')
      .option('--at <time>')
      .option('--json', 'JSON object'),
  ).action(
    action(async (id: string, opts: { at?: string; json?: boolean; db?: string }) =>
      printJson(await withDatabase(opts, (db) => locationAt(db, localOperator, id, opts.at))),
    ),
  );
}
