// GitHub label lists in their two shapes.

/** Label names from GitHub's label list, which holds objects (REST) or strings (payloads, input). */
export function labelNames(labels: ReadonlyArray<{ name?: string | null } | string>): string[] {
  return labels
    .map((label) => (typeof label === "string" ? label : (label.name ?? "")))
    .filter((name) => name.length > 0);
}
