// Optional VPC placement for the functions: private subnets
// with NAT egress, and a security group that lets the functions out on HTTPS only (GitHub, AWS
// APIs). Security groups do not filter the VPC's own DNS resolver, so name lookups still work.
import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";

export interface FunctionNetworkArgs {
  /** Availability zones to spread the private subnets over (at least 2 for Lambda HA). */
  availabilityZones?: number;
}

export class FunctionNetwork extends pulumi.ComponentResource {
  public readonly vpcId: pulumi.Output<string>;
  public readonly privateSubnetIds: pulumi.Output<string[]>;
  public readonly securityGroupId: pulumi.Output<string>;

  constructor(
    name: string,
    args: FunctionNetworkArgs = {},
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("afu9:network:FunctionNetwork", name, {}, opts);

    const vpc = new awsx.ec2.Vpc(
      `${name}-vpc`,
      {
        numberOfAvailabilityZones: args.availabilityZones ?? 2,
        // One NAT gateway: the functions only call out, and a NAT per AZ triples its cost.
        natGateways: { strategy: "Single" },
        subnetStrategy: "Auto",
        subnetSpecs: [
          { type: "Private", cidrMask: 20 },
          { type: "Public", cidrMask: 24 },
        ],
      },
      { parent: this },
    );

    const securityGroup = new aws.ec2.SecurityGroup(
      `${name}-functions`,
      {
        vpcId: vpc.vpcId,
        description: "AFU-9 functions: no inbound, outbound HTTPS only",
        ingress: [],
        egress: [
          {
            description: "HTTPS to GitHub and AWS APIs",
            protocol: "tcp",
            fromPort: 443,
            toPort: 443,
            cidrBlocks: ["0.0.0.0/0"],
            ipv6CidrBlocks: ["::/0"],
          },
        ],
      },
      { parent: this },
    );

    this.vpcId = vpc.vpcId;
    this.privateSubnetIds = vpc.privateSubnetIds;
    this.securityGroupId = securityGroup.id;
    this.registerOutputs({
      vpcId: this.vpcId,
      privateSubnetIds: this.privateSubnetIds,
      securityGroupId: this.securityGroupId,
    });
  }
}
