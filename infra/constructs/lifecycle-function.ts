import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { lambdaBundling } from '../../lib/build/bundling';

/** The repository root: entries, the lock file and tsconfig.json are found from it. */
export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface LifecycleFunctionProps {
  /** The handler's source file, relative to the repository root, e.g. `functions/http/get-health.ts`. */
  readonly entry: string;
  /** What the function does, shown in the Lambda console. */
  readonly description: string;
  /** @default no environment variables */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Lambda gives CPU in proportion to memory: 512 MB is where a cold start of a bundled SDK client
   * and zod stops getting much faster for the price.
   * @default 512
   */
  readonly memorySize?: number;
  /** @default Duration.seconds(10) */
  readonly timeout?: Duration;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /**
   * Removal policy of the function's log group.
   * @default RemovalPolicy.DESTROY
   */
  readonly logRemovalPolicy?: RemovalPolicy;
  /**
   * Where an asynchronous invocation goes once Lambda has given up on it.
   * @default no dead-letter queue
   */
  readonly deadLetterQueue?: IQueue;
  /**
   * Lambda's own retries of a failed asynchronous invocation.
   * @default 2 (Lambda's default)
   */
  readonly retryAttempts?: number;
  /**
   * Age after which Lambda drops an asynchronous invocation it could not run.
   * @default 6 hours (Lambda's default)
   */
  readonly maxEventAge?: Duration;
  /**
   * X-Ray tracing by Lambda itself: a segment for each invocation (its initialization, its
   * handler), without the X-Ray SDK in the bundle (see README, Observability).
   * @default Tracing.ACTIVE
   */
  readonly tracing?: Tracing;
}

/**
 * One Lambda function of this project: Node.js 22 on arm64, bundled locally by esbuild with the
 * shared settings of lib/build/bundling.ts, its own log group with a retention, and its own role
 * that may write to that log group and nothing else until the caller grants more.
 */
export class LifecycleFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: LifecycleFunctionProps) {
    super(scope, id);
    if (!props.entry.endsWith('.ts'))
      throw new Error(`LifecycleFunction entry must be a .ts file, got ${props.entry}`);

    this.logGroup = new LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.DESTROY,
    });
    // A role of its own instead of the AWSLambdaBasicExecutionRole managed policy, which may
    // write to every log group of the account.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs ${props.entry}`,
    });
    this.role.addToPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );

    this.function = new NodejsFunction(this, 'Function', {
      entry: `${projectRoot}${props.entry}`,
      handler: 'handler',
      projectRoot,
      depsLockFilePath: `${projectRoot}package-lock.json`,
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      role: this.role,
      logGroup: this.logGroup,
      tracing: props.tracing ?? Tracing.ACTIVE,
      environment: { ...props.environment },
      ...(props.deadLetterQueue === undefined ? {} : { deadLetterQueue: props.deadLetterQueue }),
      ...(props.retryAttempts === undefined ? {} : { retryAttempts: props.retryAttempts }),
      ...(props.maxEventAge === undefined ? {} : { maxEventAge: props.maxEventAge }),
      bundling: {
        format: OutputFormat.ESM,
        target: lambdaBundling.target,
        mainFields: [...lambdaBundling.mainFields],
        banner: lambdaBundling.banner.js,
        minify: lambdaBundling.minify,
        sourceMap: lambdaBundling.sourcemap,
        sourcesContent: lambdaBundling.sourcesContent,
        externalModules: [...lambdaBundling.external],
        bundleAwsSDK: true,
        // esbuild from node_modules, on this machine: synth needs no Docker.
        forceDockerBundling: false,
      },
    });
    this.function.node.addDependency(this.role);
    if ((props.tracing ?? Tracing.ACTIVE) !== Tracing.DISABLED) {
      Validations.of(this.role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permission.',
      });
    }
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'nodejs22.x on purpose: the bundles target node22 and the tests run on Node.js 20 and 22; move runtime and esbuild target together.',
    });
  }
}
