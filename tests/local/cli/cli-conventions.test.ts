// Item 13: one convention for every `afu9` subcommand, through bin/afu9.js as a user runs it:
// help on stdout (exit 0 when asked for), `afu9` alone prints the help with exit 2, usage mistakes
// exit 2, a missing file is a usage mistake for every subcommand, exit codes documented in --help.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT } from "../../support/repo-root";

const ROOT = REPO_ROOT;

function afu9(...args: string[]) {
  const run = spawnSync(
    join(ROOT, "node_modules/.bin/node"),
    [join(ROOT, "bin/afu9.js"), ...args],
    {
      encoding: "utf8",
    },
  );
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe("afu9 CLI conventions", () => {
  it("afu9 alone prints the help on stdout and exits 2", () => {
    const run = afu9();
    expect(run.status).toBe(2);
    expect(run.stdout).toContain("afu9 interpret FILE");
    expect(run.stdout).toContain("afu9 patch --repo DIR --issue FILE");
  });

  it.each([["--help"], ["interpret", "--help"], ["patch", "--help"]])(
    "afu9 %s prints help and the exit codes on stdout, exit 0",
    (...args) => {
      const run = afu9(...args);
      expect(run.status).toBe(0);
      expect(run.stdout).toContain("usage:");
      expect(run.stdout).toContain("exit codes (every subcommand):");
      expect(run.stderr).toBe("");
    },
  );

  it.each([
    [["bogus"], 'unknown command "bogus"'],
    [["interpret", "--bogus"], 'unknown argument "--bogus"'],
    [["patch", "--bogus"], 'unknown argument "--bogus"'],
  ])("%j is a usage mistake: exit 2, the mistake on stderr", (args, message) => {
    const run = afu9(...args);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(message);
  });

  it("a missing file is exit 2 for interpret and for patch alike", () => {
    const missing = join(tmpdir(), "afu9-no-such-issue.json");
    const repo = mkdtempSync(join(tmpdir(), "afu9-cli-"));
    const interpret = afu9("interpret", missing);
    const patch = afu9("patch", "--repo", repo, "--issue", missing);
    expect([interpret.status, patch.status]).toEqual([2, 2]);
    expect(interpret.stderr).toContain(`cannot read ${missing}: no such file`);
    expect(patch.stderr).toContain(`cannot read ${missing}: no such file`);
  });

  it("a file that is not an issue is refused (exit 1) by interpret and by patch alike", () => {
    const dir = mkdtempSync(join(tmpdir(), "afu9-cli-"));
    const file = join(dir, "bad.json");
    writeFileSync(file, JSON.stringify({ hello: 1 }));
    expect([
      afu9("interpret", file).status,
      afu9("patch", "--repo", dir, "--issue", file).status,
    ]).toEqual([1, 1]);
  });
});
