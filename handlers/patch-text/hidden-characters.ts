// Characters that make text read differently from what it is: bidirectional controls reorder what
// a reviewer sees ("Trojan Source", CVE-2021-42574), other control and invisible characters hide
// parts of a name. A path containing any of them is refused; bidi controls added to file contents
// are reported.

/** Unicode bidirectional formatting characters (embeddings, overrides, isolates, marks). */
function isBidiControl(code: number): boolean {
  return (
    (code >= 0x202a && code <= 0x202e) || // LRE RLE PDF LRO RLO
    (code >= 0x2066 && code <= 0x2069) || // LRI RLI FSI PDI
    code === 0x200e || // LRM
    code === 0x200f || // RLM
    code === 0x061c // ALM
  );
}

/** C0/C1 controls, DEL, zero-width and line/paragraph separators, the byte order mark. */
function isHiddenCharacter(code: number): boolean {
  return (
    code < 0x20 ||
    (code >= 0x7f && code <= 0x9f) ||
    (code >= 0x200b && code <= 0x200d) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0xfeff ||
    isBidiControl(code)
  );
}

function codePoint(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
}

/** The hidden characters of a path as "U+202E" names (empty when the path is clean). */
export function hiddenCharactersIn(path: string): string[] {
  const found = [...path].filter((ch) => isHiddenCharacter(ch.codePointAt(0)!)).map(codePoint);
  return [...new Set(found)];
}

/** Each line that contains a bidi control character, with the characters found. */
export function findBidiControls(
  lines: Array<{ line: number; text: string }>,
): Array<{ line: number; characters: string[] }> {
  const findings: Array<{ line: number; characters: string[] }> = [];
  for (const { line, text } of lines) {
    const found = [...text].filter((ch) => isBidiControl(ch.codePointAt(0)!)).map(codePoint);
    if (found.length > 0) findings.push({ line, characters: [...new Set(found)] });
  }
  return findings;
}

/** The path with every hidden character shown as <U+XXXX>, so a comment shows what it is. */
export function revealHiddenCharacters(path: string): string {
  return [...path]
    .map((ch) => (isHiddenCharacter(ch.codePointAt(0)!) ? `<${codePoint(ch)}>` : ch))
    .join("");
}
