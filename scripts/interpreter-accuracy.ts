// `npm run accuracy`: runs the interpreter over every issue fixture (tests/fixtures/issues, labels
// removed, as a new issue arrives) and compares with the type and priority its maintainers gave.
// Budgets: type >= 85 %, priority exact or one step off >= 90 %. Exits 1 below either.
import { interpretIssue } from "../handlers/issue-interpreter/interpret";
import {
  loadFixtureSets,
  type IssueFixture,
} from "../tests/handlers/issue-interpreter/issue-fixtures";

export const TYPE_BUDGET = 0.85;
export const PRIORITY_BUDGET = 0.9;

/**
 * Each held-out set's figures the first time any rules ran on it, recorded before the rules were
 * changed with the set in view (and also in tests/fixtures/issues/HOLDOUT.md). A later run on the
 * same set is no longer first contact: whoever tunes the rules has seen its misses.
 */
export const FIRST_CONTACT: Array<{
  /** The set's name while it was held out (it may since have joined the tuned set). */
  set: string;
  date: string;
  rules: string;
  total: number;
  typeCorrect: number;
  priorityExact: number;
  priorityWithinOne: number;
}> = [
  {
    set: "holdout-1",
    date: "2026-11-26",
    rules: "rules of b8aa262; classify.ts unchanged in effect to 9be99cd",
    total: 16,
    typeCorrect: 6,
    priorityExact: 11,
    priorityWithinOne: 14,
  },
  {
    set: "holdout-2",
    date: "2026-11-26",
    rules: "rules of b8aa262, run at aa9d4dc before any change",
    total: 24,
    typeCorrect: 16,
    priorityExact: 16,
    priorityWithinOne: 22,
  },
  {
    // The rewritten rules' first full run on holdout-2: written against tuned + holdout-1 with
    // holdout-2's misses not shown (one aggregate of an unfinished version was seen).
    set: "holdout-2",
    date: "2026-11-26",
    rules: "rewritten rules of 46039db, misses not viewed before this run",
    total: 24,
    typeCorrect: 21,
    priorityExact: 19,
    priorityWithinOne: 24,
  },
  {
    set: "holdout-3",
    date: "2026-11-26",
    rules: "rules of 48e2883 (after tuning on holdout-2), run at e8c159f",
    total: 20,
    typeCorrect: 12,
    priorityExact: 12,
    priorityWithinOne: 19,
  },
  {
    set: "holdout-4",
    date: "2026-11-26",
    rules: "rules of 74c18ef (after tuning on holdout-3), run at d3c50a7",
    total: 16,
    typeCorrect: 13,
    priorityExact: 12,
    priorityWithinOne: 15,
  },
];

export interface AccuracyReport {
  total: number;
  typeCorrect: number;
  priorityExact: number;
  priorityWithinOne: number;
  misses: string[];
}

export function measureAccuracy(fixtures: IssueFixture[]): AccuracyReport {
  const report: AccuracyReport = {
    total: fixtures.length,
    typeCorrect: 0,
    priorityExact: 0,
    priorityWithinOne: 0,
    misses: [],
  };
  for (const fixture of fixtures) {
    // Offline, exactly like `afu9 interpret`: nothing but the issue is known.
    const { analysis } = interpretIssue({
      issue: fixture.issue,
      config: "unknown",
      events: "unknown",
      comments: "unknown",
      permissions: {},
      openPullRequests: "unknown",
      delivery: "unknown",
    });
    const steps = Math.abs(Number(analysis.priority[1]) - Number(fixture.expected.priority[1]));
    if (analysis.type === fixture.expected.type) report.typeCorrect++;
    if (steps === 0) report.priorityExact++;
    if (steps <= 1) report.priorityWithinOne++;
    if (analysis.type !== fixture.expected.type || steps > 1) {
      report.misses.push(
        `${fixture.file}: got ${analysis.type}/${analysis.priority}, expected ` +
          `${fixture.expected.type}/${fixture.expected.priority} (${analysis.reasons[0]})`,
      );
    }
  }
  return report;
}

function pct(n: number, total: number): string {
  return `${((100 * n) / total).toFixed(1)} % (${n}/${total})`;
}

function main(): number {
  const sets = loadFixtureSets();
  const fixtures = sets.flatMap((s) => s.fixtures);
  const all = measureAccuracy(fixtures);
  const lines = [
    `issue fixtures: ${all.total} (${fixtures.filter((f) => f.lang === "de").length} German; ` +
      sets.map((s) => `${s.name} ${s.fixtures.length}`).join(", ") +
      ")",
    `type accuracy:                       ${pct(all.typeCorrect, all.total)}   budget >= ${TYPE_BUDGET * 100} %`,
    `priority exact:                      ${pct(all.priorityExact, all.total)}`,
    `priority exact or one step off:      ${pct(all.priorityWithinOne, all.total)}   budget >= ${PRIORITY_BUDGET * 100} %`,
  ];
  const parts: Array<[string, IssueFixture[]]> = [
    ["english", fixtures.filter((f) => f.lang === "en")],
    ["german", fixtures.filter((f) => f.lang === "de")],
    ...sets.map((s): [string, IssueFixture[]] => [s.name, s.fixtures]),
  ];
  for (const [name, subset] of parts) {
    const part = measureAccuracy(subset);
    lines.push(
      `  ${name.padEnd(9)} type ${pct(part.typeCorrect, part.total)}, priority exact ` +
        `${pct(part.priorityExact, part.total)}, +-1 ${pct(part.priorityWithinOne, part.total)}`,
    );
  }
  // The honest estimate for unseen issues is a held-out set's first contact, not today's figure
  // on a set whose misses have since been read.
  lines.push(
    "first contact of each held-out set (recorded, see tests/fixtures/issues/HOLDOUT.md):",
  );
  for (const fc of FIRST_CONTACT) {
    lines.push(
      `  ${fc.set.padEnd(9)} type ${pct(fc.typeCorrect, fc.total)}, priority exact ` +
        `${pct(fc.priorityExact, fc.total)}, +-1 ${pct(fc.priorityWithinOne, fc.total)}` +
        `  (${fc.date}, ${fc.rules})`,
    );
  }
  if (all.misses.length > 0) lines.push("misses:", ...all.misses.map((m) => `  ${m}`));
  process.stdout.write(`${lines.join("\n")}\n`);
  const ok =
    all.typeCorrect / all.total >= TYPE_BUDGET &&
    all.priorityWithinOne / all.total >= PRIORITY_BUDGET;
  if (!ok) process.stderr.write("accuracy below budget\n");
  return ok ? 0 : 1;
}

if (require.main === module) process.exitCode = main();
