// The localization engine's ranking on small repositories a reader can check by eye: which file
// comes first, and that the reasons say why.
import { DEFAULT_SNAPSHOT_LIMITS } from "../../../handlers/localization/bounds";
import { formatPatchPlan } from "../../../handlers/localization/patch-plan";
import { localize, pathsOnlySnapshot } from "../../../handlers/localization/rank";
import { createSnapshotBuilder, type RepoSnapshot } from "../../../handlers/localization/snapshot";
import { codeTerms, splitIdentifier, stem } from "../../../handlers/localization/tokenize";

function snapshotOf(files: Record<string, string>): RepoSnapshot {
  const builder = createSnapshotBuilder(DEFAULT_SNAPSHOT_LIMITS);
  for (const [path, content] of Object.entries(files)) {
    const bytes = Buffer.from(content, "utf8");
    if (builder.wants(path, bytes.length)) builder.add(path, bytes);
  }
  return builder.finish();
}

describe("code-aware terms", () => {
  it("splits identifiers, keeps the compound, folds case and stems plurals", () => {
    expect(splitIdentifier("parseHTTPResponse2")).toEqual(["parse", "HTTP", "Response", "2"]);
    expect(codeTerms("refreshToken refresh_tokens")).toEqual([
      "refreshtoken",
      "refresh",
      "token",
      "refreshtoken",
      "refresh",
      "token",
    ]);
    expect(stem("queries")).toBe("query");
    expect(stem("Einstellungen".toLowerCase())).toBe("einstellung");
    expect(codeTerms("Die Einstellungen werden nicht gespeichert")).toEqual([
      "einstellung",
      "gespeichert",
    ]);
  });
});

describe("localize", () => {
  const files = {
    "src/greet.ts": "export function greet(name: string) {\n  return `Hello ${name}`;\n}\n",
    "src/farewell.ts": "export function farewell(name: string) {\n  return `Bye ${name}`;\n}\n",
    "src/index.ts": "import { greet } from './greet';\nconsole.log(greet('world'));\n",
    "test/greet.test.ts":
      "import { greet } from '../src/greet';\ntest('greet', () => greet('a'));\n",
    "node_modules/x/greet.ts": "export function greet() {}\n",
  };

  it("ranks the file a stack trace names first and says where", () => {
    const result = localize(
      {
        title: "The greeting feels unfriendly",
        body: "See `greet()`:\n```\nError: boom\n    at greet (src/greet.ts:2:10)\n```",
      },
      snapshotOf(files),
    );
    expect(result.files[0].path).toBe("src/greet.ts");
    expect(result.files[0].reasons).toEqual(
      expect.arrayContaining(["named in the stack trace at line 2", "defines `greet`"]),
    );
    expect(result.files.map((f) => f.path)).not.toContain("node_modules/x/greet.ts");
    expect(result.files.map((f) => f.path)).not.toContain("test/greet.test.ts");
    expect(result.tests[0].path).toBe("test/greet.test.ts");
  });

  it("a definition outweighs a mention", () => {
    const result = localize(
      { title: "greet is wrong", body: "`greet` returns the wrong text" },
      snapshotOf(files),
    );
    const rank = (path: string) => result.files.findIndex((f) => f.path === path);
    expect(rank("src/greet.ts")).toBeLessThan(rank("src/index.ts"));
    expect(result.files.find((f) => f.path === "src/index.ts")?.reasons).toContain(
      "mentions `greet`",
    );
  });

  it("matches identifiers to kebab-case file names on paths alone", () => {
    const result = localize(
      { title: "`createPullRequest` fails", body: "" },
      pathsOnlySnapshot(["handlers/pr-creator/create-pull-request.ts", "handlers/other.ts"]),
    );
    expect(result.files.map((f) => f.path)).toEqual(["handlers/pr-creator/create-pull-request.ts"]);
  });

  it("formats a plan with scores and reasons, and says so when nothing is linked", () => {
    const plan = formatPatchPlan(localize({ title: "Fix greet", body: "" }, snapshotOf(files)));
    expect(plan).toContain("#### Patch plan");
    expect(plan).toMatch(/\| `src\/greet\.ts` \| [\d.]+ \| /);
    expect(plan).toContain("(test)");
    const empty = formatPatchPlan(
      localize({ title: "Something is off.", body: "" }, snapshotOf(files)),
    );
    expect(empty).toContain("No file could be linked");
  });
});
