#!/usr/bin/env node
// `npx afu9 ...`: runs the TypeScript CLI in-process through tsx, so no build step is needed.
require("tsx/cjs/api").register();
require("../local/cli/main.ts");
