// End-to-end reproductions of first-use findings, each on its own repository: refusals of the
// author's input end PatchRejected (not Failed), a finished issue stays quiet, dry run ends in its
// own state, comments start runs only when they can change the outcome.
import { GREETING_EXCLAMATION, README_TEST_HINT } from "../../local/factory/demo-issues";
import {
  MAINTAINER,
  STRANGER,
  commentsOf,
  executionsOf,
  fileIssue,
  finalState,
  newRepository,
  useE2E,
  statesOf,
} from "./harness";

const e2e = useE2E();

const FENCE = "```";

function diffIssue(title: string, diff: string[]) {
  return { title, body: ["Please apply:", "", `${FENCE}diff`, ...diff, FENCE, ""].join("\n") };
}

test("item 7: a diff with a path traversal ends NotActionable or PatchRejected, never Failed", async () => {
  const repo = newRepository(e2e);
  const number = fileIssue(
    e2e,
    repo,
    diffIssue("Add a file", [
      "--- /dev/null",
      "+++ b/../../etc/passwd",
      "@@ -0,0 +1 @@",
      "+root::0:0::/:/bin/sh",
    ]),
  );
  await e2e.sandbox.settle();
  const [run] = executionsOf(e2e, repo, number);
  expect(run.status).toBe("SUCCEEDED");
  expect(["NotActionable", "PatchRejected"]).toContain(finalState(run));
  const comments = commentsOf(e2e, repo, number).join("\n");
  expect(comments).toContain("../../etc/passwd");
  expect(comments).not.toMatch(/Patch plan.*✅/);
  expect(comments).not.toContain("AFU-9 stopped");
});

test("item 7: a diff that no longer applies ends PatchRejected with the reason", async () => {
  const repo = newRepository(e2e);
  const number = fileIssue(
    e2e,
    repo,
    diffIssue("Fix the README", [
      "--- a/README.md",
      "+++ b/README.md",
      "@@ -1,2 +1,2 @@",
      "-# not-the-title",
      "+# demo-app!",
      " ",
    ]),
  );
  await e2e.sandbox.settle();
  const [run] = executionsOf(e2e, repo, number);
  expect(run.status).toBe("SUCCEEDED");
  expect(statesOf(run).slice(-4)).toEqual([
    "GeneratePatch",
    "ValidatePatch",
    "CheckPatchValid",
    "PatchRejected",
  ]);
  const violations = commentsOf(e2e, repo, number).find((c) => c.includes("afu9:violations"));
  expect(violations).toContain("`does-not-apply`");
  expect(violations).toContain("README.md");
  expect(commentsOf(e2e, repo, number).join("\n")).not.toContain("AFU-9 stopped");
});

test("item 4: a delivery after the factory merged the issue's PR ends quietly", async () => {
  const repo = newRepository(e2e);
  const number = fileIssue(e2e, repo, README_TEST_HINT);
  await e2e.sandbox.settle();
  expect(finalState(executionsOf(e2e, repo, number)[0])).toBe("Merged");
  const before = commentsOf(e2e, repo, number);

  e2e.sandbox.sim.addLabel(repo.owner, repo.repo, number, "afu9", MAINTAINER);
  await e2e.sandbox.settle();

  const runs = executionsOf(e2e, repo, number);
  expect(runs.length).toBeGreaterThan(1);
  const later = runs[runs.length - 1];
  expect(later.status).toBe("SUCCEEDED");
  expect(statesOf(later)).toEqual(["AnalyzeIssue", "CheckIfActionable", "NotActionable"]);
  expect(commentsOf(e2e, repo, number)).toEqual(before);
});

test("item 9: dry run (repo dryRun: true) ends in its own state and names the switch", async () => {
  const repo = newRepository(e2e);
  e2e.sandbox.sim.pushCommit(repo.owner, repo.repo, "main", {
    ".github/afu9.yml": "automerge: true\ndryRun: true\n",
  });
  const number = fileIssue(e2e, repo, README_TEST_HINT);
  await e2e.sandbox.settle();
  const [run] = executionsOf(e2e, repo, number);
  expect(run.status).toBe("SUCCEEDED");
  expect(statesOf(run).slice(-3)).toEqual(["CheckPatchValid", "DescribeDryRun", "DryRun"]);
  const comment = commentsOf(e2e, repo, number).find((c) => c.includes("Dry run")) ?? "";
  expect(comment).toContain("`dryRun: true` in `.github/afu9.yml`");
  expect(comment).not.toContain("stack setting");
  expect(e2e.sandbox.sim.listPulls(repo.owner, repo.repo)).toEqual([]);
});

test("item 8: a 259 KB issue body labelled by a maintainer is handled like a small one", async () => {
  const repo = newRepository(e2e);
  // A pasted log of four-byte characters: 64,800 characters, 259,200 bytes of UTF-8.
  const log = ["", "Log:", "", "😀".repeat(64_800), ""].join("\n");
  const body = README_TEST_HINT.body + log;
  expect(Buffer.byteLength(body)).toBeGreaterThan(259_000);
  const number = fileIssue(e2e, repo, { title: README_TEST_HINT.title, body });
  await e2e.sandbox.settle();
  const runs = executionsOf(e2e, repo, number);
  expect(runs).toHaveLength(1);
  expect(finalState(runs[0])).toBe("Merged");
  expect(runs[0].inputText.length).toBeLessThan(4096);
});

test("item 3: a stranger's +1 comment on a labelled issue starts no run", async () => {
  const repo = newRepository(e2e);
  const number = fileIssue(e2e, repo, { title: "Question", body: "How does greet() work?" });
  await e2e.sandbox.settle();
  const before = executionsOf(e2e, repo, number).length;
  e2e.sandbox.sim.addComment(repo.owner, repo.repo, number, {
    body: "+1",
    user: STRANGER,
    authorAssociation: "NONE",
  });
  e2e.sandbox.sim.addComment(repo.owner, repo.repo, number, {
    body: "+1, me too",
    user: MAINTAINER,
    authorAssociation: "MEMBER",
  });
  await e2e.sandbox.settle();
  expect(executionsOf(e2e, repo, number)).toHaveLength(before);
});

test("item 15: the terminal shows a CI failure as the outcome with the PR link, offsets never go back", async () => {
  const repo = newRepository(e2e, { outcome: "failure", delayMs: 100 });
  const from = e2e.lines.length;
  const number = fileIssue(e2e, repo, GREETING_EXCLAMATION);
  await e2e.sandbox.settle();
  // Tests here run one at a time: every execution line since the issue was filed is this run's.
  const own = e2e.lines.slice(from).filter((l) => l.split("  ")[1] === `#${number}`);
  const final = own[own.length - 1];
  expect(final).toContain(`/${repo.owner}/${repo.repo}/pull/`);
  expect(final).toMatch(
    / CI failed https?:\/\/\S+\/pull\/\d+ \(execution SUCCEEDED, end state CIFailed\)/,
  );
  const offsets = own
    .map((l) => / {2}\+(\d+\.\d{3})s {2}/.exec(l)?.[1])
    .filter((o): o is string => o !== undefined)
    .map(Number);
  expect(offsets.length).toBeGreaterThan(5);
  expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
});
