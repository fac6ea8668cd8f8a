// Which npm packages each function's archive carries.
//
// How CallbackFunction builds the archive (node_modules/@pulumi/pulumi/runtime/closure/codePaths.js):
// it walks package.json `dependencies` transitively and adds each package folder WHOLE as a
// FileArchive; `codePathOptions.extraExcludePackages` is matched by exact package NAME at every
// level of that walk, and an excluded package's own dependencies are not walked through it. Two
// consequences shape this module:
// 1. Names, not globs: "all of @aws-sdk" means listing every @aws-sdk/* name the walk can meet.
// 2. A copy nested INSIDE an included package folder (npm puts a conflicting version at
//    node_modules/@octokit/plugin-retry/node_modules/@octokit/types) ships with that folder
//    whatever the exclude list says. `pruneFunctionArchive` rebuilds such folders without them,
//    and without files no Node.js process loads (TypeScript sources/declarations, source maps:
//    most of the Octokit packages' bytes).
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { FunctionKey } from "./stack-config";

/** Packages that contain only TypeScript declarations: nothing requires them at run time. */
export const TYPES_ONLY_PACKAGES = [
  "@octokit/openapi-types",
  "@octokit/openapi-webhooks-types",
  "@octokit/types",
  "@octokit/webhooks-types",
] as const;

/** The nodejs24.x runtime ships AWS SDK v3 (@aws-sdk/*) on its module path. */
export function isRuntimeProvided(name: string): boolean {
  return name.startsWith("@aws-sdk/") || name === "aws-sdk";
}

const GITHUB_APP = [
  "@octokit/rest",
  "@octokit/auth-app",
  "@octokit/plugin-retry",
  "@octokit/plugin-throttling",
];
const RUNTIME = [
  "@aws-lambda-powertools/logger",
  "@aws-lambda-powertools/metrics",
  "@aws-sdk/client-secrets-manager",
];

/**
 * The runtime packages each function's code requires (directly, not their dependencies).
 * tests/archive checks every require() in each serialized handler against its archive, so a
 * handler that starts using a package not listed here fails that test, naming the package.
 */
export const FUNCTION_PACKAGES: Record<FunctionKey, readonly string[]> = {
  webhook: [...RUNTIME, "@octokit/webhooks", "@aws-sdk/client-sfn"],
  issueInterpreter: [...RUNTIME, ...GITHUB_APP, "yaml", "zod"],
  patchGenerator: [
    ...RUNTIME,
    ...GITHUB_APP,
    "yaml",
    "zod",
    "@babel/parser",
    "@aws-sdk/client-bedrock-runtime",
  ],
  prCreator: [...RUNTIME, ...GITHUB_APP],
  ciFeedback: [...RUNTIME, ...GITHUB_APP],
};

interface PackageManifest {
  name: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

function readManifest(dir: string): PackageManifest {
  return JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as PackageManifest;
}

/** Resolves a package folder the way codePaths.js does (Node's lookup paths from `fromDir`). */
function findPackageDir(fromDir: string, name: string): string | undefined {
  const lookup = createRequire(join(fromDir, "package.json"));
  for (const searchPath of lookup.resolve.paths(name) ?? []) {
    const dir = join(searchPath, name);
    if (existsSync(join(dir, "package.json"))) return realpathSync(dir);
  }
  return undefined;
}

/**
 * The `extraExcludePackages` for one function: every direct dependency it does not need (unless a
 * package it needs depends on it), the types-only packages, and every @aws-sdk/* name reachable.
 */
export function excludedPackagesFor(fn: FunctionKey, rootDir = process.cwd()): string[] {
  const root = readManifest(rootDir);
  const direct = Object.keys(root.dependencies ?? {}).filter(
    (name) => !name.startsWith("@pulumi/"),
  );
  const wanted = FUNCTION_PACKAGES[fn];
  const missing = wanted.filter((name) => !direct.includes(name));
  if (missing.length > 0) {
    throw new Error(
      `components/function-packages.ts: function ${fn} uses ${missing.join(", ")}, which ` +
        `package.json does not list in "dependencies" (npm install --save ${missing.join(" ")})`,
    );
  }

  // Walk what the function needs, as codePaths.js will (dependencies only, types-only cut off).
  const typesOnly = new Set<string>(TYPES_ONLY_PACKAGES);
  const kept = new Set<string>();
  const runtimeProvided = new Set<string>();
  const seenDirs = new Set<string>();
  const queue: { name: string; from: string }[] = wanted.map((name) => ({ name, from: rootDir }));
  while (queue.length > 0) {
    const { name, from } = queue.shift()!;
    if (typesOnly.has(name)) continue;
    if (isRuntimeProvided(name)) {
      runtimeProvided.add(name);
      continue;
    }
    const dir = findPackageDir(from, name);
    if (!dir) continue;
    kept.add(name);
    if (seenDirs.has(dir)) continue;
    seenDirs.add(dir);
    for (const dep of Object.keys(readManifest(dir).dependencies ?? {})) {
      queue.push({ name: dep, from: dir });
    }
  }

  // Every @aws-sdk/* name any runtime dependency can reach, so none slips in through another path.
  for (const name of direct.filter(isRuntimeProvided)) runtimeProvided.add(name);
  const sdkScope = join(rootDir, "node_modules", "@aws-sdk");
  if (existsSync(sdkScope)) {
    for (const entry of readdirSync(sdkScope)) runtimeProvided.add(`@aws-sdk/${entry}`);
  }

  const unused = direct.filter((name) => !kept.has(name) && !isRuntimeProvided(name));
  return [...new Set([...TYPES_ONLY_PACKAGES, ...runtimeProvided, ...unused])].sort();
}

/** The package name a node_modules path entry belongs to ("@scope/name" or "name"). */
function packageEntries(nodeModulesDir: string): { name: string; dir: string }[] {
  const entries: { name: string; dir: string }[] = [];
  for (const entry of readdirSync(nodeModulesDir)) {
    if (entry.startsWith(".")) continue;
    const dir = join(nodeModulesDir, entry);
    if (entry.startsWith("@")) {
      for (const scoped of readdirSync(dir)) {
        entries.push({ name: `${entry}/${scoped}`, dir: join(dir, scoped) });
      }
    } else {
      entries.push({ name: entry, dir });
    }
  }
  return entries;
}

/** Files no Node.js process loads: TypeScript sources and declarations, source maps. */
export const BUILD_ONLY_FILE = /\.([cm]?ts|tsx|map)$/;

function isDirectory(path: string): boolean {
  return statSync(path).isDirectory();
}

/** Whether a folder holds a build-only file or an excluded package anywhere below it. */
function needsPruning(
  dir: string,
  excluded: ReadonlySet<string>,
  memo: Map<string, boolean>,
): boolean {
  const known = memo.get(dir);
  if (known !== undefined) return known;
  let result = false;
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (!isDirectory(path)) {
      result = BUILD_ONLY_FILE.test(entry);
    } else if (entry === "node_modules") {
      result = packageEntries(path).some(
        (pkg) => excluded.has(pkg.name) || needsPruning(pkg.dir, excluded, memo),
      );
    } else {
      result = needsPruning(path, excluded, memo);
    }
    if (result) break;
  }
  memo.set(dir, result);
  return result;
}

