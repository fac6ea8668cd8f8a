// Headless Chromium for the browser tests: Debian's `chromium` package driven by playwright-core
// (no browser download). Playwright gives every launch a fresh temporary profile (its own
// --user-data-dir, removed on close). A missing browser fails the tests with the command that installs it.
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

export const CHROMIUM_PATH = process.env.AFU9_CHROMIUM ?? "/usr/bin/chromium";

export interface TestBrowser {
  browser: Browser;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<TestBrowser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `no Chromium at ${CHROMIUM_PATH}: the dashboard's browser tests need it. Install it with ` +
        "`sudo apt-get update && sudo apt-get install -y chromium` (Debian/Ubuntu), or point " +
        "AFU9_CHROMIUM at a Chromium or Chrome binary",
    );
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return {
    browser,
    async close() {
      await browser.close();
    },
  };
}
