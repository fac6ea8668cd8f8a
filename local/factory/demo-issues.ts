// The sandbox's example issues (for the demo repository seeded by the simulator: README.md,
// src/greet.js, ...). Used by `npm run demo`, the "file an issue" helper and the end-to-end tests.

export interface DemoIssue {
  title: string;
  body: string;
}

/** A documentation change as a fenced unified diff: CI passes, the PR is merged. */
export const README_TEST_HINT: DemoIssue = {
  title: "Docs: say how to run the tests",
  body: [
    "The README does not say how to run the tests. Proposed change:",
    "",
    "```diff",
    "--- a/README.md",
    "+++ b/README.md",
    "@@ -1,3 +1,5 @@",
    " # demo-app",
    " ",
    " A tiny service the AFU-9 sandbox works on.",
    "+",
    "+Run the tests with `npm test`.",
    "```",
    "",
  ].join("\n"),
};

/** A code change the test suite rejects (greet("Ada") must stay "Hello, Ada"): CI fails. */
export const GREETING_EXCLAMATION: DemoIssue = {
  title: "Greeting should end with an exclamation mark",
  body: [
    "`greet()` sounds flat. Please add an exclamation mark:",
    "",
    "```diff",
    "--- a/src/greet.js",
    "+++ b/src/greet.js",
    "@@ -1,3 +1,3 @@",
    " function greet(name) {",
    '-  return "Hello, " + name;',
    '+  return "Hello, " + name + "!";',
    " }",
    "```",
    "",
  ].join("\n"),
};

/** What a passer-by files: a concrete change too, but nobody with write access asked for it. */
export const STRANGER_USAGE_CHANGE: DemoIssue = {
  title: "Usage docs: show an example call",
  body: [
    "The usage page could show an example. Here is a patch:",
    "",
    "```diff",
    "--- a/docs/usage.md",
    "+++ b/docs/usage.md",
    "@@ -1,3 +1,5 @@",
    " # Usage",
    " ",
    " Call `greet(name)`.",
    "+",
    '+Example: `greet("Ada")` returns `"Hello, Ada"`.',
    "```",
    "",
  ].join("\n"),
};
