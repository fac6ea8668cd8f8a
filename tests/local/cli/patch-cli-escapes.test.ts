// `afu9 patch` refuses, before writing anything, the paths that lead out of the checkout through a
// committed symlink or into a submodule, paths with hidden characters, and contents that add
// bidirectional controls (Trojan Source).
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runPatch, type CliIo } from "../../../local/cli/patch";
import {
  type Files,
  git,
  initRepo,
  readFiles,
  removeDir,
  tempDir,
} from "../../handlers/patch-generator/git-fixture";

const FENCE = "```";
const BASE: Files = { "README.md": { content: "# demo\n", mode: "100644" } };

function capture(): CliIo & { out: string; err: string } {
  const io = {
    out: "",
    err: "",
    env: {},
    stdout: (text: string) => void (io.out += text),
    stderr: (text: string) => void (io.err += text),
  };
  return io;
}

function newFileDiff(path: string, line: string): string {
  return [
    `diff --git a/${path} b/${path}`,
    "new file mode 100644",
    "--- /dev/null",
    `+++ b/${path}`,
    "@@ -0,0 +1 @@",
    `+${line}`,
    "",
  ].join("\n");
}

describe("afu9 patch: escapes are refused before anything is written", () => {
  const dirs: string[] = [];
  const scratch = (prefix: string) => {
    const dir = tempDir(prefix);
    dirs.push(dir);
    return dir;
  };
  afterAll(() => dirs.forEach(removeDir));

  const issue = (body: string) => {
    const path = join(scratch("issue"), "issue.json");
    writeFileSync(path, JSON.stringify({ number: 1, title: "t", body }));
    return path;
  };

  it("a path below a committed symlink to an outside directory (item 1)", async () => {
    const outside = scratch("outside");
    const dir = initRepo(BASE);
    dirs.push(dir);
    symlinkSync(outside, join(dir, "docs"));
    git(dir, ["add", "docs"]);
    git(dir, ["commit", "-q", "-m", "docs link"]);
    const io = capture();
    const code = await runPatch(
      [
        "--repo",
        dir,
        "--issue",
        issue(`${FENCE}diff\n${newFileDiff("docs/pwned.txt", "x")}${FENCE}\n`),
      ],
      io,
    );
    expect(code).toBe(1);
    expect(io.err).toContain("[path-through-symlink] docs/pwned.txt");
    expect(readdirSync(outside)).toEqual([]);
  });

  it("a path inside a submodule checkout (item 1)", async () => {
    const dir = initRepo(BASE);
    dirs.push(dir);
    mkdirSync(join(dir, "vendor/lib"), { recursive: true });
    writeFileSync(join(dir, "vendor/lib/.git"), "gitdir: ../../.git/modules/lib\n");
    const io = capture();
    const body = `${FENCE}diff\n${newFileDiff("vendor/lib/evil.js", "x")}${FENCE}\n`;
    expect(await runPatch(["--repo", dir, "--issue", issue(body)], io)).toBe(1);
    expect(io.err).toContain("[path-in-submodule] vendor/lib/evil.js");
    expect(existsSync(join(dir, "vendor/lib/evil.js"))).toBe(false);
  });

  it("a path with a right-to-left override (item 2)", async () => {
    const dir = initRepo(BASE);
    dirs.push(dir);
    const io = capture();
    const body = `${FENCE}diff\n${newFileDiff("src/helper\u202Esj.txt", "x")}${FENCE}\n`;
    expect(await runPatch(["--repo", dir, "--issue", issue(body)], io)).toBe(1);
    expect(io.err).toContain("[hidden-characters-in-path] src/helper<U+202E>sj.txt");
    expect(readFiles(dir)).toEqual(BASE);
  });

  it("contents that add bidi controls: Trojan Source (item 2)", async () => {
    const dir = initRepo(BASE);
    dirs.push(dir);
    const io = capture();
    const line =
      "const isAdmin = false; /*\u202E } \u2066if (isAdmin)\u2069 \u2066 begin admins only */";
    const body = `${FENCE}diff\n${newFileDiff("src/auth.js", line)}${FENCE}\n`;
    expect(await runPatch(["--repo", dir, "--issue", issue(body)], io)).toBe(1);
    expect(io.err).toMatch(
      /\[trojan-source\] src\/auth\.js: line 1 adds bidirectional control characters \(U\+202E, U\+2066, U\+2069\)/,
    );
    expect(readFiles(dir)).toEqual(BASE);
  });
});
