import { clientError } from './errors';
import { type ArnBuilder, arnResource } from './ids';
import type { RegisterTaskDefinitionInput } from './schemas';
import type { Tag } from './task-model';

export const TaskDefinitionStatus = { Active: 'ACTIVE', Inactive: 'INACTIVE' } as const;
export type TaskDefinitionStatus = (typeof TaskDefinitionStatus)[keyof typeof TaskDefinitionStatus];

export interface TaskDefinitionRecord {
  readonly taskDefinitionArn: string;
  readonly family: string;
  readonly revision: number;
  readonly definition: Omit<RegisterTaskDefinitionInput, 'tags'>;
  readonly tags: readonly Tag[];
  readonly registeredAt: number;
  readonly compatibilities: readonly string[];
  status: TaskDefinitionStatus;
  deregisteredAt?: number;
}

/** Task definition families and their revisions; revisions only ever increase per family. */
export class TaskDefinitionRegistry {
  private readonly families = new Map<string, TaskDefinitionRecord[]>();

  constructor(
    private readonly arns: ArnBuilder,
    private readonly now: () => number,
  ) {}

  register(input: RegisterTaskDefinitionInput): TaskDefinitionRecord {
    const { tags = [], ...definition } = input;
    checkFargateRequirements(definition);
    const revisions = this.families.get(input.family) ?? [];
    const revision = revisions.length + 1;
    const record: TaskDefinitionRecord = {
      taskDefinitionArn: this.arns.taskDefinition(input.family, revision),
      family: input.family,
      revision,
      definition,
      tags,
      registeredAt: this.now(),
      compatibilities: isFargateCompatible(definition) ? ['EC2', 'FARGATE'] : ['EC2'],
      status: TaskDefinitionStatus.Active,
    };
    this.families.set(input.family, [...revisions, record]);
    return record;
  }

  /** `family` (latest ACTIVE revision), `family:revision` or a full ARN. */
  find(reference: string): TaskDefinitionRecord | undefined {
    const { family, revision } = parseReference(reference);
    const revisions = this.families.get(family) ?? [];
    if (revision === undefined) return revisions.findLast((record) => record.status === 'ACTIVE');
    return revisions[revision - 1];
  }

  deregister(reference: string): TaskDefinitionRecord {
    if (parseReference(reference).revision === undefined) {
      throw clientError('A revision must be specified to deregister a task definition.');
    }
    const record = this.find(reference);
    if (record === undefined) throw clientError('The specified task definition does not exist.');
    if (record.status === TaskDefinitionStatus.Active) {
      record.status = TaskDefinitionStatus.Inactive;
      record.deregisteredAt = this.now();
    }
    return record;
  }

  /** The wire shape of a TaskDefinition (timestamps in epoch seconds). */
  view(record: TaskDefinitionRecord): Record<string, unknown> {
    return {
      ...record.definition,
      taskDefinitionArn: record.taskDefinitionArn,
      family: record.family,
      revision: record.revision,
      status: record.status,
      compatibilities: record.compatibilities,
      requiresAttributes: [],
      placementConstraints: record.definition.placementConstraints ?? [],
      volumes: record.definition.volumes ?? [],
      registeredAt: record.registeredAt / 1000,
      registeredBy: `arn:aws:iam::${this.arns.accountId}:root`,
      ...(record.deregisteredAt === undefined ? {} : { deregisteredAt: record.deregisteredAt / 1000 }),
    };
  }
}

export function isFargateCompatible(definition: Omit<RegisterTaskDefinitionInput, 'tags'>): boolean {
  return (
    definition.networkMode === 'awsvpc' && definition.cpu !== undefined && definition.memory !== undefined
  );
}

function checkFargateRequirements(definition: Omit<RegisterTaskDefinitionInput, 'tags'>): void {
  if (!definition.requiresCompatibilities?.includes('FARGATE')) return;
  if (definition.networkMode !== 'awsvpc') {
    throw clientError("Fargate only supports network mode 'awsvpc'.");
  }
  if (definition.cpu === undefined)
    throw clientError("Fargate requires that 'cpu' be defined at the task level.");
  if (definition.memory === undefined) {
    throw clientError("Fargate requires that 'memory' be defined at the task level.");
  }
}

function parseReference(reference: string): { family: string; revision?: number } {
  const resource = arnResource(reference).replace(/^task-definition\//, '');
  const [family = '', revisionText] = resource.split(':');
  if (revisionText === undefined) return { family };
  const revision = Number(revisionText);
  if (!Number.isInteger(revision) || revision < 1) {
    throw clientError(`Invalid revision number. Number: ${revisionText}`);
  }
  return { family, revision };
}
