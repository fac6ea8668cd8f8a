// "Still parses" checks for the file kinds a patch most often breaks: JSON, YAML, package.json and
// JavaScript/TypeScript (a real parser, @babel/parser, with the typescript/jsx plugins chosen by
// the file extension). Each returns null when the text parses, else a one-line reason.
import { parse as babelParse, type ParserPlugin } from "@babel/parser";
import { parseAllDocuments } from "yaml";

export type SyntaxKind = "json" | "yaml" | "package-json" | "js";

const JS_PLUGINS: Record<string, ParserPlugin[]> = {
  ".js": ["jsx"],
  ".jsx": ["jsx"],
  ".mjs": [],
  ".cjs": [],
  ".ts": ["typescript"],
  ".mts": ["typescript"],
  ".cts": ["typescript"],
  ".tsx": ["typescript", "jsx"],
};

function extension(path: string): string {
  const name = path.slice(path.lastIndexOf("/") + 1);
  const dot = name.lastIndexOf(".");
  return dot <= 0 ? "" : name.slice(dot).toLowerCase();
}

/** Which check applies to a path, if any. */
export function syntaxKindOf(path: string): SyntaxKind | null {
  const name = path.slice(path.lastIndexOf("/") + 1);
  if (name === "package.json") return "package-json";
  const ext = extension(path);
  if (ext === ".json") return "json";
  if (ext === ".yml" || ext === ".yaml") return "yaml";
  if (JS_PLUGINS[ext] !== undefined) return "js";
  return null;
}

function firstLine(message: string): string {
  return message.split("\n")[0];
}

export function checkJson(text: string): string | null {
  try {
    JSON.parse(text);
    return null;
  } catch (error) {
    return `invalid JSON: ${firstLine((error as Error).message)}`;
  }
}

export function checkYaml(text: string): string | null {
  for (const doc of parseAllDocuments(text)) {
    if ("errors" in doc && doc.errors.length > 0) {
      return `invalid YAML: ${firstLine(doc.errors[0].message)}`;
    }
  }
  return null;
}

const DEPENDENCY_FIELDS = [
  "dependencies",
  "devDependencies",
  "peerDependencies",
  "optionalDependencies",
];

/** JSON, an object, and the fields npm reads have the types npm expects. */
export function checkPackageJson(text: string): string | null {
  const json = checkJson(text);
  if (json) return json;
  const value: unknown = JSON.parse(text);
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return "package.json must be a JSON object";
  }
  const pkg = value as Record<string, unknown>;
  for (const field of ["name", "version"]) {
    if (pkg[field] !== undefined && typeof pkg[field] !== "string") {
      return `package.json "${field}" must be a string`;
    }
  }
  for (const field of [...DEPENDENCY_FIELDS, "scripts"]) {
    const section = pkg[field];
    if (section === undefined) continue;
    if (typeof section !== "object" || section === null || Array.isArray(section)) {
      return `package.json "${field}" must be an object`;
    }
    for (const [key, spec] of Object.entries(section)) {
      if (typeof spec !== "string") return `package.json "${field}.${key}" must be a string`;
    }
  }
  return null;
}

export function checkJavaScript(path: string, text: string): string | null {
  const ext = extension(path);
  const plugins: ParserPlugin[] = [...(JS_PLUGINS[ext] ?? [])];
  if (path.endsWith(".d.ts")) plugins.splice(0, plugins.length, ["typescript", { dts: true }]);
  try {
    babelParse(text, {
      sourceType: ext === ".cjs" ? "script" : ext === ".mjs" ? "module" : "unambiguous",
      plugins,
      allowReturnOutsideFunction: ext === ".cjs",
      errorRecovery: false,
    });
    return null;
  } catch (error) {
    return `does not parse as ${plugins.some((p) => p === "typescript" || (Array.isArray(p) && p[0] === "typescript")) ? "TypeScript" : "JavaScript"}: ${firstLine((error as Error).message)}`;
  }
}

export function checkSyntax(
  path: string,
  text: string,
): { kind: SyntaxKind; error: string } | null {
  const kind = syntaxKindOf(path);
  if (kind === null) return null;
  const error =
    kind === "json"
      ? checkJson(text)
      : kind === "yaml"
        ? checkYaml(text)
        : kind === "package-json"
          ? checkPackageJson(text)
          : checkJavaScript(path, text);
  return error === null ? null : { kind, error };
}
