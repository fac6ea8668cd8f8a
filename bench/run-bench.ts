// `npm run bench`: AFU-9's performance figures and budgets in one table, written to
// bench/results.json; exit code 1 when a budget is broken or a part fails, 2 for bad arguments
// (the budgets live here, not in unit tests).
//
//   npm run bench                                  every part
//   npm run bench -- --only size,cold              some parts: size, cold, webhook, cost, latency,
//                                                  throughput,
//                                                  localize (a run of some parts keeps the other
//                                                  parts' figures already in results.json)
//   npm run bench -- --runs 15                     cold-start runs per function and form (>= 10)
//   npm run bench -- --n 500                       throughput deliveries (also AFU9_BENCH_N; 200)
//   npm run bench -- --out /tmp/r.json             write the results elsewhere
//
// Runs under ts-node (transpile-only) on Node 24: tsx cannot require the ESM-only
// @octokit/webhooks chain that the webhook part loads.
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { writeFileSync } from "node:fs";
import { COLD_START_RATIO_BUDGET, runColdStartBench, type ColdStartResult } from "./cold-start";
import { CI_MINUTES, CI_WAIT_MODES, runCostBench, type CostResult } from "./cost-per-issue";
import { EVENTS_P50_BUDGET_MS, runLatencyBench, type LatencyResult } from "./ci-latency";
import { runRepairCostCheck } from "./cost-repair";
import { runSandboxCostCheck } from "./cost-sandbox-check";
import {
  runThroughputBench,
  THROUGHPUT_BUDGET_N,
  type ThroughputResult,
} from "./factory-throughput";
import {
  buildFunctionForms,
  measureSizes,
  type FunctionBuilds,
  type SizeRow,
} from "./function-builds";
import { localizeRows } from "./localize/localize-rows";
import { keepEarlierParts } from "./merge-results";
import { formatBytes, renderTable, round } from "./stats";
// One definition of the 1 MB budget, shared with the archive test and `npm run size`.
import { ARCHIVE_ZIPPED_BUDGET_BYTES } from "../tests/components/support/archive-files";
import type { WebhookBenchResult } from "./webhook-latency";

const PARTS = ["size", "cold", "webhook", "cost", "latency", "throughput", "localize"] as const;
/** events mode: state transitions per merged issue, whatever the CI duration (flat). */
const EVENTS_TRANSITIONS_BUDGET = 20;
type Part = (typeof PARTS)[number];
const MIN_COLD_RUNS = 10;
/**
 * GitHub records a delivery that takes longer than 10 s to answer as failed and does not redeliver
 * it by itself (GitHub Docs, "Handling failed webhook deliveries").
 */
const GITHUB_DELIVERY_TIMEOUT_MS = 10_000;

interface Options {
  parts: Part[];
  runs: number;
  n: number;
  out: string;
}

interface Budget {
  part: Part;
  name: string;
  limit: string;
  actual: string;
  ok: boolean;
}

function usageError(message: string): Error {
  return Object.assign(new Error(`${message}\nsee the header of bench/run-bench.ts for usage`), {
    code: "AFU9_BENCH_USAGE",
  });
}

function parseOptions(argv: string[]): Options {
  const options: Options = {
    parts: [...PARTS],
    runs: MIN_COLD_RUNS,
    n: Number(process.env.AFU9_BENCH_N ?? THROUGHPUT_BUDGET_N),
    out: join(__dirname, "results.json"),
  };
  for (let i = 0; i < argv.length; i += 1) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = () => {
      const v = inline ?? argv[(i += 1)];
      if (v === undefined) throw usageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case "--only": {
        const parts = value()
          .split(",")
          .map((p) => p.trim())
          .filter(Boolean);
        const unknown = parts.filter((p) => !(PARTS as readonly string[]).includes(p));
        if (unknown.length > 0 || parts.length === 0) {
          throw usageError(`--only takes parts from ${PARTS.join(", ")}; got "${parts.join(",")}"`);
        }
        options.parts = PARTS.filter((p) => parts.includes(p));
        break;
      }
      case "--runs":
        options.runs = Number(value());
        break;
      case "--n":
        options.n = Number(value());
        break;
      case "--out":
        options.out = value();
        break;
      default:
        throw usageError(`unknown argument "${argv[i]}"`);
    }
  }
  if (!Number.isInteger(options.runs) || options.runs < MIN_COLD_RUNS) {
    throw usageError(
      `--runs must be a whole number >= ${MIN_COLD_RUNS} (the median of at least 10 cold starts)`,
    );
  }
  if (!Number.isInteger(options.n) || options.n < 1) {
    throw usageError(`--n (or AFU9_BENCH_N) must be a whole number >= 1, got ${options.n}`);
  }
  return options;
}

