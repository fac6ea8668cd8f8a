// Must-show 1: the fixture set and the accuracy budgets, through the same code `npm run accuracy`
// runs. The held-out figure is printed by the script; see its output for the honest estimate.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import {
  FIRST_CONTACT,
  PRIORITY_BUDGET,
  TYPE_BUDGET,
  measureAccuracy,
} from "../../../scripts/interpreter-accuracy";
import { loadFixtureSets } from "./issue-fixtures";
import { REPO_ROOT } from "../../support/repo-root";

const sets = loadFixtureSets();
const tuned = sets.find((s) => s.name === "tuned")!.fixtures;
const all = sets.flatMap((s) => s.fixtures);

describe("issue fixtures", () => {
  it("has at least 60 issues, about a quarter German", () => {
    expect(all.length).toBeGreaterThanOrEqual(60);
    const german = all.filter((f) => f.lang === "de").length / all.length;
    expect(german).toBeGreaterThanOrEqual(0.2);
    expect(german).toBeLessThanOrEqual(0.35);
  });

  it("arrive as new issues: no labels, open, with maintainers' type and priority", () => {
    for (const f of all) {
      expect(f.issue.labels).toEqual([]);
      expect(["bug", "feature", "docs", "chore", "question", "security"]).toContain(
        f.expected.type,
      );
      expect(["P0", "P1", "P2", "P3"]).toContain(f.expected.priority);
      expect(f.issue.title.length).toBeGreaterThan(0);
    }
  });

  it("every held-out set has its first-contact figures recorded, for as many issues as it holds", () => {
    for (const set of sets.filter((s) => s.name !== "tuned")) {
      const recorded = FIRST_CONTACT.find((fc) => fc.set === set.name);
      expect(recorded).toBeDefined();
      expect(recorded!.total).toBe(set.fixtures.length);
    }
  });

  it("cover every type", () => {
    const types = new Set(all.map((f) => f.expected.type));
    expect(types.size).toBe(6);
  });
});

describe("accuracy", () => {
  it(`meets the budgets over all fixtures: type >= ${TYPE_BUDGET * 100} %, priority +-1 >= ${PRIORITY_BUDGET * 100} %`, () => {
    const report = measureAccuracy(all);
    expect(report.typeCorrect / report.total).toBeGreaterThanOrEqual(TYPE_BUDGET);
    expect(report.priorityWithinOne / report.total).toBeGreaterThanOrEqual(PRIORITY_BUDGET);
  });

  it("a fixture with a wrong expectation is counted as a miss (the measure can fail)", () => {
    const wrong = { ...tuned[0], expected: { type: "docs" as const, priority: "P0" as const } };
    const report = measureAccuracy([wrong]);
    expect(report.typeCorrect).toBe(0);
    expect(report.misses).toHaveLength(1);
  });

  it("`npm run accuracy` prints the figures and exits 0", () => {
    const run = spawnSync(
      process.execPath,
      ["--import", "tsx", join(REPO_ROOT, "scripts", "interpreter-accuracy.ts")],
      { encoding: "utf8" },
    );
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^type accuracy: +\d+\.\d % \(\d+\/\d+\) +budget >= 85 %$/m);
    expect(run.stdout).toMatch(/^ +holdout-4 +type \d+\.\d %/m);
    expect(run.stdout).toMatch(/^first contact of each held-out set/m);
  });
});
