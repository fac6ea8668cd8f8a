// The run table on one machine: dynalite (the DynamoDB API on LevelDB, in memory) started in
// process, the table created with the key schema the RunTable component deploys, and the Step
// Functions DynamoDB integrations answered by a real DynamoDB client against it (the state's own
// evaluated Parameters, so conditions and update expressions run as they would in AWS).
import type { AddressInfo } from "node:net";
import dynalite from "dynalite";
import {
  CreateTableCommand,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import type { RunTable } from "../../handlers/run-table/ci-wait-registry";
import { RUN_TABLE_KEY } from "../../contract/run-table";
import type { ServiceIntegration } from "../state-machine-runner";

export const LOCAL_RUN_TABLE_NAME = "afu9-local-runs";

export interface LocalRunTable extends RunTable {
  endpoint: string;
  /** The Step Functions DynamoDB integrations, by Resource. */
  integrations: Record<string, ServiceIntegration>;
  /** Reads one item (tests, the demo's summary). */
  getItem(pk: string): Promise<Record<string, unknown> | undefined>;
  close(): Promise<void>;
}

/** An SDK error as Step Functions' DynamoDB integration reports it: `DynamoDB.<Exception>`. */
function asIntegrationError(error: unknown): Error {
  const name = error instanceof Error ? error.name : "AmazonDynamoDBException";
  const message = error instanceof Error ? error.message : String(error);
  return Object.assign(new Error(message), { name: `DynamoDB.${name}` });
}

function withoutMetadata<T extends { $metadata?: unknown }>(output: T): Omit<T, "$metadata"> {
  const rest: Partial<T> = { ...output };
  delete rest.$metadata;
  return rest as Omit<T, "$metadata">;
}

export async function startLocalRunTable(): Promise<LocalRunTable> {
  const server = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const dynamodb = new DynamoDBClient({
    endpoint,
    region: "local",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  await dynamodb.send(
    new CreateTableCommand({
      TableName: LOCAL_RUN_TABLE_NAME,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [{ AttributeName: RUN_TABLE_KEY, AttributeType: "S" }],
      KeySchema: [{ AttributeName: RUN_TABLE_KEY, KeyType: "HASH" }],
    }),
  );
  const call =
    <I>(send: (input: I) => Promise<{ $metadata?: unknown }>): ServiceIntegration =>
    async (parameters) => {
      try {
        return withoutMetadata(await send(parameters as I)) as never;
      } catch (error) {
        throw asIntegrationError(error);
      }
    };
  return {
    tableName: LOCAL_RUN_TABLE_NAME,
    dynamodb,
    endpoint,
    integrations: {
      "arn:aws:states:::dynamodb:updateItem": call((input) =>
        dynamodb.send(new UpdateItemCommand(input as never)),
      ),
      "arn:aws:states:::dynamodb:putItem": call((input) =>
        dynamodb.send(new PutItemCommand(input as never)),
      ),
      "arn:aws:states:::dynamodb:deleteItem": call((input) =>
        dynamodb.send(new DeleteItemCommand(input as never)),
      ),
      "arn:aws:states:::dynamodb:getItem": call((input) =>
        dynamodb.send(new GetItemCommand(input as never)),
      ),
    },
    async getItem(pk) {
      const { Item } = await dynamodb.send(
        new GetItemCommand({
          TableName: LOCAL_RUN_TABLE_NAME,
          Key: { [RUN_TABLE_KEY]: { S: pk } },
          ConsistentRead: true,
        }),
      );
      return Item;
    },
    async close() {
      dynamodb.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
