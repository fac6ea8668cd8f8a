// What a notification says, before it is shaped for Slack or Teams: one neutral model, so both
// formats carry the same facts and links.
import type { RunEnd, RunOutcome, RunOutcomeSummary } from "../../contract/run-outcome";
import type { CiFailure } from "../../contract/state";

export interface MessageLink {
  label: string;
  url: string;
}

export interface MessageFact {
  title: string;
  value: string;
  /** Set when the value should link somewhere. */
  url?: string;
}

export interface NotificationMessage {
  /** `run` for an execution's outcome, `alarm` for a CloudWatch alarm state change. */
  kind: "run" | "alarm";
  /** One short line: what happened, where. */
  title: string;
  /** Why, in a sentence. */
  summary: string;
  /** ok: green, attention: amber, alert: red. */
  tone: "ok" | "attention" | "alert";
  facts: MessageFact[];
  links: MessageLink[];
  /** Failing checks, for CI failures. */
  checks: CiFailure[];
}

export const OUTCOME_LABELS: Record<RunOutcome, string> = {
  merged: "Merged",
  "ci-failed": "CI failed",
  "repair-exhausted": "Repair attempts exhausted",
  "timed-out": "Timed out",
  "needs-approval": "Needs approval",
  failed: "Failed",
  "not-actionable": "Not actionable",
  "patch-rejected": "Patch rejected",
  "dry-run": "Dry run",
  stopped: "Stopped",
  "revision-refused": "Revision refused",
  "not-run": "Not run",
};

/** github.com, or the GitHub Enterprise Server web root, without a trailing slash. */
export function runMessage(
  end: RunEnd,
  summary: RunOutcomeSummary,
  githubWebUrl: string,
): NotificationMessage {
  const { repository, issue } = end.state;
  const repoName = `${repository.owner}/${repository.name}`;
  const repoUrl = `${githubWebUrl}/${repository.owner}/${repository.name}`;
  const issueUrl = `${repoUrl}/issues/${issue.number}`;
  const pr = end.state.pr && end.state.pr.number > 0 && end.state.pr.url ? end.state.pr : undefined;
  const label = OUTCOME_LABELS[summary.outcome];
  const facts: MessageFact[] = [
    { title: "Repository", value: repoName, url: repoUrl },
    { title: "Issue", value: `#${issue.number} ${issue.title}`, url: issueUrl },
  ];
  if (pr) facts.push({ title: "Pull request", value: `#${pr.number}`, url: pr.url });
  facts.push({ title: "Outcome", value: label });
  const links: MessageLink[] = [{ label: "Open issue", url: issueUrl }];
  if (pr) links.push({ label: "Open pull request", url: pr.url });
  return {
    kind: "run",
    title: `${label}: ${repoName}#${issue.number}`,
    summary: summary.reason,
    tone:
      summary.outcome === "merged"
        ? "ok"
        : summary.outcome === "needs-approval"
          ? "attention"
          : "alert",
    facts,
    links,
    checks: summary.failingChecks,
  };
}

/** A CloudWatch alarm notification as SNS delivers it (the fields AFU-9 shows). */
export interface AlarmNotice {
  AlarmName: string;
  AlarmDescription?: string | null;
  NewStateValue: string;
  OldStateValue?: string;
  NewStateReason?: string;
  StateChangeTime?: string;
  Region?: string;
  AlarmArn?: string;
}

/** Console link of the alarm (its region is the ARN's fourth field). */
function alarmConsoleUrl(alarm: AlarmNotice): string | undefined {
  const region = alarm.AlarmArn?.split(":")[3];
  if (!region) return undefined;
  return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#alarmsV2:alarm/${encodeURIComponent(alarm.AlarmName)}`;
}

export function alarmMessage(alarm: AlarmNotice): NotificationMessage {
  const firing = alarm.NewStateValue === "ALARM";
  const facts: MessageFact[] = [
    { title: "Alarm", value: alarm.AlarmName },
    { title: "State", value: `${alarm.OldStateValue ?? "?"} -> ${alarm.NewStateValue}` },
  ];
  if (alarm.Region) facts.push({ title: "Region", value: alarm.Region });
  if (alarm.StateChangeTime) facts.push({ title: "Since", value: alarm.StateChangeTime });
  const url = alarmConsoleUrl(alarm);
  return {
    kind: "alarm",
    title: `${firing ? "Alarm" : alarm.NewStateValue === "OK" ? "Resolved" : alarm.NewStateValue}: ${alarm.AlarmName}`,
    summary: alarm.AlarmDescription || alarm.NewStateReason || "a CloudWatch alarm changed state",
    tone: firing ? "alert" : alarm.NewStateValue === "OK" ? "ok" : "attention",
    facts,
    links: url ? [{ label: "Open alarm", url }] : [],
    checks: [],
  };
}
