// The run table's client for a Lambda container, built on first use from the function's
// environment (nothing of the deploy machine is captured; a function loaded without its
// environment still builds).
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ENV } from "../../contract/environment";
import { factoryError } from "../../contract/errors";
import type { RunTable } from "./ci-wait-registry";

export function lazyRunTable(
  env: Record<string, string | undefined> = process.env,
): () => RunTable {
  let table: RunTable | undefined;
  return () => {
    if (table) return table;
    const tableName = env[ENV.runTableName];
    if (!tableName) {
      throw factoryError(
        "ConfigMissing",
        `${ENV.runTableName} is not set: the RunTable component sets it on the functions that ` +
          `read or write CI wait registrations; check the function's environment`,
      );
    }
    table = {
      tableName,
      // Bounded like the webhook's Step Functions client: an answer within GitHub's 10 s.
      dynamodb: new DynamoDBClient({
        maxAttempts: 2,
        requestHandler: { connectionTimeout: 1000, requestTimeout: 2000 },
      }),
    };
    return table;
  };
}
