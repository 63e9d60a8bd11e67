import { serve } from '@hono/node-server';
import type { Command } from 'commander';
import { type Db, openDatabase, resolveDatabaseUrl } from '../../db/database.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { createApp } from '../../http/app.ts';
import { verifyLogAtStartup } from '../../modules/ledger/index.ts';
import { createServices } from '../../services.ts';
import { action, withDatabase, withDbOption } from '../context.ts';
import { printJson, UsageError } from '../output.ts';

/**
 * Serve the API on an open database until SIGINT/SIGTERM: checks the log's root against its last
 * signed checkpoint first (and refuses to run if they disagree). `onListening` adds to the banner.
 */
export async function startServer(
  db: Db,
  port: number,
  host: string,
  onListening?: (base: string) => void,
): Promise<never> {
  try {
    await verifyLogAtStartup(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  const services = createServices(db);
  const app = createApp({ db, assetHooks: services.assetHooks });
  const server = serve({ fetch: app.fetch, port, hostname: host }, (info) => {
    const base = `http://${host}:${info.port}`;
    process.stdout.write(`Carloop is listening on ${base}  (database: ${db.dialect} ${db.location})\n`);
    process.stdout.write(`  API reference: ${base}/docs\n`);
    onListening?.(base);
  });
  const stop = () => {
    server.close(() => void db.close().then(() => process.exit(0)));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return new Promise<never>(() => {});
}

export function registerServeCommands(program: Command): void {
  withDbOption(
    program
      .command('serve')
      .description('run the HTTP API (docs at /docs, OpenAPI at /openapi.json)')
      .option('--port <n>', 'port to listen on (default: $PORT, else 3000)')
      .option('--host <host>', 'interface to bind', '127.0.0.1'),
  ).action(
    action(async (opts: { port?: string; host: string; db?: string }) => {
      const port = Number(opts.port ?? process.env.PORT ?? 3000);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new UsageError('--port must be an integer 0–65535');
      const db = await openDatabase(resolveDatabaseUrl(opts.db));
      await startServer(db, port, opts.host);
    }),
  );
  withDbOption(
    program
      .command('migrate')
      .description('bring the database schema up to date')
      .option('--json', 'JSON report'),
  ).action(
    action(async (opts: { json?: boolean; db?: string }) => {
      const url = resolveDatabaseUrl(opts.db);
      const results = await withDatabase(
        { db: url },
        async (db) => (await migrateToLatest(db)).results ?? [],
      );
      const applied = results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
      if (opts.json) printJson({ database: url.replace(/:[^:@/]+@/, ':***@'), applied });
      else
        process.stdout.write(
          applied.length ? `applied ${applied.join(', ')}\n` : 'database schema is up to date\n',
        );
    }),
  );
}
