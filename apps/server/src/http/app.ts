import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Db } from '../db/database.ts';
import { assetsRouter } from '../modules/assets/assets.routes.ts';
import type { AssetRegistrationHooks } from '../modules/assets/index.ts';
import { batteriesRouter, passportPublicPaths } from '../modules/batteries/batteries.routes.ts';
import { buybackRouter } from '../modules/buyback/buyback.routes.ts';
import { dismantlingRouter } from '../modules/dismantling/dismantling.routes.ts';
import { ledgerPublicPaths, ledgerRouter } from '../modules/ledger/ledger.routes.ts';
import { authenticate } from '../modules/parties/index.ts';
import { partiesRouter } from '../modules/parties/parties.routes.ts';
import { remarketingRouter } from '../modules/remarketing/remarketing.routes.ts';
import { reportsRouter } from '../modules/reports/reports.routes.ts';
import { valuationRouter } from '../modules/valuation/valuation.routes.ts';
import { unauthorized } from '../shared/errors.ts';

import { type AppEnv, newRouter } from './context.ts';
import { renderDocsPage } from './docs-page.ts';
import { problemResponse, toProblem } from './problem.ts';
import { mountWebConsole, webConsolePublicPaths } from './web-console.ts';

export interface AppOptions {
  db: Db;
  assetHooks?: AssetRegistrationHooks;
  /** Largest accepted request body in bytes (default 1 MiB). */
  maxBodyBytes?: number;
  version?: string;
}

/** Paths anyone may read without a token: the service's public face. */
const publicPaths = [
  /^\/$/,
  /^\/health$/,
  /^\/openapi\.json$/,
  /^\/docs$/,
  ...ledgerPublicPaths,
  ...webConsolePublicPaths,
  ...passportPublicPaths,
];

function requireToken(db: Db): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (publicPaths.some((p) => p.test(c.req.path))) return next();
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw unauthorized('missing_token', 'send an API token as "Authorization: Bearer <token>"');
    c.set('principal', await authenticate(db, match[1]!));
    return next();
  };
}

export function createApp(options: AppOptions) {
  const app = newRouter();
  app.onError((error, c) => toProblem(error, c));
  app.notFound((c) => problemResponse(c, 404, 'not_found', `no route for ${c.req.method} ${c.req.path}`));
  app.use('*', async (c, next) => {
    c.set('db', options.db);
    c.set('assetHooks', { hooks: options.assetHooks });
    await next();
  });
  app.use(
    '*',
    bodyLimit({
      maxSize: options.maxBodyBytes ?? 1024 * 1024,
      onError: (c) =>
        problemResponse(
          c,
          413,
          'body_too_large',
          `request body exceeds ${options.maxBodyBytes ?? 1024 * 1024} bytes`,
        ),
    }),
  );
  app.use('*', requireToken(options.db));

  app.get('/health', (c) => c.json({ status: 'ok' }, 200));
  mountWebConsole(app);
  app.route('/', partiesRouter);
  app.route('/', assetsRouter);
  app.route('/', ledgerRouter);
  app.route('/', valuationRouter);
  app.route('/', buybackRouter);
  app.route('/', remarketingRouter);
  app.route('/', dismantlingRouter);
  app.route('/', batteriesRouter);
  app.route('/', reportsRouter);

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer' });
  const documentConfig = {
    openapi: '3.1.0',
    info: {
      title: 'Carloop API',
      version: options.version ?? '0.1.0',
      description:
        'Vehicle full-lifecycle value management: parties, assets and their composition, the verifiable lifecycle log. ' +
        'Errors are RFC 9457 problem+json with field-level `errors`. Money is a decimal in major units next to `currency`.',
    },
  };
  app.doc31('/openapi.json', documentConfig);
  app.get('/docs', (c) =>
    c.html(renderDocsPage(app.getOpenAPI31Document(documentConfig) as unknown as Record<string, unknown>)),
  );
  return app;
}

export type App = ReturnType<typeof createApp>;
