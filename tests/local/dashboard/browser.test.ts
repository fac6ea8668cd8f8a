// The dashboard in headless Chromium against one sandbox (GitHub simulator + local factory): a
// person files a sample issue from the page, watches its run reach Merged without reloading,
// opens its pull request (diff, green checks); a CI-failed run shows the failing check and the
// feedback comment; GitHub text renders as text; every request stays on the factory's origin.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import type { FactorySettings } from "../../../contract/state";
import { createFactoryOutput } from "../../../local/factory/output";
import { startSandbox, type Sandbox } from "../../../local/factory/sandbox";
import { launchChromium, type TestBrowser } from "../../support/chromium";
import { REPO_ROOT } from "../../support/repo-root";

const SETTINGS: FactorySettings = {
  dryRun: false,
  ciPollSeconds: 60,
  ciMaxWaitSeconds: 1800,
  ciNoChecksGraceSeconds: 300,
};

const ROOT = REPO_ROOT;
let chromium: TestBrowser;
let browser: Browser;
let sandbox: Sandbox;
const requested: string[] = [];
/** The factories the pages were opened on (the shared sandbox, the restarted `npm start`). */
const factoryOrigins = new Set<string>();
const problems: string[] = [];

async function openPage(path: string): Promise<Page> {
  const page = await browser.newPage();
  // The machine may be busy (CI runners, parallel jest workers): generous waits.
  page.setDefaultTimeout(60_000);
  page.on("request", (request) => requested.push(request.url()));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(message.text());
  });
  page.on("pageerror", (error) => problems.push(error.message));
  await page.goto(`${sandbox.factory.url}${path}`);
  return page;
}

/** Marks the document: a reload or navigation would lose the mark. */
async function markDocument(page: Page): Promise<void> {
  await page.evaluate("window.afu9Mark = 1");
}

async function stillSameDocument(page: Page): Promise<boolean> {
  return (await page.evaluate("window.afu9Mark === 1")) === true;
}

beforeAll(async () => {
  chromium = await launchChromium();
  browser = chromium.browser;
  sandbox = await startSandbox({
    port: 0,
    settings: SETTINGS,
    // A 60 s CI poll takes 600 ms: slow enough to watch a run in WaitForCI, fast for a test.
    timeScale: 0.01,
    retryDelayMs: 5,
    output: createFactoryOutput({ mode: "silent" }),
    ciDelayMs: 900,
    githubRetryBaseMs: 5,
  });
}, 120_000);

afterAll(async () => {
  await sandbox?.close();
  await chromium?.close();
});

test("file a sample issue from the page, watch its run reach Merged live, open its PR", async () => {
  const page = await openPage("/");
  await page.waitForSelector('body[data-live="connected"]');
  await page.getByRole("button", { name: /Docs: say how to run the tests/ }).click();
  await page.waitForURL(/\/\?filed=\d+$/);
  const issue = Number(new URL(page.url()).searchParams.get("filed"));
  await page.waitForSelector('body[data-live="connected"]');
  await markDocument(page);

  const row = `tr.run[data-issue="${issue}"]`;
  // While it runs: the outcome says so and the miniature marks the current state.
  await page.waitForSelector(`${row} [data-outcome^="running"]`);
  await page.waitForSelector(`${row} svg.mini-graph .state.current`);
  await page.waitForSelector(`${row} [data-outcome="Merged"]`);
  expect(await stillSameDocument(page)).toBe(true);
  expect(
    await page.locator(`${row} svg.mini-graph .state.visited[data-state="Merged"]`).count(),
  ).toBe(1);
  expect(await page.locator(`${row} svg.mini-graph .state.current`).count()).toBe(0);

  // The run page: the graph with the path highlighted, the states, the writes.
  await page.click(`${row} td:first-child a`);
  await page.waitForSelector("svg.state-graph");
  for (const state of ["AnalyzeIssue", "CreatePullRequest", "WaitForCI", "AutoMerge", "Merged"]) {
    expect(
      await page.locator(`svg.state-graph .state.visited[data-state="${state}"]`).count(),
    ).toBe(1);
  }
  expect(
    await page.locator('svg.state-graph .state.visited[data-state="PostFeedback"]').count(),
  ).toBe(0);
  expect(await page.locator('table.visits tr[data-state="WaitForCI"]').count()).toBeGreaterThan(0);
  const writes = await page.locator("table.writes").innerText();
  expect(writes).toMatch(/POST \/repos\/afu9-demo\/demo-app\/pulls\b/);
  expect(writes).toMatch(/PUT \/repos\/afu9-demo\/demo-app\/pulls\/\d+\/merge/);

  // Run -> PR: the diff and the green checks; PR -> issue -> the run again.
  await page.click("a.pr-link");
  await page.waitForSelector(".merge-state");
  expect(await page.locator(".merge-state").innerText()).toBe("merged");
  for (const check of ["build", "test"]) {
    expect(await page.locator(`ul.checks .check.success[data-check="${check}"]`).count()).toBe(1);
  }
  const added = await page.locator('.file[data-file="README.md"] .line.add').allInnerTexts();
  expect(added).toContain("+Run the tests with `npm test`.");
  await page.click("a.issue-link");
  await page.waitForSelector("pre.issue-body");
  expect(await page.locator("h1").innerText()).toContain("Docs: say how to run the tests");
  expect(await page.locator("a.run-link").first().innerText()).toBe("Merged");
  await page.close();
}, 120_000);

