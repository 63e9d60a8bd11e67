import type { Command } from 'commander';
import { openDatabase, resolveDatabaseUrl } from '../../db/database.ts';
import { countAssets } from '../../modules/assets/index.ts';
import { createParty, localOperator } from '../../modules/parties/index.ts';
import { action } from '../context.ts';
import { UsageError } from '../output.ts';
import { startServer } from './serve.ts';
import { simulateWithProgress } from './simulate.ts';

/** The demo world `npm start` seeds into an empty database (about a minute on a 2-core machine). */
export const demoWorld = { vehicles: 3_000, years: 5, seed: 'carloop-demo', end: '2026-01-01' };

const say = (text: string) => process.stdout.write(`${text}\n`);

export function registerStartCommands(program: Command): void {
  program
    .command('start')
    .description(
      'first start: migrate, seed a demo world and print an admin token; every start: serve the API (what `npm start` runs)',
    )
    .option('--port <n>', 'port to listen on (default: $PORT, else 3000)')
    .option('--host <host>', 'interface to bind', '127.0.0.1')
    .option(
      '--db <url>',
      'SQLite file path or postgres:// URL (default: $DATABASE_URL, else ./data/carloop.db)',
    )
    .option('--vehicles <n>', 'size of the demo world seeded on a first start', String(demoWorld.vehicles))
    .option('--years <y>', 'years of the demo world', String(demoWorld.years))
    .option('--seed <s>', 'seed of the demo world', demoWorld.seed)
    .action(
      action(
        async (opts: {
          port?: string;
          host: string;
          db?: string;
          vehicles: string;
          years: string;
          seed: string;
        }) => {
          const port = Number(opts.port ?? process.env.PORT ?? 3000);
          if (!Number.isInteger(port) || port < 0 || port > 65535)
            throw new UsageError('--port must be an integer 0–65535');
          const vehicles = Number(opts.vehicles);
          const years = Number(opts.years);
          if (!Number.isInteger(vehicles) || vehicles < 1)
            throw new UsageError('--vehicles must be a positive integer');
          if (!(years > 0)) throw new UsageError('--years must be a positive number');
          const db = await openDatabase(resolveDatabaseUrl(opts.db));
          let token: string | null = null;
          let seeded: string | null = null;
          try {
            if ((await countAssets(db, localOperator)).total === 0) {
              say(`First start on an empty database (${db.dialect} ${db.location}).`);
              say(
                `Seeding a demo world: ${vehicles} vehicles over ${years} years (seed "${opts.seed}") through the real services…`,
              );
              const result = await simulateWithProgress(
                db,
                { vehicles, years, seed: opts.seed, end: demoWorld.end },
                'seeding',
              );
              seeded = `Seeded ${result.events} events (${result.eventsPerSecond}/s) in ${result.seconds} s; ledger root ${result.rootHash}.`;
              say(seeded);
              const admin = await createParty(db, localOperator, {
                name: `Demo admin ${new Date().toISOString().slice(0, 19)}`,
                roles: ['admin'],
              });
              token = admin.token;
            }
          } catch (error) {
            await db.close();
            throw error;
          }
          await startServer(db, port, opts.host, (base) => {
            say(`  Web console:   ${base}/app/`);
            say(`  Loop report:   ${base}/reports/loop   (npx carloop report loop --json)`);
            if (token) {
              say('');
              say('  Demo admin token (shown once — keep it):');
              say(`    ${token}`);
              say(`  Try: curl -H "Authorization: Bearer ${token}" ${base}/reports/loop`);
            } else {
              say(
                '  Data from an earlier start is reused. Need a token? npx carloop party create --name "Me" --role admin --json',
              );
            }
          });
        },
      ),
    );
}
