// One cold start, in a fresh Node 24 process whose only code is the deployment form under test
// (the unpacked CallbackFunction archive or the esbuild bundle): load the entry with plain require
// (as the nodejs24.x runtime does), invoke `handler` once, and write one JSON line to fd 3 as soon
// as the answer is there (stdout belongs to the handler's logs). The parent times spawn -> line.
// Plain CommonJS so that nothing but Node itself runs before the entry is required.
const fs = require("node:fs");
const { performance } = require("node:perf_hooks");

const [entryFile, eventFile] = process.argv.slice(2);
const startedMs = performance.now();
const report = {};

function answer() {
  report.answeredMs = performance.now();
  fs.writeSync(3, `${JSON.stringify(report)}\n`);
  process.exit(0);
}

try {
  const event = JSON.parse(fs.readFileSync(eventFile, "utf8"));
  const mod = require(entryFile);
  report.loadedMs = performance.now();
  report.startedMs = startedMs;
  const context = {
    functionName: "afu9-bench",
    functionVersion: "$LATEST",
    invokedFunctionArn: "arn:aws:lambda:eu-west-1:123456789012:function:afu9-bench",
    memoryLimitInMB: "256",
    awsRequestId: "bench-cold-start",
    logGroupName: "/afu9/bench",
    logStreamName: "bench",
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => 30000,
  };
  Promise.resolve(mod.handler(event, context)).then(
    (result) => {
      report.settled = "resolved";
      report.result = JSON.stringify(result).slice(0, 400);
      answer();
    },
    (error) => {
      report.settled = "rejected";
      report.error = String(error && error.message).slice(0, 400);
      answer();
    },
  );
} catch (error) {
  report.settled = "load-error";
  report.error = String(error && error.stack).slice(0, 2000);
  answer();
}
