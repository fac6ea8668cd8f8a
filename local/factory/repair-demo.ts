// The self-repair scenario of the sandbox (`npm run demo`'s fourth issue and the end-to-end
// tests): an issue without a diff, so the sandbox model writes the change; its first answer has a
// typo the scripted CI's content rule catches, and the repair prompt (which carries the failing
// check's text) gets the fix. CI turns green only because the repair commit removed the typo.
import type { ModelScript } from "../model-server";
import type { CiContentRule } from "../github-simulator/state/store";
import type { DemoIssue } from "./demo-issues";

export const FRIENDLIER_GREETING: DemoIssue = {
  title: "Greeting should end with an exclamation mark",
  body: "`greet(name)` in src/greet.js sounds flat: it should return `Hello, <name>!`.",
};

export const TYPO_FAILURE = 'greet("Ada") returned "Helo, Ada!", expected "Hello, Ada!"';

/** The `test` check fails while src/greet.js still has the typo. */
export const TYPO_RULE: CiContentRule = {
  check: "test",
  path: "src/greet.js",
  failWhileContains: '"Helo, "',
  message: `AssertionError: ${TYPO_FAILURE}`,
  logLines: ["not ok 1 - greets", "  ---", "  operator: strictEqual", "  ..."],
};

export const TYPO_PATCH = [
  "src/greet.js",
  "<<<<<<< SEARCH",
  '  return "Hello, " + name;',
  "=======",
  '  return "Helo, " + name + "!";',
  ">>>>>>> REPLACE",
  "",
].join("\n");

export const TYPO_FIX = [
  "src/greet.js",
  "<<<<<<< SEARCH",
  '  return "Helo, " + name + "!";',
  "=======",
  '  return "Hello, " + name + "!";',
  ">>>>>>> REPLACE",
  "",
].join("\n");

/** Token counts as the factory estimates them (4 characters a token), so budgets add up. */
export function estimatedUsage(
  body: { messages: Array<{ content: string }> },
  answer: string,
): { input: number; output: number } {
  const input = body.messages.reduce((sum, m) => sum + m.content.length, 0);
  return { input: Math.ceil(input / 4), output: Math.ceil(answer.length / 4) };
}

/** The model: the repair prompt (it quotes the failing check) gets the fix, the issue the typo. */
export function repairDemoScript(): ModelScript {
  return {
    rules: [
      { when: TYPO_FAILURE, answer: TYPO_FIX },
      { when: "sounds flat", answer: TYPO_PATCH },
    ],
    usage: (body, answer) => estimatedUsage(body, answer),
  };
}
