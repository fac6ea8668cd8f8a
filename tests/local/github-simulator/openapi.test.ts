// The description layer: routing, schema-complete objects, and the test-mode response check.
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { loadDescription } from "../../../local/github-simulator/openapi/description";
import { fill } from "../../../local/github-simulator/openapi/fill";
import { matchRoute, type RouteMatch } from "../../../local/github-simulator/openapi/router";
import { validateResponse } from "../../../local/github-simulator/openapi/validator";
import { appRoutes } from "../../../local/github-simulator/routes/apps";
import { checkRoutes } from "../../../local/github-simulator/routes/checks";
import { gitRoutes } from "../../../local/github-simulator/routes/git";
import { commentRoutes } from "../../../local/github-simulator/routes/comments";
import { issueRoutes } from "../../../local/github-simulator/routes/issues";
import { labelRoutes } from "../../../local/github-simulator/routes/labels";
import { pullRoutes } from "../../../local/github-simulator/routes/pulls";
import { repoRoutes } from "../../../local/github-simulator/routes/repos";

function route(method: string, path: string): RouteMatch {
  const match = matchRoute(method, path);
  if ("error" in match) throw new Error(`${method} ${path}: ${match.error}`);
  return match;
}

test("every simulated route is an operation of GitHub's description", () => {
  const all = {
    ...appRoutes,
    ...checkRoutes,
    ...gitRoutes,
    ...issueRoutes,
    ...labelRoutes,
    ...commentRoutes,
    ...pullRoutes,
    ...repoRoutes,
  };
  const paths = loadDescription().paths;
  const unknown = Object.keys(all).filter((key) => {
    const [method, template] = key.split(" ");
    return !paths[template]?.[method.toLowerCase()];
  });
  expect(unknown).toEqual([]);
  expect(Object.keys(all).length).toBeGreaterThanOrEqual(55);
});

test("routing: literals win over parameters, refs and paths span slashes, encoded or not", () => {
  expect(route("GET", "/repos/a/b/git/ref/heads%2Ffeature%2Fx").params.ref).toBe("heads/feature/x");
  expect(route("PATCH", "/repos/a/b/git/refs/heads/feature/x").params.ref).toBe("heads/feature/x");
  expect(route("GET", "/repos/a/b/contents/src/deep/file.ts").params.path).toBe("src/deep/file.ts");
  expect(route("GET", "/repos/a/b/issues/comments/7").route).toBe(
    "GET /repos/{owner}/{repo}/issues/comments/{comment_id}",
  );
  expect(route("GET", "/repos/a/b/branches/release%2F1.0/protection").params.branch).toBe(
    "release/1.0",
  );
  expect(matchRoute("GET", "/repos/a/b/warp-drive")).toEqual({ error: "unknown-path" });
  expect(matchRoute("DELETE", "/repos/a/b/pulls/1/merge")).toMatchObject({ error: "method" });
});

test("fill() gives objects with every required field that validate against their schema", () => {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  for (const format of ["repo.nwo", "timestamp", "int32", "int64", "double", "binary"])
    ajv.addFormat(format, true);
  ajv.addSchema({ components: loadDescription().components }, "components");
  for (const name of [
    "issue",
    "pull-request",
    "check-run",
    "full-repository",
    "commit",
    "installation",
    "status",
  ]) {
    const validate = ajv.compile({ $ref: `components#/components/schemas/${name}` });
    const value = fill(name, {});
    expect([name, validate(value) ? "valid" : ajv.errorsText(validate.errors)]).toEqual([
      name,
      "valid",
    ]);
  }
});

test("test mode catches an answer that does not match the documented response", () => {
  const get = route("GET", "/repos/a/b/pulls/1");
  expect(validateResponse(get, 200, { number: "one" })).toContain(`"_links" wasn't supplied`);
  expect(validateResponse(get, 200, fill("pull-request", { number: 1 }))).toBeNull();
  expect(validateResponse(get, 404, { message: "Not Found", documentation_url: "x" })).toBeNull();
});
