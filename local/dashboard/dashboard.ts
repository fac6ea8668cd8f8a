// The local factory's web page, served by its own HTTP server on 127.0.0.1: runs (newest first)
// with their path through the state machine, a run's states, errors and GitHub writes, and in the
// sandbox the simulated repository. Server-rendered HTML; one small script from the factory
// refreshes <main> when the server signals a change over server-sent events (GET /live). A strict
// Content-Security-Policy allows nothing but the factory's own script and stylesheet.
import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";
import { ISSUE_MAIN_PATH, type AslDefinition } from "../../workflow";
import type { RunRecord, RunRecords } from "../factory/run-records";
import type { SampleIssue } from "../factory/sample-issues";
import type { RepositoryView, RepositoryViewApi } from "../github-simulator";
import { html, type Markup } from "./html";
import { page, type ShellContext } from "./layout";
import { issuePage, pullOfIssue, pullPage, repositoryPage } from "./repository-pages";
import { runPage, runRows, type RunLinks, type RunPageSandbox } from "./run-pages";
import { layoutDefinition } from "./state-graph";

export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** The sandbox's side of the dashboard: its repositories and the sample issues. */
export interface DashboardSandbox {
  repositories: RepositoryViewApi;
  /** The demo repository the navigation links to. */
  repository(): { owner: string; name: string } | undefined;
  samples: SampleIssue[];
  fileSample(id: string): { number: number };
}

export interface DashboardOptions {
  mode: "sandbox" | "github";
  runs: RunRecords;
  definition: AslDefinition;
  dataDir?: string;
  /** Real-GitHub mode: the web host issue and PR links point at. */
  webUrl?: string;
  sandbox?: DashboardSandbox;
}

export interface Dashboard {
  /** Answers a dashboard request; false = not a dashboard route. */
  handle(request: IncomingMessage, response: ServerResponse, url: URL, body: Buffer): boolean;
  /** Something shown may have changed: live pages refresh (coalesced). */
  changed(): void;
  close(): void;
}

const ASSETS = join(__dirname, "assets");
const COALESCE_MS = 250;
const HEARTBEAT_MS = 15_000;
const TEXT = "text/plain; charset=utf-8";
/** Runs listed on the front page (each refresh sends the list again); ?all=1 lists every run. */
const RUN_LIST_LIMIT = 50;

function securityHeaders(type: string): Record<string, string> {
  return {
    "content-type": type,
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    // same-origin, not no-referrer: with no-referrer a form POST carries `Origin: null`.
    "referrer-policy": "same-origin",
    "cache-control": "no-store",
  };
}

function send(response: ServerResponse, status: number, type: string, text: string): void {
  response.writeHead(status, securityHeaders(type));
  response.end(text);
}

/** Pages answer only requests addressed to the loopback address they listen on. */
function fromLoopbackPage(request: IncomingMessage): boolean {
  const port = request.socket.localPort;
  const host = request.headers.host ?? "";
  if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) return false;
  if (request.method === "GET") return true;
  // Writes: no other site's page may submit the form (a browser sends Origin on POST).
  const origin = request.headers.origin;
  const site = request.headers["sec-fetch-site"];
  return (
    (origin === undefined || origin === `http://${host}`) &&
    (site === undefined || site === "same-origin")
  );
}

