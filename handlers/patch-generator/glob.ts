// Matching repository paths against the protected-path patterns of `.github/afu9.yml`, with
// gitignore-like rules: `**` spans directories, `*` and `?` stay within one path segment, a
// pattern ending in "/" covers everything below it, and a pattern without "/" matches the file
// name at any depth ("*.pem").

function escapeRegExp(text: string): string {
  return text.replace(/[.+^${}()|[\]\\]/g, "\\$&");
}

export function globToRegExp(pattern: string): RegExp {
  let glob = pattern.trim().replace(/^\.\//, "").replace(/^\//, "");
  if (glob.endsWith("/")) glob += "**";
  const anchored = glob.includes("/");
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === "*" && glob[i + 1] === "*") {
      // "**/" matches zero or more directories; a trailing "**" matches everything below.
      if (glob[i + 2] === "/") {
        source += "(?:.*/)?";
        i += 2;
      } else {
        source += ".*";
        i += 1;
      }
    } else if (ch === "*") source += "[^/]*";
    else if (ch === "?") source += "[^/]";
    else source += escapeRegExp(ch);
  }
  // A directory pattern ("docs" or "src/gen") also covers the files below it.
  return new RegExp(`^${anchored ? "" : "(?:.*/)?"}${source}(?:/.*)?$`);
}

export function matchesAnyGlob(path: string, patterns: readonly string[]): string | null {
  for (const pattern of patterns) {
    if (pattern.trim() && globToRegExp(pattern).test(path)) return pattern;
  }
  return null;
}
