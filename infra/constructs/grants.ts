import { type CfnResource, Stack, Validations } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { type IGrantable, type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { TableDefinition } from '../../lib/adapters/dynamodb/table-definition';
import type { EcsAction, FunctionAccess } from '../function-access';
import type { ContainerPlatform } from './container-platform';

/** Reads of the table and its indexes. No Scan: every access pattern is a key or an index. */
export const tableReadActions = ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGetItem'] as const;

/**
 * Item writes. TransactWriteItems has no IAM action of its own: each Put, Update, Delete and
 * ConditionCheck in a transaction is authorised as that item action.
 */
export const tableWriteActions = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:ConditionCheckItem',
] as const;

/**
 * Each index of the shared definition by name rather than `index/*`: no wildcard, and an index
 * that the definition does not know cannot be read.
 */
export function grantTableAccess(
  grantee: IGrantable,
  table: ITableV2,
  definition: TableDefinition,
  level: FunctionAccess['table'],
): void {
  if (level === 'none') return;
  const policy = grantee.grantPrincipal;
  policy.addToPrincipalPolicy(
    new PolicyStatement({
      actions: [...tableReadActions],
      resources: [
        table.tableArn,
        ...definition.globalIndexes.map((index) => `${table.tableArn}/index/${index.indexName}`),
      ],
    }),
  );
  if (level === 'write') {
    // Items live in the base table; indexes are written by DynamoDB, never by callers.
    policy.addToPrincipalPolicy(
      new PolicyStatement({ actions: [...tableWriteActions], resources: [table.tableArn] }),
    );
  }
}

export interface EcsGrantOptions {
  readonly platform: ContainerPlatform;
  /** Prefix of the task definition families this deployment registers, `<prefix>-<containerId>`. */
  readonly taskFamilyPrefix: string;
}

/**
 * ECS calls scoped to this deployment: tasks of its cluster, task definitions of its family prefix,
 * and the two task roles it may hand to ECS.
 */
export function grantEcsAccess(role: IRole, actions: readonly EcsAction[], options: EcsGrantOptions): void {
  if (actions.length === 0) return;
  const { platform, taskFamilyPrefix } = options;
  const stack = Stack.of(platform);
  const inCluster = { ArnEquals: { 'ecs:cluster': platform.cluster.clusterArn } };
  const has = (action: EcsAction) => actions.includes(action);
  const arnPrefix = 'arn:<AWS::Partition>:ecs:<AWS::Region>:<AWS::AccountId>';
  const clusterId = stack.getLogicalId(platform.cluster.node.defaultChild as CfnResource);
  const acknowledge = (resource: string, reason: string) =>
    Validations.of(role).acknowledge({ id: `AwsSolutions-IAM5[Resource::${resource}]`, reason });

  if (has('RunTask')) {
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['ecs:RunTask'],
        resources: [
          stack.formatArn({
            service: 'ecs',
            resource: 'task-definition',
            resourceName: `${taskFamilyPrefix}-*`,
          }),
        ],
        conditions: inCluster,
      }),
    );
    acknowledge(
      `${arnPrefix}:task-definition/${taskFamilyPrefix}-*`,
      "Task definitions are registered per container at run time; the family prefix is this deployment's.",
    );
  }
  const onTasks = (['StopTask', 'DescribeTasks'] as const).filter(has);
  if (onTasks.length > 0) {
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: onTasks.map((action) => `ecs:${action}`),
        resources: [
          stack.formatArn({
            service: 'ecs',
            resource: 'task',
            resourceName: `${platform.cluster.clusterName}/*`,
          }),
        ],
        conditions: inCluster,
      }),
    );
    acknowledge(
      `${arnPrefix}:task/<${clusterId}>/*`,
      "Task ids are made by ECS at run time; only this deployment's cluster.",
    );
  }
  // These two support no resource-level permission: the resource can only be "*".
  const unscoped = (['RegisterTaskDefinition', 'DeregisterTaskDefinition'] as const).filter(has);
  if (unscoped.length > 0) {
    role.addToPrincipalPolicy(
      new PolicyStatement({ actions: unscoped.map((action) => `ecs:${action}`), resources: ['*'] }),
    );
    acknowledge(
      '*',
      'ecs:RegisterTaskDefinition and ecs:DeregisterTaskDefinition support no resource-level permission.',
    );
  }
  // A task definition names the execution and task roles; registering or running it passes them.
  if (has('RunTask') || has('RegisterTaskDefinition')) {
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [platform.executionRole.roleArn, platform.taskRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
      }),
    );
  }
}
