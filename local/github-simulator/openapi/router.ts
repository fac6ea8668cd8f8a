// Matches "METHOD /concrete/path" to an operation of the description. Literal segments win over
// parameters; `{path}`, `{ref}` and `{branch}` as the last segment may span slashes (contents
// paths, refs and branch names, which clients do not always percent-encode).
import { loadDescription, type OperationObject } from "./description";

export interface RouteMatch {
  /** "PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge": the key faults and handlers use. */
  route: string;
  template: string;
  operation: OperationObject;
  params: Record<string, string>;
}

interface CompiledRoute {
  template: string;
  regex: RegExp;
  names: string[];
  literals: number;
}

const GREEDY_LAST = new Set(["path", "ref", "branch"]);
let routes: CompiledRoute[] | undefined;

function compile(): CompiledRoute[] {
  const compiled = Object.keys(loadDescription().paths).map((template) => {
    const names: string[] = [];
    const segments = template.split("/");
    const source = segments
      .map((segment, index) => {
        const param = /^\{([^}]+)\}$/.exec(segment);
        if (!param) return segment.replace(/[.*+?^$()|[\]\\]/g, "\\$&");
        names.push(param[1]);
        return index === segments.length - 1 && GREEDY_LAST.has(param[1]) ? "(.+)" : "([^/]+)";
      })
      .join("/");
    const literals = segments.filter((segment) => segment && !segment.startsWith("{")).length;
    return { template, regex: new RegExp(`^${source}$`), names, literals };
  });
  return compiled.sort((a, b) => b.literals - a.literals);
}

/** The path's operation, or why none: "unknown-path" (404) or "method" (GitHub answers 404 too). */
export function matchRoute(
  method: string,
  pathname: string,
): RouteMatch | { error: "unknown-path" | "method"; allowed?: string[] } {
  routes ??= compile();
  const paths = loadDescription().paths;
  let pathMatched: string[] | undefined;
  for (const route of routes) {
    const found = route.regex.exec(pathname);
    if (!found) continue;
    const operation = paths[route.template][method.toLowerCase()];
    if (!operation) {
      pathMatched ??= Object.keys(paths[route.template]).map((verb) => verb.toUpperCase());
      continue;
    }
    const params: Record<string, string> = {};
    route.names.forEach((name, index) => (params[name] = decodeURIComponent(found[index + 1])));
    return {
      route: `${method.toUpperCase()} ${route.template}`,
      template: route.template,
      operation,
      params,
    };
  }
  return pathMatched ? { error: "method", allowed: pathMatched } : { error: "unknown-path" };
}
