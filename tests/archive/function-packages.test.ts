import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import {
  excludedPackagesFor,
  FUNCTION_PACKAGES,
  pruneArchiveEntries,
  TYPES_ONLY_PACKAGES,
} from "../../components/function-packages";
import { ROOT } from "../infra/support/stack-config-fixture";

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
    expect(webhook).toEqual(
      expect.arrayContaining(["zod", "yaml", "@babel/parser", "@octokit/rest"]),
    );
    expect(webhook).not.toContain("@octokit/webhooks");
    const patch = excludedPackagesFor("patchGenerator", ROOT);
    expect(patch).not.toContain("@babel/parser");
    expect(patch).not.toContain("zod");
    expect(patch).toContain("@octokit/webhooks");
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

describe("pruneArchiveEntries", () => {
  it("drops nested excluded packages and build-only files, and keeps everything else", async () => {
    const pkg = mkdtempSync(join(tmpdir(), "afu9-prune-"));
    try {
      mkdirSync(join(pkg, "dist"), { recursive: true });
      mkdirSync(join(pkg, "node_modules", "@octokit", "types"), { recursive: true });
      mkdirSync(join(pkg, "node_modules", "kept"), { recursive: true });
      writeFileSync(join(pkg, "package.json"), "{}");
      writeFileSync(join(pkg, "dist", "index.js"), "module.exports = 1;");
      writeFileSync(join(pkg, "dist", "index.d.ts"), "export {};");
      writeFileSync(join(pkg, "dist", "index.js.map"), "{}");
      writeFileSync(join(pkg, "node_modules", "@octokit", "types", "index.d.ts"), "export {};");
      writeFileSync(join(pkg, "node_modules", "kept", "index.js"), "");
      const pruned = await pruneArchiveEntries(
        { "node_modules/pkg": new pulumi.asset.FileArchive(pkg) },
        new Set(["@octokit/types"]),
      );
      const archive = pruned["node_modules/pkg"] as pulumi.asset.AssetArchive;
      const assets = (await archive.assets) as Record<string, unknown>;
      expect(Object.keys(assets).sort()).toEqual(["dist", "node_modules/kept", "package.json"]);
      expect(assets["node_modules/kept"]).toBeInstanceOf(pulumi.asset.FileArchive);
      const dist = (await (assets.dist as pulumi.asset.AssetArchive).assets) as Record<
        string,
        unknown
      >;
      expect(Object.keys(dist)).toEqual(["index.js"]);
    } finally {
      rmSync(pkg, { recursive: true, force: true });
    }
  });
});
