// LOAD TEST (about 30-90 s): 100 labelled issues filed within 2 s on one sandbox repository, every
// change a new file, so each merge moves the default branch under the runs still in flight. Every
// issue must end Merged with exactly one analysis comment and one pull request.
import { MAINTAINER, commentsOf, executionsOf, finalState, newRepository, useE2E } from "./harness";

jest.setTimeout(240_000);

const e2e = useE2E();

const ISSUES = 100;
/**
 * GitHub sends issues.opened and issues.labeled for an issue created with a label; the simulator
 * sends only opened. AFU9_LOAD_LABELED=1 sends the labeled delivery too: two concurrent runs per
 * issue, which upsert their marked comments exactly once only with the per-issue run lock.
 */
const ALSO_LABELED = process.env.AFU9_LOAD_LABELED === "1";
const FENCE = "```";

function newFileIssue(index: number) {
  const path = `docs/notes/note-${index}.md`;
  return {
    title: `Add note ${index}`,
    body: [
      `Add ${path}:`,
      "",
      `${FENCE}diff`,
      "--- /dev/null",
      `+++ b/${path}`,
      "@@ -0,0 +1 @@",
      `+Note ${index}.`,
      FENCE,
      "",
    ].join("\n"),
  };
}

test(`${ISSUES} labelled issues filed within 2 s all end Merged, one analysis comment and one PR each`, async () => {
  const repo = newRepository(e2e);
  const started = Date.now();
  const numbers: number[] = [];
  for (let i = 1; i <= ISSUES; i++) {
    numbers.push(
      e2e.sandbox.sim.createIssue(repo.owner, repo.repo, {
        ...newFileIssue(i),
        user: MAINTAINER,
        labels: ["afu9"],
        authorAssociation: "MEMBER",
      }).number,
    );
    if (ALSO_LABELED) {
      e2e.sandbox.sim.addLabel(
        repo.owner,
        repo.repo,
        numbers[numbers.length - 1],
        "afu9",
        MAINTAINER,
      );
    }
  }
  expect(Date.now() - started).toBeLessThan(2000);
  await e2e.sandbox.settle();

  const pulls = e2e.sandbox.sim.listPulls(repo.owner, repo.repo);
  const report = numbers.map((number) => {
    const runs = executionsOf(e2e, repo, number);
    const comments = commentsOf(e2e, repo, number);
    return {
      number,
      outcomes: runs.map((run) => `${run.status}:${finalState(run)}`),
      merged: runs.some((run) => finalState(run) === "Merged"),
      analysisComments: comments.filter((c) => c.includes("<!-- afu9:analysis -->")).length,
      pulls: pulls.filter((p) => p.head === `afu9/issue-${number}`).length,
      violations: comments.filter((c) => c.includes("afu9:violations")).length,
    };
  });
  const bad = report.filter(
    (r) =>
      !r.merged ||
      r.analysisComments !== 1 ||
      r.pulls !== 1 ||
      r.violations !== 0 ||
      r.outcomes.some((o) => !o.startsWith("SUCCEEDED")),
  );
  const byOutcome = new Map<string, number>();
  for (const r of report) for (const o of r.outcomes) byOutcome.set(o, (byOutcome.get(o) ?? 0) + 1);
  process.stdout.write(
    `\nload: ${ISSUES} issues in ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
      `runs by outcome: ${JSON.stringify(Object.fromEntries(byOutcome))}; ` +
      `${report.filter((r) => r.merged).length} merged, ${bad.length} not as expected\n` +
      bad
        .slice(0, 10)
        .map((r) => `  #${r.number}: ${JSON.stringify(r)}`)
        .join("\n") +
      "\n",
  );
  expect(bad).toEqual([]);
  for (let i = 1; i <= ISSUES; i++) {
    const head = e2e.sandbox.sim.getRef(repo.owner, repo.repo, "heads/main")!;
    expect(e2e.sandbox.sim.readTree(repo.owner, repo.repo, head)[`docs/notes/note-${i}.md`]).toBe(
      `Note ${i}.\n`,
    );
  }
});
