// Fenced code blocks in issue markdown (``` or ~~~, three or more, as CommonMark defines them).
// Issue bodies typed in GitHub's editor arrive with CRLF line breaks; a block whose every line ends
// in CRLF is read as LF, since those CRs belong to the text box, not to the code.

export interface FencedBlock {
  /** Info string's first word, lower case ("diff", "patch", "ts", ""). */
  lang: string;
  content: string;
  /** Index of the opening fence line and of the line after the closing fence. */
  startLine: number;
  endLine: number;
}

export function normalizeTextBoxNewlines(text: string): string {
  const breaks = text.split("\n").length - 1;
  return breaks > 0 && text.split("\r\n").length - 1 === breaks
    ? text.replace(/\r\n/g, "\n")
    : text;
}

/** The text's lines (terminators removed, LF or CRLF). */
export function markdownLines(text: string): string[] {
  return normalizeTextBoxNewlines(text).split("\n");
}

export function findFencedBlocks(text: string): FencedBlock[] {
  const lines = markdownLines(text);
  const blocks: FencedBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^( {0,3})(`{3,}|~{3,})\s*([^`\s]*)/.exec(lines[i]);
    if (!open) continue;
    const indent = open[1].length;
    const fence = open[2];
    let end = i + 1;
    const closing = new RegExp(`^ {0,3}${fence[0] === "`" ? "`" : "~"}{${fence.length},}\\s*$`);
    while (end < lines.length && !closing.test(lines[end])) end++;
    const body = lines.slice(i + 1, end).map((line) => {
      // Content indented with the fence keeps its relative indentation (CommonMark).
      let strip = 0;
      while (strip < indent && line[strip] === " ") strip++;
      return line.slice(strip);
    });
    blocks.push({
      lang: open[3].toLowerCase(),
      content: body.length > 0 ? `${body.join("\n")}\n` : "",
      startLine: i,
      endLine: Math.min(end + 1, lines.length),
    });
    i = end;
  }
  return blocks;
}
