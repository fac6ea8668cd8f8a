// Reading a verified delivery's parsed JSON, whose shape is still not to be trusted: every route
// asks these two questions, field by field.
export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The value at a dotted path (`repository.owner.login`); undefined where a step is missing. */
export function fieldAt(payload: unknown, path: string): unknown {
  let value: unknown = payload;
  for (const key of path.split(".")) value = isObject(value) ? value[key] : undefined;
  return value;
}
