// The stack's one Secrets Manager secret: a SecretBundle (handlers/shared/environment.ts) built
// from the stack's secret config. Functions get its ARN, never its value.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { SecretBundle } from "../contract/environment";

export interface AppSecretArgs {
  githubAppPrivateKey: pulumi.Input<string>;
  githubWebhookSecret: pulumi.Input<string>;
  /** Empty: no rotation in progress (left out of the bundle). */
  githubWebhookSecretPrevious: pulumi.Input<string>;
  /** Empty: no OpenAI-compatible provider (left out of the bundle). */
  aiApiKey: pulumi.Input<string>;
  /** JSON name -> { kind, url } (components/notify-config.ts); empty: no notifications. */
  notifyDestinations: pulumi.Input<string>;
}

export function secretBundle(values: {
  githubAppPrivateKey: string;
  githubWebhookSecret: string;
  githubWebhookSecretPrevious: string;
  aiApiKey: string;
  notifyDestinations?: string;
}): SecretBundle {
  return {
    githubAppPrivateKey: values.githubAppPrivateKey,
    githubWebhookSecret: values.githubWebhookSecret,
    ...(values.githubWebhookSecretPrevious
      ? { githubWebhookSecretPrevious: values.githubWebhookSecretPrevious }
      : {}),
    ...(values.aiApiKey ? { aiApiKey: values.aiApiKey } : {}),
    ...(values.notifyDestinations
      ? {
          notifyDestinations: JSON.parse(values.notifyDestinations) as NonNullable<
            SecretBundle["notifyDestinations"]
          >,
        }
      : {}),
  };
}

export class AppSecret extends pulumi.ComponentResource {
  public readonly secretArn: pulumi.Output<string>;

  constructor(name: string, args: AppSecretArgs, opts?: pulumi.ComponentResourceOptions) {
    super("afu9:secrets:AppSecret", name, {}, opts);

    const secret = new aws.secretsmanager.Secret(
      `${name}-app-secret`,
      {
        description:
          "AFU-9 GitHub App private key, webhook secret and notification webhook URLs (JSON SecretBundle); set through pulumi config --secret",
        recoveryWindowInDays: 7,
      },
      { parent: this },
    );

    const version = new aws.secretsmanager.SecretVersion(
      `${name}-app-secret-value`,
      {
        secretId: secret.id,
        secretString: pulumi.secret(
          pulumi
            .all([
              args.githubAppPrivateKey,
              args.githubWebhookSecret,
              args.githubWebhookSecretPrevious,
              args.aiApiKey,
              args.notifyDestinations,
            ])
            .apply(
              ([
                githubAppPrivateKey,
                githubWebhookSecret,
                githubWebhookSecretPrevious,
                aiApiKey,
                notifyDestinations,
              ]) =>
                JSON.stringify(
                  secretBundle({
                    githubAppPrivateKey,
                    githubWebhookSecret,
                    githubWebhookSecretPrevious,
                    aiApiKey,
                    notifyDestinations,
                  }),
                ),
            ),
        ),
      },
      { parent: this },
    );

    // Readers need the value in place before the first invocation: depend on the version.
    this.secretArn = pulumi.all([secret.arn, version.id]).apply(([arn]) => arn);
    this.registerOutputs({ secretArn: this.secretArn });
  }
}
