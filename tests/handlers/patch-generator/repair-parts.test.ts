import type { RepairState } from "../../../contract/state";
import { errorContext } from "../../../handlers/patch-generator/repair/evidence";
import {
  isTestPath,
  testWeakeningViolations,
} from "../../../handlers/patch-generator/repair/test-guard";
import {
  repairFeedbackSection,
  repairProgressComment,
  withRepairRoundCount,
} from "../../../handlers/shared/repair-text";

describe("errorContext", () => {
  const log = [
    ...Array.from({ length: 30 }, (_, i) => `setup line ${i}`),
    "running tests",
    "##[error]src/a.ts:3: expected 1, got 2",
    "after",
    ...Array.from({ length: 30 }, (_, i) => `more ${i}`),
    "##[error]Process completed with exit code 1.",
  ].join("\n");

  it("keeps the lines around each ##[error] and marks the gaps", () => {
    const context = errorContext(log, 2, 10_000);
    expect(context).toContain(
      "setup line 29\nrunning tests\n##[error]src/a.ts:3: expected 1, got 2\nafter",
    );
    expect(context).toContain(
      "...\nmore 28\nmore 29\n##[error]Process completed with exit code 1.",
    );
    expect(context).not.toContain("setup line 10");
  });

  it("falls back to the tail without error lines, and stays within the bound", () => {
    const plain = Array.from({ length: 100 }, (_, i) => `line ${i}`).join("\n");
    expect(errorContext(plain, 2, 10_000)).toBe(
      Array.from({ length: 8 }, (_, i) => `line ${92 + i}`).join("\n"),
    );
    expect(Buffer.byteLength(errorContext(log, 50, 200), "utf8")).toBeLessThanOrEqual(200);
  });
});

describe("test guard", () => {
  const file = (content: string) => ({ content, mode: "100644" });

  it("knows test files of common layouts", () => {
    for (const path of [
      "test/a.js",
      "src/__tests__/b.ts",
      "a.test.ts",
      "pkg/x_test.go",
      "tests/test_y.py",
      "spec/z_spec.rb",
    ]) {
      expect(isTestPath(path)).toBe(true);
    }
    for (const path of ["src/testing-utils.ts", "README.md", "src/contest.ts"]) {
      expect(isTestPath(path)).toBe(false);
    }
  });

  it("refuses changes to or deletion of existing tests, allows tests the patch created and new ones", () => {
    const violations = testWeakeningViolations(
      [
        { path: "test/old.test.js", change: "modified", oldFile: file("a"), newFile: file("b") },
        { path: "test/gone.test.js", change: "deleted", oldFile: file("a"), newFile: null },
        { path: "test/mine.test.js", change: "modified", oldFile: file("a"), newFile: file("b") },
        { path: "test/new.test.js", change: "added", oldFile: null, newFile: file("b") },
        { path: "src/code.js", change: "modified", oldFile: file("a"), newFile: file("b") },
      ],
      ["test/mine.test.js"],
    );
    expect(violations).toEqual([
      {
        rule: "tests-weakened",
        path: "test/old.test.js",
        message: "changes an existing test the factory's patch did not create",
      },
      {
        rule: "tests-weakened",
        path: "test/gone.test.js",
        message: "deletes an existing test file",
      },
    ]);
  });
});

describe("repair text", () => {
  const repair: RepairState = {
    outcome: "stopped",
    rounds: [
      {
        round: 1,
        signature: "aaaa",
        failed: ["test | <!-- x -->"],
        files: ["src/a.js"],
        tokens: 1200,
        calls: 1,
        commitSha: "b".repeat(40),
      },
      { round: 2, signature: "cccc", failed: ["test"], files: [], tokens: 900, calls: 1 },
    ],
    stop: "refused",
    stopReason: "nothing was pushed; workflow-file (.github/workflows/x.yml): changes a workflow",
    usage: { calls: 3, inputTokens: 3000, outputTokens: 150 },
    budget: { maxCalls: 5, maxTokens: 60_000 },
  };

  it("lists every round with what failed, what changed, the commit and the tokens", () => {
    const text = repairFeedbackSection(repair).join("\n");
    expect(text).toContain("### Self-repair stopped after 2 round(s)");
    expect(text).toContain("Why: validation refused the model's edits: nothing was pushed;");
    expect(text).toContain(
      "| 1 | `test \\| &lt;!-- x -->` | `src/a.js` | bbbbbbb | 1200 tokens, 1 call(s) |",
    );
    expect(text).toContain("| 2 | `test` | nothing pushed | - | 900 tokens, 1 call(s) |");
    expect(text).toContain("3150 of 60000 tokens, 3 of 5 calls");
    expect(text).not.toContain("<!-- x");
  });

  it("the progress comment counts pushed rounds; the PR body line is set in place", () => {
    expect(repairProgressComment(repair, 3)).toContain("1 of 3 repair round(s) pushed");
    const once = withRepairRoundCount("Closes #1", 1, 2);
    expect(once).toBe("Closes #1\n\n_Self-repair: 1 round(s) of at most 2 ran on red CI._");
    expect(withRepairRoundCount(once, 2, 2)).toBe(
      "Closes #1\n\n_Self-repair: 2 round(s) of at most 2 ran on red CI._",
    );
  });
});
