// Cold start per function: a fresh Node 24 process (node_modules/.bin/node) loads one deployment
// form (unpacked CallbackFunction archive, or the esbuild bundle of the same handler module) and
// runs one invocation against local test doubles: the GitHub simulator (local/github-simulator)
// for the task functions and a local AWS endpoint (Secrets Manager + Step Functions) for all.
// Timed from just before spawn() to the answer line on fd 3; the forms alternate run by run so
// that a busy moment of this shared machine does not land on one form only.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { createCiFeedbackHandler } from "../handlers/ci-feedback/lambda";
import { simulatorClientFactory } from "../local/github-simulator/client-factory";
import { analyzeIssueTask } from "../handlers/issue-interpreter/analyze-issue";
import { createPatchGeneratorHandler } from "../handlers/patch-generator/lambda";
import { createPrCreatorHandler } from "../handlers/pr-creator/lambda";
import { systemClock } from "../handlers/runtime/task-deps";
import type { Logger, TaskDeps } from "../handlers/shared/types";
import type {
  ExecutionInput,
  PatchResult,
  PullRequestRef,
  ValidationResult,
  WorkflowState,
} from "../contract/state";
import type { TaskEvent } from "../contract/task-actions";
import { README_TEST_HINT } from "../local/factory/demo-issues";
import { toApiGatewayEvent } from "../local/factory/http-server";
import {
  seedDemoRepository,
  signPayload,
  startGitHubSimulator,
  type GitHubSimulator,
} from "../local/github-simulator";
import { startAwsEndpointStub } from "./aws-endpoint-stub";
import { ROOT, type FunctionBuilds } from "./function-builds";
import { median, round } from "./stats";
import { issueTextSha256 } from "../handlers/shared/issue-text";

const NODE24 = join(ROOT, "node_modules", ".bin", "node");
const PROBE = join(__dirname, "cold-start-probe.cjs");
/** Budget from the benchmarks issue: cold start at most 1.5 x the esbuild bundle's. */
export const COLD_START_RATIO_BUDGET = 1.5;
const MAINTAINER = "demo-maintainer";

export type Form = "archive" | "esbuild";

export interface ColdStartSample {
  /** spawn() to the answer, measured by the parent (the budgeted figure). */
  totalMs: number;
  /** Inside the child: Node's own start until the probe runs. */
  bootMs: number;
  /** require() of the entry, including the factory's init (clients, secret read started). */
  loadMs: number;
  /** First invocation until its answer. */
  invokeMs: number;
}

export interface ColdStartRow {
  function: string;
  invocation: string;
  answer: string;
  runs: number;
  archive: {
    medianMs: number;
    bootMs: number;
    loadMs: number;
    invokeMs: number;
    samples: number[];
  };
  esbuild: {
    medianMs: number;
    bootMs: number;
    loadMs: number;
    invokeMs: number;
    samples: number[];
  };
  /** archive median / esbuild median. */
  ratio: number;
}

interface Probe {
  function: string;
  /** What the one invocation does, for the table. */
  invocation: string;
  event: unknown;
  env: Record<string, string>;
  /** Throws when the answer is not the expected one (then the timing would be meaningless). */
  check(report: ProbeReport): string;
}

interface ProbeReport {
  settled: "resolved" | "rejected" | "load-error";
  startedMs: number;
  loadedMs: number;
  answeredMs: number;
  result?: string;
  error?: string;
}

const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

function runProbe(
  entryFile: string,
  cwd: string,
  eventFile: string,
  env: Record<string, string>,
): Promise<{ report: ProbeReport; totalMs: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(NODE24, [PROBE, entryFile, eventFile], {
      cwd,
      env,
      stdio: ["ignore", "ignore", "pipe", "pipe"],
    });
    let line = "";
    let stderr = "";
    let totalMs: number | undefined;
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    const answers = child.stdio[3] as NodeJS.ReadableStream;
    answers.on("data", (chunk: Buffer) => {
      totalMs ??= performance.now() - t0;
      line += chunk.toString("utf8");
    });
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      if (totalMs === undefined || !line.trim()) {
        reject(
          new Error(
            `cold-start probe for ${entryFile} gave no answer (exit ${code}): ${stderr.slice(0, 2000)}`,
          ),
        );
        return;
      }
      resolve({ report: JSON.parse(line) as ProbeReport, totalMs, stderr });
    });
  });
}

