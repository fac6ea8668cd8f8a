// Request and response validation against the description. Each operation's schemas are compiled
// lazily on first use and cached (compiling all 1000+ operations up front would take minutes).
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { loadDescription, resolveRef, type ParameterObject, type Schema } from "./description";
import type { RouteMatch } from "./router";

interface Validators {
  strict: Ajv;
  coercing: Ajv;
  cache: Map<string, ValidateFunction | null>;
}

let validators: Validators | undefined;

function createAjv(coerceTypes: boolean): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true, coerceTypes, validateSchema: false });
  addFormats(ajv);
  // Formats GitHub uses that are not JSON Schema formats: accept what the description allows.
  for (const format of ["repo.nwo", "timestamp", "int32", "int64", "double", "binary"]) {
    ajv.addFormat(format, true);
  }
  return ajv;
}

function getValidators(): Validators {
  if (!validators) {
    const description = loadDescription();
    forbidUnknownRequestFields(description.paths);
    const strict = createAjv(false);
    strict.addSchema(description as unknown as Schema, "gh");
    validators = { strict, coercing: createAjv(true), cache: new Map() };
  }
  return validators;
}

/**
 * GitHub answers 422 `"x" is not a permitted key.` for body fields it does not know; the
 * description leaves `additionalProperties` open, so request bodies are closed here.
 * Not inside allOf (closing each part of an allOf would reject the other parts' fields).
 */
function forbidUnknownRequestFields(paths: Record<string, Record<string, unknown>>): void {
  const close = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(close);
    if (!node || typeof node !== "object" || "$ref" in node) return;
    const schema = node as Schema;
    if (schema.properties && schema.additionalProperties === undefined && !schema.allOf) {
      schema.additionalProperties = false;
    }
    for (const [key, value] of Object.entries(schema)) {
      if (key !== "allOf" && key !== "examples" && key !== "example") close(value);
    }
  };
  for (const item of Object.values(paths)) {
    for (const operation of Object.values(item)) {
      const body = (
        operation as { requestBody?: { content?: Record<string, { schema?: unknown }> } }
      ).requestBody;
      for (const media of Object.values(body?.content ?? {})) close(media.schema);
    }
  }
}

const escape = (part: string) => part.replace(/~/g, "~0").replace(/\//g, "~1");

function compileAt(key: string, pointer: string | null): ValidateFunction | null {
  const { strict, cache } = getValidators();
  if (!cache.has(key)) cache.set(key, pointer ? strict.compile({ $ref: `gh${pointer}` }) : null);
  return cache.get(key) ?? null;
}

function jsonMediaKey(content: Record<string, unknown> | undefined): string | undefined {
  if (!content) return undefined;
  return "application/json" in content
    ? "application/json"
    : Object.keys(content).find((type) => type.endsWith("json"));
}

export interface RequestProblem {
  status: 400 | 422;
  message: string;
}

/** Checks path/query parameters and the JSON body; returns GitHub's answer for a bad request. */
export function validateRequest(
  match: RouteMatch,
  query: URLSearchParams,
  body: unknown,
  hasBody: boolean,
): RequestProblem | null {
  const { operation, template } = match;
  const method = match.route.split(" ")[0].toLowerCase();
  const parameters = (operation.parameters ?? []).map((p) => resolveRef<ParameterObject>(p));
  const paramProblem = validateParameters(match, parameters, query);
  if (paramProblem) return paramProblem;

  const requestBody = operation.requestBody
    ? resolveRef<NonNullable<typeof operation.requestBody>>(operation.requestBody)
    : undefined;
  if (!requestBody) return null;
  if (!hasBody) {
    return requestBody.required
      ? { status: 400, message: "Problems parsing JSON: a JSON request body is required." }
      : null;
  }
  const media = jsonMediaKey(requestBody.content);
  if (!media) return null;
  const refPath = (operation.requestBody as { $ref?: string }).$ref;
  const base = refPath ? refPath.slice(1) : `/paths/${escape(template)}/${method}/requestBody`;
  const validate = compileAt(`${match.route} body`, `#${base}/content/${escape(media)}/schema`);
  if (validate && !validate(body)) {
    return {
      status: 422,
      message: `Invalid request.\n\n${describeErrors(validate.errors ?? [], body)}`,
    };
  }
  return null;
}

function validateParameters(
  match: RouteMatch,
  parameters: ParameterObject[],
  query: URLSearchParams,
): RequestProblem | null {
  const problems: string[] = [];
  for (const parameter of parameters) {
    if (parameter.in !== "path" && parameter.in !== "query") continue;
    const raw = parameter.in === "path" ? match.params[parameter.name] : query.get(parameter.name);
    if (raw === null || raw === undefined) {
      if (parameter.required) problems.push(`"${parameter.name}" wasn't supplied.`);
      continue;
    }
    if (!parameter.schema) continue;
    const key = `${match.route} ${parameter.in} ${parameter.name}`;
    const { coercing, cache } = getValidators();
    if (!cache.has(key)) cache.set(key, coercing.compile(inlineRefs(parameter.schema)));
    const validate = cache.get(key);
    const holder = { value: raw as unknown };
    if (validate && !validate(holder.value)) {
      problems.push(
        `For '${parameter.name}', ${JSON.stringify(raw)} ${errorText(validate.errors?.[0])}.`,
      );
    }
  }
  return problems.length
    ? { status: 422, message: `Invalid request.\n\n${problems.join("\n")}` }
    : null;
}

function inlineRefs(schema: Schema): Schema {
  return JSON.parse(JSON.stringify(schema), (_key, value) =>
    value && typeof value === "object" && "$ref" in value ? resolveRef(value) : value,
  ) as Schema;
}

function errorText(error: ErrorObject | undefined): string {
  if (!error) return "is invalid";
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "type":
      return `is not ${/^[aeiou]/.test(String(params.type)) ? "an" : "a"} ${String(params.type)}`;
    case "enum":
      return `is not one of ${(params.allowedValues as unknown[]).join(", ")}`;
    default:
      return error.message ?? "is invalid";
  }
}

