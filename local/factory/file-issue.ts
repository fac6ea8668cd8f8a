// Files one of the example issues into a running sandbox (`npm start`), as a person would:
//   npx tsx local/factory/file-issue.ts [--factory URL] [--ci failure] [--stranger]
//                                       [--title T --body-file F] [--user LOGIN] [--no-label]
// Plain fetch only, so it also runs on an older machine Node.
import { readFileSync } from "node:fs";
import { GREETING_EXCLAMATION, README_TEST_HINT, STRANGER_USAGE_CHANGE } from "./demo-issues";

async function main(argv: string[]): Promise<number> {
  const value = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const factory = value("factory") ?? "http://127.0.0.1:3000";
  const ci = value("ci");
  if (ci !== undefined && ci !== "success" && ci !== "failure") {
    throw new Error(`--ci must be success or failure, got "${ci}"`);
  }
  const stranger = argv.includes("--stranger");
  const example = stranger
    ? STRANGER_USAGE_CHANGE
    : ci === "failure"
      ? GREETING_EXCLAMATION
      : README_TEST_HINT;
  const bodyFile = value("body-file");
  const request = {
    title: value("title") ?? example.title,
    body: bodyFile ? readFileSync(bodyFile, "utf8") : example.body,
    user: value("user") ?? (stranger ? "random-visitor" : "demo-maintainer"),
    // Only people with triage access can label on GitHub: a stranger's issue has no labels.
    labels: stranger || argv.includes("--no-label") ? [] : ["afu9"],
    ci: ci ?? (stranger ? undefined : "success"),
  };
  const response = await fetch(`${factory}/sandbox/issues`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(request),
  });
  const answer = (await response.json()) as { number?: number; message?: string };
  if (!response.ok) throw new Error(`${response.status}: ${answer.message ?? "refused"}`);
  process.stdout.write(
    `filed issue #${answer.number} "${request.title}" as ${request.user}; ` +
      `watch it on the dashboard, ${factory}/ (or GET ${factory}/executions)\n`,
  );
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `file-issue: ${error instanceof Error ? error.message : String(error)} ` +
        `(is \`npm start\` running in sandbox mode?)\n`,
    );
    process.exit(1);
  },
);
