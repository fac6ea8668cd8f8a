// `npm run screenshots`: the dashboard's run page and repository view as PNGs under docs/, taken
// in headless Chromium (the browser tests' setup) on a fresh sandbox after two sample issues ran.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { createFactoryOutput } from "../local/factory/output";
import { startSandbox } from "../local/factory/sandbox";
import { launchChromium } from "../tests/support/chromium";

const DOCS = join(__dirname, "..", "docs");
const SHOTS = [
  "dashboard-runs.png",
  "dashboard-run.png",
  "dashboard-repository.png",
  "dashboard-pull.png",
];
const VIEWPORT = { width: 1440, height: 900 };
/** The run page's graph and states fit in this height; the writes below it are left out. */
const RUN_PAGE = { x: 0, y: 0, width: 1440, height: 1020 };

async function main(): Promise<void> {
  const sandbox = await startSandbox({
    port: 0,
    settings: {
      dryRun: false,
      ciPollSeconds: 60,
      ciMaxWaitSeconds: 1800,
      ciNoChecksGraceSeconds: 300,
    },
    timeScale: 0.01,
    output: createFactoryOutput({ mode: "silent" }),
    ciDelayMs: 900,
    githubRetryBaseMs: 50,
  });
  const chromium = await launchChromium();
  try {
    const page = await chromium.browser.newPage({ viewport: VIEWPORT });
    await page.goto(`${sandbox.factory.url}/`);
    for (const title of [/Greeting should end/, /Docs: say how to run the tests/]) {
      await page.getByRole("button", { name: title }).click();
      await page.waitForURL(/\?filed=/);
      await sandbox.settle();
    }
    await page.goto(`${sandbox.factory.url}/`);
    const merged = page.locator('tr.run:has([data-outcome="Merged"]) td:first-child a');
    await merged.click();
    await page.waitForSelector("svg.state-graph");
    mkdirSync(DOCS, { recursive: true });
    await page.screenshot({
      path: join(DOCS, "dashboard-run.png"),
      fullPage: true,
      clip: RUN_PAGE,
    });
    const demo = sandbox.demo!;
    await page.goto(`${sandbox.factory.url}/repos/${demo.owner}/${demo.repo}`);
    await page.screenshot({
      path: join(DOCS, "dashboard-repository.png"),
      clip: { x: 0, y: 0, width: 1440, height: 560 },
    });
    await page.locator('tr[data-pull] a:has-text("Docs")').click();
    await page.waitForSelector(".file");
    await page.screenshot({ path: join(DOCS, "dashboard-pull.png") });
    await page.goto(`${sandbox.factory.url}/`);
    await page.screenshot({
      path: join(DOCS, "dashboard-runs.png"),
      clip: { x: 0, y: 0, width: 1440, height: 420 },
    });
    process.stdout.write(`screenshots in ${DOCS}: ${SHOTS.join(", ")}\n`);
  } finally {
    await chromium.close();
    await sandbox.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`screenshots: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