/**
 * A package folder as an archive without build-only files and without excluded packages nested
 * in its node_modules; folders with nothing to drop stay whole FileArchives.
 */
function prunedFolder(
  dir: string,
  excluded: ReadonlySet<string>,
  memo: Map<string, boolean>,
): pulumi.asset.Archive {
  if (!needsPruning(dir, excluded, memo)) return new pulumi.asset.FileArchive(dir);
  const assets: Record<string, pulumi.asset.Asset | pulumi.asset.Archive> = {};
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (!isDirectory(path)) {
      if (!BUILD_ONLY_FILE.test(entry)) assets[entry] = new pulumi.asset.FileAsset(path);
    } else if (entry === "node_modules") {
      for (const pkg of packageEntries(path)) {
        if (!excluded.has(pkg.name)) {
          assets[`node_modules/${pkg.name}`] = prunedFolder(pkg.dir, excluded, memo);
        }
      }
    } else {
      assets[entry] = prunedFolder(path, excluded, memo);
    }
  }
  return new pulumi.asset.AssetArchive(assets);
}

type ArchiveEntries = Record<string, pulumi.asset.Asset | pulumi.asset.Archive>;

/**
 * The folder of a FileArchive entry. Inside an Output's apply the archive arrives deeply
 * unwrapped: entries are then plain `{ __pulumiArchive: true, path: "..." }` objects rather than
 * FileArchive instances, so this looks at the shape, not the class.
 */
async function fileArchiveFolder(value: unknown): Promise<string | undefined> {
  if (!pulumi.asset.Archive.isInstance(value)) return undefined;
  const path: unknown = await (value as { path?: unknown }).path;
  return typeof path === "string" ? resolve(path) : undefined;
}

/**
 * Replaces each whole-folder package entry by the same folder without build-only files and
 * without the excluded packages npm nested inside it. Other entries are kept as they are.
 */
export async function pruneArchiveEntries(
  entries: ArchiveEntries,
  excluded: ReadonlySet<string>,
): Promise<ArchiveEntries> {
  const pruned: ArchiveEntries = {};
  const memo = new Map<string, boolean>();
  for (const [archivePath, value] of Object.entries(entries)) {
    const folder = await fileArchiveFolder(value);
    pruned[archivePath] = folder === undefined ? value : prunedFolder(folder, excluded, memo);
  }
  return pruned;
}

/**
 * A resource transformation for a CallbackFunction: its `code` archive is rebuilt by
 * pruneArchiveEntries once the closure has been serialized.
 */
export function pruneFunctionArchive(excluded: readonly string[]): pulumi.ResourceTransformation {
  const excludedSet = new Set(excluded);
  return ({ props, opts }) => {
    const code = props.code as pulumi.Input<pulumi.asset.AssetArchive> | undefined;
    if (code === undefined) return undefined;
    const prunedCode = pulumi.output(code).apply(async (archive) => {
      const entries = (await archive.assets) as ArchiveEntries;
      return new pulumi.asset.AssetArchive(await pruneArchiveEntries(entries, excludedSet));
    });
    return { props: { ...props, code: prunedCode }, opts };
  };
}
