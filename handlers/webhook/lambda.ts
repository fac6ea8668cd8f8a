// Lambda entry for the webhook function: used as the CallbackFunction's callbackFactory.
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";

export function createWebhookHandler(): (
  event: APIGatewayProxyEventV2,
) => Promise<APIGatewayProxyStructuredResultV2> {
  return async () => {
    throw new Error("Webhook ingress is not implemented yet (issue #4)");
  };
}
