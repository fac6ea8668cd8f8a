// The path ranking AFU-9 used before the localization engine (handlers/localization), kept only as
// the bench's "old path ranking" baseline. Signals, strongest first: a path named in the issue, a
// stack-trace frame, a file name, an identifier that matches a file name, words of the title in
// the path. It reads no file contents: the caller passes the tree's paths.

export interface PlanInput {
  title: string;
  body: string;
  trustedComments: string[];
}

export interface RankedFile {
  path: string;
  score: number;
  reasons: string[];
}

const IGNORED = /(^|\/)(node_modules|dist|build|vendor|\.git|coverage)\//;
const BINARY_OR_LOCK =
  /\.(png|jpe?g|gif|ico|pdf|zip|gz|tgz|jar|woff2?|ttf|eot|mp[34]|lock)$|(^|\/)(package-lock\.json|yarn\.lock|pnpm-lock\.yaml)$/i;

// An array, not a Set: Pulumi serializes module-level values by value and a Set arrives as `{}`.
const STOP_WORDS: string[] =
  "the and for with from that this when what into should would could does doesnt dont not bug issue error fix fixed fixes please when after before while about there their then them have has had will wird wenn dann nicht eine einen einem einer oder und der die das den dem des ist sind beim bitte fehler problem works work working".split(
    " ",
  );

function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^a-z0-9äöüß]+/)
    .filter((w) => w.length >= 4 && !STOP_WORDS.includes(w));
}

/** "createPullRequest", "create_pull_request", "create-pull-request" -> "createpullrequest". */
function squash(name: string): string {
  return name.toLowerCase().replace(/[-_.\s]/g, "");
}

function stem(path: string): string {
  const name = path.slice(path.lastIndexOf("/") + 1);
  const dot = name.indexOf(".");
  return dot > 0 ? name.slice(0, dot) : name;
}

/** Identifiers worth matching: `code spans`, camelCase / PascalCase / snake_case, calls "foo(". */
export function identifiersIn(text: string): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(/`([^`\n]{3,60})`/g)) {
    for (const token of match[1].split(/[^A-Za-z0-9_$]+/)) if (token.length >= 3) found.add(token);
  }
  for (const match of text.matchAll(
    /\b([a-z]+(?:[A-Z][a-z0-9]+)+|[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]+)+|[a-z0-9]+(?:_[a-z0-9]+)+)\b/g,
  )) {
    found.add(match[1]);
  }
  for (const match of text.matchAll(/\b([A-Za-z_$][\w$]{2,})\(/g)) found.add(match[1]);
  return [...found].filter((id) => !STOP_WORDS.includes(id.toLowerCase()));
}

/** Path-like tokens ("src/a.ts", "a.ts:12") named in the text. */
function pathTokens(text: string): Array<{ token: string; line?: number }> {
  const tokens: Array<{ token: string; line?: number }> = [];
  for (const match of text.matchAll(
    /(?:^|[\s(`'"[])((?:[\w.@-]+\/)*[\w@-][\w.@-]*\.[A-Za-z][A-Za-z0-9]{0,5})(?::(\d+))?/gm,
  )) {
    tokens.push({
      token: match[1].replace(/^\.\//, ""),
      line: match[2] ? Number(match[2]) : undefined,
    });
  }
  return tokens;
}

export function rankRelevantFiles(input: PlanInput, repoFiles: string[]): RankedFile[] {
  const text = [input.title, input.body, ...input.trustedComments].join("\n");
  const tokens = pathTokens(text);
  const identifiers = identifiersIn(text);
  const titleWords = new Set(words(input.title));
  const candidates = repoFiles.filter((p) => !IGNORED.test(p) && !BINARY_OR_LOCK.test(p));
  const ranked = new Map<string, RankedFile>();
  const add = (path: string, score: number, reason: string) => {
    const entry = ranked.get(path) ?? { path, score: 0, reasons: [] };
    if (entry.reasons.includes(reason)) return;
    entry.score += score;
    entry.reasons.push(reason);
    ranked.set(path, entry);
  };
  if (candidates.length === 0) {
    // No tree at hand: the paths the text names are the best guess (unverified).
    for (const { token } of tokens) if (token.includes("/")) add(token, 10, "named in the issue");
    return [...ranked.values()];
  }
  for (const path of candidates) {
    const name = path.slice(path.lastIndexOf("/") + 1);
    for (const { token, line } of tokens) {
      if (token === path) add(path, 10, "named in the issue");
      else if (token.includes("/") && (path.endsWith(`/${token}`) || token.endsWith(`/${path}`))) {
        add(
          path,
          line ? 8 : 7,
          line ? `in a stack trace or reference (line ${line})` : "path named in the issue",
        );
      } else if (token === name) add(path, 6, `file name \`${name}\` mentioned`);
    }
    const fileStem = squash(stem(path));
    for (const id of identifiers) {
      if (fileStem.length >= 3 && squash(id) === fileStem) add(path, 4, `name matches \`${id}\``);
    }
    const pathWords = new Set(
      words(path.replace(/[-_.]/g, " ").replace(/([a-z])([A-Z])/g, "$1 $2")),
    );
    const shared = [...titleWords].filter((w) => pathWords.has(w));
    if (shared.length > 0)
      add(path, shared.length, `path contains "${shared.join('", "')}" from the title`);
  }
  return [...ranked.values()].sort((a, b) => b.score - a.score || a.path.localeCompare(b.path));
}