export function createDashboard(options: DashboardOptions): Dashboard {
  const layout = layoutDefinition(options.definition, ISSUE_MAIN_PATH);
  const assets = {
    "/dashboard.js": readFileSync(join(ASSETS, "dashboard.js"), "utf8"),
    "/dashboard.css": readFileSync(join(ASSETS, "dashboard.css"), "utf8"),
  };
  const listeners = new Set<ServerResponse>();
  let pending: NodeJS.Timeout | undefined;
  let version = 0;
  const heartbeat = setInterval(() => {
    for (const client of listeners) client.write(": keep-alive\n\n");
  }, HEARTBEAT_MS);
  heartbeat.unref();

  const sandbox = options.sandbox;
  const shell = (): ShellContext => ({
    mode: options.mode,
    repository: sandbox?.repository(),
    dataDir: options.dataDir,
  });
  // One snapshot per repository per rendered page (a run list asks once per row).
  let snapshots = new Map<string, RepositoryView | undefined>();
  const describe = (owner: string, name: string): RepositoryView | undefined => {
    const key = `${owner}/${name}`.toLowerCase();
    if (!snapshots.has(key)) snapshots.set(key, snapshot(owner, name));
    return snapshots.get(key);
  };
  const snapshot = (owner: string, name: string): RepositoryView | undefined => {
    if (!sandbox) return undefined;
    const known = sandbox.repositories
      .listRepositories()
      .some(
        (r) =>
          r.owner.toLowerCase() === owner.toLowerCase() &&
          r.name.toLowerCase() === name.toLowerCase(),
      );
    return known ? sandbox.repositories.describeRepository(owner, name) : undefined;
  };
  const web = (options.webUrl ?? "https://github.com").replace(/\/$/, "");
  const links: RunLinks = sandbox
    ? {
        // A restored run's sandbox died with the previous process: its numbers name other
        // issues in the new sandbox, so they link nowhere.
        issue: (run) =>
          run.restored
            ? undefined
            : `/repos/${run.repository.owner}/${run.repository.name}/issues/${run.issue.number}`,
        pull: (run, n) =>
          run.restored
            ? undefined
            : `/repos/${run.repository.owner}/${run.repository.name}/pulls/${n}`,
        pullNumber: (run) => {
          if (run.pr || run.restored) return run.pr?.number;
          const view = describe(run.repository.owner, run.repository.name);
          return view ? pullOfIssue(view, run.issue.number)?.number : undefined;
        },
      }
    : {
        issue: (run) =>
          `${web}/${run.repository.owner}/${run.repository.name}/issues/${run.issue.number}`,
        pull: (run, n) => `${web}/${run.repository.owner}/${run.repository.name}/pull/${n}`,
        pullNumber: (run) => run.pr?.number,
      };
  const runsOf = (owner: string, name: string) => (issue: number) =>
    options.runs
      .list()
      .filter(
        (r) =>
          !r.restored &&
          r.issue.number === issue &&
          r.repository.owner.toLowerCase() === owner.toLowerCase() &&
          r.repository.name.toLowerCase() === name.toLowerCase(),
      );

  function sampleForm(): Markup {
    if (!sandbox || !sandbox.repository()) return html``;
    return html`<section class="samples">
      <form method="post" action="/sandbox/sample-issues">
        <span>File a sample issue in the sandbox:</span>
        ${sandbox.samples.map((s) => html`<button type="submit" name="sample" value="${s.id}" title="${s.issue.title}">${s.issue.title}<small>${s.outcome}</small></button>`)}
      </form>
    </section>`;
  }

  function runSandboxFacts(run: RunRecord): RunPageSandbox | undefined {
    const view = run.restored ? undefined : describe(run.repository.owner, run.repository.name);
    if (!view) return undefined;
    const number = links.pullNumber(run);
    const pull = view.pulls.find((p) => p.number === number);
    const issue = view.issues.find((i) => i.number === run.issue.number);
    const comments = [
      ...(issue?.comments ?? []).map((c) => ({ ...c, where: `issue #${run.issue.number}` })),
      ...(pull?.comments ?? []).map((c) => ({ ...c, where: `PR #${pull?.number}` })),
    ].sort((a, b) => a.id - b.id);
    return { pull, comments };
  }

  function runList(all: boolean, now: number): Markup {
    const runs = options.runs.list();
    const shown = all ? runs : runs.slice(0, RUN_LIST_LIMIT);
    return html`<h1>Runs</h1>
      ${runRows(shown, layout, links, now)}
      ${
        shown.length < runs.length
          ? html`<p>
              <a href="/?all=1">Show all ${runs.length} runs</a> (the newest ${shown.length} are
              shown)
            </p>`
          : ""
      }`;
  }

  /** The page for a path: [title, main, extra outside main]; undefined = no such page. */
  function render(path: string, query: URLSearchParams): [string, Markup, Markup?] | undefined {
    const now = Date.now();
    snapshots = new Map();
    if (path === "/") {
      return ["Runs", runList(query.get("all") === "1", now), sampleForm()];
    }
    const run = /^\/runs\/([^/]+)$/.exec(path);
    if (run) {
      const record = options.runs.get(decodeURIComponent(run[1]));
      if (!record) return undefined;
      return [
        `Run #${record.issue.number}`,
        runPage(record, layout, links, now, runSandboxFacts(record)),
      ];
    }
    const repo = /^\/repos\/([^/]+)\/([^/]+)(?:\/(issues|pulls)\/(\d+))?$/.exec(path);
    if (repo) {
      const [, owner, name, kind, number] = repo;
      const view = describe(decodeURIComponent(owner), decodeURIComponent(name));
      if (!view) return undefined;
      const runs = runsOf(view.owner, view.name);
      if (!kind) return [`${view.owner}/${view.name}`, repositoryPage(view, runs)];
      if (kind === "issues") {
        const issue = view.issues.find((i) => i.number === Number(number) && !i.isPull);
        return issue
          ? [`Issue #${issue.number}`, issuePage(view, issue, runs(issue.number))]
          : undefined;
      }
      const pull = view.pulls.find((p) => p.number === Number(number));
      if (!pull) return undefined;
      const issue = /^afu9\/issue-(\d+)$/.exec(pull.head);
      return [
        `Pull request #${pull.number}`,
        pullPage(view, pull, issue ? runs(Number(issue[1])) : []),
      ];
    }
    return undefined;
  }

  function fileSample(response: ServerResponse, body: Buffer): void {
    const id = new URLSearchParams(body.toString("utf8")).get("sample") ?? "";
    if (!sandbox) {
      send(response, 404, TEXT, "sample issues exist in sandbox mode only");
      return;
    }
    if (!sandbox.samples.some((s) => s.id === id)) {
      send(
        response,
        400,
        TEXT,
        `unknown sample "${id}": choose one of ${sandbox.samples.map((s) => s.id).join(", ")}`,
      );
      return;
    }
    const { number } = sandbox.fileSample(id);
    scheduleChange();
    response.writeHead(303, { location: `/?filed=${number}`, "cache-control": "no-store" });
    response.end();
  }

  function openLive(request: IncomingMessage, response: ServerResponse): void {
    response.writeHead(200, {
      ...securityHeaders("text/event-stream; charset=utf-8"),
      connection: "keep-alive",
    });
    response.write(`retry: 1000\nevent: change\ndata: ${version}\n\n`);
    listeners.add(response);
    request.on("close", () => listeners.delete(response));
  }

  let closed = false;
  function scheduleChange(): void {
    if (pending || closed) return;
    pending = setTimeout(() => {
      pending = undefined;
      version += 1;
      for (const client of listeners) client.write(`event: change\ndata: ${version}\n\n`);
    }, COALESCE_MS);
  }

  return {
    handle(request, response, url, body) {
      const method = request.method ?? "GET";
      const path = url.pathname;
      if (method === "POST" && path === "/sandbox/sample-issues") {
        if (!fromLoopbackPage(request)) {
          send(
            response,
            403,
            TEXT,
            "refused: the sample form is served to pages of this factory only",
          );
          return true;
        }
        fileSample(response, body);
        return true;
      }
      if (method !== "GET") return false;
      if (path === "/favicon.ico") {
        response.writeHead(204, { "cache-control": "max-age=86400" });
        response.end();
        return true;
      }
      if (path in assets) {
        const type = path.endsWith(".js")
          ? "text/javascript; charset=utf-8"
          : "text/css; charset=utf-8";
        send(response, 200, type, assets[path as keyof typeof assets]);
        return true;
      }
      // JSON clients of GET / (the factory's route summary) keep their answer.
      const accept = request.headers.accept ?? "";
      if (path === "/" && accept.includes("application/json") && !accept.includes("text/html")) {
        return false;
      }
      const rendered = path === "/live" ? undefined : render(path, url.searchParams);
      if (path !== "/live" && !rendered) return false;
      if (!fromLoopbackPage(request)) {
        send(
          response,
          421,
          TEXT,
          "the dashboard answers requests for 127.0.0.1 or localhost on its own port only",
        );
        return true;
      }
      if (!rendered) {
        openLive(request, response);
        return true;
      }
      const [title, main, extra] = rendered;
      const fragment = request.headers["x-afu9-fragment"] === "1";
      send(
        response,
        200,
        "text/html; charset=utf-8",
        fragment ? main.markup : page(shell(), title, main, extra),
      );
      return true;
    },
    changed: scheduleChange,
    close() {
      closed = true;
      clearInterval(heartbeat);
      if (pending) clearTimeout(pending);
      for (const client of listeners) client.end();
      listeners.clear();
    },
  };
}