/** GitHub-style lines: `"x" is not a permitted key.`, `"head" wasn't supplied.`, `For 'title', 5 is not a string.` */
export function describeErrors(errors: ErrorObject[], data?: unknown): string {
  const specific = errors.filter((e) => !["oneOf", "anyOf", "if"].includes(e.keyword));
  const chosen = specific.length ? specific : errors;
  const lines = chosen.map((error) => {
    const params = error.params as Record<string, unknown>;
    const at = error.instancePath.replace(/^\//, "").replace(/\//g, ".");
    if (error.keyword === "required") {
      return `"${String(params.missingProperty)}" wasn't supplied${at ? ` in '${at}'` : ""}.`;
    }
    if (error.keyword === "additionalProperties") {
      return `"${String(params.additionalProperty)}" is not a permitted key${at ? ` in '${at}'` : ""}.`;
    }
    const value = valueAt(data, error.instancePath);
    const shown = value === undefined ? "the value" : JSON.stringify(value);
    return `For '${at || "body"}', ${shown} ${errorText(error)}.`;
  });
  if (!specific.length && errors.some((e) => e.keyword === "oneOf")) {
    lines.unshift('No subschema in "oneOf" matched.');
  }
  return [...new Set(lines)].slice(0, 5).join("\n");
}

function valueAt(data: unknown, pointer: string): unknown {
  if (data === undefined) return undefined;
  return pointer
    .split("/")
    .slice(1)
    .reduce<unknown>(
      (node, key) =>
        node && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined,
      data,
    );
}

/** Test mode: the simulator's own answer checked against the documented response schema. */
export function validateResponse(match: RouteMatch, status: number, body: unknown): string | null {
  const method = match.route.split(" ")[0].toLowerCase();
  const responses = match.operation.responses ?? {};
  const declared = responses[String(status)] ?? responses.default;
  if (!declared) return null;
  let pointer = `#/paths/${escape(match.template)}/${method}/responses/${responses[String(status)] ? status : "default"}`;
  let response = declared;
  if (response.$ref) {
    pointer = response.$ref;
    response = resolveRef(response);
  }
  const media = jsonMediaKey(response.content);
  if (!media || !response.content?.[media]?.schema) return null;
  const validate = compileAt(
    `${match.route} ${status}`,
    `${pointer}/content/${escape(media)}/schema`,
  );
  if (validate && !validate(body)) {
    return describeErrors(validate.errors ?? [], body);
  }
  return null;
}
