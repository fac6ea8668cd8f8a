// Loads tests/fixtures/issues/*.txt: YAML front matter (title, author, expected type/priority)
// followed by the issue body as the author wrote it. Plain .txt, not .md, so no formatter rewrites
// what the authors typed. Shared by the accuracy script and the tests.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import type { IssueType, Priority } from "../../../contract/state";
import { REPO_ROOT } from "../../support/repo-root";

export const ISSUE_FIXTURE_DIR = join(REPO_ROOT, "tests", "fixtures", "issues");

export interface IssueFixture {
  file: string;
  lang: "en" | "de";
  expected: { type: IssueType; priority: Priority };
  /** The issue as GitHub's REST API returns it when it arrives (labels removed). */
  issue: {
    number: number;
    title: string;
    body: string;
    state: "open";
    locked: false;
    user: { login: string; type: "User" };
    author_association: string;
    labels: never[];
    created_at: string;
    updated_at: string;
  };
}

/**
 * The fixture sets, in the order they were written. `tuned` is what the rules were written against;
 * each held-out set was written and committed before the rules ever ran on it. A held-out set
 * joins `tuned` (its files move up a directory) once its first-contact figures are recorded and
 * rules were changed with its misses in view (tests/fixtures/issues/HOLDOUT.md has the history).
 */
export const FIXTURE_SETS: Array<{ name: string; dir: string }> = [
  { name: "tuned", dir: "" },
  { name: "holdout-4", dir: "holdout-4" },
];

export function loadFixtureSets(): Array<{ name: string; fixtures: IssueFixture[] }> {
  return FIXTURE_SETS.map((set) => ({
    name: set.name,
    fixtures: loadIssueFixtures(join(ISSUE_FIXTURE_DIR, set.dir)),
  }));
}

export function loadIssueFixtures(dir = ISSUE_FIXTURE_DIR): IssueFixture[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".txt"))
    .sort()
    .map((file, index) => {
      const text = readFileSync(join(dir, file), "utf8");
      const m = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text);
      if (!m) throw new Error(`${file}: expected YAML front matter between --- lines`);
      const meta = parseYaml(m[1]) as {
        title: string;
        user: string;
        author_association: string;
        lang: "en" | "de";
        expected: { type: IssueType; priority: Priority };
      };
      return {
        file,
        lang: meta.lang,
        expected: meta.expected,
        issue: {
          number: index + 1,
          title: meta.title,
          body: m[2].trimEnd(),
          state: "open",
          locked: false,
          user: { login: meta.user, type: "User" },
          author_association: meta.author_association,
          labels: [],
          created_at: "2026-01-01T00:00:00Z",
          updated_at: "2026-01-01T00:00:00Z",
        },
      };
    });
}
