// Builds the localization fixture set from case files (the issue as reported, the fix commit) and
// local git mirrors of the public repositories: for each case, a commit holding exactly the fix's
// parent tree (no history) tagged `case/<id>`, one git bundle per repository, and cases.json with
// the gold files (the fix's changed source files that existed before it). Run once by whoever
// extends the set:
//   npx tsx bench/localize/build-fixtures.ts CASES_DIR MIRRORS_DIR
// where MIRRORS_DIR/<owner>+<name>/repo is a git directory of that repository.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isTestPath } from "../../handlers/localization/test-files";

interface CaseFile {
  repo: string;
  issue: number;
  fix: string;
  title: string;
  body: string;
  truncated?: boolean;
}

export interface FixtureCase {
  id: string;
  repo: string;
  issue: number;
  url: string;
  fixCommit: string;
  parentCommit: string;
  tag: string;
  bundle: string;
  title: string;
  body: string;
  /** The issue text is the search index's excerpt of the reporter's description, cut short. */
  truncated: boolean;
  gold: string[];
}

const FIXTURES = join(__dirname, "fixtures");
const NOT_SOURCE =
  /(^|\/)(docs?|\.github|examples?|benchmarks?)\/|\.(md|rst|txt|json|ya?ml|lock|snap|d\.ts)$|(^|\/)(CHANGE[^/]*|HISTORY[^/]*|AUTHORS[^/]*|LICENSE[^/]*|Makefile|setup\.py|go\.mod|go\.sum)$/i;

function git(gitDir: string, args: string[], input?: string): string {
  return execFileSync("git", ["--git-dir", gitDir, ...args], {
    encoding: "utf8",
    input,
    maxBuffer: 256 * 1024 * 1024,
  }).trim();
}

function goldFiles(mirror: string, fix: string): string[] {
  // Modified or deleted paths only: a file the fix created did not exist for anyone to find.
  return git(mirror, ["diff-tree", "--no-commit-id", "--name-only", "-r", "--diff-filter=MD", fix])
    .split("\n")
    .filter((path) => path && !NOT_SOURCE.test(path) && !isTestPath(path));
}

function main(casesDir: string, mirrorsDir: string): void {
  const byRepo = new Map<string, Array<{ id: string; file: CaseFile }>>();
  for (const name of readdirSync(casesDir)
    .filter((n) => n.endsWith(".json"))
    .sort()) {
    const file = JSON.parse(readFileSync(join(casesDir, name), "utf8")) as CaseFile;
    const list = byRepo.get(file.repo) ?? [];
    list.push({ id: name.replace(/\.json$/, ""), file });
    byRepo.set(file.repo, list);
  }
  mkdirSync(join(FIXTURES, "bundles"), { recursive: true });
  const cases: FixtureCase[] = [];
  for (const [repo, entries] of byRepo) {
    const mirror = join(mirrorsDir, repo.replace("/", "+"), "repo");
    const work = mkdtempSync(join(tmpdir(), "afu9-fixture-"));
    const gitDir = join(work, "snapshots.git");
    execFileSync("git", ["init", "-q", "--bare", gitDir]);
    writeFileSync(join(gitDir, "objects", "info", "alternates"), join(mirror, "objects"));
    const bundle = `${repo.replace("/", "__")}.bundle`;
    for (const { id, file } of entries) {
      const parentCommit = git(mirror, ["rev-parse", `${file.fix}^`]);
      const tree = git(mirror, ["rev-parse", `${parentCommit}^{tree}`]);
      const snapshot = git(gitDir, ["commit-tree", tree, "-m", `${repo} at ${parentCommit}`], "");
      const tag = `case/${id}`;
      git(gitDir, ["tag", tag, snapshot]);
      const gold = goldFiles(mirror, file.fix);
      if (gold.length === 0) throw new Error(`${id}: the fix changes no existing source file`);
      cases.push({
        id,
        repo,
        issue: file.issue,
        url: `https://github.com/${repo}/issues/${file.issue}`,
        fixCommit: file.fix,
        parentCommit,
        tag,
        bundle,
        title: file.title,
        body: file.body,
        truncated: file.truncated === true,
        gold,
      });
    }
    // The bundle must carry every object itself, not rely on the alternate.
    git(gitDir, ["repack", "-a", "-d", "-q"]);
    rmSync(join(gitDir, "objects", "info", "alternates"));
    git(gitDir, ["bundle", "create", join(FIXTURES, "bundles", bundle), "--tags"]);
    rmSync(work, { recursive: true, force: true });
  }
  cases.sort((a, b) => a.id.localeCompare(b.id));
  writeFileSync(join(FIXTURES, "cases.json"), `${JSON.stringify(cases, null, 2)}\n`);
  process.stdout.write(`${cases.length} cases from ${byRepo.size} repositories\n`);
}

main(process.argv[2], process.argv[3]);
