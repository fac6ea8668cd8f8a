// Runs the simulator on its own with the demo repository, for poking at it by hand:
//   node --import tsx local/github-simulator/serve.ts [--port 3001]
// Prints the base URL and App credentials (the private key goes to a 0600 temp file).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { seedDemoRepository, startGitHubSimulator } from "./index";

async function main(argv: string[]): Promise<void> {
  const portFlag = argv.indexOf("--port");
  const port = portFlag === -1 ? 0 : Number(argv[portFlag + 1]);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port needs a number 0-65535, got "${argv[portFlag + 1]}"`);
  }
  const sim = await startGitHubSimulator({ port });
  const seed = seedDemoRepository(sim);
  const keyFile = join(mkdtempSync(join(tmpdir(), "afu9-sim-")), "app.pem");
  writeFileSync(keyFile, sim.app.privateKey, { mode: 0o600 });
  process.stdout.write(
    `${JSON.stringify({ url: sim.url, appId: sim.app.id, privateKeyFile: keyFile, ...seed }, null, 2)}\n`,
  );
  const stop = () => void sim.close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(
    `github-simulator: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
