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
//    whatever the exclude list says.
// So this list only decides which package folders CallbackFunction starts from; which of their
// files ship is decided by components/archive-trace.ts (only the files the handler can load).
// A dependency no function reaches (e.g. @vercel/nft, which runs at `pulumi up`) is excluded here.
import { existsSync, readdirSync, readFileSync, realpathSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
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
/** The localization engine (handlers/localization): BM25 ranking and the tarball reader. */
const LOCALIZATION = ["minisearch", "tar-stream"];
const RUNTIME = [
  "@aws-lambda-powertools/logger",
  "@aws-lambda-powertools/metrics",
  "@aws-sdk/client-secrets-manager",
];

/**
 * The runtime packages each function's code requires (directly, not their dependencies).
 * tests/components/function-archives.test.ts checks every require() in each serialized handler against its archive, so a
 * handler that starts using a package not listed here fails that test, naming the package.
 */
export const FUNCTION_PACKAGES: Record<FunctionKey, readonly string[]> = {
  // GITHUB_APP: `/afu9` commands (the PR, the author's permission, the reaction and replies).
  webhook: [
    ...RUNTIME,
    ...GITHUB_APP,
    "@octokit/webhooks",
    "@aws-sdk/client-sfn",
    "@aws-sdk/client-dynamodb",
  ],
  issueInterpreter: [...RUNTIME, ...GITHUB_APP, ...LOCALIZATION, "yaml", "zod"],
  patchGenerator: [
    ...RUNTIME,
    ...GITHUB_APP,
    ...LOCALIZATION,
    "yaml",
    "zod",
    "@babel/parser",
    "@aws-sdk/client-bedrock-runtime",
  ],
  prCreator: [...RUNTIME, ...GITHUB_APP],
  // The run table and SendTaskSuccess: WaitForCI in events mode.
  ciFeedback: [...RUNTIME, ...GITHUB_APP, "@aws-sdk/client-sfn", "@aws-sdk/client-dynamodb"],
  notifier: [...RUNTIME, "@aws-sdk/client-sfn"],
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
