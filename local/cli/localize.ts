// `npx afu9 localize --repo DIR --issue FILE [--top N] [--json]`: the files of a local checkout an
// issue is most likely about, ranked by the same engine as the analysis comment's patch plan and
// the AI strategy's context. FILE is a GitHub REST issue JSON (`title`, `body`), or a text/Markdown
// file whose first line is the title. Exit codes (conventions.ts): 0 ranked, 1 JSON that is not an
// issue, 2 usage.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { type IssueText, localize, type RankedFile } from "../../handlers/localization/rank";
import { readDirectorySnapshot } from "./directory-snapshot";
import { commandNamed } from "./commands";
import { type CliIo, EXIT, PROCESS_IO, openRepoIssueCommand } from "./conventions";

interface LocalizeArgs {
  repo: string;
  issue: string;
  top: number;
  json: boolean;
}

function parseArgs(argv: string[]): LocalizeArgs | string {
  let repo: string | undefined;
  let issue: string | undefined;
  let top = 10;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [name, inline] = arg.startsWith("--") && arg.includes("=") ? arg.split(/=(.*)/s) : [arg];
    const value = () => inline ?? argv[++i];
    if (name === "--repo") repo = value();
    else if (name === "--issue") issue = value();
    else if (name === "--top") {
      const raw = value();
      top = Number(raw);
      if (!Number.isInteger(top) || top < 1) return `--top needs a whole number >= 1, got "${raw}"`;
    } else if (name === "--json") json = true;
    else return `unknown argument "${arg}"`;
  }
  if (!repo || !issue) return "--repo and --issue are required";
  return { repo, issue, top, json };
}

function readIssue(file: string): IssueText | string {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    return `cannot read issue ${file}: ${(error as Error).message}`;
  }
  try {
    const raw = JSON.parse(text) as { title?: unknown; body?: unknown };
    if (typeof raw !== "object" || raw === null || typeof raw.title !== "string") {
      return `${file} is JSON but not a GitHub issue object (REST shape with "title" and "body")`;
    }
    return { title: raw.title, body: typeof raw.body === "string" ? raw.body : "" };
  } catch {
    const [first, ...rest] = text.split("\n");
    return { title: first.replace(/^#+\s*/, "").trim(), body: rest.join("\n").trim() };
  }
}

function printList(io: CliIo, heading: string, files: RankedFile[]): void {
  if (files.length === 0) return;
  io.stdout(`${heading}\n`);
  files.forEach((file, index) => {
    io.stdout(`${String(index + 1).padStart(3)}. ${file.path}  (${file.score})\n`);
    io.stdout(`       ${file.reasons.join("; ")}\n`);
  });
}

export async function runLocalize(argv: string[], io: CliIo = PROCESS_IO): Promise<number> {
  const args = openRepoIssueCommand(commandNamed("localize"), argv, io, parseArgs);
  if ("exit" in args) return args.exit;
  const root = resolve(args.repo);
  const issue = readIssue(args.issue);
  if (typeof issue === "string") {
    io.stderr(`afu9 localize: ${issue}\n`);
    return EXIT.refused;
  }
  const result = localize(issue, readDirectorySnapshot(root), { limit: args.top });
  if (args.json) {
    io.stdout(
      `${JSON.stringify({ files: result.files, tests: result.tests, notes: result.notes }, null, 2)}\n`,
    );
    return 0;
  }
  if (result.files.length === 0 && result.tests.length === 0) {
    io.stdout("No file could be linked to the issue text.\n");
  }
  printList(io, "Files", result.files);
  printList(io, "Tests", result.tests);
  for (const note of result.notes) io.stderr(`note: ${note}\n`);
  return 0;
}
