import { RegisterTaskDefinitionCommand, StopTaskCommand } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitFromCommand } from '../../../local/ecs-emulator/exit-plan';
import { type Harness, runOneTask, sleep, startHarness, waitForStatus } from './support';

async function registerJob(harness: Harness, family: string, command: string[]): Promise<void> {
  await harness.ecs.send(
    new RegisterTaskDefinitionCommand({
      family,
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      containerDefinitions: [{ name: 'main', image: 'busybox', essential: true, command }],
    }),
  );
}

describe('tasks whose command is exit <code> [<ms>] end by themselves', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(async () => {
    await harness.close();
  });

  it('reads exit <code> and exit <code> <ms>, and nothing else, as a planned exit', () => {
    expect(exitFromCommand(['exit', '0'])).toEqual({ exitCode: 0, afterMs: 0 });
    expect(exitFromCommand(['exit', '3', '250'])).toEqual({ exitCode: 3, afterMs: 250 });
    expect(exitFromCommand(['exit', '256'])).toBeUndefined();
    expect(exitFromCommand(['exit', '-1'])).toBeUndefined();
    expect(exitFromCommand(['exit', '1', '2', '3'])).toBeUndefined();
    expect(exitFromCommand(['python', '-m', 'http.server'])).toBeUndefined();
    expect(exitFromCommand(undefined)).toBeUndefined();
  });

  it('runs, then stops with EssentialContainerExited and the exit code of the command', async () => {
    // Prepare
    await registerJob(harness, 'job-fails', ['exit', '3']);

    // Act
    const { taskArn = '' } = await runOneTask(harness.ecs, { taskDefinition: 'job-fails' });
    const stopped = await waitForStatus(harness.ecs, taskArn, 'STOPPED');

    // Assess
    expect(stopped).toMatchObject({
      stopCode: 'EssentialContainerExited',
      containers: [{ name: 'main', lastStatus: 'STOPPED', exitCode: 3 }],
    });
    expect(stopped.startedAt).toBeInstanceOf(Date);
  });

  it('takes the command of a RunTask container override over the task definition', async () => {
    // Prepare
    await registerJob(harness, 'job-overridden', ['sleep', 'forever']);

    // Act
    const { taskArn = '' } = await runOneTask(harness.ecs, {
      taskDefinition: 'job-overridden',
      overrides: { containerOverrides: [{ name: 'main', command: ['exit', '0'] }] },
    });
    const stopped = await waitForStatus(harness.ecs, taskArn, 'STOPPED');

    // Assess
    expect(stopped.containers?.[0]?.exitCode).toBe(0);
    expect(stopped.stopCode).toBe('EssentialContainerExited');
  });

  it('cancels the exit when the task is stopped first: UserInitiated, not EssentialContainerExited', async () => {
    // Prepare
    await registerJob(harness, 'job-slow', ['exit', '7', '10000']);
    const { taskArn = '' } = await runOneTask(harness.ecs, { taskDefinition: 'job-slow' });
    await waitForStatus(harness.ecs, taskArn, 'RUNNING');

    // Act
    await harness.ecs.send(new StopTaskCommand({ task: taskArn, reason: 'stop requested' }));
    const stopped = await waitForStatus(harness.ecs, taskArn, 'STOPPED');
    await sleep(50);

    // Assess
    expect(stopped.stopCode).toBe('UserInitiated');
    expect(stopped.containers?.[0]?.exitCode).toBe(0);
  });
});
