// The sandbox's demo repository: a small TypeScript project with a default branch `main`, an
// AFU-9 config enabling the factory, and a labelled issue waiting to be turned into a PR.
import type { GitHubSimulator } from "./simulator";

export const DEMO_FILES: Record<string, string> = {
  "README.md": "# demo-app\n\nA tiny service the AFU-9 sandbox works on.\n",
  "package.json": `${JSON.stringify({ name: "demo-app", version: "1.0.0", private: true, scripts: { test: "node --test" } }, null, 2)}\n`,
  "src/greet.js":
    'function greet(name) {\n  return "Hello, " + name;\n}\n\nmodule.exports = { greet };\n',
  "test/greet.test.js":
    'const { test } = require("node:test");\nconst assert = require("node:assert");\nconst { greet } = require("../src/greet");\n\ntest("greets", () => {\n  assert.strictEqual(greet("Ada"), "Hello, Ada");\n});\n',
  "docs/usage.md": "# Usage\n\nCall `greet(name)`.\n",
  ".github/afu9.yml": "enabled: true\ntriggerLabel: afu9\nautomerge: true\nmergeMethod: squash\n",
};

export interface DemoSeed {
  installationId: number;
  owner: string;
  repo: string;
  defaultBranch: string;
  headSha: string;
}

/** Creates installation + demo repository (owner "afu9-demo", repo "demo-app") on a simulator. */
export function seedDemoRepository(
  sim: GitHubSimulator,
  options: { owner?: string; repo?: string; maintainer?: string } = {},
): DemoSeed {
  const owner = options.owner ?? "afu9-demo";
  const name = options.repo ?? "demo-app";
  const { id: installationId } = sim.createInstallation(owner);
  const repo = sim.createRepository({
    owner,
    name,
    installationId,
    defaultBranch: "main",
    files: DEMO_FILES,
  });
  sim.setPermission(owner, name, options.maintainer ?? "demo-maintainer", "write");
  return {
    installationId,
    owner,
    repo: name,
    defaultBranch: repo.defaultBranch,
    headSha: repo.headSha,
  };
}
