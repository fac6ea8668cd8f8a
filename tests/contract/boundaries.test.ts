// The import rules that keep the three parts apart: contract/ is the only thing workflow/,
// components/ and handlers/ share; workflow/ is data; components/ reach handlers/ only through the
// Lambda entry factories; a function's folder never reaches into another function's folder.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import ts from "typescript";
import { REPO_ROOT } from "../support/repo-root";

const ROOT = REPO_ROOT;

function sourceFiles(folder: string): string[] {
  const dir = join(ROOT, folder);
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sourceFiles(relative(ROOT, path));
    return entry.endsWith(".ts") ? [relative(ROOT, path)] : [];
  });
}

/** Project-relative targets of a file's relative imports (packages are left out). */
function localImports(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(join(ROOT, file), "utf8"), true, true);
  return importedFiles
    .map((imported) => imported.fileName)
    .filter((name) => name.startsWith("."))
    .map((name) =>
      relative(ROOT, resolve(ROOT, dirname(file), name))
        .split(sep)
        .join("/"),
    );
}

function packageImports(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(join(ROOT, file), "utf8"), true, true);
  return importedFiles.map((imported) => imported.fileName).filter((name) => !name.startsWith("."));
}

/** Folders under handlers/ that hold a Lambda function (they have a lambda.ts entry). */
const FUNCTION_FOLDERS = readdirSync(join(ROOT, "handlers")).filter((entry) =>
  existsSync(join(ROOT, "handlers", entry, "lambda.ts")),
);

function handlerFolderOf(target: string): string | undefined {
  const match = /^handlers\/([^/]+)\//.exec(target);
  return match?.[1];
}

/** A handler file may import a function folder only from inside that same folder. */
function staysInItsFunctionFolder(target: string, file: string): boolean {
  const to = handlerFolderOf(target);
  if (to === undefined || !FUNCTION_FOLDERS.includes(to)) return true;
  return handlerFolderOf(file) === to;
}

function violations(
  files: string[],
  allowed: (target: string, file: string) => boolean,
): Array<{ file: string; imports: string }> {
  return files.flatMap((file) =>
    localImports(file)
      .filter((target) => !allowed(target, file))
      .map((target) => ({ file, imports: target })),
  );
}

describe("import boundaries", () => {
  it("finds the function folders it guards", () => {
    expect(FUNCTION_FOLDERS.sort()).toEqual([
      "ci-feedback",
      "issue-interpreter",
      "notifier",
      "patch-generator",
      "pr-creator",
      "webhook",
    ]);
  });

  it("contract/ imports nothing but itself, and no package", () => {
    const files = sourceFiles("contract");
    expect(violations(files, (target) => target.startsWith("contract/"))).toEqual([]);
    expect(files.flatMap(packageImports)).toEqual([]);
  });

  it("workflow/ imports nothing outside itself and contract/", () => {
    expect(
      violations(
        sourceFiles("workflow"),
        (target) => target.startsWith("workflow/") || target.startsWith("contract/"),
      ),
    ).toEqual([]);
  });

  it("components/ import from handlers/ only the Lambda entry factories", () => {
    expect(
      violations(
        sourceFiles("components"),
        (target) => !target.startsWith("handlers/") || /^handlers\/[^/]+\/lambda$/.test(target),
      ),
    ).toEqual([]);
  });

  it("handlers/ import neither components/, workflow/, local/ nor the Pulumi packages", () => {
    const files = sourceFiles("handlers");
    expect(
      violations(
        files,
        (target) => target.startsWith("handlers/") || target.startsWith("contract/"),
      ),
    ).toEqual([]);
    expect(files.flatMap(packageImports).filter((name) => name.startsWith("@pulumi/"))).toEqual([]);
  });

  it("no function folder imports another function folder; shared folders import none", () => {
    const files = sourceFiles("handlers");
    expect(violations(files, staysInItsFunctionFolder)).toEqual([]);
  });

  it("detects a forbidden import (the check can fail)", () => {
    const file = "handlers/patch-generator/generate-patch.ts";
    expect(staysInItsFunctionFolder("handlers/pr-creator/pr-text", file)).toBe(false);
    expect(staysInItsFunctionFolder("handlers/patch-generator/apply-diff", file)).toBe(true);
    expect(staysInItsFunctionFolder("handlers/shared/run-state", file)).toBe(true);
  });
});
