// GitHub's closing keywords: a pull request merged into the default branch whose body says
// "Closes #12" (close, closes, closed, fix, fixes, fixed, resolve, resolves, resolved) closes
// issue 12 of the same repository and sends issues.closed.

const CLOSING = /\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\s*:?\s+#(\d+)\b/gi;

/** Issue numbers the text closes, in order, without repeats. */
export function closedIssueNumbers(text: string): number[] {
  const numbers: number[] = [];
  for (const match of text.matchAll(CLOSING)) {
    const number = Number(match[1]);
    if (!numbers.includes(number)) numbers.push(number);
  }
  return numbers;
}
