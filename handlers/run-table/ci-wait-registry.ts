// CI wait registrations in the run table: the `.waitForTaskToken` token of a run's WaitForCI,
// stored under the pull request's repository id and head SHA so the webhook finds it from a CI
// event alone (AWS Compute Blog: "Integrating AWS Step Functions callbacks and external systems").
// One item per head: a new wait on the same head replaces the previous (spent) token.
import { GetItemCommand, PutItemCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";

/** Step Functions task tokens are at most 2048 characters (SendTaskSuccess API reference). */
export const MAX_TASK_TOKEN_LENGTH = 2048;

export interface RunTable {
  dynamodb: DynamoDBClient;
  tableName: string;
}

export interface CiWaitRegistration {
  repositoryId: number;
  headSha: string;
  taskToken: string;
  /** `owner/name#number` of the issue, for the logs. */
  issue: string;
  pullRequest: number;
  /** Epoch seconds: the table's TTL attribute. */
  expiresAt: number;
}

export function ciWaitKey(repositoryId: number, headSha: string): string {
  return `ci#${repositoryId}#${headSha.toLowerCase()}`;
}

export async function registerCiWait(table: RunTable, wait: CiWaitRegistration): Promise<void> {
  if (wait.taskToken.length === 0 || wait.taskToken.length > MAX_TASK_TOKEN_LENGTH) {
    throw new Error(
      `task token of ${wait.taskToken.length} characters: Step Functions issues 1-${MAX_TASK_TOKEN_LENGTH}`,
    );
  }
  await table.dynamodb.send(
    new PutItemCommand({
      TableName: table.tableName,
      Item: {
        pk: { S: ciWaitKey(wait.repositoryId, wait.headSha) },
        taskToken: { S: wait.taskToken },
        issue: { S: wait.issue },
        pullRequest: { N: String(wait.pullRequest) },
        expiresAt: { N: String(wait.expiresAt) },
      },
    }),
  );
}

/** The waiting token for this head, or undefined (no run waits on it). One strongly consistent read. */
export async function findCiWait(
  table: RunTable,
  repositoryId: number,
  headSha: string,
): Promise<{ taskToken: string; issue: string } | undefined> {
  const { Item } = await table.dynamodb.send(
    new GetItemCommand({
      TableName: table.tableName,
      Key: { pk: { S: ciWaitKey(repositoryId, headSha) } },
      ConsistentRead: true,
      ProjectionExpression: "taskToken, issue",
    }),
  );
  const taskToken = Item?.taskToken?.S;
  return taskToken ? { taskToken, issue: Item?.issue?.S ?? "" } : undefined;
}
