// Debian's Chromium driven by playwright-core (no browser download): the flags this machine needs (no sandbox as
// root, no GPU, no background connections to Google's hosts on a closed network) and a fresh profile each time.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface RunningChromium {
  context: BrowserContext;
  close: () => Promise<void>;
}

/** Headless Chromium with a new, empty --user-data-dir (removed again by close()). */
export const launchChromium = async (viewport = { width: 1280, height: 900 }): Promise<RunningChromium> => {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM_PATH}. Install Debian's package (apt-get install -y chromium) or set CHROMIUM_PATH to a Chromium binary.`,
    );
  }
  const userDataDir = mkdtempSync(join(tmpdir(), 'obp-chromium-'));
  // Playwright passes userDataDir as --user-data-dir (it refuses that flag in args).
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport,
    timeout: 60_000,
  });
  return {
    context,
    close: async () => {
      await context.close().catch(() => undefined);
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
};
