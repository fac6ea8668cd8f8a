// Test folders mirror the source folders, so the tests of `handlers/webhook/` are found in
// `tests/handlers/webhook/`. Folders that hold no source of their own are named here.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT } from "../support/repo-root";

/** Test folders with no source folder of the same path, and why. */
const NOT_MIRRORED: Record<string, string> = {
  "tests/e2e": "drives the whole local factory (webhook to merge) over HTTP",
  "tests/support": "helpers shared by every test folder",
  "tests/fixtures": "recorded issues and payloads",
};

function testFolders(root: string, folder: string): string[] {
  return readdirSync(join(root, folder))
    .map((entry) => `${folder}/${entry}`)
    .filter((path) => statSync(join(root, path)).isDirectory())
    .filter((path) => !(path in NOT_MIRRORED))
    .flatMap((path) => [path, ...testFolders(root, path)]);
}

/** Test folders under `root` without a source folder at the same path (`support/` is exempt). */
function unmirrored(root: string): string[] {
  return testFolders(root, "tests")
    .filter((path) => !path.endsWith("/support"))
    .filter((path) => !existsSync(join(root, path.slice("tests/".length))));
}

describe("test layout", () => {
  it("every test folder has a source folder at the same path", () => {
    expect(testFolders(REPO_ROOT, "tests")).toContain("tests/handlers/webhook");
    expect(unmirrored(REPO_ROOT)).toEqual([]);
  });

  it("reports a test folder whose source folder does not exist", () => {
    const root = mkdtempSync(join(tmpdir(), "afu9-layout-"));
    try {
      for (const dir of ["handlers/webhook", "tests/handlers/webhook", "tests/handlers/webhok"]) {
        mkdirSync(join(root, dir), { recursive: true });
      }
      mkdirSync(join(root, "tests/handlers/webhook/support"));
      expect(unmirrored(root)).toEqual(["tests/handlers/webhok"]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
