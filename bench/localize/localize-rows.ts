// The localize part's rows for the bench table and its budgets: one row per engine side by side
// (the same columns for each), then the synthetic repository's time and memory.
import { LOCALIZE_BUDGETS, type LocalizeBenchResult } from "./localize-bench";

export interface LocalizeRow {
  subject: string;
  figure: string;
  budget?: { name: string; limit: string; actual: string; ok: boolean };
}

export function localizeRows(result: LocalizeBenchResult): {
  rows: LocalizeRow[];
  findings: string[];
} {
  const b = LOCALIZE_BUDGETS;
  const rows: LocalizeRow[] = [];
  const byName = new Map(result.engines.map((e) => [e.engine, e]));
  const engine = byName.get("new engine")!;
  const bm25 = byName.get("plain BM25")!;
  const set = `${result.fixture.cases} issues, ${result.fixture.repositories} repos`;
  for (const e of result.engines) {
    rows.push({
      subject: `${e.engine} (${set})`,
      figure:
        `top-1 ${e.top1Percent} %, top-5 ${e.top5Percent} %, all gold in top-10 ` +
        `${e.allGoldTop10Percent} %, MRR ${e.mrr}; ${e.msPerIssueMedian} ms/issue ` +
        `(cpu ${e.cpuMsPerIssueMedian} ms, p95 ${e.cpuMsPerIssueP95} ms); peak RSS ${e.peakRssMb} MB ` +
        `(idle worker ${e.baselineRssMb} MB)`,
    });
  }
  const lead = Math.round((engine.top1Percent - bm25.top1Percent) * 10) / 10;
  rows.push(
    {
      subject: "new engine top-5",
      figure: `${engine.top5Percent} %`,
      budget: {
        name: "localize: new engine top-5",
        limit: `>= ${b.top5Percent} %`,
        actual: `${engine.top5Percent} %`,
        ok: engine.top5Percent >= b.top5Percent,
      },
    },
    {
      subject: "new engine top-1",
      figure: `${engine.top1Percent} %`,
      budget: {
        name: "localize: new engine top-1",
        limit: `>= ${b.top1Percent} %`,
        actual: `${engine.top1Percent} %`,
        ok: engine.top1Percent >= b.top1Percent,
      },
    },
    {
      subject: "new engine top-1 over plain BM25",
      figure: `${engine.top1Percent} % vs ${bm25.top1Percent} %`,
      budget: {
        name: "localize: top-1 points over plain BM25",
        limit: `>= ${b.top1PointsOverBm25} points`,
        actual: `${lead} points`,
        ok: lead >= b.top1PointsOverBm25,
      },
    },
  );
  const s = result.synthetic;
  const small = result.syntheticSmallHeap;
  rows.push(
    {
      subject: `${s.files}-file synthetic repo, tarball read + ranking (${s.runs} issues)`,
      figure:
        `cpu median ${s.cpuMsMedian} ms, max ${s.cpuMsMax} ms; wall median ${s.msMedian} ms, ` +
        `max ${s.msMax} ms; peak RSS ${s.peakRssMb} MB (idle worker ${s.baselineRssMb} MB); ` +
        `heap capped at ${small.heapMb} MB: cpu max ${small.cpuMsMax} ms, peak RSS ${small.peakRssMb} MB`,
      budget: {
        name: `localize: ${s.files}-file repo, cpu time per issue`,
        limit: `<= ${b.syntheticMs} ms`,
        actual: `${s.cpuMsMax} ms`,
        ok: s.cpuMsMax <= b.syntheticMs,
      },
    },
    {
      subject: `${s.files}-file synthetic repo, peak memory`,
      figure: `${s.peakRssMb} MB RSS`,
      budget: {
        name: `localize: ${s.files}-file repo, peak RSS`,
        limit: `<= ${b.syntheticMb} MB`,
        actual: `${s.peakRssMb} MB`,
        ok: s.peakRssMb <= b.syntheticMb,
      },
    },
  );
  const findings: string[] = [];
  if (s.msMax > b.syntheticMs) {
    findings.push(
      `localize: wall time per issue on the ${s.files}-file repository reached ${s.msMax} ms ` +
        `(cpu ${s.cpuMsMax} ms): the machine was shared (see loadAverageAtStart)`,
    );
  }
  return { rows, findings };
}
