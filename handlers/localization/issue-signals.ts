// What an issue's text points at, besides its words: file paths (with a line number when it has
// one), stack-trace frames (JavaScript `at fn (path:line:col)`, Python `File "path", line N`, Go
// `path.go:N`), and identifiers (`code spans`, camelCase / PascalCase / snake_case words, calls
// `name(`, members `obj.name`).

export interface PathMention {
  /** As written, without a leading "./" or "/". */
  token: string;
  line?: number;
  /** Part of a stack trace (a frame line), not prose. */
  inStackTrace: boolean;
  /** Order of appearance among stack-trace frames (0 = first frame), else -1. */
  frameIndex: number;
}

const FRAME_LINE = /^\s*(at\s|File\s+"|#\d+\s|\S+\.go:\d+|goroutine\s|Traceback|\s+\S+\(.*\)$)/;

/** Path-like tokens: "src/a.ts", "a.ts:12", "/abs/path/a.py", `File "x.py", line 3`. */
export function pathMentions(text: string): PathMention[] {
  const mentions: PathMention[] = [];
  let frame = 0;
  for (const line of text.split("\n")) {
    const inStackTrace = FRAME_LINE.test(line);
    const python = /File\s+"([^"]+)",\s+line\s+(\d+)/.exec(line);
    if (python) {
      mentions.push({
        token: python[1].replace(/^\.?\//, ""),
        line: Number(python[2]),
        inStackTrace: true,
        frameIndex: frame++,
      });
      continue;
    }
    for (const match of line.matchAll(
      /(?:^|[\s(`'"[<=:@])((?:[A-Za-z]:)?[\w.@~+-]*(?:\/[\w.@~+-]+)*\.[A-Za-z][A-Za-z0-9]{0,5})(?::(\d+))?/g,
    )) {
      const token = match[1].replace(/^[A-Za-z]:/, "").replace(/^(\.\/|\/)+/, "");
      if (!token.includes(".") || /^\d/.test(token) || /^[\w-]+\.(com|org|io|net)$/.test(token))
        continue;
      // "e.g", "i.e", "v1.2": not files.
      if (!/\.[A-Za-z][A-Za-z0-9]{0,5}$/.test(token) || /^[a-z]\.[a-z]$/i.test(token)) continue;
      const line = match[2] ? Number(match[2]) : undefined;
      mentions.push({
        token,
        line,
        inStackTrace: inStackTrace && line !== undefined,
        frameIndex: inStackTrace && line !== undefined ? frame++ : -1,
      });
    }
  }
  return mentions;
}

const IDENTIFIER_NOISE =
  "http https www com org github null undefined true false this self string number object " +
  "function return const async await import export require console error warning info debug " +
  "node npm yarn pnpm json yaml html css todo fixme";

/** Identifiers worth matching against definitions, most specific first, at most `limit`. */
export function identifiersIn(text: string, limit = 30): string[] {
  const noise: Record<string, true> = {};
  for (const word of IDENTIFIER_NOISE.split(" ")) noise[word] = true;
  const found: string[] = [];
  const add = (id: string) => {
    if (id.length < 3 || id.length > 60 || noise[id.toLowerCase()] || /^\d/.test(id)) return;
    if (!found.includes(id)) found.push(id);
  };
  for (const match of text.matchAll(/`([^`\n]{2,80})`/g)) {
    for (const token of match[1].split(/[^A-Za-z0-9_$]+/)) {
      if (/[a-z][A-Z]|_|^[A-Z][a-z]+[A-Z]/.test(token) || token.length >= 4) add(token);
    }
  }
  for (const match of text.matchAll(
    /\b([a-z]+(?:[A-Z][a-z0-9]*)+|[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+|[a-z][a-z0-9]*(?:_[a-z0-9]+)+)\b/g,
  )) {
    add(match[1]);
  }
  for (const match of text.matchAll(/\b([A-Za-z_$][\w$]{2,})\(/g)) add(match[1]);
  for (const match of text.matchAll(/\b[A-Za-z_$][\w$]*\.([A-Za-z_$][\w$]{2,})\b/g)) {
    if (!/^(js|ts|py|go|md|json|mjs|cjs|tsx|jsx|com|org|io)$/.test(match[1])) add(match[1]);
  }
  return found.slice(0, limit);
}