const FUNCTION_KEYS: Record<string, string> = {
  "afu9-webhook": "webhook",
  "afu9-issue-interpreter": "issueInterpreter",
  "afu9-patch-generator": "patchGenerator",
  "afu9-pr-creator": "prCreator",
  "afu9-ci-feedback": "ciFeedback",
  "afu9-notifier": "notifier",
};

const usd = (value: number) => `$${value.toFixed(6)}`;

async function main(): Promise<void> {
  const major = Number(process.versions.node.split(".")[0]);
  if (major < 24) {
    throw new Error(
      `the bench needs Node 24 (node_modules/.bin/node), this is ${process.version}: run it as ` +
        "`npm run bench` so npm puts the project's Node 24 first on PATH",
    );
  }
  const options = parseOptions(process.argv.slice(2));
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const started = Date.now();
  const budgets: Budget[] = [];
  const rows: string[][] = [];
  const findings: string[] = [];
  const results: Record<string, unknown> = {
    generatedAt: new Date().toISOString(),
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(" ")}` : ""}`,
    machine: {
      node: process.version,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      loadAverageAtStart: loadavg().map((l) => round(l, 2)),
    },
    parts: {} as Record<string, unknown>,
  };
  const parts = results.parts as Record<string, unknown>;
  const budget = (b: Budget) => {
    budgets.push(b);
    return b.ok ? "ok" : "BROKEN";
  };

  let builds: FunctionBuilds | undefined;
  let cold: ColdStartResult | undefined;
  try {
    if (options.parts.includes("size") || options.parts.includes("cold")) {
      log(
        "building the CallbackFunction archives (Pulumi mocks, dev stack) and esbuild bundles ...",
      );
      builds = await buildFunctionForms();
    }
    if (options.parts.includes("size") && builds) {
      const sizes: SizeRow[] = measureSizes(builds);
      parts.size = { zippedBudgetBytes: ARCHIVE_ZIPPED_BUDGET_BYTES, rows: sizes };
      for (const s of sizes) {
        const ok = s.archiveZippedBytes <= ARCHIVE_ZIPPED_BUDGET_BYTES;
        rows.push([
          "size",
          s.function,
          `archive ${formatBytes(s.archiveZippedBytes)} zip / ${formatBytes(s.archiveUnzippedBytes)} (${s.archiveFiles} files); ` +
            `esbuild ${formatBytes(s.esbuildZippedBytes)} / ${formatBytes(s.esbuildUnzippedBytes)}; ` +
            `ratio ${s.zippedRatio.toFixed(1)}x zip, ${s.unzippedRatio.toFixed(1)}x unzip` +
            (ok
              ? ""
              : `; largest: ${s.largestPackages
                  .slice(0, 3)
                  .map((p) => `${p.name} ${formatBytes(p.zippedBytes)}`)
                  .join(", ")}; JS the handler imports ${formatBytes(s.zippedByKind.imported)}, ` +
                `JS it never imports ${formatBytes(s.zippedByKind.notImported)}, non-code ` +
                `${formatBytes(s.archiveZippedBytes - s.zippedByKind.imported - s.zippedByKind.notImported)}`),
          "archive <= 1 MB zip",
          budget({
            part: "size",
            name: `${s.function} archive zipped`,
            limit: `<= ${ARCHIVE_ZIPPED_BUDGET_BYTES} bytes`,
            actual: `${s.archiveZippedBytes} bytes`,
            ok,
          }),
        ]);
      }
    }
    if (options.parts.includes("cold") && builds) {
      log(`cold starts: ${options.runs} runs per function and form (+1 untimed) ...`);
      cold = await runColdStartBench(builds, options.runs, log);
      parts.coldStart = { ratioBudget: COLD_START_RATIO_BUDGET, ...cold };
      for (const c of cold.rows) {
        const ok = c.ratio <= COLD_START_RATIO_BUDGET;
        rows.push([
          "cold",
          `${c.function}: ${c.invocation}`,
          `archive ${c.archive.medianMs} ms (boot ${c.archive.bootMs} + load ${c.archive.loadMs} + invoke ${c.archive.invokeMs}); ` +
            `esbuild ${c.esbuild.medianMs} ms (${c.esbuild.bootMs} + ${c.esbuild.loadMs} + ${c.esbuild.invokeMs}); ` +
            `ratio ${c.ratio.toFixed(2)}; median of ${c.runs}; answer ${c.answer}`,
          `<= ${COLD_START_RATIO_BUDGET}x esbuild`,
          budget({
            part: "cold",
            name: `${c.function} cold start ratio`,
            limit: `<= ${COLD_START_RATIO_BUDGET}`,
            actual: String(c.ratio),
            ok,
          }),
        ]);
      }
      for (const check of cold.formChecks) {
        if (!check.same) {
          findings.push(
            `${check.function} ${check.invocation}: the CallbackFunction archive answers ` +
              `"${check.archive}", the esbuild bundle of the same module "${check.esbuild}"`,
          );
        }
        rows.push([
          "forms",
          `${check.function}: ${check.invocation}`,
          `archive ${check.archive.slice(0, 90)}; esbuild ${check.esbuild.slice(0, 60)}`,
          "same answer",
          check.same ? "same" : "DIFFERENT",
        ]);
      }
    }
  } finally {
    builds?.dispose();
  }

  if (options.parts.includes("webhook")) {
    log("webhook handler latency ...");
    // Loaded here, not at the top: it pulls in the ESM-only @octokit/webhooks only when needed.
    const { runWebhookBench } = await import("./webhook-latency");
    const webhook: WebhookBenchResult = await runWebhookBench();
    parts.webhook = webhook;
    for (const s of webhook.sizes) {
      const isBudgeted = s.label === "100 KB";
      rows.push([
        "webhook",
        `${s.label} delivery (${s.iterations} runs)`,
        `p50 ${s.p50Ms.toFixed(2)} ms, p99 ${s.p99Ms.toFixed(2)} ms, max ${s.maxMs.toFixed(2)} ms; ` +
          `cpu p50 ${s.cpuP50Ms.toFixed(2)} ms, p99 ${s.cpuP99Ms.toFixed(2)} ms`,
        isBudgeted ? `p99 < ${webhook.budget.limitMs} ms` : "",
        isBudgeted
          ? budget({
              part: "webhook",
              name: webhook.budget.name,
              limit: `< ${webhook.budget.limitMs} ms`,
              actual: `${webhook.budget.actualMs} ms`,
              ok: webhook.budget.ok,
            })
          : "",
      ]);
    }
  }

  if (options.parts.includes("cost")) {
    log("cost per issue (real definition, local runner, scaled waits) ...");
    const initMs: Record<string, number> = {};
    for (const c of cold?.rows ?? []) {
      initMs[FUNCTION_KEYS[c.function]] = round(c.archive.bootMs + c.archive.loadMs, 0);
    }
    const repaired = await runRepairCostCheck();
    const repairedRow = [
      "cost",
      "repaired issue (sandbox: model writes it, CI red, 1 repair commit, CI green)",
      `${repaired.stateTransitions} transitions, ${repaired.taskInvocations} Lambda task invocations ` +
        `(${Object.entries(repaired.invocationsByAction)
          .map(([action, count]) => `${count} ${action}`)
          .join(", ")}), ${repaired.modelCalls} model calls ` +
        `(${repaired.modelTokens.input} in + ${repaired.modelTokens.output} out tokens), ` +
        `${repaired.repairRounds} repair round(s), ${repaired.ciVerdicts} CI verdicts; SFN ` +
        `${usd(repaired.usd.stepFunctions)} + Lambda requests ${usd(repaired.usd.lambdaRequests)}; ` +
        `${repaired.status} at ${repaired.last}`,
      "",
      "",
    ];
    log(`${repairedRow[1]}: ${repairedRow[2]}`);
    rows.push(repairedRow);
    const check = await runSandboxCostCheck();
    const cost: CostResult = await runCostBench(
      initMs,
      cold ? "measured here: archive boot + load medians of the cold-start part" : undefined,
      {
        count: check.webhookDeliveries,
        source: "counted in the sandbox run (sandboxCheck)",
      },
    );
    parts.cost = { ...cost, sandboxCheck: check, repaired };
    const run = check.executions[0];
    const subscribedCount = Object.entries(check.deliveries)
      .filter(([key]) => check.subscribedEvents.includes(key.split(".")[0]))
      .reduce((sum, [, count]) => sum + count, 0);
    rows.push([
      "cost",
      `sandbox run: real handlers, CI ${check.ciMinutes} min`,
      `${check.webhookDeliveries} webhook deliveries per issue (${Object.entries(check.deliveries)
        .filter(([key]) => check.subscribedEvents.includes(key.split(".")[0]))
        .map(([key, count]) => `${count} ${key}`)
        .join(", ")}${
        check.webhookDeliveries > subscribedCount
          ? ", + 1 issues.closed by the merge (GitHub sends it; the simulator does not)"
          : ""
      }); ${check.executions.length} execution(s)` +
        (run
          ? `: ${run.transitions} transitions, ${run.taskInvocations} task invocations, ${run.status} at ${run.last}`
          : "") +
        `; in-process task ms vs the simulator: ${Object.entries(check.taskMedianMs)
          .map(([action, ms]) => `${action} ${ms}`)
          .join(", ")}`,
      "",
      "",
    ]);
    for (const mode of CI_WAIT_MODES) {
      for (const minutes of CI_MINUTES) {
        for (const r of cost.rows.filter((row) => row.ciMinutes === minutes && row.mode === mode)) {
          const budgeted = mode === "events";
          rows.push([
            "cost",
            `${r.stack}, ${mode}: CI takes ${r.ciMinutes} min`,
            `${r.stateTransitions} transitions, ${r.lambdaInvocations} Lambda invocations ` +
              `(${r.taskInvocations} task + ${r.webhookInvocations} webhook), ${r.gbSeconds} GB-s, ` +
              `${r.dynamoDbWrites} DynamoDB writes + ${r.dynamoDbReads} reads; ` +
              `${usd(r.usd.total)}/issue (SFN ${usd(r.usd.stepFunctions)}, Lambda ` +
              `${usd(r.usd.lambdaRequests + r.usd.lambdaDuration)}, API ${usd(r.usd.apiGateway)}, ` +
              `DynamoDB ${usd(r.usd.dynamoDb)}); ${r.outcome}`,
            budgeted ? `<= ${EVENTS_TRANSITIONS_BUDGET} transitions` : "",
            budgeted
              ? budget({
                  part: "cost",
                  name: `${r.stack} events mode, ${r.ciMinutes}-minute CI: transitions per merged issue`,
                  limit: `<= ${EVENTS_TRANSITIONS_BUDGET}`,
                  actual: String(r.stateTransitions),
                  ok:
                    r.stateTransitions <= EVENTS_TRANSITIONS_BUDGET && r.outcome.includes("Merged"),
                })
              : "",
          ]);
        }
      }
    }
  }

  if (options.parts.includes("latency")) {
    log("CI-to-merge latency at real time, events vs poll (about 2 minutes) ...");
    const latency: LatencyResult = await runLatencyBench(10, 2500, log);
    parts.latency = latency;
    for (const m of latency.modes) {
      const budgeted = m.mode === "events";
      rows.push([
        "latency",
        `${m.mode}${m.mode === "poll" ? ` (${latency.ciPollSeconds} s polls)` : ""}: last CI delivery -> merge request, ${m.merged}/${m.issues} issues`,
        `p50 ${m.p50Ms} ms, max ${m.maxMs} ms`,
        budgeted ? `p50 <= ${EVENTS_P50_BUDGET_MS} ms` : "",
        budgeted
          ? budget({
              part: "latency",
              name: "events mode: CI delivery to merge request, p50",
              limit: `<= ${EVENTS_P50_BUDGET_MS} ms`,
              actual: `${m.p50Ms} ms`,
              ok: m.merged >= 10 && m.merged === m.issues && m.p50Ms <= EVENTS_P50_BUDGET_MS,
            })
          : "",
      ]);
    }
  }

  if (options.parts.includes("throughput")) {
    log(`local factory throughput: ${options.n} concurrent signed deliveries ...`);
    const t: ThroughputResult = await runThroughputBench(options.n, log);
    parts.throughput = t;
    if (t.ackMs.p99 > GITHUB_DELIVERY_TIMEOUT_MS) {
      findings.push(
        `local factory: acknowledgement p99 ${t.ackMs.p99} ms at N = ${t.n} is above GitHub's ` +
          `${GITHUB_DELIVERY_TIMEOUT_MS / 1000} s delivery timeout (GitHub would record those ` +
          `deliveries as failed); each execution builds its state machine runner synchronously ` +
          `(${t.runnerConstructionMs} ms) on the event loop that answers POST /webhook`,
      );
    }
    const other = Object.entries(t.otherAnswers)
      .map(([status, count]) => `${count} x ${status}`)
      .join(", ");
    rows.push([
      "throughput",
      `local factory, N = ${t.n}`,
      `${t.acknowledged}/${t.n} acknowledged${other ? ` (${other})` : ""}, ${t.executionsStarted} executions started, ` +
        `${t.lost} lost; ack p50 ${t.ackMs.p50} ms, p99 ${t.ackMs.p99} ms; burst ${t.burstMs} ms; ` +
        `ended ${JSON.stringify(t.executionStatus)} after ${t.drainMs} ms${t.drainTimedOut ? " (wait timed out)" : ""}; ` +
        `runner construction ${t.runnerConstructionMs} ms per execution, synchronous`,
      `0 lost at N = ${THROUGHPUT_BUDGET_N}`,
      budget({
        part: "throughput",
        name: `deliveries lost at N = ${t.n}`,
        limit: "0",
        actual: String(t.lost),
        ok: t.lost === 0,
      }),
    ]);
  }

  if (options.parts.includes("localize")) {
    // Loaded here: it spawns one worker process per engine.
    const { runLocalizeBench } = await import("./localize/localize-bench");
    const localize = await runLocalizeBench(log);
    parts.localize = localize;
    const figures = localizeRows(localize);
    for (const row of figures.rows) {
      rows.push([
        "localize",
        row.subject,
        row.figure,
        row.budget?.limit ?? "",
        row.budget ? budget({ part: "localize", ...row.budget }) : "",
      ]);
    }
    findings.push(...figures.findings);
  }

  keepEarlierParts(options.out, options.parts, parts, budgets);
  const ok = budgets.every((b) => b.ok);
  Object.assign(results, {
    budgets,
    findings,
    ok,
    durationSeconds: round((Date.now() - started) / 1000, 0),
  });
  writeFileSync(options.out, `${JSON.stringify(results, null, 2)}\n`);

  console.log(renderTable(["part", "subject", "figure", "budget", "status"], rows));
  console.log(
    `\n${budgets.filter((b) => b.ok).length}/${budgets.length} budgets met` +
      (ok
        ? ""
        : `; BROKEN: ${budgets
            .filter((b) => !b.ok)
            .map((b) => `${b.name} (${b.actual}, limit ${b.limit})`)
            .join("; ")}`),
  );
  for (const finding of findings) console.log(`FINDING: ${finding}`);
  console.log(`results: ${options.out} (${results.durationSeconds} s)`);
  if (!ok) process.exitCode = 1;
}

main().catch((error: unknown) => {
  const usage = (error as { code?: string }).code === "AFU9_BENCH_USAGE";
  console.error(
    usage || !(error instanceof Error) ? String((error as Error).message ?? error) : error.stack,
  );
  // 2: the bench could not run as asked (1 is reserved for a broken budget or a failed part).
  process.exitCode = usage ? 2 : 1;
});
