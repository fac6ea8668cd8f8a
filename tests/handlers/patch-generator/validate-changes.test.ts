// ValidatePatch rules over change sets: each rule fires on the change it exists for, stays quiet on
// the harmless neighbour, and every violation appears in the comment.
import type { FileChange } from "../../../handlers/patch-generator/change-set";
import { globToRegExp } from "../../../handlers/patch-generator/glob";
import { findSecrets, shannonEntropy } from "../../../handlers/patch-generator/secret-scan";
import {
  RULES,
  validateChanges,
  type ValidationLimits,
} from "../../../handlers/patch-generator/validate-changes";
import { formatViolationsComment } from "../../../handlers/patch-generator/violations-comment";

const settings: ValidationLimits = {
  protectedPaths: ["infra/**", "*.pem", "docs/legal/"],
  limits: { files: 5, lines: 50 },
};

const modified = (path: string, before: string, after: string, mode = "100644"): FileChange => ({
  path,
  change: "modified",
  oldFile: { content: before, mode: "100644" },
  newFile: { content: after, mode },
});
const added = (path: string, content: string, mode = "100644"): FileChange => ({
  path,
  change: "added",
  oldFile: null,
  newFile: { content, mode },
});

/** A base tree with no symlinks or submodules. */
const plainTree = () => undefined;
const rulesOf = (changes: FileChange[]) =>
  validateChanges(changes, settings, plainTree).map((v) => v.rule);

describe("validateChanges", () => {
  it("accepts an ordinary small change", () => {
    expect(
      validateChanges(
        [modified("src/a.ts", "const a = 1;\n", "const a = 2;\n")],
        settings,
        plainTree,
      ),
    ).toEqual([]);
  });

  it("empty: a patch that changes nothing", () => {
    expect(rulesOf([])).toEqual([RULES.empty]);
  });

  it.each(["../etc/passwd", "/abs/path", "a/../../b", ".git/config", "src\\win.txt", "a//b"])(
    "path-outside-repo: %s",
    (path) => {
      expect(rulesOf([added(path, "x\n")])).toContain(RULES.pathOutsideRepo);
    },
  );

  it("symlink: a new symbolic link, but not a regular file", () => {
    expect(rulesOf([added("link", "/etc/passwd", "120000")])).toEqual([RULES.symlink]);
    expect(rulesOf([added("file", "text\n", "100755")])).toEqual([]);
  });

  it("submodule: a gitlink entry", () => {
    expect(
      rulesOf([added("vendor/lib", "Subproject commit " + "a".repeat(40) + "\n", "160000")]),
    ).toEqual([RULES.submodule]);
  });

  it("workflow-file: anything under .github/workflows, also renamed out of it", () => {
    expect(rulesOf([added(".github/workflows/ci.yml", "on: push\n")])).toEqual([RULES.workflow]);
    const renamed: FileChange = {
      path: "ci.yml",
      previousPath: ".github/workflows/ci.yml",
      change: "renamed",
      oldFile: { content: "on: push\n", mode: "100644" },
      newFile: { content: "on: push\n", mode: "100644" },
    };
    expect(rulesOf([renamed])).toEqual([RULES.workflow]);
    expect(rulesOf([added(".github/ISSUE_TEMPLATE/bug.md", "x\n")])).toEqual([]);
  });

  it("protected-path: globs from the repo config and the factory's own config file", () => {
    expect(rulesOf([added("infra/main.tf", "x\n")])).toEqual([RULES.protectedPath]);
    expect(rulesOf([added("certs/deep/server.pem", "x\n")])).toEqual([RULES.protectedPath]);
    expect(rulesOf([added("docs/legal/terms.md", "x\n")])).toEqual([RULES.protectedPath]);
    expect(rulesOf([added(".github/afu9.yml", "automerge: true\n")])).toEqual([
      RULES.protectedPath,
    ]);
    expect(rulesOf([added("docs/guide.md", "x\n"), added("infrastructure.md", "x\n")])).toEqual([]);
  });

  it("too-many-files and too-many-lines use the configured limits", () => {
    const six = Array.from({ length: 6 }, (_, i) => added(`f${i}.txt`, "x\n"));
    expect(rulesOf(six)).toEqual([RULES.tooManyFiles]);
    expect(rulesOf(six.slice(0, 5))).toEqual([]);
    const big = added("big.txt", "line\n".repeat(51));
    expect(rulesOf([big])).toEqual([RULES.tooManyLines]);
    expect(rulesOf([added("ok.txt", "line\n".repeat(50))])).toEqual([]);
  });

  it("json-syntax, yaml-syntax and package-json", () => {
    expect(rulesOf([modified("a.json", '{"a":1}\n', '{"a":1,}\n')])).toEqual([RULES.json]);
    expect(rulesOf([modified("a.yml", "a: 1\n", "a: [1\n")])).toEqual([RULES.yaml]);
    expect(rulesOf([modified("b.yaml", "a: 1\n", "a: 1\nb:\n  - 2\n")])).toEqual([]);
    expect(
      rulesOf([
        modified("package.json", '{"name":"x"}\n', '{"name":"x","dependencies":{"a":1}}\n'),
      ]),
    ).toEqual([RULES.packageJson]);
    expect(rulesOf([modified("package.json", '{"name":"x"}\n', '{"name":"x",}\n')])).toEqual([
      RULES.packageJson,
    ]);
    expect(
      rulesOf([modified("package.json", '{"name":"x"}\n', '{"name":"x","version":"1.0.0"}\n')]),
    ).toEqual([]);
  });

  it("js-syntax with the parser plugins the extension implies", () => {
    expect(rulesOf([added("a.ts", "const a: number = 1;\n")])).toEqual([]);
    expect(rulesOf([added("a.js", "const a: number = 1;\n")])).toEqual([RULES.js]);
    expect(rulesOf([added("c.tsx", "export const C = () => <div>{1 as number}</div>;\n")])).toEqual(
      [],
    );
    expect(rulesOf([added("c.ts", "export const C = () => <div>{1}</div>;\n")])).toEqual([
      RULES.js,
    ]);
    expect(rulesOf([added("c.jsx", "export const C = () => <div/>;\n")])).toEqual([]);
    expect(rulesOf([modified("b.mjs", "export const a = 1;\n", "export const a = ;\n")])).toEqual([
      RULES.js,
    ]);
  });

  it("a file that did not parse before the patch is not the patch's fault", () => {
    expect(
      rulesOf([modified("tsconfig.json", '{ // c\n "a": 1 }\n', '{ // c\n "a": 2 }\n')]),
    ).toEqual([]);
  });

  it.each([
    ["private key block", "-----BEGIN RSA PRIVATE KEY-----"],
    ["AWS access key id", 'const id = "AKIAZ5QWERTY12345XYZ";'],
    ["AWS secret access key", "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYzz9f8AbQ3r"],
    ["GitHub token", "token: ghp_" + "aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI3kM5"],
    ["GitHub fine-grained token", "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz"],
    ["generic high-entropy assignment", 'const apiKey = "q8Zr2LmX9vT4pW7nK3sB";'],
    ["dotenv assignment", "STRIPE_SECRET=sk9Xq2Lm8Rt4Vw7Zp3Nb6Cd"],
  ])("secret: %s", (_kind, line) => {
    const violations = validateChanges(
      [modified("config.txt", "# config\n", `# config\n${line}\n`)],
      settings,
      plainTree,
    );
    expect(violations.map((v) => v.rule)).toEqual([RULES.secret]);
    expect(violations[0].message).toContain("line 2");
    // The comment must never repeat the secret itself.
    const secretish = line.match(/[A-Za-z0-9/+_]{16,}/g) ?? [];
    for (const value of secretish) expect(violations[0].message).not.toContain(value);
  });

  it.each([
    'const password = process.env.DB_PASSWORD ?? "";',
    'const token = "xxxxxxxxxxxxxxxxxxxx";',
    'apiKey: "<your-api-key-goes-here>"',
    'const id = "AKIAIOSFODNN7EXAMPLE"; // AWS documentation example',
    'const tokenCount = "aaaaaaaaaaaaaaaaaaaaaaa";',
    "password_hint = short",
  ])("secret: no finding for %s", (line) => {
    expect(rulesOf([modified("config.txt", "", `${line}\n`)])).toEqual([]);
  });

  it("secret: only added lines count", () => {
    const key = "-----BEGIN OPENSSH PRIVATE KEY-----\n";
    expect(rulesOf([modified("notes.txt", key, `${key}more\n`)])).toEqual([]);
  });

  it("entropy helper ranks random strings above repeated ones", () => {
    expect(shannonEntropy("aaaaaaaa")).toBe(0);
    expect(shannonEntropy("q8Zr2LmX9vT4pW7n")).toBeGreaterThan(3.5);
    expect(findSecrets([{ line: 7, text: "secret_key: 'Zq8r2LmX9vT4pW7nK3sB'" }])[0].line).toBe(7);
  });

  it("globs: ** spans directories, * stays in one segment", () => {
    expect(globToRegExp("src/*.ts").test("src/a.ts")).toBe(true);
    expect(globToRegExp("src/*.ts").test("src/x/a.ts")).toBe(false);
    expect(globToRegExp("src/**/*.ts").test("src/a.ts")).toBe(true);
    expect(globToRegExp("src/**/*.ts").test("src/x/y/a.ts")).toBe(true);
    expect(globToRegExp(".github/**").test(".github/CODEOWNERS")).toBe(true);
    expect(globToRegExp("secrets").test("deep/secrets/x")).toBe(true);
  });
});

