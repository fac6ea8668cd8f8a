// The subset of the Amazon States Language (JSONPath flavour) the AFU-9 definition uses, typed so
// the builder cannot emit a misspelt field. https://states-language.net/spec.html

export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface RetryRule {
  ErrorEquals: string[];
  IntervalSeconds: number;
  MaxAttempts: number;
  BackoffRate: number;
  MaxDelaySeconds: number;
  JitterStrategy: "FULL" | "NONE";
}

export interface CatchRule {
  ErrorEquals: string[];
  Next: string;
  ResultPath: string | null;
}

export interface TaskState {
  Type: "Task";
  Comment?: string;
  Resource: string;
  Parameters: { [key: string]: JsonValue };
  /** Callback tasks (`.waitForTaskToken`): how long to wait for the token before States.Timeout. */
  TimeoutSeconds?: number;
  ResultSelector?: { [key: string]: JsonValue };
  ResultPath: string | null;
  Retry: RetryRule[];
  Catch: CatchRule[];
  Next: string;
}

export interface PassState {
  Type: "Pass";
  Comment?: string;
  InputPath?: string;
  Result?: JsonValue;
  Parameters?: { [key: string]: JsonValue };
  ResultPath: string | null;
  Next: string;
}

export interface WaitState {
  Type: "Wait";
  Comment?: string;
  Seconds: number;
  Next: string;
}

/** A data-test expression: one Variable and one comparison operator. */
export interface DataTest {
  Variable: string;
  StringEquals?: string;
  StringEqualsPath?: string;
  BooleanEquals?: boolean;
  NumericGreaterThanEquals?: number;
  IsPresent?: boolean;
}

export type ChoiceCondition =
  DataTest | { And: ChoiceCondition[] } | { Or: ChoiceCondition[] } | { Not: ChoiceCondition };

export type ChoiceRule<Name extends string = string> = ChoiceCondition & { Next: Name };

export interface ChoiceState {
  Type: "Choice";
  Comment?: string;
  Choices: ChoiceRule[];
  Default: string;
}

export interface SucceedState {
  Type: "Succeed";
  Comment?: string;
}

export interface FailState {
  Type: "Fail";
  Comment?: string;
  Error: string;
  Cause: string;
}

export type AslState = TaskState | PassState | WaitState | ChoiceState | SucceedState | FailState;

export interface AslDefinition {
  Comment: string;
  StartAt: string;
  TimeoutSeconds: number;
  States: Record<string, AslState>;
}
