// POST /sandbox/issues, the route the printed "file an issue" commands call: a wrong field is a 400
// naming it (item 12), and the banner's two example commands run back to back each get their own
// CI (item 11): the CI-failure issue fails, the next one still merges.
import { README_TEST_HINT, GREETING_EXCLAMATION } from "../../local/factory/demo-issues";
import { createFactoryOutput } from "../../local/factory/output";
import { startSandbox, type Sandbox } from "../../local/factory/sandbox";
import { SETTINGS, TIME_SCALE } from "./harness";

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({
    port: 0,
    settings: SETTINGS,
    timeScale: TIME_SCALE,
    retryDelayMs: 5,
    output: createFactoryOutput({ mode: "silent" }),
    ciDelayMs: 100,
    githubRetryBaseMs: 5,
    validateResponses: true,
  });
});

afterAll(async () => {
  await sandbox?.close();
});

async function post(body: unknown) {
  const response = await fetch(`${sandbox.factory.url}/sandbox/issues`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as { message?: string } };
}

test.each([
  [{ title: "t", body: "b", labels: "afu9" }, '"labels"'],
  [{ title: "t", body: "b", ci: "flaky" }, '"ci"'],
  [{ title: "t", body: "b", user: "" }, '"user"'],
  [{ title: "", body: "b" }, '"title"'],
  [{ title: "t" }, '"body"'],
  [{ title: "t", body: "b", colour: "red" }, '"colour"'],
])("item 12: %j is refused with 400 naming %s", async (request, field) => {
  const before = sandbox.factory.executions().length;
  const answer = await post(request);
  expect(answer.status).toBe(400);
  expect(answer.body.message).toContain(field);
  await sandbox.settle();
  expect(sandbox.factory.executions()).toHaveLength(before);
});

test("item 11: the banner's two commands back to back: CI fails for the first, the second merges", async () => {
  const failing = await post({ ...GREETING_EXCLAMATION, ci: "failure" });
  const passing = await post({ ...README_TEST_HINT, ci: "success" });
  expect([failing.status, passing.status]).toEqual([201, 201]);
  await sandbox.settle();
  const endOf = (number: number) => {
    const run = sandbox.factory.executions().find((e) => e.input.issue.number === number);
    const visits = run?.report?.visits ?? [];
    return visits[visits.length - 1]?.name;
  };
  const numbers = [failing, passing].map((a) => (a.body as { number: number }).number);
  expect(numbers.map(endOf)).toEqual(["CIFailed", "Merged"]);
  const { owner, repo } = sandbox.demo!;
  expect(sandbox.sim.getIssue(owner, repo, numbers[1]).state).toBe("closed");
});
