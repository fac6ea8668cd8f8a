// Turns the `code` AssetArchive of each CallbackFunction (as recorded by the Pulumi mocks) into
// the folder Lambda would unpack it to, and measures it. Used by the archive tests and bench/size.ts.
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { deflateRawSync } from "node:zlib";
import * as pulumi from "@pulumi/pulumi";
import { ofType } from "./pulumi-harness";
import { type LoadedProgram, loadProgram } from "./program";

export interface FunctionArchive {
  /** Logical name of the function resource, e.g. afu9-webhook. */
  name: string;
  /** Top-level archive entries: "__index.js" and "node_modules/<package>". */
  entries: string[];
  /** Folder holding the unpacked archive (outside the project, so nothing resolves from it). */
  dir: string;
  /** The function's environment variables as the component set them. */
  environment: Record<string, string>;
  handlerSource: string;
}

/** Writes one archive entry (asset or archive, possibly nested) to `target`. */
export async function materialize(entry: unknown, target: string): Promise<void> {
  if (entry instanceof pulumi.asset.StringAsset) {
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, await entry.text);
  } else if (entry instanceof pulumi.asset.FileAsset) {
    mkdirSync(dirname(target), { recursive: true });
    cpSync(await entry.path, target);
  } else if (entry instanceof pulumi.asset.FileArchive) {
    // A folder (codePaths.js adds whole package folders); copied, never linked, so module
    // resolution inside it cannot escape into the project's node_modules.
    cpSync(await entry.path, target, { recursive: true, dereference: true });
  } else if (entry instanceof pulumi.asset.AssetArchive) {
    const assets = (await entry.assets) as Record<string, unknown>;
    for (const [name, value] of Object.entries(assets)) {
      await materialize(value, join(target, name));
    }
  } else {
    throw new Error(`cannot materialize archive entry ${target}: ${String(entry)}`);
  }
}

export function listFiles(dir: string): { path: string; bytes: number }[] {
  const files: { path: string; bytes: number }[] = [];
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const full = join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile())
        files.push({ path: relative(dir, full), bytes: statSync(full).size });
    }
  };
  walk(dir);
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * The benchmarks budget (issue "Benchmarks"): every function archive at most 1 MB zipped, as
 * measured by zipBytes. bench/run-bench.ts checks the same figure against the same limit.
 */
export const ARCHIVE_ZIPPED_BUDGET_BYTES = 1024 * 1024;

/**
 * Bytes of a zip of the folder: per file a local header (30 + name), the deflated data (or the
 * stored data when deflate does not help) and a central directory record (46 + name), plus the
 * end record (22). Deflate at zlib's default level, as zip tools use.
 */
export function zipBytes(dir: string): { zipped: number; unzipped: number; files: number } {
  let zipped = 22;
  let unzipped = 0;
  const files = listFiles(dir);
  for (const file of files) {
    const data = readFileSync(join(dir, file.path));
    const name = Buffer.byteLength(file.path);
    zipped += 30 + name + Math.min(deflateRawSync(data).length, data.length) + 46 + name;
    unzipped += data.length;
  }
  return { zipped, unzipped, files: files.length };
}

/** Loads the program on a stack and unpacks every function archive into a fresh temp folder. */
export async function buildFunctionArchives(
  stack: string,
  overrides: Record<string, unknown> = {},
): Promise<{ program: LoadedProgram; root: string; archives: FunctionArchive[] }> {
  const program = await loadProgram(stack, overrides);
  const root = mkdtempSync(join(tmpdir(), "afu9-archives-"));
  const archives: FunctionArchive[] = [];
  for (const fn of ofType(program.harness, "aws:lambda/function:Function")) {
    const assets = (await fn.inputs.code.assets) as Record<string, unknown>;
    const dir = join(root, fn.name);
    await materialize(fn.inputs.code, dir);
    archives.push({
      name: fn.name,
      entries: Object.keys(assets).sort(),
      dir,
      environment: fn.inputs.environment.variables,
      handlerSource: readFileSync(join(dir, "__index.js"), "utf8"),
    });
  }
  return { program, root, archives };
}