test("a CI-failed run shows the failing checks and the feedback comment", async () => {
  const page = await openPage("/");
  await page.waitForSelector('body[data-live="connected"]');
  await page.getByRole("button", { name: /Greeting should end with an exclamation mark/ }).click();
  await page.waitForURL(/\/\?filed=\d+$/);
  const issue = Number(new URL(page.url()).searchParams.get("filed"));
  const row = `tr.run[data-issue="${issue}"]`;
  await page.waitForSelector(`${row} [data-outcome="CIFailed"]`);

  await page.click(`${row} td:first-child a`);
  await page.waitForSelector("svg.state-graph");
  expect(
    await page.locator('svg.state-graph .state.visited[data-state="PostFeedback"]').count(),
  ).toBe(1);
  expect(await page.locator('svg.state-graph .state.visited[data-state="AutoMerge"]').count()).toBe(
    0,
  );
  for (const check of ["build", "test"]) {
    expect(await page.locator(`ul.checks .check.failure[data-check="${check}"]`).count()).toBe(1);
  }
  const comments = await page.locator(".comment").allInnerTexts();
  expect(comments.some((c) => c.includes("CI failed") && c.includes("build"))).toBe(true);

  await page.click("a.pr-link");
  await page.waitForSelector(".merge-state");
  expect(await page.locator('[data-pull-state="open"]').count()).toBe(1);
  expect(await page.locator(".comment").allInnerTexts()).toEqual(
    expect.arrayContaining([expect.stringContaining("CI failed")]),
  );
  await page.close();
}, 120_000);

test("GitHub text renders as text: an issue with markup runs no script", async () => {
  const demo = sandbox.demo!;
  const issue = sandbox.sim.createIssue(demo.owner, demo.repo, {
    title: "<script>window.afu9Injected = 1</script> title",
    body: '<img src="http://198.51.100.7/x.png" onerror="window.afu9Injected = 2"> body </pre><b>bold</b>',
    user: "random-visitor",
    labels: [],
  });
  sandbox.sim.addComment(demo.owner, demo.repo, issue.number, {
    body: '<svg onload="window.afu9Injected = 3"></svg>',
    user: "random-visitor",
  });
  await sandbox.settle();
  const page = await openPage(`/repos/${demo.owner}/${demo.repo}/issues/${issue.number}`);
  expect(await page.locator("h1").innerText()).toContain(
    "<script>window.afu9Injected = 1</script>",
  );
  expect(await page.locator("pre.issue-body").innerText()).toContain(
    '<img src="http://198.51.100.7/x.png"',
  );
  expect(await page.locator("main img, main pre b, main pre svg, main script").count()).toBe(0);
  const list = await openPage(`/repos/${demo.owner}/${demo.repo}`);
  expect(await list.locator(`tr[data-issue="${issue.number}"]`).innerText()).toContain("<script>");
  for (const p of [page, list]) {
    expect(await p.evaluate("typeof window.afu9Injected")).toBe("undefined");
    await p.close();
  }
});

