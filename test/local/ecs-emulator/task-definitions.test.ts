import {
  ClientException,
  DeregisterTaskDefinitionCommand,
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
} from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Harness,
  registerFargateTaskDefinition,
  rejectionOf,
  runTaskInput,
  startHarness,
} from './support';

describe('ECS emulator task definitions', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness();
  });

  afterAll(async () => {
    await harness.close();
  });

  it('numbers the revisions of a family 1, 2, ... in family:revision ARNs', async () => {
    // Act
    const first = await registerFargateTaskDefinition(harness.ecs, 'revisions');
    const second = await registerFargateTaskDefinition(harness.ecs, 'revisions');
    const otherFamily = await registerFargateTaskDefinition(harness.ecs, 'other-family');

    // Assess
    expect(first).toBe('arn:aws:ecs:us-east-1:123456789012:task-definition/revisions:1');
    expect(second).toBe('arn:aws:ecs:us-east-1:123456789012:task-definition/revisions:2');
    expect(otherFamily).toBe('arn:aws:ecs:us-east-1:123456789012:task-definition/other-family:1');
  });

  it('echoes the registered definition with status ACTIVE, Fargate compatibility and a registration date', async () => {
    // Prepare
    const before = Date.now();

    // Act
    const { taskDefinition } = await harness.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'echo',
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        cpu: '512',
        memory: '1024',
        executionRoleArn: 'arn:aws:iam::123456789012:role/exec',
        containerDefinitions: [
          { name: 'app', image: 'app:1', environment: [{ name: 'MODE', value: 'test' }], portMappings: [] },
        ],
      }),
    );

    // Assess
    expect(taskDefinition).toMatchObject({
      family: 'echo',
      revision: 1,
      status: 'ACTIVE',
      cpu: '512',
      memory: '1024',
      executionRoleArn: 'arn:aws:iam::123456789012:role/exec',
      compatibilities: ['EC2', 'FARGATE'],
      containerDefinitions: [{ name: 'app', image: 'app:1', environment: [{ name: 'MODE', value: 'test' }] }],
    });
    expect(taskDefinition?.registeredAt).toBeInstanceOf(Date);
    expect(taskDefinition?.registeredAt?.getTime()).toBeGreaterThanOrEqual(before - 1000);
  });

  it('describes the latest ACTIVE revision by family and an exact one by family:revision or ARN', async () => {
    // Prepare
    const firstArn = await registerFargateTaskDefinition(harness.ecs, 'lookup');
    await registerFargateTaskDefinition(harness.ecs, 'lookup');

    // Act
    const byFamily = await harness.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'lookup' }));
    const byRevision = await harness.ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: 'lookup:1' }),
    );
    const byArn = await harness.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: firstArn }));

    // Assess
    expect(byFamily.taskDefinition?.revision).toBe(2);
    expect(byRevision.taskDefinition?.revision).toBe(1);
    expect(byArn.taskDefinition?.taskDefinitionArn).toBe(firstArn);
  });

  it('makes a deregistered revision INACTIVE: still describable by revision, skipped by family lookups', async () => {
    // Prepare
    await registerFargateTaskDefinition(harness.ecs, 'retire');
    await registerFargateTaskDefinition(harness.ecs, 'retire');

    // Act
    const deregistered = await harness.ecs.send(
      new DeregisterTaskDefinitionCommand({ taskDefinition: 'retire:2' }),
    );
    const byRevision = await harness.ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: 'retire:2' }),
    );
    const byFamily = await harness.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'retire' }));

    // Assess
    expect(deregistered.taskDefinition?.status).toBe('INACTIVE');
    expect(deregistered.taskDefinition?.deregisteredAt).toBeInstanceOf(Date);
    expect(byRevision.taskDefinition?.status).toBe('INACTIVE');
    expect(byFamily.taskDefinition?.revision).toBe(1);
  });

  it('keeps counting revisions after a deregistration', async () => {
    // Prepare
    await registerFargateTaskDefinition(harness.ecs, 'counting');
    await harness.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'counting:1' }));

    // Act
    const next = await registerFargateTaskDefinition(harness.ecs, 'counting');

    // Assess
    expect(next).toMatch(/task-definition\/counting:2$/);
  });

  it('refuses to run an INACTIVE revision with a ClientException', async () => {
    // Prepare
    await registerFargateTaskDefinition(harness.ecs, 'inactive');
    await harness.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'inactive:1' }));

    // Act
    const error = await rejectionOf(
      harness.ecs.send(new RunTaskCommand(runTaskInput({ taskDefinition: 'inactive:1' }))),
    );

    // Assess
    expect(error).toBeInstanceOf(ClientException);
    expect((error as Error).message).toBe('TaskDefinition is inactive');
  });

  it('answers ClientException for an unknown task definition on describe, deregister and run', async () => {
    // Act
    const describing = await rejectionOf(
      harness.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'nobody' })),
    );
    const deregistering = await rejectionOf(
      harness.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'nobody:1' })),
    );
    const running = await rejectionOf(
      harness.ecs.send(new RunTaskCommand(runTaskInput({ taskDefinition: 'nobody' }))),
    );

    // Assess
    expect(describing).toBeInstanceOf(ClientException);
    expect(deregistering).toBeInstanceOf(ClientException);
    expect(running).toBeInstanceOf(ClientException);
  });

  it('rejects a Fargate task definition without task-level cpu as ECS does', async () => {
    // Act
    const error = await rejectionOf(
      harness.ecs.send(
        new RegisterTaskDefinitionCommand({
          family: 'no-cpu',
          networkMode: 'awsvpc',
          requiresCompatibilities: ['FARGATE'],
          memory: '512',
          containerDefinitions: [{ name: 'app', image: 'app:1' }],
        }),
      ),
    );

    // Assess
    expect(error).toBeInstanceOf(ClientException);
    expect((error as Error).message).toMatch(/'cpu'/);
  });

  it('returns task definition tags only when asked to include TAGS', async () => {
    // Prepare
    await harness.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'tagged',
        networkMode: 'awsvpc',
        cpu: '256',
        memory: '512',
        containerDefinitions: [{ name: 'app', image: 'app:1' }],
        tags: [{ key: 'team', value: 'platform' }],
      }),
    );

    // Act
    const plain = await harness.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'tagged' }));
    const withTags = await harness.ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: 'tagged', include: ['TAGS'] }),
    );

    // Assess
    expect(plain.tags).toBeUndefined();
    expect(withTags.tags).toEqual([{ key: 'team', value: 'platform' }]);
  });
});
