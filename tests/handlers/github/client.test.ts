// The production client factory: key formats, operator-facing errors, default write spacing and
// which failures it retries, against the simulator over HTTP.
import { createPrivateKey } from "node:crypto";
import { createGitHubClientFactory, normalizePrivateKey } from "../../../handlers/github/client";
import { startGitHubSimulator, type GitHubSimulator } from "../../../local/github-simulator";

let sim: GitHubSimulator;
let installationId: number;
beforeAll(async () => {
  sim = await startGitHubSimulator();
  installationId = sim.createInstallation("acme").id;
  sim.createRepository({
    owner: "acme",
    name: "widgets",
    installationId,
    files: { "a.txt": "a\n" },
  });
});
afterEach(() => sim.clearFaults());
afterAll(() => sim.close());

const pkcs8 = () =>
  createPrivateKey(sim.app.privateKey).export({ type: "pkcs8", format: "pem" }).toString();

test.each([
  ["PKCS#1", () => sim.app.privateKey],
  ["PKCS#8", pkcs8],
  [
    "PKCS#1 with escaped newlines (environment variable style)",
    () => sim.app.privateKey.replace(/\n/g, "\\n"),
  ],
])("a %s key authenticates as the installation", async (_name, key) => {
  expect(sim.app.privateKey).toContain("BEGIN RSA PRIVATE KEY");
  const factory = createGitHubClientFactory({
    appId: sim.app.id,
    privateKey: key(),
    baseUrl: `${sim.url}/`,
  });
  const octokit = await factory(installationId);
  const { data } = await octokit.rest.repos.get({ owner: "acme", repo: "widgets" });
  expect(data.full_name).toBe("acme/widgets");
});

test("clients of one factory share the installation token (one token request)", async () => {
  const factory = createGitHubClientFactory({
    appId: sim.app.id,
    privateKey: sim.app.privateKey,
    baseUrl: sim.url,
  });
  const tokenRequests = () => sim.requests.filter((r) => r.route.endsWith("/access_tokens")).length;
  const before = tokenRequests();
  for (let i = 0; i < 3; i += 1) {
    await (await factory(installationId)).rest.repos.get({ owner: "acme", repo: "widgets" });
  }
  expect(tokenRequests() - before).toBe(1);
});

test("garbage is refused with 'private key is not PEM' and no key material", () => {
  const secretish = "c2VjcmV0LWtleS1tYXRlcmlhbC10aGF0LW11c3Qtbm90LWxlYWs=";
  expect(() => normalizePrivateKey(secretish)).toThrow(/^private key is not PEM: expected/);
  try {
    normalizePrivateKey(secretish);
  } catch (error) {
    expect((error as Error).message).not.toContain(secretish.slice(0, 12));
  }
  expect(() => createGitHubClientFactory({ appId: 1, privateKey: "" })).toThrow(
    /private key is not PEM/,
  );
});

test("a PEM header around a broken body says it cannot be parsed", () => {
  const broken = "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n";
  expect(() => normalizePrivateKey(broken)).toThrow(
    /private key is not PEM: it has a PEM header but cannot be parsed/,
  );
});

test("an App id that is not a positive integer is refused", () => {
  expect(() => createGitHubClientFactory({ appId: "abc", privateKey: sim.app.privateKey })).toThrow(
    'GitHub App id must be a positive integer, got "abc"',
  );
});

test("by default writes are spaced as GitHub asks (at least 1 s apart)", async () => {
  const octokit = await createGitHubClientFactory({
    appId: sim.app.id,
    privateKey: sim.app.privateKey,
    baseUrl: sim.url,
  })(installationId);
  const started = Date.now();
  await octokit.rest.git.createBlob({ owner: "acme", repo: "widgets", content: "1" });
  await octokit.rest.git.createBlob({ owner: "acme", repo: "widgets", content: "2" });
  expect(Date.now() - started).toBeGreaterThanOrEqual(950);
});

test("405 and 409 answers of any endpoint are not retried; 5xx are", async () => {
  const octokit = await createGitHubClientFactory({
    appId: sim.app.id,
    privateKey: sim.app.privateKey,
    baseUrl: sim.url,
    throttle: { spaceWrites: false },
    retry: { baseDelayMs: 5 },
  })(installationId);
  const route = "PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge";
  const count = () => sim.requests.filter((r) => r.route === route).length;
  const head = sim.pushCommit("acme", "widgets", "topic", { "b.txt": "b\n" });
  const { data: pr } = await octokit.rest.pulls.create({
    owner: "acme",
    repo: "widgets",
    title: "t",
    head: "topic",
    base: "main",
  });

  let before = count();
  await expect(
    octokit.rest.pulls.merge({
      owner: "acme",
      repo: "widgets",
      pull_number: pr.number,
      sha: "0".repeat(40),
    }),
  ).rejects.toMatchObject({ status: 409 });
  expect(count() - before).toBe(1);

  sim.injectFault({ route, mode: "5xx", count: 1 });
  before = count();
  const { data } = await octokit.rest.pulls.merge({
    owner: "acme",
    repo: "widgets",
    pull_number: pr.number,
    sha: head,
  });
  expect(data.merged).toBe(true);
  expect(count() - before).toBe(2);

  before = count();
  await expect(
    octokit.rest.pulls.merge({ owner: "acme", repo: "widgets", pull_number: pr.number, sha: head }),
  ).rejects.toMatchObject({ status: 405 });
  expect(count() - before).toBe(1);
});
