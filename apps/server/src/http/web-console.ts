import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Hono, MiddlewareHandler } from 'hono';
import type { AppEnv } from './context.ts';

/** Where `npm run build -w @carloop/web` puts the console. */
export const defaultWebConsoleDir = fileURLToPath(new URL('../../../web/dist', import.meta.url));

/** Paths of the console: public, since its pages send the API token themselves. */
export const webConsolePublicPaths = [/^\/app(\/.*)?$/];

// Vite names every built asset by its content hash, so a cached copy can never be stale;
// index.html names the current hashes and must be revalidated on every load.
const immutable = 'public, max-age=31536000, immutable';
const revalidate = 'no-cache';

/**
 * Serves the built web console at /app/ (single-page app: unknown paths under /app/ get
 * index.html) and sends `/` there when a build exists, else to the API reference at /docs.
 */
export function mountWebConsole(app: Hono<AppEnv>, dir: string = defaultWebConsoleDir): void {
  const indexHtml = join(dir, 'index.html');
  const built = () => existsSync(indexHtml);

  app.get('/', (c) => c.redirect(built() ? '/app/' : '/docs'));
  app.get('/app', (c) => c.redirect('/app/'));
  // Made on first use: serveStatic complains at construction when its root does not exist yet.
  let files: MiddlewareHandler | undefined;
  let page: MiddlewareHandler | undefined;
  app.use('/app/*', async (c, next) => {
    if (!built()) return next();
    files ??= serveStatic({ root: dir, rewriteRequestPath: (path) => path.slice('/app'.length) });
    const found = await files(c, next);
    // Only a file served here gets a cache policy: a 404 or the page fallback must not be cached.
    if (found instanceof Response)
      found.headers.set('cache-control', c.req.path.startsWith('/app/static/') ? immutable : revalidate);
    return found;
  });
  // A missing hashed asset is a 404, not the page: a stale index.html must not get HTML as script.
  app.get('/app/static/*', (c) => c.notFound());
  app.get('/app/*', async (c, next) => {
    if (!built()) return next();
    page ??= serveStatic({ path: indexHtml });
    const found = await page(c, next);
    if (found instanceof Response) found.headers.set('cache-control', revalidate);
    return found;
  });
  app.get('/app/*', (c) =>
    c.text('The web console is not built: run `npm run build -w @carloop/web`, or `npm start`.', 503),
  );
}
