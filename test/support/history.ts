import type { ContainerStatus } from '../../lib/domain/container-status';
import { type Operation, planOperation } from '../../lib/domain/operations';

interface LogEntry {
  readonly version: number;
  readonly from_status: string | null;
  readonly to_status: string;
  readonly triggered_by: string;
  readonly operation: string | null;
}

/** Steps ECS events (and undone operations) may take besides the user operations of the table. */
const ecsSteps = new Set([
  'starting>running',
  'resuming>running',
  'restarting>running',
  'stopping>stopped',
  'pausing>paused',
  'starting>error',
  'resuming>error',
  'restarting>error',
  'running>stopped',
  'running>error',
]);

/** Whether a user's entry is a row of the operations table, or the create steps. */
function userStep(entry: LogEntry): boolean {
  if (entry.triggered_by !== 'user' || entry.from_status === null) return false;
  if (entry.operation === 'create') return createSteps.has(`${entry.from_status}>${entry.to_status}`);
  try {
    return (
      planOperation(entry.from_status as ContainerStatus, entry.operation as Operation).to === entry.to_status
    );
  } catch {
    return false;
  }
}

const createSteps = new Set(['creating>starting', 'creating>stopped', 'starting>error']);

/**
 * The problems in a history, empty when it is a valid path through the status model: versions
 * 1..N without gap or repeat, each entry starting where the previous ended, each step allowed.
 */
export function historyProblems(entries: readonly LogEntry[]): string[] {
  const problems: string[] = [];
  const sorted = [...entries].sort((a, b) => a.version - b.version);
  sorted.forEach((entry, index) => {
    if (entry.version !== index + 1) problems.push(`entry ${index} has version ${entry.version}`);
    const previous = sorted[index - 1];
    if (!previous) return;
    if (entry.from_status !== previous.to_status) {
      problems.push(
        `v${entry.version} starts at ${entry.from_status} but v${previous.version} ended at ${previous.to_status}`,
      );
    }
    const step = `${entry.from_status}>${entry.to_status}`;
    const undoesPrevious = entry.to_status === previous.from_status && entry.operation === previous.operation;
    if (!userStep(entry) && !undoesPrevious && !ecsSteps.has(step)) {
      problems.push(`v${entry.version}: ${step} by ${entry.triggered_by} (${entry.operation})`);
    }
  });
  return problems;
}
