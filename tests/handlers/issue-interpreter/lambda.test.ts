// The callbackFactory: builds its deps lazily (a container without environment still starts) and
// only answers the action the state machine sends it.
import { createIssueInterpreterHandler } from "../../../handlers/issue-interpreter/lambda";
import type { WorkflowState } from "../../../contract/state";
import type { TaskEvent } from "../../../contract/task-actions";
import { issueTextSha256 } from "../../../handlers/shared/issue-text";

const state = {
  delivery: { id: "d1", event: "issues", action: "labeled", label: "afu9" },
  installationId: 1,
  repository: { id: 1, owner: "acme", name: "widgets", defaultBranch: "main" },
  issue: {
    number: 1,
    title: "t",
    textSha256: issueTextSha256("t", "b"),
    user: "u",
    authorAssociation: "NONE",
    labels: [],
  },
  sender: { login: "u", id: 1 },
  settings: { dryRun: false, ciPollSeconds: 60, ciMaxWaitSeconds: 600, ciNoChecksGraceSeconds: 60 },
} satisfies WorkflowState;

describe("createIssueInterpreterHandler", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it("rejects an action other than analyze, naming it", async () => {
    const handler = createIssueInterpreterHandler();
    await expect(handler({ action: "generate", state } as TaskEvent)).rejects.toMatchObject({
      name: "AFU9.UnknownAction",
      message: expect.stringContaining('"generate"'),
    });
  });

  it("says which setting is missing instead of calling GitHub unauthenticated", async () => {
    delete process.env.AFU9_GITHUB_APP_ID;
    const handler = createIssueInterpreterHandler();
    await expect(handler({ action: "analyze", state })).rejects.toThrow(
      "AFU9_GITHUB_APP_ID is not set",
    );
  });
});
