import { describeStackProgram } from "./support/program-expectations";

describeStackProgram({
  stack: "dev",
  region: "eu-west-1",
  retentionDays: 7,
  logLevel: "ALL",
  thresholds: { errorRate: 10, failedExecutions: 3, api5xx: 10 },
  runTableProtected: false,
  memory: {
    "afu9-webhook": 256,
    "afu9-issue-interpreter": 256,
    "afu9-patch-generator": 512,
    "afu9-pr-creator": 256,
    "afu9-ci-feedback": 256,
    "afu9-notifier": 256,
  },
});
