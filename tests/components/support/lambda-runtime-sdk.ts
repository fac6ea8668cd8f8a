// The nodejs24.x runtime ships AWS SDK v3 on NODE_PATH (/var/runtime/node_modules), so archives
// leave @aws-sdk/* out. Both the archive tests and the bench load archives in a fresh Node 24
// process with exactly that emulated: a folder holding only @aws-sdk/* packages, linked to this
// project's copies (their own dependencies resolve from there, as the runtime's do beside them).
import { mkdirSync, readFileSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../../support/repo-root";

const ROOT = REPO_ROOT;

/**
 * Creates `<parent>/runtime-node_modules` with a link for each @aws-sdk/* package the project
 * depends on, and returns its path: the NODE_PATH for a process that loads an archive.
 */
export function emulateLambdaRuntimeSdk(parent: string, projectRoot = ROOT): string {
  const nodePath = join(parent, "runtime-node_modules");
  mkdirSync(join(nodePath, "@aws-sdk"), { recursive: true });
  const manifest = JSON.parse(readFileSync(join(projectRoot, "package.json"), "utf8")) as {
    dependencies?: Record<string, string>;
  };
  for (const name of Object.keys(manifest.dependencies ?? {})) {
    if (name.startsWith("@aws-sdk/")) {
      symlinkSync(join(projectRoot, "node_modules", name), join(nodePath, name));
    }
  }
  return nodePath;
}
