// The two deployment forms of every function, built side by side into one temp folder:
// - the CallbackFunction archive exactly as `pulumi up` builds it (the program under Pulumi mocks,
//   through tests/components/support, the same code `npm run size` and the archive tests use);
// - the baseline a user would otherwise pick: an esbuild bundle of the same handler module, the
//   lambda.ts factory wrapped as `exports.handler = create*Handler()` (platform node, target
//   node24, format cjs, @aws-sdk/* external because the nodejs24.x runtime ships AWS SDK v3).
// Nothing is written into the project: both forms live under os.tmpdir() and are removed after.
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { deflateRawSync } from "node:zlib";
import { build } from "esbuild";
import {
  buildFunctionArchives,
  type FunctionArchive,
  listFiles,
  zipBytes,
} from "../tests/components/support/archive-files";
import { emulateLambdaRuntimeSdk } from "../tests/components/support/lambda-runtime-sdk";

export const ROOT = resolve(__dirname, "..");

/** Each function's handler module and the factory its CallbackFunction uses (components/). */
export const FUNCTION_MODULES: Record<string, { module: string; factory: string }> = {
  "afu9-webhook": { module: "handlers/webhook/lambda.ts", factory: "createWebhookHandler" },
  "afu9-issue-interpreter": {
    module: "handlers/issue-interpreter/lambda.ts",
    factory: "createIssueInterpreterHandler",
  },
  "afu9-patch-generator": {
    module: "handlers/patch-generator/lambda.ts",
    factory: "createPatchGeneratorHandler",
  },
  "afu9-pr-creator": { module: "handlers/pr-creator/lambda.ts", factory: "createPrCreatorHandler" },
  "afu9-ci-feedback": {
    module: "handlers/ci-feedback/lambda.ts",
    factory: "createCiFeedbackHandler",
  },
  "afu9-notifier": { module: "handlers/notifier/lambda.ts", factory: "createNotifierHandler" },
};

export interface FunctionBuild {
  name: string;
  archive: FunctionArchive;
  /** Folder holding the esbuild bundle (index.js): loaded as the Lambda runtime would. */
  bundleDir: string;
  bundleFile: string;
  /**
   * Files esbuild took into the bundle (paths relative to the project, e.g.
   * node_modules/zod/v4/core/core.js): what the handler's import graph reaches.
   */
  bundleInputs: Set<string>;
}

export interface FunctionBuilds {
  root: string;
  /** Emulates the runtime's NODE_PATH (/var/runtime/node_modules): only @aws-sdk/* packages. */
  runtimeNodePath: string;
  functions: FunctionBuild[];
  dispose(): void;
}

async function bundleHandler(
  name: string,
  outDir: string,
): Promise<{ outfile: string; inputs: Set<string> }> {
  const target = FUNCTION_MODULES[name];
  if (!target) {
    throw new Error(
      `bench: no handler module known for function ${name}; add it to FUNCTION_MODULES in ` +
        `bench/function-builds.ts`,
    );
  }
  const outfile = join(outDir, "index.js");
  const result = await build({
    absWorkingDir: ROOT,
    metafile: true,
    stdin: {
      contents: `exports.handler = require(${JSON.stringify(join(ROOT, target.module))}).${target.factory}();\n`,
      resolveDir: ROOT,
      sourcefile: `${name}-entry.js`,
      loader: "js",
    },
    bundle: true,
    platform: "node",
    target: "node24",
    format: "cjs",
    external: ["@aws-sdk/*"],
    outfile,
    logLevel: "error",
  });
  return { outfile, inputs: new Set(Object.keys(result.metafile.inputs)) };
}

/** Builds both forms of every function of the dev stack into a fresh temp folder. */
export async function buildFunctionForms(): Promise<FunctionBuilds> {
  const { root, archives } = await buildFunctionArchives("dev");
  const dispose = () => rmSync(root, { recursive: true, force: true });
  try {
    // The nodejs24.x runtime puts AWS SDK v3 on NODE_PATH; both forms resolve @aws-sdk/* there.
    const runtimeNodePath = emulateLambdaRuntimeSdk(root, ROOT);
    const functions: FunctionBuild[] = [];
    for (const archive of [...archives].sort((a, b) => a.name.localeCompare(b.name))) {
      const bundleDir = join(root, "esbuild", archive.name);
      mkdirSync(bundleDir, { recursive: true });
      const bundle = await bundleHandler(archive.name, bundleDir);
      functions.push({
        name: archive.name,
        archive,
        bundleDir,
        bundleFile: bundle.outfile,
        bundleInputs: bundle.inputs,
      });
    }
    return { root, runtimeNodePath, functions, dispose };
  } catch (error) {
    dispose();
    throw error;
  }
}

