// Item 3: a comment starts a run only when it can change the outcome (a diff block, SEARCH/REPLACE
// blocks or an /afu9 command) and its author is plausibly a writer; "+1" from anyone does not.
import { routeDelivery } from "../../../handlers/webhook/route";
import { SETTINGS } from "./helpers";

const FENCE = "```";

function comment(body: string, association: string) {
  return {
    action: "created",
    installation: { id: 1 },
    repository: { id: 2, name: "r", owner: { login: "o" }, default_branch: "main" },
    issue: {
      number: 3,
      title: "t",
      body: "b",
      user: { login: "u" },
      author_association: "NONE",
      labels: [{ name: "afu9" }],
    },
    sender: { login: "someone", id: 4, type: "User" },
    comment: { id: 5, body, user: { login: "someone" }, author_association: association },
  };
}

const decide = (body: string, association: string) =>
  routeDelivery("issue_comment", "d-1", comment(body, association), {
    issueActions: ["opened"],
    settings: SETTINGS,
  }).kind;

describe("issue_comment deliveries", () => {
  it.each([
    ["+1", "NONE"],
    ["+1", "MEMBER"],
    ["Thanks, looks good!", "OWNER"],
    ["Here `is` some code:\n\n" + FENCE + "js\nlet a = 1;\n" + FENCE, "COLLABORATOR"],
  ])("conversation %j by %s starts no run", (body, association) => {
    expect(decide(body, association)).toBe("ignored");
  });

  it.each(["NONE", "CONTRIBUTOR", "FIRST_TIME_CONTRIBUTOR", "FIRST_TIMER"])(
    "a diff by a %s (not plausibly a writer) starts no run",
    (association) => {
      const diff = `${FENCE}diff\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n${FENCE}\n`;
      expect(decide(diff, association)).toBe("ignored");
    },
  );

  it.each([
    ["a diff block", `${FENCE}diff\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n${FENCE}\n`, "MEMBER"],
    ["an unlabelled diff", `${FENCE}\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n${FENCE}\n`, "OWNER"],
    [
      "SEARCH/REPLACE",
      "src/a.js\n<<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE\n",
      "COLLABORATOR",
    ],
    ["an /afu9 command", "/afu9 retry", "MEMBER"],
  ])("%s by a plausible writer starts a run", (_kind, body, association) => {
    expect(decide(body, association)).toBe("start");
  });
});
