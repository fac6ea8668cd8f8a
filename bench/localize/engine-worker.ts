// One engine over every fixture case (or the synthetic repository), in its own process so its
// peak memory is its own: reads each case's tree with the production tarball reader (the tree
// comes from the case's git bundle as `git archive --format=tar.gz`, the same layout as GitHub's
// archive), ranks, and prints one JSON line: per-case ranking time and gold ranks, and peak RSS.
//   node -r ts-node/register/transpile-only bench/localize/engine-worker.ts ENGINE REPOS_DIR
//   node -r ts-node/register/transpile-only bench/localize/engine-worker.ts synthetic FILES RUNS
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { createGzip } from "node:zlib";
import { pack } from "tar-stream";
import { localize } from "../../handlers/localization/rank";
import { readTarballSnapshot } from "../../handlers/localization/tarball";
import type { FixtureCase } from "./build-fixtures";
import { ENGINES, type EngineName, rankWith } from "./engines";
import { syntheticFiles } from "./synthetic-repo";

export interface CaseOutcome {
  id: string;
  /** Wall time. */
  ms: number;
  /** CPU time of this process (user + system, zlib's threads included): what a dedicated core takes. */
  cpuMs: number;
  /** 1-based rank of each gold file in the engine's list; null when it is not in the list. */
  goldRanks: Array<number | null>;
  top: string[];
}

export interface WorkerResult {
  engine: string;
  cases: CaseOutcome[];
  peakRssBytes: number;
  /** RSS of this process before any work (Node, ts-node and the modules loaded). */
  baselineRssBytes: number;
}

const BASELINE_RSS = process.memoryUsage().rss;

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

function archiveStream(repoDir: string, tag: string): Readable {
  const child = spawn(
    "git",
    ["--git-dir", repoDir, "archive", "--format=tar.gz", "--prefix=t/", tag],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  return child.stdout;
}

async function runCases(engine: EngineName, reposDir: string): Promise<WorkerResult> {
  const cases = JSON.parse(
    readFileSync(join(__dirname, "fixtures", "cases.json"), "utf8"),
  ) as FixtureCase[];
  const outcomes: CaseOutcome[] = [];
  for (const c of cases) {
    const repoDir = join(reposDir, c.bundle.replace(/\.bundle$/, ".git"));
    const snapshot = await readTarballSnapshot(archiveStream(repoDir, c.tag));
    const started = performance.now();
    const cpu = process.cpuUsage();
    const ranked = rankWith(engine, { title: c.title, body: c.body }, snapshot);
    const ms = performance.now() - started;
    const cpuMs = cpuMsSince(cpu);
    outcomes.push({
      id: c.id,
      ms,
      cpuMs,
      goldRanks: c.gold.map((g) => {
        const index = ranked.indexOf(g);
        return index === -1 ? null : index + 1;
      }),
      top: ranked.slice(0, 5),
    });
  }
  return {
    engine,
    cases: outcomes,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    baselineRssBytes: BASELINE_RSS,
  };
}

async function syntheticTarball(count: number): Promise<Buffer> {
  const tar = pack();
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    const gz = tar.pipe(createGzip());
    gz.on("data", (chunk: Buffer) => chunks.push(chunk));
    gz.on("end", () => resolve());
    gz.on("error", reject);
  });
  for (const file of syntheticFiles(count))
    tar.entry({ name: `synthetic/${file.path}` }, file.content);
  tar.finalize();
  await done;
  return Buffer.concat(chunks);
}

/** End to end per issue on a synthetic repository: unpack the tarball, then rank. */
async function runSynthetic(count: number, runs: number): Promise<WorkerResult> {
  const tarball = await syntheticTarball(count);
  const issues = [
    {
      title: "Session token refresh fails after the cache store is cleared",
      body: "When `refreshSessionToken` runs after `clearCacheStore`, the request header is empty.\n    at parseHeader (src/user/session/handler.ts:12:3)",
    },
    {
      title: "Queue worker drops events on timeout",
      body: "The `queueWorkerEmit` retry limit is ignored.",
    },
    {
      title: "Schema field index is wrong",
      body: "Rendering a page item list uses the wrong index field.",
    },
  ];
  const outcomes: CaseOutcome[] = [];
  for (let i = 0; i < runs; i++) {
    const issue = issues[i % issues.length];
    const started = performance.now();
    const cpu = process.cpuUsage();
    const snapshot = await readTarballSnapshot(Readable.from([tarball]));
    const result = localize(issue, snapshot);
    outcomes.push({
      id: `synthetic-${count}-${i}`,
      ms: performance.now() - started,
      cpuMs: cpuMsSince(cpu),
      goldRanks: [],
      top: result.files.slice(0, 5).map((f) => f.path),
    });
  }
  return {
    engine: `new engine, ${count}-file synthetic repository, tarball read + ranking`,
    cases: outcomes,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    baselineRssBytes: BASELINE_RSS,
  };
}

async function main(): Promise<void> {
  const [mode, a, b] = process.argv.slice(2);
  let result: WorkerResult;
  if (mode === "synthetic") result = await runSynthetic(Number(a), Number(b));
  else if ((ENGINES as readonly string[]).includes(mode))
    result = await runCases(mode as EngineName, a);
  else
    throw new Error(
      `engine-worker: unknown mode "${mode}" (one of ${ENGINES.join(", ")}, synthetic)`,
    );
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
