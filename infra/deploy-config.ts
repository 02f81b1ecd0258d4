import type { Node } from 'constructs';
import type { ExistingNetwork } from './constructs/container-platform';

/** What a deployment needs from its owner, from `-c key=value` or the `context` of cdk.json. */
export interface DeployConfig {
  readonly stage: string;
  readonly jwtIssuer: string;
  readonly jwtAudience: readonly string[];
  readonly network?: ExistingNetwork;
  readonly alarmTopicArn?: string;
}

export class DeployConfigError extends Error {
  override readonly name = 'DeployConfigError';
}

const example =
  'npx cdk deploy --all -c jwtIssuer=https://your-tenant.auth0.com/ -c jwtAudience=container-lifecycle-api';

function text(node: Node, key: string): string | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value.map(String).join(',');
  const trimmed = String(value).trim();
  return trimmed === '' ? undefined : trimmed;
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/**
 * Reads and checks the deployment's settings before any construct is made, so that a missing
 * issuer fails the synth with the command that fixes it rather than deploying an API nobody can call.
 */
export function readDeployConfig(node: Node): DeployConfig {
  const stage = text(node, 'stage') ?? 'dev';
  if (!/^[a-z][a-z0-9-]{0,19}$/.test(stage)) {
    throw new DeployConfigError(
      `stage must be 1-20 lowercase letters, digits or -, got ${JSON.stringify(stage)}`,
    );
  }
  const jwtIssuer = text(node, 'jwtIssuer');
  const jwtAudience = list(text(node, 'jwtAudience'));
  const missing = [
    jwtIssuer === undefined ? 'jwtIssuer' : '',
    jwtAudience.length === 0 ? 'jwtAudience' : '',
  ].filter(Boolean);
  if (jwtIssuer === undefined || missing.length > 0) {
    throw new DeployConfigError(
      `missing ${missing.join(' and ')}: the API accepts only JWTs from your identity provider. ` +
        `Pass them as context, e.g. \`${example}\`, or set them in the "context" of cdk.json (see infra/DEPLOY.md).`,
    );
  }

  const vpcId = text(node, 'vpcId');
  const subnetIds = list(text(node, 'subnetIds'));
  if ((vpcId === undefined) !== (subnetIds.length === 0)) {
    throw new DeployConfigError(
      'vpcId and subnetIds go together: pass both (-c vpcId=vpc-... -c subnetIds=subnet-a,subnet-b) or neither',
    );
  }
  const assignPublicIp = text(node, 'assignPublicIp');
  if (assignPublicIp !== undefined && assignPublicIp !== 'true' && assignPublicIp !== 'false') {
    throw new DeployConfigError(`assignPublicIp must be true or false, got ${assignPublicIp}`);
  }
  const alarmTopicArn = text(node, 'alarmTopicArn');

  return {
    stage,
    jwtIssuer,
    jwtAudience,
    ...(vpcId === undefined
      ? {}
      : {
          network: {
            vpcId,
            subnetIds,
            ...(assignPublicIp === undefined ? {} : { assignPublicIp: assignPublicIp === 'true' }),
          },
        }),
    ...(alarmTopicArn === undefined ? {} : { alarmTopicArn }),
  };
}
