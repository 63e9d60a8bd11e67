// The server side of the console (apps/server/src/http/web-console.ts) on a bare Hono app, with a
// stand-in build in a temporary folder: no browser, no database.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppEnv } from '../../server/src/http/context.ts';
import { mountWebConsole, webConsolePublicPaths } from '../../server/src/http/web-console.ts';

describe('web console serving', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  function appWith(build: boolean) {
    const dir = mkdtempSync(join(tmpdir(), 'carloop-console-'));
    dirs.push(dir);
    if (build) {
      mkdirSync(join(dir, 'static'));
      writeFileSync(join(dir, 'index.html'), '<!doctype html><title>console</title>');
      writeFileSync(join(dir, 'static', 'index-abc123.js'), 'console.log(1)');
      writeFileSync(join(dir, 'favicon.svg'), '<svg/>');
    }
    const app = new Hono<AppEnv>();
    mountWebConsole(app, dir);
    app.notFound((c) => c.text('no route', 404));
    return app;
  }

  it('sends / to the console when it is built, else to the API reference', async () => {
    expect((await appWith(true).request('/')).headers.get('location')).toBe('/app/');
    expect((await appWith(false).request('/')).headers.get('location')).toBe('/docs');
    expect((await appWith(true).request('/app')).headers.get('location')).toBe('/app/');
  });

  it('serves files, hashed ones cached for good, and index.html for every page path', async () => {
    const app = appWith(true);
    const index = await app.request('/app/');
    expect(index.status).toBe(200);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(await index.text()).toContain('<title>console</title>');

    const script = await app.request('/app/static/index-abc123.js');
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await script.text()).toBe('console.log(1)');
    expect((await app.request('/app/favicon.svg')).headers.get('cache-control')).toBe('no-cache');

    for (const page of ['/app/assets/LRW3E7FA2PC123456', '/app/assets/DQ381%2F0DL22771', '/app/verify']) {
      const res = await app.request(page);
      expect(res.status, page).toBe(200);
      expect(await res.text()).toContain('<title>console</title>');
    }
    expect((await app.request('/app/static/gone-000.js')).status).toBe(404);
    expect((await app.request('/app/../package.json')).status).not.toBe(200);
  });

  it('says how to build the console when it is missing', async () => {
    const res = await appWith(false).request('/app/verify');
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('npm run build -w @carloop/web');
  });

  it('makes only /app and below public', () => {
    const isPublic = (path: string) => webConsolePublicPaths.some((p) => p.test(path));
    expect(['/app', '/app/', '/app/assets/X'].every(isPublic)).toBe(true);
    expect(['/apps', '/application', '/assets'].some(isPublic)).toBe(false);
  });
});
