// Runs in a fresh Node 24 process with the unpacked archive as its only code: loads __index.js
// with plain require (as the nodejs24.x runtime does), invokes `handler` once and prints a JSON
// report to `reportFile` (stdout belongs to the handler's logs): loaded, handler type and arity,
// whether it returned a Promise and how that settled.
const fs = require("node:fs");
const path = require("node:path");

const [archiveDir, eventJson, reportFile] = process.argv.slice(2);
const report = { loaded: false };

function finish() {
  fs.writeFileSync(reportFile, JSON.stringify(report));
  process.exit(0);
}

try {
  const mod = require(path.join(archiveDir, "__index.js"));
  report.loaded = true;
  report.type = typeof mod.handler;
  report.arity = typeof mod.handler === "function" ? mod.handler.length : -1;
  const context = {
    functionName: "archive-probe",
    functionVersion: "$LATEST",
    invokedFunctionArn: "arn:aws:lambda:eu-west-1:123456789012:function:archive-probe",
    memoryLimitInMB: "256",
    awsRequestId: "archive-probe-request",
    logGroupName: "/afu9/probe",
    logStreamName: "probe",
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => 3000,
  };
  const result = mod.handler(JSON.parse(eventJson), context);
  report.returnsPromise = result instanceof Promise;
  if (!report.returnsPromise) finish();
  const timer = setTimeout(() => {
    report.settled = "pending";
    finish();
  }, 5000);
  result
    .then(
      () => {
        report.settled = "resolved";
      },
      (error) => {
        report.settled = "rejected";
        report.error = String(error && error.message).slice(0, 300);
      },
    )
    .finally(() => {
      clearTimeout(timer);
      finish();
    });
} catch (error) {
  report.loadError = String(error && error.stack).slice(0, 2000);
  finish();
}
