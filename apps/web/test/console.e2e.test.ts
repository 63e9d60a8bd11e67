// The web console in a real Chromium against a real server (`carloop serve`) on a fresh SQLite
// database loaded with the example data. Screenshots of every page go to $TMPDIR/carloop-web/.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launchChromium, screenshotDir, screenshotPath } from './support/browser.ts';
import { type ExampleServer, repoRoot, startExampleServer } from './support/server.ts';

const missing = chromiumMissing();
// Locally a machine without Chromium skips with a warning; in CI the suite fails and says why.
const runInBrowser = missing === null || Boolean(process.env.CI);
if (!runInBrowser) console.warn(`skipping the web console browser tests: ${missing}`);

const rolledBackVin = 'LRW3E7FA2PC123456';
const exampleVins = readFileSync(join(repoRoot, 'examples', 'vehicles.csv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => line.split(',')[1]!);

describe.runIf(runInBrowser)('web console in Chromium', () => {
  let server: ExampleServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let bundlePath = '';

  beforeAll(async () => {
    if (missing) throw new Error(missing);
    [server, browser] = await Promise.all([startExampleServer(), launchChromium()]);
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await server?.stop();
  });

  // Every test fails if a page threw.
  const pageErrors: string[] = [];
  afterEach(() => {
    expect(pageErrors).toEqual([]);
    pageErrors.length = 0;
  });

  /** A page in a fresh browser profile: no token in its storage. */
  async function newPage(): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width: 1360, height: 900 },
      acceptDownloads: true,
    });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    return page;
  }

  const attributes = async (locator: Locator, name: string) =>
    Promise.all((await locator.all()).map((element) => element.getAttribute(name)));

  async function signedInPage(): Promise<Page> {
    const page = await newPage();
    await page.goto(`${server.url}/app/sign-in`);
    await page.fill('#token', server.token);
    await page.click('button[type=submit]');
    await page.locator('[data-testid=identity] [data-testid=party-row]').first().waitFor();
    return page;
  }

  it('serves the built console at /app/ and sends / there', async () => {
    const root = await fetch(`${server.url}/`, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/app/');

    const index = await fetch(`${server.url}/app/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const html = await index.text();
    const script = /src="(\/app\/static\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();

    const asset = await fetch(`${server.url}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-type')).toMatch(/javascript/);

    // Single-page app: a deep link gets the page; a missing hashed file does not.
    const deep = await fetch(`${server.url}/app/assets/${rolledBackVin}`);
    expect(deep.status).toBe(200);
    expect(await deep.text()).toBe(html);
    expect((await fetch(`${server.url}/app/static/missing-0000.js`)).status).toBe(404);
    // The API itself still wants a token.
    expect((await fetch(`${server.url}/assets`)).status).toBe(401);
  });

  it('sends operator pages to sign-in without a token', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/app/assets?kind=vehicle`);
    await page.waitForURL(/\/app\/sign-in\?next=/);
    expect(decodeURIComponent(new URL(page.url()).searchParams.get('next') ?? '')).toBe(
      '/assets?kind=vehicle',
    );
  });

  it('signs in with a pasted token and shows the party and its roles', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/app/`);
    await page.waitForURL(/\/app\/sign-in/);
    await page.fill('#token', 'clp_not-a-real-token');
    await page.click('button[type=submit]');
    const problem = await page.locator('[data-testid=problem]').textContent();
    expect(problem).toContain('401');

    await page.fill('#token', server.token);
    await page.click('button[type=submit]');
    const row = page.locator('[data-testid=party-row]').first();
    await row.waitFor();
    expect(await row.textContent()).toContain('Ops');
    expect(await row.textContent()).toContain('admin');
    const keyId = `token:${createHash('sha256').update(server.token).digest('hex').slice(0, 16)}`;
    expect(await page.locator('[data-testid=session-key]').textContent()).toBe(keyId);
    await page.screenshot({ path: screenshotPath('sign-in'), fullPage: true });

    await page.getByRole('button', { name: /Continue/ }).click();
    await page.waitForURL(/\/app\/$/);
    await page.locator('[data-testid=tally-vehicle]').waitFor();
    expect(await page.locator('[data-testid=tally-vehicle]').textContent()).toMatch(/5/);
    expect(await page.locator('[data-testid=tally-battery-pack]').textContent()).toContain('produced');
    await page.locator('[data-testid=log-size]').waitFor();
    expect(await page.locator('[data-testid=log-size]').textContent()).toBe('7');
    expect(await page.locator('[data-testid=checkpoint-signature]').textContent()).toContain(
      'verified in your browser',
    );
    await page.locator('[data-testid=recent-checkpoints] tbody tr').first().waitFor();
    await page.screenshot({ path: screenshotPath('dashboard'), fullPage: true });
  });

  it('lists the example vehicles and filters by kind and state', async () => {
    const page = await signedInPage();
    await page.goto(`${server.url}/app/assets?kind=vehicle`);
    await page.locator('[data-testid=asset-row]').first().waitFor();
    const rows = await page.locator('[data-testid=asset-row]').allTextContents();
    expect(rows).toHaveLength(exampleVins.length);
    for (const vin of exampleVins) expect(rows.some((row) => row.includes(vin))).toBe(true);
    await page.screenshot({ path: screenshotPath('assets'), fullPage: true });

    await page.selectOption('select[name=state]', 'in_use');
    await page.waitForURL(/state=in_use/);
    await expect.poll(() => page.locator('[data-testid=asset-row]').count()).toBe(1);
    expect(await page.locator('[data-testid=asset-row]').textContent()).toContain(rolledBackVin);
  });

  it('shows an asset with its composition and its history, the odometer rollback flagged', async () => {
    const page = await signedInPage();
    await page.goto(`${server.url}/app/assets?kind=vehicle`);
    await page.getByRole('link', { name: rolledBackVin }).click();
    await page.waitForURL(new RegExp(`/app/assets/${rolledBackVin}$`));

    const flags = page.locator('[data-testid=flags]');
    await flags.waitFor();
    expect(await flags.textContent()).toContain('Odometer rollback suspected');
    expect(await flags.textContent()).toContain('odometer fell from 18250 km to 12000 km');

    await page.locator('[data-testid=history-event]').first().waitFor();
    const events = page.locator('[data-testid=history-event]');
    expect(await events.count()).toBe(6);
    const flagged = events.nth(5);
    expect(await flagged.getAttribute('class')).toContain('flagged');
    expect(await flagged.locator('[data-testid=event-flag]').textContent()).toContain(
      'Odometer rollback suspected',
    );

    const composition = page.locator('[data-testid=composition]');
    await composition.getByText('04QPEA1JH00012D4J0001201').waitFor();
    // Before the pack was bound (2023-05-01 01:00) the vehicle contained nothing.
    await page.fill('#at', '2023-04-30T12:00');
    await composition.getByText('Contains nothing').waitFor();
    expect(await page.locator('[data-testid=asset-data]').textContent()).toContain('CNY 231,900.00');
    await page.fill('#at', '');
    await composition.getByText('04QPEA1JH00012D4J0001201').waitFor();
    await page.screenshot({ path: screenshotPath('asset'), fullPage: true });

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: /Download history bundle/ }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`carloop-history-${rolledBackVin}.json`);
    bundlePath = join(screenshotDir, download.suggestedFilename());
    await download.saveAs(bundlePath);
    const bundle = JSON.parse(readFileSync(bundlePath, 'utf8')) as {
      format: string;
      subject: { id: string };
    };
    expect(bundle.format).toBe('carloop-history@1');
    expect(bundle.subject.id).toBe(rolledBackVin);
  });

  it('shows API problems with their field-level errors', async () => {
    const page = await signedInPage();
    await page.goto(`${server.url}/app/assets?kind=spaceship`);
    const problem = page.locator('[data-testid=problem]');
    await problem.waitFor();
    const text = await problem.textContent();
    expect(text).toContain('400 Bad Request');
    expect(text).toContain('invalid_request');
    expect(text).toContain('query.kind');
  });

  it('verifies a real exported bundle in the browser, without a token: OK', async () => {
    expect(bundlePath).not.toBe('');
    const page = await newPage();
    await page.goto(`${server.url}/app/verify`);
    await page.setInputFiles('#bundle-file', bundlePath);
    const verdict = page.locator('[data-testid=verdict]');
    await verdict.waitFor();
    expect(await verdict.getAttribute('data-ok')).toBe('true');
    expect(await verdict.textContent()).toContain('History verification: OK');
    const checks = page.locator('[data-testid=check]');
    expect(await checks.count()).toBe(6);
    expect(await attributes(checks, 'data-ok')).toEqual(Array(6).fill('true'));
    expect(await page.locator('[data-testid=verified-event]').count()).toBe(6);
    expect(await page.locator('[data-testid=report]').textContent()).toContain('History verification: OK');
    // The buyer sees the rollback from the file alone.
    expect(await page.locator('[data-testid=odometer-warning]').textContent()).toContain(
      'odometer fell from 18,250 km to 12,000 km',
    );

    // With the server's key as the trusted key it still holds; with another log's key it does not.
    await page.getByRole('button', { name: /Use this server's key/ }).click();
    await expect.poll(() => page.inputValue('input[name=trusted-key]')).toMatch(/^carloop\.local\/log-/);
    expect(await verdict.getAttribute('data-ok')).toBe('true');
    await page.screenshot({ path: screenshotPath('verify-ok'), fullPage: true });
    await page.fill(
      'input[name=trusted-key]',
      'other.example/log+01234567+AfCBkDjoGCaYj8M8kY9CRGXlFozgaZcWCqQhD6qwk9hm',
    );
    await page.locator('[data-testid=verdict][data-ok=false]').waitFor();
    expect(
      await page.locator('[data-testid=check][data-name="checkpoint signature"]').getAttribute('data-ok'),
    ).toBe('false');
  });

  it('opens a public history link (what a QR code carries) and verifies it in the browser', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/app/verify?subject=LRW3E7FA2PC123456`);
    const verdict = page.locator('[data-testid=verdict]');
    await verdict.waitFor();
    expect(await verdict.getAttribute('data-ok')).toBe('true');
    // Condition facts are disclosed to the public; the buyer still sees the rollback.
    expect(await page.locator('[data-testid=odometer-warning]').textContent()).toContain(
      'odometer fell from 18,250 km to 12,000 km',
    );
    await page.screenshot({ path: screenshotPath('verify-public'), fullPage: true });
  });

  it('reports FAILED for a tampered bundle and names the broken check', async () => {
    const bundle = JSON.parse(readFileSync(bundlePath, 'utf8')) as {
      events: { payload?: { odometerKm?: number } }[];
    };
    // The seller "fixes" the rolled-back reading.
    bundle.events[5]!.payload!.odometerKm = 19000;
    const tampered = join(screenshotDir, 'tampered-history.json');
    writeFileSync(tampered, JSON.stringify(bundle, null, 2));

    const page = await newPage();
    await page.goto(`${server.url}/app/verify`);
    await page.setInputFiles('#bundle-file', tampered);
    const verdict = page.locator('[data-testid=verdict]');
    await verdict.waitFor();
    expect(await verdict.getAttribute('data-ok')).toBe('false');
    expect(await verdict.textContent()).toContain('History verification: FAILED');
    expect(await verdict.textContent()).toContain('broken: payload commitments');
    const broken = page.locator('[data-testid=check][data-name="payload commitments"]');
    expect(await broken.getAttribute('data-ok')).toBe('false');
    expect(
      await page.locator('[data-testid=check][data-name="inclusion proofs"]').getAttribute('data-ok'),
    ).toBe('true');
    expect(await page.locator('[data-testid=failures]').textContent()).toContain(
      'payload does not match its commitment',
    );
    // The forged reading hides the rollback, and that is exactly what failed to verify.
    expect(await page.locator('[data-testid=odometer-warning]').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('verify-failed'), fullPage: true });
  });

  it('proves an entry’s inclusion in the log explorer, checked in the browser', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/app/log?seq=2`);
    const verdict = page.locator('[data-testid=inclusion-verdict]');
    await verdict.waitFor();
    expect(await verdict.getAttribute('data-ok')).toBe('true');
    expect(await attributes(page.locator('[data-testid=proof-step]'), 'data-ok')).toEqual([
      'true',
      'true',
      'true',
    ]);
    expect(await page.locator('[data-testid=inclusion]').textContent()).toContain('vehicle.battery_bound');
    expect(await page.locator('[data-testid=checkpoint-note]').textContent()).toMatch(
      /^carloop\.local\/log-/,
    );

    await page.fill('#seq', '99');
    await page.getByRole('button', { name: /Prove/ }).click();
    const problem = page.locator('[data-testid=inclusion] [data-testid=problem]');
    await problem.waitFor();
    expect(await problem.textContent()).toContain('must be 0–6');

    await page.fill('#seq', '6');
    await page.getByRole('button', { name: /Prove/ }).click();
    await page.locator('[data-testid=inclusion-verdict][data-ok=true]').waitFor();
    expect(await page.locator('[data-testid=inclusion]').textContent()).toContain('vehicle.odometer_read');
    await page.screenshot({ path: screenshotPath('log'), fullPage: true });
  });

  it('remembers the checkpoints it saw and checks a newer one for consistency', async () => {
    const page = await signedInPage();
    await page.goto(`${server.url}/app/`);
    const rows = page.locator('[data-testid=recent-checkpoints] tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(1);

    // The log grows by one event (another vehicle leaves the plant) …
    const [, produced] = readFileSync(join(repoRoot, 'examples', 'events.jsonl'), 'utf8').split('\n');
    const event = JSON.parse(produced!) as { subject: { id: string } };
    event.subject.id = exampleVins[0]!;
    const appended = await fetch(`${server.url}/ledger/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ events: [event] }),
    });
    expect(appended.status).toBe(201);

    // … and the dashboard proves the new tree extends the one it saw before.
    await page.reload();
    await expect.poll(() => rows.count()).toBe(2);
    const newest = await rows.first().textContent();
    expect(newest).toContain('tree 8 extends tree 7');
    expect(await rows.first().locator('.mark.ok').count()).toBe(1);
    await page.screenshot({ path: screenshotPath('dashboard-witness'), fullPage: true });
  });
});
