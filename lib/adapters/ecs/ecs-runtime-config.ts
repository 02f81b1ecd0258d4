/** Where and how the ECS adapter runs containers: one cluster, one network placement. */
export interface EcsRuntimeConfig {
  /** Name or ARN of the ECS cluster every task runs in. */
  readonly cluster: string;
  /** Subnets of the tasks' network interfaces; at least one. */
  readonly subnets: readonly string[];
  /** Security groups of the tasks' network interfaces; none means the VPC's default group. */
  readonly securityGroups: readonly string[];
  /** Whether each task's interface gets a public IP (needed in public subnets without NAT to pull images). */
  readonly assignPublicIp: boolean;
  /**
   * Role the ECS agent uses to pull the image and write logs.
   * @default no execution role
   */
  readonly executionRoleArn?: string | undefined;
  /**
   * Role the container's own code runs as.
   * @default no task role
   */
  readonly taskRoleArn?: string | undefined;
  /** Prefix of every task definition family, `<prefix>-<containerId>`, e.g. `clc`. */
  readonly taskDefinitionFamilyPrefix: string;
  /**
   * CloudWatch Logs group of the containers' output (awslogs driver, one stream prefix per container).
   * @default no log configuration
   */
  readonly logGroup?: string | undefined;
  /**
   * Region of the log group.
   * @default the ECSClient's region
   */
  readonly region?: string | undefined;
}

/** ECS allows letters, digits, `-` and `_` in a family name. */
const familyPrefixPattern = /^[A-Za-z0-9_-]+$/;

/** Throws at construction, not at the first task, when the configuration cannot work. */
export function checkEcsRuntimeConfig(config: EcsRuntimeConfig): void {
  if (config.cluster.trim() === '') throw new Error('EcsRuntimeConfig.cluster must not be empty');
  if (config.subnets.length === 0) throw new Error('EcsRuntimeConfig.subnets needs at least one subnet');
  if (!familyPrefixPattern.test(config.taskDefinitionFamilyPrefix)) {
    throw new Error(
      `EcsRuntimeConfig.taskDefinitionFamilyPrefix must be letters, digits, - or _, got ${JSON.stringify(config.taskDefinitionFamilyPrefix)}`,
    );
  }
}
