import { describeStackProgram } from "./support/program-expectations";

describeStackProgram({
  stack: "prod",
  region: "eu-central-1",
  retentionDays: 30,
  logLevel: "ERROR",
  thresholds: { errorRate: 5, failedExecutions: 1, api5xx: 1 },
  runTableProtected: true,
  memory: {
    "afu9-webhook": 512,
    "afu9-issue-interpreter": 512,
    "afu9-patch-generator": 1024,
    "afu9-pr-creator": 512,
    "afu9-ci-feedback": 512,
    "afu9-notifier": 256,
  },
});
