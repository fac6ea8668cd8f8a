// Ships only the files a function's handler can load.
//
// CallbackFunction's archive holds the serialized handler (__index.js) and, for every package it
// reaches, the package folder WHOLE (codePaths.js): both module formats of zod, yaml's browser
// build, bottleneck's es5 copy and tests, @babel/types that @babel/parser's build never loads.
// Here @vercel/nft traces the serialized handler the way Node 24 loads it (Lambda's nodejs24.x):
// `require` conditions for CommonJS files, `import` for ES modules (Node 24 loads the ESM-only
// Octokit packages through require(esm)), both targets of a `module-sync` condition whichever Node
// runs `pulumi up`, and the files a module reads through static `__dirname` paths. Each package
// folder of the archive is then rebuilt from its traced files plus every package.json on their way
// up to the folder (Node reads `exports` and `type` from them). Nothing is added: the result is a
// subset of the archive CallbackFunction built, still a CallbackFunction archive.
import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { existsSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { nodeFileTrace, type NodeFileTraceOptions, resolve as nftResolve } from "@vercel/nft";
import { isRuntimeProvided } from "./function-packages";

/** The archive entry CallbackFunction writes the serialized handler to. */
export const HANDLER_ENTRY = "__index.js";

type ArchiveEntries = Record<string, pulumi.asset.Asset | pulumi.asset.Archive>;

export interface HandlerTrace {
  /** Absolute paths of the package files the handler can load (node_modules only). */
  files: string[];
  /** Specifiers nft could not resolve: code that would fail at run time if it ran. */
  warnings: string[];
}

/** The package a node_modules path belongs to (its innermost node_modules segment). */
function packageNameOf(path: string): string | undefined {
  const parts = path.split(/[\\/]/);
  const at = parts.lastIndexOf("node_modules");
  if (at < 0 || at + 1 >= parts.length) return undefined;
  const first = parts[at + 1];
  return first.startsWith("@") ? `${first}/${parts[at + 2] ?? ""}` : first;
}

/** nft's own file reading, where a missing file or a folder reads as null. */
async function readOrNull(path: string): Promise<string | null> {
  try {
    return (await readFile(path)).toString();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "EISDIR") return null;
    throw error;
  }
}

