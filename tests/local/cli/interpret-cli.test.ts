// Must-show 3: `npx afu9 interpret FILE` prints the analysis JSON; what only GitHub knows is
// "unknown", never guessed.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadIssueFixtures } from "../../handlers/issue-interpreter/issue-fixtures";
import { REPO_ROOT } from "../../support/repo-root";

const ROOT = REPO_ROOT;
const dir = mkdtempSync(join(tmpdir(), "afu9-interpret-"));

function afu9(...args: string[]) {
  return spawnSync(process.execPath, [join(ROOT, "bin", "afu9.js"), ...args], {
    encoding: "utf8",
    cwd: ROOT,
  });
}

function writeJson(name: string, value: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(value));
  return file;
}

describe("afu9 interpret", () => {
  const fixture = loadIssueFixtures().find((f) => f.file.startsWith("015-"))!;

  it("prints the analysis of a REST issue, with the labeller's permission unknown", () => {
    const file = writeJson("issue.json", { ...fixture.issue, labels: [{ name: "afu9" }] });
    const run = afu9("interpret", file);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out).toMatchObject({
      type: fixture.expected.type,
      priority: fixture.expected.priority,
      config: "unknown",
      trigger: {
        label: "afu9",
        labelPresent: true,
        labelledBy: "unknown",
        labellerPermission: "unknown",
        authorPermission: "unknown",
        authorAssociation: "NONE",
      },
    });
    // The detection itself runs offline; with no strategy in the text it fails, and that is
    // known, so the issue is reported as not actionable rather than "unknown".
    expect(out.plan).toBeNull();
    expect(out.actionable).toBe(false);
    expect(out.checks.find((c: { rule: string }) => c.rule === "trigger").status).toBe("unknown");
    expect(out.reasons[0]).toMatch(/^type bug /);
  });

  it("reports actionable as unknown (not true) when nothing known fails", () => {
    const body = "Fix:\n\n```diff\n--- a/src/a.ts\n+++ b/src/a.ts\n@@ -1 +1 @@\n-a\n+b\n```\n";
    const file = writeJson("diff.json", { ...fixture.issue, body, labels: [{ name: "afu9" }] });
    const out = JSON.parse(afu9("interpret", file).stdout);
    expect(out.plan).toMatchObject({ strategy: "unified-diff" });
    expect(out.actionable).toBe("unknown");
  });

  it("accepts a webhook payload and sees a locked issue as not actionable", () => {
    const file = writeJson("payload.json", {
      action: "opened",
      issue: { ...fixture.issue, locked: true },
    });
    const out = JSON.parse(afu9("interpret", file).stdout);
    expect(out.actionable).toBe(false);
    expect(out.checks.find((c: { rule: string }) => c.rule === "issue")).toEqual({
      rule: "issue",
      status: "fail",
      detail: "the issue is locked",
    });
  });

  it("says what is wrong with a file that is not an issue", () => {
    const run = afu9("interpret", writeJson("bad.json", { hello: 1 }));
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("is not a GitHub issue object: missing `title` (string)");
  });

  it("prints usage without a file", () => {
    const run = afu9("interpret");
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("usage: afu9 interpret FILE");
  });
});
