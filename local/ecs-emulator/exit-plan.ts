import type { RunTaskInput } from './schemas';
import type { TaskDefinitionRecord } from './task-definitions';

/**
 * Tasks that end by themselves, as jobs do. The emulator runs no image, so a task's essential
 * container exits on its own only when its command says so, by this convention:
 *
 * - `["exit", "<code>"]`: once RUNNING, the container exits at once with `<code>` (0-255);
 * - `["exit", "<code>", "<ms>"]`: it exits `<ms>` milliseconds after RUNNING.
 *
 * The task then stops as ECS stops it (stopCode EssentialContainerExited, the container's
 * exitCode). A RunTask container override's command wins over the task definition's. Any other
 * command runs until the task is stopped. A StopTask before the exit cancels it.
 */
export interface PlannedExit {
  readonly exitCode: number;
  readonly afterMs: number;
}

export function plannedExit(
  taskDefinition: TaskDefinitionRecord,
  input: RunTaskInput,
): PlannedExit | undefined {
  const definitions = taskDefinition.definition.containerDefinitions;
  const essential = definitions.find((definition) => definition.essential !== false) ?? definitions[0];
  if (essential === undefined) return undefined;
  const override = input.overrides?.containerOverrides?.find(
    (candidate) => candidate.name === essential.name,
  );
  return exitFromCommand(override?.command ?? essential.command);
}

/** The exit a command asks for, or undefined when it is not `exit <code> [<ms>]`. */
export function exitFromCommand(command: unknown): PlannedExit | undefined {
  if (!Array.isArray(command) || command[0] !== 'exit') return undefined;
  const [, code, after = '0', ...rest] = command as unknown[];
  if (rest.length > 0 || typeof code !== 'string' || typeof after !== 'string') return undefined;
  if (!/^\d{1,3}$/.test(code) || !/^\d{1,7}$/.test(after)) return undefined;
  const exitCode = Number(code);
  return exitCode <= 255 ? { exitCode, afterMs: Number(after) } : undefined;
}