/**
 * Walks one issue through the in-process handlers against the simulator, keeping the state each
 * task receives, so every cold-start invocation does real work on a real state document.
 */
async function prepareStates(sim: GitHubSimulator) {
  const demo = seedDemoRepository(sim, { maintainer: MAINTAINER });
  sim.programCi(demo.owner, demo.repo, { checks: ["build"], outcome: "success", delayMs: 0 });
  const issue = sim.createIssue(demo.owner, demo.repo, {
    ...README_TEST_HINT,
    user: MAINTAINER,
    labels: ["afu9"],
    authorAssociation: "MEMBER",
  });
  const opened = sim.events.find(
    (e) =>
      e.event === "issues" &&
      e.action === "opened" &&
      (e.payload.issue as { number: number }).number === issue.number,
  );
  if (!opened) throw new Error("bench: the simulator emitted no issues.opened for the bench issue");
  const deps: TaskDeps = {
    github: simulatorClientFactory(sim),
    clock: systemClock(),
    logger: silentLogger,
  };
  const input: ExecutionInput = {
    delivery: { id: opened.id, event: "issues", action: "opened" },
    installationId: demo.installationId,
    repository: {
      id: 1,
      owner: demo.owner,
      name: demo.repo,
      defaultBranch: demo.defaultBranch,
    },
    issue: {
      number: issue.number,
      title: issue.title,
      textSha256: issueTextSha256(issue.title, issue.body ?? ""),
      user: MAINTAINER,
      authorAssociation: "MEMBER",
      labels: ["afu9"],
    },
    sender: { login: MAINTAINER, id: 1 },
    settings: {
      dryRun: false,
      ciPollSeconds: 60,
      ciMaxWaitSeconds: 1800,
      ciNoChecksGraceSeconds: 300,
    },
  };
  const analysis = await analyzeIssueTask(input, deps);
  if (!analysis.actionable) {
    throw new Error(`bench: the demo issue should be actionable: ${analysis.reasons.join("; ")}`);
  }
  const patchGenerator = createPatchGeneratorHandler(deps);
  const analysed: WorkflowState = { ...input, analysis };
  const patch = (await patchGenerator({ action: "generate", state: analysed })) as PatchResult;
  const patched: WorkflowState = { ...analysed, patch };
  const validation = (await patchGenerator({
    action: "validate",
    state: patched,
  })) as ValidationResult;
  if (!validation.valid) throw new Error("bench: the demo patch should be valid");
  const validated: WorkflowState = { ...patched, validation };
  const pr = (await createPrCreatorHandler(deps)({
    action: "createPullRequest",
    state: validated,
  })) as PullRequestRef;
  const withPr: WorkflowState = { ...validated, pr };
  await createCiFeedbackHandler(deps)({ action: "evaluate", state: withPr });
  // A text-only request (no fenced block): what the interpreter's timed probe analyses.
  const plain = sim.createIssue(demo.owner, demo.repo, {
    title: "Greeting: support a custom salutation",
    body: "It would help if greet() accepted a salutation such as Hi instead of Hello.",
    user: MAINTAINER,
    labels: ["afu9"],
    authorAssociation: "MEMBER",
  });
  const plainInput: ExecutionInput = {
    ...input,
    issue: {
      ...input.issue,
      number: plain.number,
      title: plain.title,
      textSha256: issueTextSha256(plain.title, plain.body),
    },
  };
  // Its first analysis labels and comments (writes); every timed probe is then the same re-run.
  await analyzeIssueTask(plainInput, deps);
  return { opened, input, plainInput, analysed, patched, validated, withPr };
}

