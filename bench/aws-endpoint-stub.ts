// A tiny local AWS endpoint for the cold-start runs (AWS_ENDPOINT_URL points the SDK at it): it
// answers Secrets Manager GetSecretValue (AWS JSON 1.1) and Step Functions StartExecution
// (AWS JSON 1.0) from memory, so each fresh process does its real secret read and its real
// StartExecution over HTTP on 127.0.0.1, without AWS.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface AwsEndpointStub {
  url: string;
  /** Calls answered, by X-Amz-Target (e.g. "secretsmanager.GetSecretValue"). */
  calls: Record<string, number>;
  close(): Promise<void>;
}

export async function startAwsEndpointStub(secretString: string): Promise<AwsEndpointStub> {
  const calls: Record<string, number> = {};
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const target = String(request.headers["x-amz-target"] ?? "");
      calls[target] = (calls[target] ?? 0) + 1;
      let input: Record<string, unknown>;
      try {
        input = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
      } catch {
        input = {};
      }
      const send = (status: number, type: string, body: unknown) => {
        response.writeHead(status, { "content-type": type });
        response.end(JSON.stringify(body));
      };
      if (target === "secretsmanager.GetSecretValue") {
        send(200, "application/x-amz-json-1.1", {
          ARN: input.SecretId,
          Name: "afu9-bench",
          SecretString: secretString,
          VersionId: "bench-version",
          VersionStages: ["AWSCURRENT"],
          CreatedDate: Date.now() / 1000,
        });
      } else if (target === "AWSStepFunctions.StartExecution") {
        const machine = String(input.stateMachineArn ?? "");
        send(200, "application/x-amz-json-1.0", {
          executionArn: `${machine.replace(":stateMachine:", ":execution:")}:${String(input.name)}`,
          startDate: Date.now() / 1000,
        });
      } else {
        send(400, "application/x-amz-json-1.1", {
          __type: "UnknownOperationException",
          message: `the bench's AWS stub answers GetSecretValue and StartExecution, not "${target}"`,
        });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