describe("violations comment", () => {
  it("lists every violation with its rule and path", () => {
    const changes = [
      added("../escape.txt", "x\n"),
      added("link", "/etc", "120000"),
      added("vendor/sub", "Subproject commit " + "b".repeat(40) + "\n", "160000"),
      added(".github/workflows/release.yml", "on: push\n"),
      added("infra/x.tf", "x\n"),
      added("bad.json", "{\n"),
      added("bad.yml", "a: [\n"),
      added("package.json", "[]\n"),
      added("bad.ts", "let = ;\n"),
      added("leak.ts", 'const secretToken = "Zq8r2LmX9vT4pW7nK3sB";\n'),
    ];
    const violations = validateChanges(changes, settings, plainTree);
    const rules = new Set(violations.map((v) => v.rule));
    for (const rule of [
      RULES.pathOutsideRepo,
      RULES.symlink,
      RULES.submodule,
      RULES.workflow,
      RULES.protectedPath,
      RULES.json,
      RULES.yaml,
      RULES.packageJson,
      RULES.js,
      RULES.secret,
      RULES.tooManyFiles,
    ]) {
      expect(rules).toContain(rule);
    }
    const comment = formatViolationsComment(violations, {
      strategy: "unified-diff",
      commitSha: "0123456789abcdef",
    });
    for (const violation of violations) {
      expect(comment).toContain(`\`${violation.rule}\``);
      if (violation.path) expect(comment).toContain(`\`${violation.path}\``);
    }
    expect(comment).toContain("`0123456`");
    expect(comment.match(/^\| `/gm)).toHaveLength(violations.length);
  });
});
