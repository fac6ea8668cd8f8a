// traceArchiveEntries on a small synthetic project: which files of a package folder ship.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { traceArchiveEntries } from "../../components/archive-trace";

let project: string;

function write(path: string, content: string | object): void {
  const full = join(project, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, typeof content === "string" ? content : JSON.stringify(content));
}

/** Paths of every file in an (Asset)Archive tree, "dir/file" style. */
async function archivePaths(archive: unknown, prefix = ""): Promise<string[]> {
  if (archive instanceof pulumi.asset.AssetArchive) {
    const assets = (await archive.assets) as Record<string, unknown>;
    const nested = await Promise.all(
      Object.entries(assets).map(([name, value]) => archivePaths(value, `${prefix}${name}/`)),
    );
    return nested.flat().sort();
  }
  return [prefix.replace(/\/$/, "")];
}

beforeEach(() => {
  project = mkdtempSync(join(tmpdir(), "afu9-trace-"));
  write("package.json", { name: "app", dependencies: { dual: "1", esm: "1", unused: "1" } });
  // A dual package: `require` picks .cjs, `import` the .js ESM copy, plus a module-sync target.
  write("node_modules/dual/package.json", {
    name: "dual",
    exports: {
      ".": {
        "module-sync": "./sync.cjs",
        import: "./index.js",
        require: "./index.cjs",
      },
    },
  });
  write("node_modules/dual/index.cjs", 'module.exports = require("./lib/used.cjs");');
  write("node_modules/dual/lib/used.cjs", "module.exports = 1;");
  write("node_modules/dual/sync.cjs", "module.exports = 1;");
  write("node_modules/dual/index.js", 'export * from "./lib/esm-only.js";');
  write("node_modules/dual/lib/esm-only.js", "export const x = 1;");
  write("node_modules/dual/browser/index.js", "window.x = 1;");
  write("node_modules/dual/test/index.test.js", "test();");
  // An ESM-only package reached by require (Node 24's require(esm)), with a nested dependency
  // whose dist folder declares its module type in its own package.json.
  write("node_modules/esm/package.json", {
    name: "esm",
    type: "module",
    exports: { ".": { import: "./dist/index.js", default: "./dist/index.js" } },
  });
  write("node_modules/esm/dist/index.js", 'import { y } from "inner"; export const z = y;');
  write("node_modules/esm/README.md", "docs");
  write("node_modules/esm/node_modules/inner/package.json", { name: "inner", main: "dist/x.js" });
  write("node_modules/esm/node_modules/inner/dist/package.json", { type: "module" });
  write("node_modules/esm/node_modules/inner/dist/x.js", "export const y = 1;");
  // Reached by a deep path, so nft reads but does not emit its package.json; it ships anyway.
  write("node_modules/deep/package.json", { name: "deep", version: "1.0.0" });
  write("node_modules/deep/lib/x.cjs", "module.exports = 1;");
  write("node_modules/deep/lib/other.cjs", "module.exports = 2;");
  write("node_modules/unused/package.json", { name: "unused" });
  write("node_modules/unused/index.js", "module.exports = 0;");
});

afterEach(() => rmSync(project, { recursive: true, force: true }));

function entriesFor(handler: string) {
  return {
    "__index.js": new pulumi.asset.StringAsset(handler),
    "node_modules/dual": new pulumi.asset.FileArchive(join(project, "node_modules/dual")),
    "node_modules/esm": new pulumi.asset.FileArchive(join(project, "node_modules/esm")),
    "node_modules/deep": new pulumi.asset.FileArchive(join(project, "node_modules/deep")),
    "node_modules/unused": new pulumi.asset.FileArchive(join(project, "node_modules/unused")),
  };
}

const HANDLER = [
  'const dual = require("dual");',
  'const esm = require("esm");',
  'const deep = require("deep/lib/x.cjs");',
  'const sdk = require("@aws-sdk/client-sfn/dist-cjs/index.js");',
  'const crypto = require("crypto");',
  "exports.handler = async () => [dual, esm, deep, sdk, crypto];",
].join("\n");

describe("traceArchiveEntries", () => {
  it("keeps only the files the handler can load, with the package.json files on their way", async () => {
    const traced = await traceArchiveEntries(entriesFor(HANDLER), project);
    expect(Object.keys(traced.entries).sort()).toEqual([
      "__index.js",
      "node_modules/deep",
      "node_modules/dual",
      "node_modules/esm",
    ]);
    expect(await archivePaths(traced.entries["node_modules/deep"])).toEqual([
      "lib/x.cjs",
      "package.json",
    ]);
    expect(await archivePaths(traced.entries["node_modules/dual"])).toEqual([
      "index.cjs",
      "lib/used.cjs",
      "package.json",
      "sync.cjs",
    ]);
    expect(await archivePaths(traced.entries["node_modules/esm"])).toEqual([
      "dist/index.js",
      "node_modules/inner/dist/package.json",
      "node_modules/inner/dist/x.js",
      "node_modules/inner/package.json",
      "package.json",
    ]);
    expect(traced.dropped).toEqual(["node_modules/unused"]);
    // The handler entry is passed on untouched.
    expect(traced.entries["__index.js"]).toBeInstanceOf(pulumi.asset.StringAsset);
    // The runtime-provided AWS SDK is neither traced nor reported missing.
    expect(traced.outside).toEqual([]);
    expect(traced.trace.warnings).toEqual([]);
  });

  it("reports a loadable file no entry holds, and a specifier it cannot resolve", async () => {
    const entries = entriesFor(`${HANDLER}\nrequire("unused");\nrequire("not-installed");`);
    delete (entries as Partial<typeof entries>)["node_modules/unused"];
    const traced = await traceArchiveEntries(entries, project);
    expect(traced.outside).toEqual([
      join(project, "node_modules/unused/index.js"),
      join(project, "node_modules/unused/package.json"),
    ]);
    expect(traced.trace.warnings).toEqual([
      expect.stringContaining('Failed to resolve dependency "not-installed"'),
    ]);
  });

  it("refuses an archive without a readable __index.js, saying why", async () => {
    const noHandler: Partial<ReturnType<typeof entriesFor>> = entriesFor(HANDLER);
    delete noHandler["__index.js"];
    await expect(
      traceArchiveEntries(noHandler as Record<string, pulumi.asset.Archive>, project),
    ).rejects.toThrow(/no readable __index\.js .*update traceArchiveEntries/);
  });
});
