// Runs a TypeScript entry (local/start.ts, local/demo.ts) on Node 24 without a build step.
//
// Why not `node --import tsx`: tsx's CommonJS hook transpiles ESM packages it is asked to
// require, and @octokit/webhooks (ESM) then requires the import-only @octokit/webhooks-methods,
// which fails. Loading @octokit/webhooks first through Node 24's own require(esm) puts it in the
// module cache, so the TypeScript code's later require gets that instance untouched.
require("@octokit/webhooks");
require("tsx/cjs/api").register();

const entry = process.argv[2];
if (!entry) {
  process.stderr.write("usage: node local/factory/launch.cjs <entry.ts> [args...]\n");
  process.exit(2);
}
// The entry sees its own arguments only, as if it had been started directly.
process.argv.splice(2, 1);
require(require("node:path").resolve(entry));
