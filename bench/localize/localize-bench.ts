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
  peakRssMb: number;
}

export interface LocalizeBenchResult {
  fixture: { cases: number; repositories: number; truncatedIssueTexts: number };
  engines: EngineScore[];
  synthetic: { files: number; runs: number; msMedian: number; msMax: number; peakRssMb: number };
  perCase: Record<string, Array<{ id: string; goldRanks: Array<number | null>; top: string[] }>>;
}

const WORKER = join(__dirname, "engine-worker.ts");

function runWorker(args: string[]): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--max-old-space-size=1024", "-r", "ts-node/register/transpile-only", WORKER, ...args],
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
    peakRssMb: round(result.peakRssBytes / 1024 / 1024, 0),
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
    const ms = synthetic.cases.map((c) => c.ms);
    return {
      fixture: {
        cases: cases.length,
        repositories: new Set(cases.map((c) => c.repo)).size,
        truncatedIssueTexts: cases.filter((c) => c.truncated).length,
      },
      engines,
      synthetic: {
        files: LOCALIZE_BUDGETS.syntheticFiles,
        runs,
        msMedian: round(median(ms), 0),
        msMax: round(Math.max(...ms), 0),
        peakRssMb: round(synthetic.peakRssBytes / 1024 / 1024, 0),
      },
      perCase,
    };
  } finally {
    rmSync(reposDir, { recursive: true, force: true });
  }
}
