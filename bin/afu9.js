#!/usr/bin/env node
// `npx afu9 ...`: runs the TypeScript CLI in-process (transpile only, no build step). ts-node, not
// tsx: under tsx's loader, requiring the ESM-only @octokit/webhooks chain fails to resolve
// @octokit/webhooks-methods, while Node's own require(esm) (as in Lambda) loads it.
require("ts-node").register({ transpileOnly: true });
require("../local/cli/main.ts")
  .runCli(process.argv.slice(2))
  .then(
    (code) => process.exit(code),
    (error) => {
      process.stderr.write(`afu9: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
