// The issue text GeneratePatch acts on, read from GitHub (the state carries the issue by
// reference). It must be the text AnalyzeIssue analysed and trusted: an edit in between is refused
// (the edit's own delivery starts a run that analyses the new text).
import type { Octokit } from "@octokit/rest";
import { factoryError } from "../../contract/errors";
import type { WorkflowState } from "../../contract/state";
import { issueTextSha256 } from "../shared/issue-text";

export async function readAnalysedIssueText(
  octokit: Octokit,
  state: WorkflowState,
): Promise<{ title: string; body: string }> {
  const analysed = state.analysis?.textSha256;
  if (!analysed) {
    throw factoryError(
      "StateIncomplete",
      "GeneratePatch needs $.analysis.textSha256 (the AnalyzeIssue result): check the state machine wiring",
    );
  }
  const { data } = await octokit.rest.issues.get({
    owner: state.repository.owner,
    repo: state.repository.name,
    issue_number: state.issue.number,
  });
  const body = data.body ?? "";
  if (issueTextSha256(data.title, body) !== analysed) {
    throw factoryError(
      "IssueTextChanged",
      "the issue text changed after AFU-9 analysed it; the edit starts its own run on the new text",
    );
  }
  return { title: data.title, body };
}
