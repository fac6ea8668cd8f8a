import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  excludedPackagesFor,
  FUNCTION_PACKAGES,
  TYPES_ONLY_PACKAGES,
} from "../../components/function-packages";
import { ROOT } from "./support/stack-config-fixture";

describe("excludedPackagesFor", () => {
  it("always excludes the types-only Octokit packages and every @aws-sdk package", () => {
    for (const fn of Object.keys(FUNCTION_PACKAGES) as (keyof typeof FUNCTION_PACKAGES)[]) {
      const excluded = excludedPackagesFor(fn, ROOT);
      for (const name of TYPES_ONLY_PACKAGES) expect(excluded).toContain(name);
      for (const name of [
        "@aws-sdk/client-sfn",
        "@aws-sdk/client-secrets-manager",
        "@aws-sdk/client-bedrock-runtime",
      ]) {
        expect(excluded).toContain(name);
      }
    }
  });

  it("excludes the dependencies a function does not use, and keeps the ones it does", () => {
    const webhook = excludedPackagesFor("webhook", ROOT);
    expect(webhook).toEqual(expect.arrayContaining(["zod", "yaml", "@babel/parser"]));
    expect(webhook).not.toContain("@octokit/webhooks");
    // `/afu9` commands: the webhook reads the PR and the author's permission as the App.
    expect(webhook).not.toContain("@octokit/rest");
    const patch = excludedPackagesFor("patchGenerator", ROOT);
    expect(patch).not.toContain("@babel/parser");
    expect(patch).not.toContain("zod");
    expect(patch).toContain("@octokit/webhooks");
  });

  it("excludes the deploy-time tracer @vercel/nft from every function (a dependency none reaches)", () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    // It runs at `pulumi up` (components/archive-trace.ts), so it is a runtime dependency of the
    // Pulumi program; nothing in a function needs it.
    expect(Object.keys(manifest.dependencies)).toContain("@vercel/nft");
    for (const fn of Object.keys(FUNCTION_PACKAGES) as (keyof typeof FUNCTION_PACKAGES)[]) {
      expect([fn, excludedPackagesFor(fn, ROOT)]).toEqual([
        fn,
        expect.arrayContaining(["@vercel/nft"]),
      ]);
    }
  });

  it("names a package the function uses that package.json does not list", () => {
    const project = mkdtempSync(join(tmpdir(), "afu9-packages-"));
    try {
      writeFileSync(
        join(project, "package.json"),
        JSON.stringify({ dependencies: { yaml: "^2" } }),
      );
      expect(() => excludedPackagesFor("webhook", project)).toThrow(
        /function webhook uses .*@octokit\/webhooks.*npm install --save/,
      );
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });
});