test("JavaScript from the factory only: the policy blocks inline and foreign scripts", async () => {
  const page = await openPage("/");
  await page.waitForSelector('body[data-live="connected"]');
  const response = await page.request.get(`${sandbox.factory.url}/`);
  expect(response.headers()["content-security-policy"]).toContain("default-src 'self'");
  const scripts = await page.evaluate("[...document.scripts].map((s) => s.src)");
  expect(scripts).toEqual([`${sandbox.factory.url}/dashboard.js`]);
  // An inline script added to the page does not run.
  await page.evaluate(
    'document.body.appendChild(Object.assign(document.createElement("script"), ' +
      '{ textContent: "window.afu9Inline = 1" }))',
  );
  expect(await page.evaluate("typeof window.afu9Inline")).toBe("undefined");
  // The page's own script did run: it connected to the live feed.
  expect(await page.getAttribute("body", "data-live")).toBe("connected");
  await page.close();
});

interface StartedFactory {
  dashboardUrl: string;
  stop(): Promise<number | null>;
}

/** `npm start`'s own command (package.json), JSON output, with a data directory. */
async function npmStart(dataDir: string): Promise<StartedFactory> {
  const script = (
    JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
      scripts: { start: string };
    }
  ).scripts.start;
  const [command, ...args] = script.split(" ");
  expect(command).toBe("node");
  const child = spawn(
    join(ROOT, "node_modules/.bin/node"),
    [...args, "--port", "0", "--json", "--time-scale", "0.01", "--data-dir", dataDir],
    { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
  );
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => resolve(code)),
  );
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const dashboardUrl = await new Promise<string>((resolve, reject) => {
    let buffered = "";
    child.stdout.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      for (const line of buffered.split("\n")) {
        const url = /"dashboardUrl":"([^"]+)"/.exec(line)?.[1];
        if (url) resolve(url);
      }
    });
    void exited.then((code) => reject(new Error(`npm start exited (${code}): ${stderr}`)));
  });
  return {
    dashboardUrl,
    async stop() {
      child.kill("SIGINT");
      return exited;
    },
  };
}

test("with a data directory, finished runs are still listed after npm start restarts", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "afu9-dashboard-data-"));
  try {
    const first = await npmStart(dataDir);
    const filed = await fetch(`${first.dashboardUrl}sandbox/sample-issues`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "sample=merged",
      redirect: "manual",
    });
    expect(filed.status).toBe(303);
    let executions: Array<{ issue: number; status: string; states: string[] }> = [];
    for (let i = 0; i < 600 && !executions.some((e) => e.status !== "RUNNING"); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      executions = (await (
        await fetch(`${first.dashboardUrl}executions`)
      ).json()) as typeof executions;
    }
    expect(executions).toEqual([expect.objectContaining({ issue: 1, status: "SUCCEEDED" })]);
    expect(executions[0].states.at(-1)).toBe("Merged");
    expect(await first.stop()).toBe(0);

    const second = await npmStart(dataDir);
    try {
      const page = await browser.newPage();
      page.setDefaultTimeout(60_000);
      page.on("request", (request) => requested.push(request.url()));
      factoryOrigins.add(new URL(second.dashboardUrl).origin);
      await page.goto(second.dashboardUrl);
      const row = page.locator('tr.run[data-issue="1"]');
      expect(await row.locator('[data-outcome="Merged"]').count()).toBe(1);
      expect(await row.locator(".tag").innerText()).toBe("restored");
      // The old sandbox is gone: its issue number names nothing in the new one, so no link.
      expect(await row.locator('a[href*="/issues/"]').count()).toBe(0);
      await row.locator("td:first-child a").click();
      await page.waitForSelector("svg.state-graph");
      expect(
        await page.locator('svg.state-graph .state.visited[data-state="Merged"]').count(),
      ).toBe(1);
      expect(await page.locator("table.writes").innerText()).toMatch(
        /PUT \/repos\/\S+\/pulls\/\d+\/merge/,
      );
      await page.close();
    } finally {
      await second.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}, 180_000);

test("every request the pages made went to the factory on 127.0.0.1", () => {
  expect(requested.length).toBeGreaterThan(10);
  factoryOrigins.add(new URL(sandbox.factory.url).origin);
  for (const origin of factoryOrigins) expect(origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(requested.filter((url) => !factoryOrigins.has(new URL(url).origin))).toEqual([]);
  // The only console errors are the policy refusing the test's own injected inline script.
  expect(problems.filter((p) => !/Content Security Policy/.test(p))).toEqual([]);
});
