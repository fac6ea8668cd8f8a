// Must-show 2: requests GitHub would reject are rejected with the same status class and a message
// naming the violation; checked against GitHub's own description, not a hand-written list.
import { startFixture, statusOf, type SimFixture } from "./helpers";

let f: SimFixture;
beforeAll(async () => {
  f = await startFixture();
});
afterAll(() => f.sim.close());

const route = "POST /repos/{owner}/{repo}/pulls";

test("unknown body field: 422 naming the key", async () => {
  const { octokit, owner, repo } = f;
  const rejected = await statusOf(
    octokit.request(route, {
      owner,
      repo,
      title: "t",
      head: "x",
      base: "main",
      colour: "red",
    } as never),
  );
  expect(rejected.status).toBe(422);
  expect(rejected.message).toContain('"colour" is not a permitted key.');
});

test("missing required field: 422 naming the field", async () => {
  const { octokit, owner, repo } = f;
  const rejected = await statusOf(
    octokit.request(route, { owner, repo, title: "t", base: "main" } as never),
  );
  expect(rejected.status).toBe(422);
  expect(rejected.message).toContain(`"head" wasn't supplied.`);
});

test("wrong type: 422 naming the field, value and expected type", async () => {
  const { octokit, owner, repo } = f;
  const rejected = await statusOf(
    octokit.request("POST /repos/{owner}/{repo}/git/refs", {
      owner,
      repo,
      ref: "refs/heads/x",
      sha: 42,
    } as never),
  );
  expect(rejected.status).toBe(422);
  expect(rejected.message).toContain("For 'sha', 42 is not a string.");
});

test("value outside the documented enum: 422", async () => {
  const { octokit, owner, repo } = f;
  const rejected = await statusOf(
    octokit.request("PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge", {
      owner,
      repo,
      pull_number: 1,
      merge_method: "octopus",
    } as never),
  );
  expect(rejected.status).toBe(422);
  expect(rejected.message).toContain("is not one of merge, squash, rebase");
});

test("wrong path parameter type: 422", async () => {
  const { octokit, owner, repo } = f;
  const rejected = await statusOf(octokit.request(`GET /repos/${owner}/${repo}/issues/abc`));
  expect(rejected).toMatchObject({
    status: 422,
    message: expect.stringContaining("For 'issue_number'"),
  });
});

test("unknown path: 404 naming the request", async () => {
  const rejected = await statusOf(f.octokit.request("GET /repos/acme/widgets/teleport"));
  expect(rejected.status).toBe(404);
  expect(rejected.message).toContain(
    "GET /repos/acme/widgets/teleport is not a GitHub REST endpoint",
  );
});

test("unparsable JSON body: 400", async () => {
  const response = await fetch(`${f.sim.url}/repos/acme/widgets/issues`, {
    method: "POST",
    headers: {
      authorization: `token ${await installationToken()}`,
      "content-type": "application/json",
    },
    body: "{ title: ",
  });
  expect(response.status).toBe(400);
  expect(((await response.json()) as { message: string }).message).toContain(
    "Problems parsing JSON",
  );
});

test("no credentials: 401; a repository of another installation: 404", async () => {
  const anonymous = await fetch(`${f.sim.url}/repos/acme/widgets`);
  expect(anonymous.status).toBe(401);
  const other = f.sim.createInstallation("globex");
  f.sim.createRepository({
    owner: "globex",
    name: "secret",
    installationId: other.id,
    files: { a: "b" },
  });
  const rejected = await statusOf(f.octokit.rest.repos.get({ owner: "globex", repo: "secret" }));
  expect(rejected.status).toBe(404);
});

test("a valid request passes validation and the answer matches GitHub's schema", async () => {
  const { data } = await f.octokit.rest.repos.get({ owner: "acme", repo: "widgets" });
  expect(data).toMatchObject({ full_name: "acme/widgets", default_branch: "main", private: false });
  expect(f.sim.requests.filter((r) => r.status >= 500)).toEqual([]);
});

async function installationToken(): Promise<string> {
  const auth = (await f.octokit.auth({ type: "installation" })) as { token: string };
  return auth.token;
}
