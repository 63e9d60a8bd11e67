import type { Command } from 'commander';
import {
  addPartyKey,
  createParty,
  getParty,
  listParties,
  localOperator,
} from '../../modules/parties/index.ts';
import { action, withDatabase, withDbOption } from '../context.ts';
import { printJson } from '../output.ts';

const collect = (value: string, previous: string[] = []) => [
  ...previous,
  ...value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean),
];

export function registerPartyCommands(program: Command): void {
  const party = program.command('party').description('organisations, their roles, keys and API tokens');
  withDbOption(
    party
      .command('create')
      .description('create an organisation; prints its API token once')
      .requiredOption('--name <name>', 'organisation name')
      .requiredOption('--role <role>', 'a role (repeat or comma-separate for several)', collect)
      .option('--public-key <base64>', 'Ed25519 public key (32 bytes, base64) for signing event batches')
      .option('--json', 'print one JSON object'),
  ).action(
    action(
      async (opts: { name: string; role: string[]; publicKey?: string; json?: boolean; db?: string }) => {
        const created = await withDatabase(opts, (db) =>
          createParty(db, localOperator, {
            name: opts.name,
            roles: opts.role,
            ...(opts.publicKey ? { publicKey: opts.publicKey } : {}),
          }),
        );
        if (opts.json)
          printJson({
            id: created.id,
            name: created.name,
            roles: created.roles,
            token: created.token,
            keys: created.keys,
          });
        else {
          process.stdout.write(
            `created party ${created.name} (${created.id}) with roles ${created.roles.join(', ')}\n`,
          );
          process.stdout.write(`API token (shown only now, keep it safe): ${created.token}\n`);
        }
      },
    ),
  );
  withDbOption(
    party
      .command('list')
      .description('list organisations')
      .option('--limit <n>', 'page size', '100')
      .option('--json', 'JSON array'),
  ).action(
    action(async (opts: { limit: string; json?: boolean; db?: string }) => {
      const items = await withDatabase(opts, (db) =>
        listParties(db, localOperator, { limit: Number(opts.limit) }),
      );
      if (opts.json) printJson(items);
      else for (const p of items) process.stdout.write(`${p.id}  ${p.name}  [${p.roles.join(', ')}]\n`);
    }),
  );
  withDbOption(
    party.command('show <id>').description('one organisation with its keys').option('--json', 'JSON object'),
  ).action(
    action(async (id: string, opts: { json?: boolean; db?: string }) => {
      const p = await withDatabase(opts, (db) => getParty(db, localOperator, id));
      if (opts.json) printJson(p);
      else
        process.stdout.write(
          `${p.id}  ${p.name}  [${p.roles.join(', ')}]\n${p.keys.map((k) => `  key ${k.keyId} ${k.algorithm} ${k.publicKey}`).join('\n')}\n`,
        );
    }),
  );
  withDbOption(
    party
      .command('add-key <id>')
      .description('register an Ed25519 public key')
      .requiredOption('--public-key <base64>', 'public key')
      .option('--json', 'JSON object'),
  ).action(
    action(async (id: string, opts: { publicKey: string; json?: boolean; db?: string }) => {
      const key = await withDatabase(opts, (db) => addPartyKey(db, localOperator, id, opts.publicKey));
      if (opts.json) printJson(key);
      else process.stdout.write(`registered key ${key.keyId} for party ${id}\n`);
    }),
  );
}
