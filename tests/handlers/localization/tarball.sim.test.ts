// The repository read behind the patch plan: one tarball request through real Octokit to the
// simulator (302 to the archive, followed by fetch), unpacked in memory within the limits.
import { readRepositorySnapshot } from "../../../handlers/localization/github-tarball";
import { startFixture, type SimFixture } from "../../local/github-simulator/helpers";

describe("readRepositorySnapshot on the GitHub simulator", () => {
  let fixture: SimFixture;
  const files: Record<string, string> = {
    "README.md": "# widgets\n",
    "src/auth/token.ts": "export function refreshToken() {\n  return null;\n}\n",
    "src/ui/button.ts": "export const Button = 1;\n",
    "node_modules/left-pad/index.js": "module.exports = 1;\n",
    "package-lock.json": "{}\n",
    "assets/logo.png": "\u0089PNG\u0000\u0000",
  };

  beforeAll(async () => {
    fixture = await startFixture({}, files);
  });
  afterAll(async () => {
    await fixture.sim.close();
  });

  it("reads the tree at the ref in one API request and keeps only the text files people wrote", async () => {
    fixture.sim.requests.length = 0;
    const snapshot = await readRepositorySnapshot(fixture.octokit, {
      owner: fixture.owner,
      repo: fixture.repo,
      ref: "main",
    });
    expect(snapshot.files.map((f) => f.path).sort()).toEqual([
      "README.md",
      "src/auth/token.ts",
      "src/ui/button.ts",
    ]);
    expect(snapshot.files.find((f) => f.path === "src/auth/token.ts")?.content).toBe(
      files["src/auth/token.ts"],
    );
    expect(snapshot.skipped).toEqual({ "vendored-or-build": 1, "lock-file": 1, binary: 1 });
    expect(snapshot.truncated).toBe(false);
    const api = fixture.sim.requests.filter((r) => r.route.startsWith("GET /repos/"));
    expect(api.map((r) => `${r.route} ${r.status}`)).toEqual([
      "GET /repos/{owner}/{repo}/tarball/{ref} 302",
    ]);
    expect(fixture.sim.requests.filter((r) => r.route === "GET /_codeload")).toHaveLength(1);
  });

  it("stops at the total-bytes cap and says so instead of failing", async () => {
    const snapshot = await readRepositorySnapshot(
      fixture.octokit,
      { owner: fixture.owner, repo: fixture.repo, ref: "main" },
      { maxFileBytes: 1024, maxTotalBytes: 40, maxFiles: 100 },
    );
    expect(snapshot.truncated).toBe(true);
    expect(snapshot.files.length).toBeLessThan(3);
    expect(snapshot.notes[0]).toMatch(
      /^Only part of the repository was read: .*40 bytes read limit/,
    );
  });

  it("answers 404 for a ref that does not exist", async () => {
    await expect(
      readRepositorySnapshot(fixture.octokit, {
        owner: fixture.owner,
        repo: fixture.repo,
        ref: "no-such-branch",
      }),
    ).rejects.toMatchObject({ status: 404 });
  });
});
