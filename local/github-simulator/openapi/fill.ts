// Builds complete REST objects: the values the simulator knows (overrides) on top of a skeleton
// derived from the description's schema, so every documented required field is present and typed
// (a real client reading any documented field finds it, and response validation passes).
import { loadDescription, resolveRef, type Schema } from "./description";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Overrides = Record<string, unknown>;

/** `fill("pull-request", {...})`: components/schemas/<name> filled with the overrides. */
export function fill(schemaName: string, overrides: Overrides): Record<string, unknown> {
  const schema = loadDescription().components.schemas[schemaName] as Schema | undefined;
  if (!schema) throw new Error(`no schema "${schemaName}" in GitHub's description`);
  return fillSchema(schema, overrides, 0) as Record<string, unknown>;
}

function flatten(input: Schema): Schema {
  const schema = resolveRef<Schema>(input);
  if (!Array.isArray(schema.allOf)) return schema;
  const merged: Schema = { type: "object", properties: {}, required: [] };
  for (const part of (schema.allOf as Schema[]).map(flatten)) {
    Object.assign(merged.properties as Schema, part.properties ?? {});
    (merged.required as string[]).push(...((part.required as string[]) ?? []));
  }
  Object.assign(merged.properties as Schema, schema.properties ?? {});
  (merged.required as string[]).push(...((schema.required as string[]) ?? []));
  return merged;
}

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value === "number"
    ? Number.isInteger(value)
      ? "integer"
      : "number"
    : typeof value;
}

function accepts(schema: Schema, value: unknown): boolean {
  const type = schema.type;
  const actual = typeOf(value);
  if (type === undefined) return actual !== "null" || schema.nullable === true;
  const types = Array.isArray(type) ? type : [type];
  if (schema.nullable === true) types.push("null");
  return types.includes(actual) || (actual === "integer" && types.includes("number"));
}

function fillSchema(input: Schema, value: unknown, depth: number): unknown {
  const schema = flatten(input);
  const choices = (schema.oneOf ?? schema.anyOf) as Schema[] | undefined;
  if (choices) {
    const branches = choices.map(flatten);
    if (value === undefined) {
      const first = branches.find((b) => b.type !== "null") ?? branches[0];
      return fillSchema(first, undefined, depth);
    }
    const branch = branches.find((b) => accepts(b, value)) ?? branches[0];
    return value === null ? null : fillSchema(branch, value, depth);
  }
  if (value !== undefined) {
    if (value && typeof value === "object" && !Array.isArray(value) && schema.properties) {
      return fillObject(schema, value as Overrides, depth);
    }
    return value;
  }
  return defaultFor(schema, depth);
}

function fillObject(schema: Schema, overrides: Overrides, depth: number): Json {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const result: Record<string, unknown> = {};
  for (const name of (schema.required as string[]) ?? []) {
    if (!(name in overrides) && properties[name]) {
      result[name] = fillSchema(properties[name], undefined, depth + 1);
    }
  }
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    result[name] = properties[name] ? fillSchema(properties[name], value, depth + 1) : value;
  }
  return result as Json;
}

function defaultFor(schema: Schema, depth: number): Json {
  if (schema.nullable === true || (Array.isArray(schema.type) && schema.type.includes("null"))) {
    return null;
  }
  if (Array.isArray(schema.enum) && schema.enum.length) return schema.enum[0] as Json;
  switch (schema.type) {
    case "integer":
    case "number":
      return 0;
    case "boolean":
      return false;
    case "array":
      return [];
    case "string":
      return stringFor(schema.format as string | undefined);
    case "object":
    case undefined:
      if (!schema.properties || depth > 12) return {};
      return fillObject(schema, {}, depth);
    default:
      return null;
  }
}

function stringFor(format: string | undefined): string {
  switch (format) {
    case "date-time":
      return "2026-01-01T00:00:00Z";
    case "date":
      return "2026-01-01";
    case "uri":
      return "https://github.invalid/";
    case "email":
      return "noreply@github.invalid";
    default:
      return "";
  }
}
