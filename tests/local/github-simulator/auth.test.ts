// App JWT and installation tokens: what GitHub checks, the simulator checks.
import { createSign, generateKeyPairSync } from "node:crypto";
import { startGitHubSimulator, type GitHubSimulator } from "../../../local/github-simulator";

let sim: GitHubSimulator;
let now = Date.now();
let installationId: number;
beforeAll(async () => {
  sim = await startGitHubSimulator({ now: () => now });
  installationId = sim.createInstallation("acme").id;
  sim.createRepository({
    owner: "acme",
    name: "widgets",
    installationId,
    files: { "a.txt": "a\n" },
  });
});
afterAll(() => sim.close());

function jwt(privateKey: string, claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const unsigned = `${part({ alg: "RS256", typ: "JWT" })}.${part(claims)}`;
  const signature = createSign("RSA-SHA256")
    .update(unsigned)
    .sign(privateKey)
    .toString("base64url");
  return `${unsigned}.${signature}`;
}

async function createToken(token: string): Promise<Response> {
  return fetch(`${sim.url}/app/installations/${installationId}/access_tokens`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
  });
}

const seconds = () => Math.floor(now / 1000);

test("a JWT signed with the App key yields an expiring installation token that works", async () => {
  const response = await createToken(
    jwt(sim.app.privateKey, { iss: sim.app.id, iat: seconds() - 30, exp: seconds() + 540 }),
  );
  expect(response.status).toBe(201);
  const { token, expires_at } = (await response.json()) as { token: string; expires_at: string };
  expect(Date.parse(expires_at) - now).toBeGreaterThan(59 * 60 * 1000);
  const repo = await fetch(`${sim.url}/repos/acme/widgets`, {
    headers: { authorization: `token ${token}` },
  });
  expect(repo.status).toBe(200);

  now += 61 * 60 * 1000; // the token outlives its hour
  const expired = await fetch(`${sim.url}/repos/acme/widgets`, {
    headers: { authorization: `token ${token}` },
  });
  expect(expired.status).toBe(401);
  expect(((await expired.json()) as { message: string }).message).toContain("expired");
});

test("a JWT signed by another key is refused", async () => {
  const { privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  const response = await createToken(
    jwt(privateKey, { iss: sim.app.id, iat: seconds() - 30, exp: seconds() + 540 }),
  );
  expect(response.status).toBe(401);
  expect(((await response.json()) as { message: string }).message).toContain("signature");
});

test("an expired JWT, a JWT for another App and an over-long JWT are refused", async () => {
  const cases = [
    { iss: sim.app.id, iat: seconds() - 700, exp: seconds() - 10 },
    { iss: 999, iat: seconds() - 30, exp: seconds() + 540 },
    { iss: sim.app.id, iat: seconds() - 30, exp: seconds() + 3600 },
  ];
  for (const claims of cases) {
    expect((await createToken(jwt(sim.app.privateKey, claims))).status).toBe(401);
  }
});

test("an installation token cannot call App endpoints and a JWT cannot call repository endpoints", async () => {
  const appJwt = jwt(sim.app.privateKey, {
    iss: sim.app.id,
    iat: seconds() - 30,
    exp: seconds() + 540,
  });
  const asApp = await fetch(`${sim.url}/repos/acme/widgets/issues/1`, {
    headers: { authorization: `Bearer ${appJwt}` },
  });
  expect(asApp.status).toBe(401);
  const created = (await (await createToken(appJwt)).json()) as { token: string };
  const asInstallation = await fetch(`${sim.url}/app`, {
    headers: { authorization: `token ${created.token}` },
  });
  expect(asInstallation.status).toBe(401);
});
