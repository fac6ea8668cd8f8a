// `afu9 interpret FILE`: the interpreter's analysis of one issue (GitHub REST issue JSON, or a
// webhook payload carrying `issue`), offline. What only GitHub knows (who applied the trigger label
// and their permission, edits, comments, open pull requests, the repository's config) is reported
// as "unknown", never guessed, and an analysis with an unknown check is not actionable.
import { existsSync, readFileSync } from "node:fs";
import { commandNamed } from "./commands";
import {
  type CliIo,
  EXIT,
  PROCESS_IO,
  printCommandHelp,
  usageError,
  wantsHelp,
} from "./conventions";
import { interpretIssue, type IssueLike } from "../../handlers/issue-interpreter/interpret";

function asIssue(value: unknown, file: string): IssueLike {
  const record = (value ?? {}) as Record<string, unknown>;
  const candidate =
    typeof record.title !== "string" && typeof record.issue === "object" && record.issue !== null
      ? (record.issue as Record<string, unknown>)
      : record;
  const problems: string[] = [];
  if (typeof candidate.title !== "string") problems.push("`title` (string)");
  if (typeof candidate.number !== "number") problems.push("`number` (number)");
  if (candidate.body !== undefined && candidate.body !== null && typeof candidate.body !== "string")
    problems.push("`body` (string or null)");
  if (problems.length > 0) {
    throw new Error(
      `${file} is not a GitHub issue object: missing ${problems.join(", ")}. Pass the JSON of ` +
        `GET /repos/{owner}/{repo}/issues/{number} (or a webhook payload with "issue").`,
    );
  }
  return {
    number: candidate.number as number,
    title: candidate.title as string,
    body: (candidate.body as string | null | undefined) ?? "",
    state: typeof candidate.state === "string" ? candidate.state : "open",
    locked: candidate.locked === true,
    pull_request: candidate.pull_request ?? undefined,
    user: (candidate.user as IssueLike["user"]) ?? null,
    author_association:
      typeof candidate.author_association === "string" ? candidate.author_association : undefined,
    labels: Array.isArray(candidate.labels) ? (candidate.labels as IssueLike["labels"]) : [],
    created_at: typeof candidate.created_at === "string" ? candidate.created_at : undefined,
  };
}

/** The analysis JSON `afu9 interpret` prints. */
export function interpretIssueFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new Error(
      `cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(
      `${file} is not JSON: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  const result = interpretIssue({
    issue: asIssue(json, file),
    config: "unknown",
    events: "unknown",
    comments: "unknown",
    permissions: {},
    openPullRequests: "unknown",
    delivery: "unknown",
  });
  const { analysis, checks, trigger } = result;
  const failed = checks.some((c) => c.status === "fail");
  return {
    type: analysis.type,
    priority: analysis.priority,
    // Offline nothing can pass every check; "unknown" unless a check fails on what is known.
    actionable: failed ? false : "unknown",
    reasons: analysis.reasons,
    plan: analysis.plan,
    config: "unknown",
    checks,
    trigger,
  };
}

export async function runInterpret(args: string[], io: CliIo = PROCESS_IO): Promise<number> {
  const command = commandNamed("interpret");
  if (wantsHelp(args)) return printCommandHelp(command, io);
  const [file, ...rest] = args;
  if (!file) return usageError(command, "FILE is required", io);
  if (file.startsWith("-")) return usageError(command, `unknown argument "${file}"`, io);
  if (rest.length > 0) return usageError(command, `unexpected argument "${rest[0]}"`, io);
  if (!existsSync(file)) return usageError(command, `cannot read ${file}: no such file`, io);
  let analysis: Record<string, unknown>;
  try {
    analysis = interpretIssueFile(file);
  } catch (error) {
    io.stderr(`afu9 interpret: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.refused;
  }
  io.stdout(`${JSON.stringify(analysis, null, 2)}\n`);
  return EXIT.ok;
}
