// A compact map of a repository's tree for a model's prompt: one line per folder with its file
// names, the folders most relevant to the top files first, bounded in characters (folders
// beyond the bound are summarized as a count).

export interface TreeMapOptions {
  /** Paths already shown in full (the top files): listed as "(shown above)". */
  shown?: string[];
  maxChars?: number;
}

function dirOf(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash === -1 ? "." : path.slice(0, slash);
}

export function buildTreeMap(paths: string[], options: TreeMapOptions = {}): string {
  const maxChars = options.maxChars ?? 6000;
  const shown = options.shown ?? [];
  const byDir = new Map<string, string[]>();
  for (const path of paths) {
    const dir = dirOf(path);
    const names = byDir.get(dir) ?? [];
    const name = path.slice(path.lastIndexOf("/") + 1);
    names.push(shown.includes(path) ? `${name} (shown above)` : name);
    byDir.set(dir, names);
  }
  const shownDirs = shown.map(dirOf);
  const dirs = [...byDir.keys()].sort((a, b) => {
    const near = (dir: string) => (shownDirs.includes(dir) ? 0 : 1);
    return near(a) - near(b) || a.localeCompare(b);
  });
  const lines: string[] = [];
  let used = 0;
  for (let i = 0; i < dirs.length; i++) {
    const names = byDir.get(dirs[i])!.sort();
    const listed = names.length > 12 ? [...names.slice(0, 12), `... +${names.length - 12}`] : names;
    const line = `${dirs[i]}/ (${names.length}): ${listed.join(", ")}`;
    if (used + line.length + 1 > maxChars) {
      const rest = dirs.length - i;
      const files = dirs.slice(i).reduce((sum, dir) => sum + byDir.get(dir)!.length, 0);
      lines.push(`... ${rest} more folders with ${files} files`);
      break;
    }
    lines.push(line);
    used += line.length + 1;
  }
  return lines.join("\n");
}
