// The three example issues the sandbox banner and the dashboard offer: each shows one outcome.
import {
  GREETING_EXCLAMATION,
  README_TEST_HINT,
  STRANGER_USAGE_CHANGE,
  type DemoIssue,
} from "./demo-issues";

export interface SampleIssue {
  id: "merged" | "ci-failure" | "stranger";
  /** What a person expects to happen. */
  outcome: string;
  issue: DemoIssue;
  user: string;
  labels: string[];
  /** Scripted CI for the commits pushed from now on (unset: unchanged). */
  ci?: "success" | "failure";
}

export function sampleIssues(maintainer: string, stranger: string): SampleIssue[] {
  return [
    {
      id: "merged",
      outcome: `${maintainer}, label afu9, a diff: merged`,
      issue: README_TEST_HINT,
      user: maintainer,
      labels: ["afu9"],
      ci: "success",
    },
    {
      id: "ci-failure",
      outcome: "CI fails: feedback comment",
      issue: GREETING_EXCLAMATION,
      user: maintainer,
      labels: ["afu9"],
      ci: "failure",
    },
    {
      id: "stranger",
      outcome: `${stranger}: labelled, not acted on`,
      issue: STRANGER_USAGE_CHANGE,
      user: stranger,
      labels: [],
    },
  ];
}
