// aws-local-stepfunctions, loaded with one fix. Its 3.0.0 build strips every backslash from the
// string result of any intrinsic function (BaseIntrinsicFunction.call:
// `result = result.replaceAll("\\", "")`), so `States.JsonToString` of a value holding a quote or a
// newline is no longer JSON, unlike in Step Functions (the run lock stores a waiting delivery's
// execution input that way). The module is compiled once from its own file without that line; if
// the line is not found (another version), loading fails and names the check to redo.
import { readFileSync } from "node:fs";
import { dirname } from "node:path";

type Interpreter = typeof import("aws-local-stepfunctions");

const STRIP_BACKSLASHES = 'result = result.replaceAll("\\\\", "");';

function loadFixedInterpreter(): Interpreter {
  const file = require.resolve("aws-local-stepfunctions");
  const source = readFileSync(file, "utf8");
  if (!source.includes(STRIP_BACKSLASHES)) {
    throw new Error(
      `aws-local-stepfunctions at ${file} no longer contains ${STRIP_BACKSLASHES}: check whether ` +
        `States.JsonToString keeps backslashes now and drop local/asl-interpreter.ts if it does`,
    );
  }
  // Evaluated in this module's realm and with this module's require (so under jest the objects
  // it builds are the test's objects, as with a plain import), its own imports resolved from its
  // own folder.
  const load = (id: string) => require(require.resolve(id, { paths: [dirname(file)] })) as unknown;
  const module = { exports: {} as Interpreter };
  const body = new Function(
    "require",
    "module",
    "exports",
    "__filename",
    "__dirname",
    source.replace(STRIP_BACKSLASHES, ""),
  );
  body(load, module, module.exports, file, dirname(file));
  return module.exports;
}

export const { StateMachine, ExecutionAbortedError, ExecutionError, ExecutionTimeoutError } =
  loadFixedInterpreter();
export type { RunOptions, StateMachineDefinition } from "aws-local-stepfunctions";
export type StateMachine = import("aws-local-stepfunctions").StateMachine;