async function statOrNull(path: string): ReturnType<NonNullable<NodeFileTraceOptions["stat"]>> {
  try {
    return await stat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

/**
 * Traces the serialized handler's source as if it lay in `rootDir` (the folder of package.json,
 * where its bare requires resolve, as they do beside the archive's node_modules). The source is
 * given to nft through its file hooks: nothing is written to disk. Runtime-provided packages
 * (@aws-sdk/*) are neither shipped nor traced into.
 */
export async function traceHandler(handlerSource: string, rootDir: string): Promise<HandlerTrace> {
  const root = resolve(rootDir);
  const hash = createHash("sha256").update(handlerSource).digest("hex").slice(0, 16);
  const virtualHandler = join(root, `.afu9-trace-${hash}`, HANDLER_ENTRY);
  const handlerStats = await stat(join(root, "package.json"));
  const result = await nodeFileTrace([virtualHandler], {
    base: root,
    // nft adds `require` for CommonJS files and `import` for ES modules itself.
    conditions: ["node"],
    moduleSyncCatchall: true,
    // Node never falls back to `main` or index.js for a package that has an `exports` map.
    exportsOnly: true,
    ignore: (path) => {
      const name = packageNameOf(path);
      return name !== undefined && isRuntimeProvided(name);
    },
    // The runtime resolves @aws-sdk/* from its own NODE_PATH, installed here or not: named as a
    // node_modules path, which `ignore` then leaves out.
    resolve: (id, parent, job, cjsResolve) => {
      const name = id.startsWith("@") ? id.split("/").slice(0, 2).join("/") : id.split("/")[0];
      return isRuntimeProvided(name)
        ? Promise.resolve(join(root, "node_modules", id))
        : nftResolve(id, parent, job, cjsResolve);
    },
    readFile: async (path) => (path === virtualHandler ? handlerSource : readOrNull(path)),
    // Only isFile() of the virtual handler is asked for; any file's stats answer it.
    stat: async (path) => (path === virtualHandler ? handlerStats : statOrNull(path)),
  });
  const files = [...result.fileList]
    .filter((path) => packageNameOf(path) !== undefined)
    .map((path) => join(root, path))
    .sort();
  const warnings = [...result.warnings].map((warning) => warning.message).sort();
  return { files, warnings };
}

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

/** The text of a StringAsset entry (an instance or, inside an apply, its unwrapped shape). */
async function stringAssetText(value: unknown): Promise<string | undefined> {
  if (!pulumi.asset.Asset.isInstance(value)) return undefined;
  const text: unknown = await (value as { text?: unknown }).text;
  return typeof text === "string" ? text : undefined;
}

function isInside(path: string, folder: string): boolean {
  return path.startsWith(folder + sep);
}

/** Every package.json from the file's folder up to `folder` (where Node looks for exports/type). */
function manifestsAbove(file: string, folder: string): string[] {
  const manifests: string[] = [];
  for (let dir = dirname(file); dir === folder || isInside(dir, folder); dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) manifests.push(manifest);
    if (dir === folder) break;
  }
  return manifests;
}

export interface TracedArchive {
  entries: ArchiveEntries;
  trace: HandlerTrace;
  /** Traced files no archive entry holds (the untraced archive lacked them too). */
  outside: string[];
  /** Package entries with no traced file, left out (e.g. node_modules/@babel/types). */
  dropped: string[];
}

/**
 * Rebuilds each package folder entry of a CallbackFunction archive from the files its handler
 * can load; the handler entry and any other entry stay as they are.
 */
export async function traceArchiveEntries(
  entries: ArchiveEntries,
  rootDir: string,
): Promise<TracedArchive> {
  const handlerSource = await stringAssetText(entries[HANDLER_ENTRY]);
  if (handlerSource === undefined) {
    throw new Error(
      `components/archive-trace.ts: the function archive has no readable ${HANDLER_ENTRY} ` +
        `(entries: ${Object.keys(entries).join(", ")}); CallbackFunction's archive layout changed, ` +
        `so the archive cannot be traced: update traceArchiveEntries for it`,
    );
  }
  const trace = await traceHandler(handlerSource, rootDir);
  const traced: ArchiveEntries = {};
  const dropped: string[] = [];
  const claimed = new Set<string>();
  for (const [archivePath, value] of Object.entries(entries)) {
    const folder = await fileArchiveFolder(value);
    if (folder === undefined) {
      traced[archivePath] = value;
      continue;
    }
    const kept = trace.files.filter((file) => isInside(file, folder));
    if (kept.length === 0) {
      dropped.push(archivePath);
      continue;
    }
    const files = new Set(kept);
    for (const file of kept) {
      claimed.add(file);
      for (const manifest of manifestsAbove(file, folder)) files.add(manifest);
    }
    const assets: ArchiveEntries = {};
    for (const file of [...files].sort()) {
      assets[relative(folder, file).split(sep).join("/")] = new pulumi.asset.FileAsset(file);
    }
    traced[archivePath] = new pulumi.asset.AssetArchive(assets);
  }
  const outside = trace.files.filter((file) => !claimed.has(file));
  return { entries: traced, trace, outside, dropped: dropped.sort() };
}

/**
 * A resource transformation for a CallbackFunction: once the closure is serialized, its `code`
 * archive is rebuilt by traceArchiveEntries. Resolution failures are reported as warnings of the
 * resource (`pulumi up` shows them), never silently.
 */
export function traceFunctionArchive(rootDir = process.cwd()): pulumi.ResourceTransformation {
  return ({ name, props, opts }) => {
    const code = props.code as pulumi.Input<pulumi.asset.AssetArchive> | undefined;
    if (code === undefined) return undefined;
    const tracedCode = pulumi.output(code).apply(async (archive) => {
      const entries = (await archive.assets) as ArchiveEntries;
      const result = await traceArchiveEntries(entries, rootDir);
      for (const warning of result.trace.warnings) {
        pulumi.log.warn(`${name} archive trace: ${warning}`);
      }
      return new pulumi.asset.AssetArchive(result.entries);
    });
    return { props: { ...props, code: tracedCode }, opts };
  };
}
