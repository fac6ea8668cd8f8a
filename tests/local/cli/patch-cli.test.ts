// `npx afu9 patch --repo DIR --issue FILE [--dry-run]` on real local checkouts: same strategies
// and validation as the Lambda, the unified diff on stdout, nothing written on --dry-run or when
// validation fails.
import { execFileSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runPatch, type CliIo } from "../../../local/cli/patch";
import {
  type Files,
  git,
  initRepo,
  readFiles,
  removeDir,
  gitDiff,
  tempDir,
} from "../../handlers/patch-generator/git-fixture";
import { REPO_ROOT } from "../../support/repo-root";

const FENCE = "```";
const file = (content: string, mode = "100644") => ({ content, mode });
const BASE: Files = {
  "src/math.ts": file("export function add(a: number, b: number): number {\n  return a - b;\n}\n"),
  "README.md": file("# math\n"),
  ".github/workflows/ci.yml": file("on: push\n"),
};

function capture(): CliIo & { out: string; err: string } {
  const io = {
    out: "",
    err: "",
    env: {},
    stdout: (text: string) => {
      io.out += text;
    },
    stderr: (text: string) => {
      io.err += text;
    },
  };
  return io;
}

function issueFile(dir: string, body: string): string {
  const path = join(dir, "issue.json");
  writeFileSync(path, JSON.stringify({ number: 7, title: "add() subtracts", body, state: "open" }));
  return path;
}

describe("afu9 patch", () => {
  const dirs: string[] = [];
  const repo = (files: Files = BASE) => {
    const dir = initRepo(files);
    dirs.push(dir);
    return dir;
  };
  const scratch = () => {
    const dir = tempDir("issue");
    dirs.push(dir);
    return dir;
  };
  afterAll(() => dirs.forEach(removeDir));

  const fixed: Files = {
    ...BASE,
    "src/math.ts": file(BASE["src/math.ts"].content.replace("a - b", "a + b")),
  };

  it("--dry-run prints a diff git applies, and writes nothing", async () => {
    const dir = repo();
    const issue = issueFile(scratch(), `${FENCE}diff\n${gitDiff(BASE, fixed)}${FENCE}\n`);
    const io = capture();
    expect(await runPatch(["--repo", dir, "--issue", issue, "--dry-run"], io)).toBe(0);
    expect(io.out).toContain("+  return a + b;");
    expect(io.err).toContain("strategy: unified-diff");
    expect(io.err).toContain("modified src/math.ts +1 -1");
    expect(io.err).toContain("validation: passed");
    expect(readFiles(dir)).toEqual(BASE);
    git(dir, ["apply", "--check", "-"], io.out);
  });

  it("without --dry-run writes the patch into the checkout", async () => {
    const dir = repo();
    const issue = issueFile(scratch(), "Bitte ersetze `a - b` durch `a + b` in `src/math.ts`.");
    const io = capture();
    expect(await runPatch(["--repo", dir, "--issue", issue], io)).toBe(0);
    expect(io.err).toContain("strategy: edit-instructions");
    expect(readFiles(dir)).toEqual(fixed);
  });

  it("violations are listed and nothing is written", async () => {
    const dir = repo();
    const bad = { ...fixed, ".github/workflows/ci.yml": file("on: [push]\n") };
    const issue = issueFile(scratch(), `${FENCE}diff\n${gitDiff(BASE, bad)}${FENCE}\n`);
    const io = capture();
    expect(await runPatch(["--repo", dir, "--issue", issue], io)).toBe(1);
    expect(io.err).toContain("[workflow-file] .github/workflows/ci.yml");
    expect(readFiles(dir)).toEqual(BASE);
  });

  it("never writes outside the checkout", async () => {
    const dir = repo();
    const issue = issueFile(
      scratch(),
      `Create file \`../escaped.txt\`:\n\n${FENCE}\npwned\n${FENCE}\n`,
    );
    const io = capture();
    expect(await runPatch(["--repo", dir, "--issue", issue], io)).toBe(1);
    expect(io.err).toContain("[path-outside-repo] ../escaped.txt");
    expect(existsSync(join(dir, "..", "escaped.txt"))).toBe(false);
  });

  it("the repo's .github/afu9.yml limits apply", async () => {
    const dir = repo({ ...BASE, ".github/afu9.yml": file("limits:\n  lines: 1\n") });
    const issue = issueFile(scratch(), `${FENCE}diff\n${gitDiff(BASE, fixed)}${FENCE}\n`);
    const io = capture();
    expect(await runPatch(["--repo", dir, "--issue", issue, "--dry-run"], io)).toBe(1);
    expect(io.err).toContain("[too-many-lines]");
  });

  it("a diff that does not apply is refused with the reason", async () => {
    const dir = repo({ ...BASE, "src/math.ts": file("export const changed = true;\n") });
    const issue = issueFile(scratch(), `${FENCE}diff\n${gitDiff(BASE, fixed)}${FENCE}\n`);
    const io = capture();
    expect(await runPatch(["--repo", dir, "--issue", issue], io)).toBe(1);
    expect(io.err).toMatch(
      /refused \(AFU9\.PatchDoesNotApply\): hunk #1 .* of src\/math\.ts does not apply/,
    );
  });

  it("no strategy: prints the patch plan, exit 3", async () => {
    const dir = repo();
    const issue = issueFile(scratch(), "`add()` in src/math.ts returns the wrong sign.");
    const io = capture();
    expect(await runPatch(["--repo", dir, "--issue", issue], io)).toBe(3);
    expect(io.out).toContain("| `src/math.ts` |");
  });

  it("usage errors exit 2", async () => {
    const io = capture();
    expect(await runPatch(["--repo", "/nonexistent-afu9"], io)).toBe(2);
    expect(await runPatch(["--bogus"], io)).toBe(2);
    expect(io.err).toContain("usage: afu9 patch");
  });

  it("runs as `afu9 patch` through bin/afu9.js", () => {
    const dir = repo();
    const issue = issueFile(scratch(), `${FENCE}diff\n${gitDiff(BASE, fixed)}${FENCE}\n`);
    const root = REPO_ROOT;
    const out = execFileSync(
      join(root, "node_modules/.bin/node"),
      [join(root, "bin/afu9.js"), "patch", "--repo", dir, "--issue", issue, "--dry-run"],
      { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
    );
    expect(out).toContain("diff --git a/src/math.ts b/src/math.ts");
  });
});
