import { App } from 'aws-cdk-lib';

/** The identity provider settings a deployment needs; any https issuer will do in a test. */
export const identity = { jwtIssuer: 'https://example.auth0.com/', jwtAudience: 'container-lifecycle-api' };

/**
 * An App as `cdk synth` makes it, minus the slow parts that these tests do not look at:
 * 'aws:cdk:bundling-stacks' = [] skips esbuild (a real synth bundles; see infra/DEPLOY.md), and
 * CDK's built-in CloudFormation schema check is left to `cdk synth`. cdk-nag still runs.
 */
export function testApp(context: Record<string, unknown> = {}): App {
  return new App({
    builtinCloudFormationValidation: false,
    context: { 'aws:cdk:bundling-stacks': [], ...context },
  });
}
