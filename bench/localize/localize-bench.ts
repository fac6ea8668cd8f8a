// `npm run bench -- --only localize`: the three rankings side by side on the fixture set (real
// public issues, the files their real fixes changed as gold), and the new engine's time and memory
// per issue on a synthetic 4,000-file repository. Each engine runs in its own process
// (engine-worker.ts) so its peak memory is its own.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FixtureCase } from "./build-fixtures";
import { ENGINES } from "./engines";
import type { WorkerResult } from "./engine-worker";
import { median, percentile, round } from "../stats";

export const LOCALIZE_BUDGETS = {
  top5Percent: 85,
  top1Percent: 55,
  top1PointsOverBm25: 10,
  syntheticFiles: 4000,
  syntheticMs: 3000,
  syntheticMb: 512,
};

export interface EngineScore {
  engine: string;
  cases: number;
  top1Percent: number;
  top5Percent: number;
  allGoldTop10Percent: number;
  mrr: number;
  msPerIssueMedian: number;
  msPerIssueP95: number;
  cpuMsPerIssueMedian: number;
  cpuMsPerIssueP95: number;
  peakRssMb: number;
  /** The worker's RSS before any work (Node + ts-node + modules); the engine's share is the rest. */
  baselineRssMb: number;
}

export interface SyntheticFigures {
  files: number;
  runs: number;
  msMedian: number;
  msMax: number;
  cpuMsMedian: number;
  cpuMsMax: number;
  peakRssMb: number;
  baselineRssMb: number;
}

function syntheticFigures(result: WorkerResult, runs: number): SyntheticFigures {
  const ms = result.cases.map((c) => c.ms);
  const cpuMs = result.cases.map((c) => c.cpuMs);
  return {
    files: LOCALIZE_BUDGETS.syntheticFiles,
    runs,
    msMedian: round(median(ms), 0),
    msMax: round(Math.max(...ms), 0),
    cpuMsMedian: round(median(cpuMs), 0),
    cpuMsMax: round(Math.max(...cpuMs), 0),
    peakRssMb: round(result.peakRssBytes / 1024 / 1024, 0),
    baselineRssMb: round(result.baselineRssBytes / 1024 / 1024, 0),
  };
}

export interface LocalizeBenchResult {
  fixture: { cases: number; repositories: number; truncatedIssueTexts: number };
  engines: EngineScore[];
  synthetic: SyntheticFigures;
  /** The same run with the heap capped as in the interpreter's 256 MB function. */
  syntheticSmallHeap: SyntheticFigures & { heapMb: number };
  perCase: Record<string, Array<{ id: string; goldRanks: Array<number | null>; top: string[] }>>;
}

const WORKER = join(__dirname, "engine-worker.ts");
const SMALL_HEAP_MB = 200;

function runWorker(args: string[], heapMb = 1024): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [`--max-old-space-size=${heapMb}`, "-r", "ts-node/register/transpile-only", WORKER, ...args],
      { stdio: ["ignore", "pipe", "inherit"], cwd: join(__dirname, "..", "..") },
    );
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) reject(new Error(`engine worker ${args[0]} exited ${code}`));
      else resolve(JSON.parse(out.trim().split("\n").pop()!) as WorkerResult);
    });
  });
}

function score(result: WorkerResult): EngineScore {
  const n = result.cases.length;
  const pct = (count: number) => round((100 * count) / n, 1);
  const firstRank = (ranks: Array<number | null>) =>
    Math.min(...ranks.map((r) => (r === null ? Infinity : r)));
  const ms = result.cases.map((c) => c.ms).sort((a, b) => a - b);
  const cpuMs = result.cases.map((c) => c.cpuMs).sort((a, b) => a - b);
  return {
    engine: result.engine,
    cases: n,
    top1Percent: pct(result.cases.filter((c) => firstRank(c.goldRanks) === 1).length),
    top5Percent: pct(result.cases.filter((c) => firstRank(c.goldRanks) <= 5).length),
    allGoldTop10Percent: pct(
      result.cases.filter((c) => c.goldRanks.every((r) => r !== null && r <= 10)).length,
    ),
    mrr: round(
      result.cases.reduce((sum, c) => {
        const r = firstRank(c.goldRanks);
        return sum + (Number.isFinite(r) ? 1 / r : 0);
      }, 0) / n,
      3,
    ),
    msPerIssueMedian: round(median(ms), 1),
    msPerIssueP95: round(percentile(ms, 95), 1),
    cpuMsPerIssueMedian: round(median(cpuMs), 1),
    cpuMsPerIssueP95: round(percentile(cpuMs, 95), 1),
    peakRssMb: round(result.peakRssBytes / 1024 / 1024, 0),
    baselineRssMb: round(result.baselineRssBytes / 1024 / 1024, 0),
  };
}

export async function runLocalizeBench(log: (line: string) => void): Promise<LocalizeBenchResult> {
  const fixtures = join(__dirname, "fixtures");
  const cases = JSON.parse(readFileSync(join(fixtures, "cases.json"), "utf8")) as FixtureCase[];
  const reposDir = mkdtempSync(join(tmpdir(), "afu9-localize-bench-"));
  try {
    for (const bundle of [...new Set(cases.map((c) => c.bundle))]) {
      const gitDir = join(reposDir, bundle.replace(/\.bundle$/, ".git"));
      execFileSync("git", ["init", "-q", "--bare", gitDir]);
      execFileSync("git", [
        "--git-dir",
        gitDir,
        "fetch",
        "-q",
        join(fixtures, "bundles", bundle),
        "refs/tags/*:refs/tags/*",
      ]);
    }
    const engines: EngineScore[] = [];
    const perCase: LocalizeBenchResult["perCase"] = {};
    for (const engine of ENGINES) {
      log(`localize: ${engine} over ${cases.length} issues ...`);
      const result = await runWorker([engine, reposDir]);
      engines.push(score(result));
      perCase[engine] = result.cases.map(({ id, goldRanks, top }) => ({ id, goldRanks, top }));
    }
    const runs = 5;
    log(
      `localize: new engine on a ${LOCALIZE_BUDGETS.syntheticFiles}-file synthetic repository ...`,
    );
    const synthetic = await runWorker([
      "synthetic",
      String(LOCALIZE_BUDGETS.syntheticFiles),
      String(runs),
    ]);
    log("localize: the same with the heap capped at 200 MB (the interpreter has 256 MB) ...");
    const small = await runWorker(
      ["synthetic", String(LOCALIZE_BUDGETS.syntheticFiles), String(runs)],
      SMALL_HEAP_MB,
    );
    return {
      fixture: {
        cases: cases.length,
        repositories: new Set(cases.map((c) => c.repo)).size,
        truncatedIssueTexts: cases.filter((c) => c.truncated).length,
      },
      engines,
      synthetic: syntheticFigures(synthetic, runs),
      syntheticSmallHeap: { ...syntheticFigures(small, runs), heapMb: SMALL_HEAP_MB },
      perCase,
    };
  } finally {
    rmSync(reposDir, { recursive: true, force: true });
  }
}