export interface SizeRow {
  function: string;
  archiveFiles: number;
  archiveUnzippedBytes: number;
  archiveZippedBytes: number;
  esbuildUnzippedBytes: number;
  esbuildZippedBytes: number;
  /** Archive zipped / esbuild zipped. */
  zippedRatio: number;
  unzippedRatio: number;
  /** The archive's largest packages (unzipped bytes), to show what limits the size. */
  largestPackages: { name: string; unzippedBytes: number; zippedBytes: number }[];
  /** The archive's zipped bytes by kind of file: what a bundler would leave out. */
  zippedByKind: Record<FileKind, number>;
}

/**
 * "imported": JavaScript/JSON that esbuild's bundle of the same handler also took in (and the
 * serialized handler itself); "notImported": JavaScript/JSON esbuild did not take in; then
 * non-code files. The archive ships only what Node's require graph loads
 * (components/archive-trace.ts), so "notImported" is now mostly the same modules in the other
 * format: the serialized handler `require`s zod and Powertools (their .cjs files) where esbuild
 * bundles the handler's `import`s of their ESM files; the rest is package.json files.
 */
export type FileKind =
  | "imported"
  | "notImported"
  | "declarations"
  | "sourceMaps"
  | "typescriptSources"
  | "docs"
  | "other";

function kindOf(path: string, imported: Set<string>): FileKind {
  const name = basename(path);
  // The serialized handler itself: the bundle carries the same code in its own form.
  if (path === "__index.js") return "imported";
  if (/\.d\.[cm]?ts$/.test(name)) return "declarations";
  if (name.endsWith(".map")) return "sourceMaps";
  if (/\.[cm]?ts$/.test(name)) return "typescriptSources";
  if (
    /\.(md|markdown|txt)$/i.test(name) ||
    /^(license|licence|readme|changelog|notice)/i.test(name)
  ) {
    return "docs";
  }
  if (/\.([cm]?js|json|node)$/.test(name)) {
    return imported.has(path) ? "imported" : "notImported";
  }
  return "other";
}

/**
 * Zipped bytes per kind of file, with the per-file terms of tests/components/support's zipBytes
 * (local header + deflated data + central directory record); the 22-byte end record is left out.
 */
function zippedByKind(dir: string, imported: Set<string>): Record<FileKind, number> {
  const totals: Record<FileKind, number> = {
    imported: 0,
    notImported: 0,
    declarations: 0,
    sourceMaps: 0,
    typescriptSources: 0,
    docs: 0,
    other: 0,
  };
  for (const file of listFiles(dir)) {
    const data = readFileSync(join(dir, file.path));
    const name = Buffer.byteLength(file.path);
    totals[kindOf(file.path, imported)] +=
      30 + name + Math.min(deflateRawSync(data).length, data.length) + 46 + name;
  }
  return totals;
}

/** Top-level packages of an unpacked archive with their unzipped and zipped bytes. */
function packageSizes(archiveDir: string, entries: string[]) {
  return entries
    .filter((entry) => entry.startsWith("node_modules/"))
    .map((entry) => {
      const { unzipped, zipped } = zipBytes(join(archiveDir, entry));
      return {
        name: entry.replace(/^node_modules\//, ""),
        unzippedBytes: unzipped,
        zippedBytes: zipped,
      };
    })
    .sort((a, b) => b.zippedBytes - a.zippedBytes);
}

/** Archive and bundle sizes; "zipped" is the deflate zip estimate of tests/components/support. */
export function measureSizes(builds: FunctionBuilds): SizeRow[] {
  return builds.functions.map((fn) => {
    const archive = zipBytes(fn.archive.dir);
    const bundle = zipBytes(fn.bundleDir);
    return {
      function: fn.name,
      archiveFiles: archive.files,
      archiveUnzippedBytes: archive.unzipped,
      archiveZippedBytes: archive.zipped,
      esbuildUnzippedBytes: bundle.unzipped,
      esbuildZippedBytes: bundle.zipped,
      zippedRatio: archive.zipped / bundle.zipped,
      unzippedRatio: archive.unzipped / bundle.unzipped,
      largestPackages: packageSizes(fn.archive.dir, fn.archive.entries).slice(0, 4),
      zippedByKind: zippedByKind(fn.archive.dir, fn.bundleInputs),
    };
  });
}
