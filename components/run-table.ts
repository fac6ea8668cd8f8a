// RunTable: the factory's one DynamoDB table (run locks, CI wait registrations, run records; key
// design in contract/run-table.ts). On-demand billing (traffic is a few items per issue), TTL on
// `expiresAt`, point-in-time recovery and deletion protection switchable per stack (both on in
// prod), encrypted at rest with the AWS owned key (DynamoDB's default).
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { RUN_TABLE_KEY, RUN_TABLE_TTL_ATTRIBUTE } from "../contract/run-table";

export interface RunTableArgs {
  pointInTimeRecovery: boolean;
  deletionProtection: boolean;
}

export class RunTable extends pulumi.ComponentResource {
  public readonly tableName: pulumi.Output<string>;
  public readonly tableArn: pulumi.Output<string>;

  constructor(name: string, args: RunTableArgs, opts?: pulumi.ComponentResourceOptions) {
    super("afu9:state:RunTable", name, {}, opts);

    // No explicit name: Pulumi's auto-name (logical name + random suffix) never collides with
    // another stack of this program in the same account and region.
    const table = new aws.dynamodb.Table(
      `${name}-runs`,
      {
        billingMode: "PAY_PER_REQUEST",
        hashKey: RUN_TABLE_KEY,
        attributes: [{ name: RUN_TABLE_KEY, type: "S" }],
        ttl: { attributeName: RUN_TABLE_TTL_ATTRIBUTE, enabled: true },
        pointInTimeRecovery: { enabled: args.pointInTimeRecovery },
        deletionProtectionEnabled: args.deletionProtection,
      },
      { parent: this },
    );

    this.tableName = table.name;
    this.tableArn = table.arn;
    this.registerOutputs({ tableName: this.tableName, tableArn: this.tableArn });
  }
}