function taskEvent(action: TaskEvent["action"], state: WorkflowState): TaskEvent {
  return { action, state };
}

/**
 * One invocation run on both forms once, compared: a serialized closure that behaves differently
 * from the module it came from shows up here (not timed).
 */
export interface FormCheck {
  function: string;
  invocation: string;
  archive: string;
  esbuild: string;
  same: boolean;
}

export interface ColdStartResult {
  rows: ColdStartRow[];
  formChecks: FormCheck[];
}

function outcomeOf(report: ProbeReport): string {
  return report.settled === "resolved"
    ? `resolved ${(report.result ?? "").slice(0, 80)}`
    : `${report.settled}: ${(report.error ?? "").split("\n")[0].slice(0, 160)}`;
}

export async function runColdStartBench(
  builds: FunctionBuilds,
  runs: number,
  log: (line: string) => void,
): Promise<ColdStartResult> {
  const webhookSecret = randomBytes(20).toString("hex");
  const sim = await startGitHubSimulator({ validateResponses: false });
  const aws = await startAwsEndpointStub(
    JSON.stringify({ githubAppPrivateKey: sim.app.privateKey, githubWebhookSecret: webhookSecret }),
  );
  try {
    const states = await prepareStates(sim);
    const body = JSON.stringify(states.opened.payload);
    const webhookEvent = toApiGatewayEvent(
      {
        method: "POST",
        url: new URL("http://127.0.0.1/webhook"),
        headers: {
          "content-type": "application/json",
          "user-agent": "GitHub-Hookshot/bench",
          "x-github-event": "issues",
          "x-github-delivery": states.opened.id,
          "x-hub-signature-256": signPayload(webhookSecret, body),
        },
        sourceIp: "127.0.0.1",
      },
      Buffer.from(body),
    );
    const githubEnv = { AFU9_GITHUB_API_URL: sim.url, AFU9_GITHUB_APP_ID: String(sim.app.id) };
    const resolvedWith =
      (expect: (result: string) => boolean, what: string) => (report: ProbeReport) => {
        if (report.settled !== "resolved" || !expect(report.result ?? "")) {
          throw new Error(
            `cold-start invocation did not answer as expected (${what}): ${report.settled} ` +
              `${report.result ?? ""}${report.error ?? ""}`,
          );
        }
        return what;
      };
    const probes: Probe[] = [
      {
        function: "afu9-webhook",
        invocation: "signed issues.opened delivery",
        event: webhookEvent,
        env: {},
        check: resolvedWith((r) => r.includes('"statusCode":202'), "202 started"),
      },
      {
        function: "afu9-issue-interpreter",
        invocation: "analyze (text-only issue)",
        event: taskEvent("analyze", states.plainInput),
        env: githubEnv,
        check: resolvedWith((r) => r.includes('"actionable"'), "analysis"),
      },
      {
        function: "afu9-patch-generator",
        invocation: "validate",
        event: taskEvent("validate", states.patched),
        env: githubEnv,
        check: resolvedWith((r) => r.includes('"valid":true'), "valid"),
      },
      {
        function: "afu9-pr-creator",
        invocation: "createPullRequest (reuse)",
        event: taskEvent("createPullRequest", states.validated),
        env: githubEnv,
        check: resolvedWith((r) => r.includes('"headSha"'), "PR ref"),
      },
      {
        function: "afu9-ci-feedback",
        invocation: "evaluate",
        event: taskEvent("evaluate", states.withPr),
        env: githubEnv,
        check: resolvedWith((r) => r.includes('"outcome":"success"'), "CI success"),
      },
    ];

    const samples = new Map<string, Record<Form, ColdStartSample[]>>();
    const answers = new Map<string, string>();
    const prepared = probes.map((probe) => {
      const fn = builds.functions.find((f) => f.name === probe.function);
      if (!fn) throw new Error(`bench: no build of ${probe.function}`);
      const eventFile = join(builds.root, `${probe.function}.event.json`);
      writeFileSync(eventFile, JSON.stringify(probe.event));
      const env: Record<string, string> = {
        PATH: process.env.PATH ?? "",
        NODE_PATH: builds.runtimeNodePath,
        ...fn.archive.environment,
        ...probe.env,
        AWS_REGION: "eu-west-1",
        AWS_ACCESS_KEY_ID: "AKIABENCHCOLDSTART00",
        AWS_SECRET_ACCESS_KEY: "bench-not-a-secret",
        AWS_ENDPOINT_URL: aws.url,
        AWS_LAMBDA_FUNCTION_NAME: probe.function,
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "256",
      };
      samples.set(probe.function, { archive: [], esbuild: [] });
      return { probe, fn, eventFile, env };
    });

    // One untimed round per form first: the OS file cache holds both forms alike afterwards.
    for (let run = -1; run < runs; run += 1) {
      for (const { probe, fn, eventFile, env } of prepared) {
        // Alternate which form goes first, run by run.
        const order: Form[] = run % 2 === 0 ? ["archive", "esbuild"] : ["esbuild", "archive"];
        for (const form of order) {
          const entry = form === "archive" ? join(fn.archive.dir, "__index.js") : fn.bundleFile;
          const cwd = form === "archive" ? fn.archive.dir : fn.bundleDir;
          const { report, totalMs } = await runProbe(entry, cwd, eventFile, env);
          try {
            answers.set(probe.function, probe.check(report));
          } catch (error) {
            throw new Error(`${probe.function} (${form}): ${(error as Error).message}`, {
              cause: error,
            });
          }
          if (run < 0) continue;
          samples.get(probe.function)![form].push({
            totalMs,
            bootMs: report.startedMs,
            loadMs: report.loadedMs - report.startedMs,
            invokeMs: report.answeredMs - report.loadedMs,
          });
        }
      }
      if (run >= 0) log(`  cold start: run ${run + 1}/${runs} done`);
    }

    const crossChecks = [
      {
        function: "afu9-issue-interpreter",
        invocation: "analyze (issue with a fenced diff)",
        event: taskEvent("analyze", states.input),
      },
      {
        function: "afu9-patch-generator",
        invocation: "generate (issue with a fenced diff)",
        event: taskEvent("generate", states.analysed),
      },
    ];
    const formChecks: FormCheck[] = [];
    for (const check of crossChecks) {
      const { fn, env } = prepared.find((p) => p.probe.function === check.function)!;
      const eventFile = join(builds.root, `${check.function}.check.json`);
      writeFileSync(eventFile, JSON.stringify(check.event));
      const archive = await runProbe(
        join(fn.archive.dir, "__index.js"),
        fn.archive.dir,
        eventFile,
        env,
      );
      const esbuild = await runProbe(fn.bundleFile, fn.bundleDir, eventFile, env);
      formChecks.push({
        function: check.function,
        invocation: check.invocation,
        archive: outcomeOf(archive.report),
        esbuild: outcomeOf(esbuild.report),
        same: archive.report.settled === esbuild.report.settled,
      });
    }

    const rows = probes.map((probe) => {
      const forms = samples.get(probe.function)!;
      const summary = (list: ColdStartSample[]) => ({
        medianMs: round(median(list.map((s) => s.totalMs))),
        bootMs: round(median(list.map((s) => s.bootMs))),
        loadMs: round(median(list.map((s) => s.loadMs))),
        invokeMs: round(median(list.map((s) => s.invokeMs))),
        samples: list.map((s) => round(s.totalMs)),
      });
      const archive = summary(forms.archive);
      const esbuild = summary(forms.esbuild);
      return {
        function: probe.function,
        invocation: probe.invocation,
        answer: answers.get(probe.function) ?? "",
        runs,
        archive,
        esbuild,
        ratio: round(archive.medianMs / esbuild.medianMs, 2),
      };
    });
    return { rows, formChecks };
  } finally {
    await aws.close();
    await sim.close();
  }
}
