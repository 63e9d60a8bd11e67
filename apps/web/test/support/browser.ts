import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';

/** Debian's chromium (`apt-get install -y chromium`); Playwright's own browser downloads cannot run here. */
export const chromiumPath = process.env.CARLOOP_CHROMIUM ?? '/usr/bin/chromium';

/** Why the browser tests cannot run, or null when they can. */
export function chromiumMissing(): string | null {
  return existsSync(chromiumPath)
    ? null
    : `Chromium not found at ${chromiumPath}. The web console's browser tests drive Debian's chromium: ` +
        'install it with `apt-get install -y chromium` (or point CARLOOP_CHROMIUM at a Chromium binary).';
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** Where the tests leave a screenshot of each page, for a human to look at. */
export const screenshotDir = join(tmpdir(), 'carloop-web');
mkdirSync(screenshotDir, { recursive: true });

export const screenshotPath = (name: string) => join(screenshotDir, `${name}.png`);
