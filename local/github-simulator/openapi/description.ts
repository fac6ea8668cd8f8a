// GitHub's official REST description (@octokit/openapi), loaded once per process and normalised
// for Ajv: OpenAPI 3.0 `nullable` without `type` (128 schemas) is rewritten to JSON Schema, and
// nullable enums accept null.
import { readFileSync } from "node:fs";

export type Schema = Record<string, unknown>;

export interface ParameterObject {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required?: boolean;
  schema?: Schema;
}

export interface OperationObject {
  operationId: string;
  parameters?: Array<ParameterObject | { $ref: string }>;
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> };
  responses: Record<string, { $ref?: string; content?: Record<string, { schema?: Schema }> }>;
}

export interface Description {
  paths: Record<string, Record<string, OperationObject>>;
  components: Record<string, Record<string, unknown>>;
}

let cached: Description | undefined;

/** The api.github.com description (about 13 MB of JSON; parsed in ~100 ms, once). */
export function loadDescription(): Description {
  if (!cached) {
    const file = require.resolve("@octokit/openapi/generated/api.github.com.json");
    cached = normaliseNullable(JSON.parse(readFileSync(file, "utf8"))) as Description;
  }
  return cached;
}

function normaliseNullable(node: unknown): unknown {
  if (Array.isArray(node)) {
    node.forEach(normaliseNullable);
    return node;
  }
  if (!node || typeof node !== "object") return node;
  const schema = node as Schema;
  for (const value of Object.values(schema)) normaliseNullable(value);
  // GitHub sends null for nullable enums (e.g. issue.state_reason) but lists only the non-null values.
  if (schema.nullable === true && Array.isArray(schema.enum) && !schema.enum.includes(null)) {
    schema.enum.push(null);
  }
  if (schema.nullable === true && schema.type === undefined) {
    delete schema.nullable;
    const rest = { ...schema };
    const keys = Object.keys(rest).filter((key) => key !== "description" && key !== "readOnly");
    if (keys.length > 0) {
      for (const key of keys) delete schema[key];
      schema.anyOf = [{ type: "null" }, Object.fromEntries(keys.map((key) => [key, rest[key]]))];
    }
  }
  return schema;
}

/** Resolves a local `#/components/...` reference (one level; callers loop if needed). */
export function resolveRef<T>(value: T | { $ref: string }): T {
  let current: unknown = value;
  while (current && typeof current === "object" && "$ref" in current) {
    const pointer = String((current as { $ref: string }).$ref);
    current = pointer
      .replace(/^#\//, "")
      .split("/")
      .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
      .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], loadDescription());
  }
  return current as T;
}
