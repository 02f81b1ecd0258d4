/**
 * The whole container repository, every call of the adapter on one client: for tests, local tools
 * and any function that needs everything. A function that needs less binds its own calls
 * (lib/wiring/table.ts) and does not import this module, which bundles them all (table-calls.ts).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Container } from '../../domain/container';
import type { Transition } from '../../domain/transition';
import type {
  ContainerListQuery,
  ContainerRepository,
  JobRunQuery,
  NewContainer,
  SaveTransitionOptions,
  ScheduleQuery,
  StatusLogQuery,
} from '../../ports/container-repository';
import { listContainers } from './container-lists';
import { getContainer, getOwner } from './container-reads';
import { deleteContainer, saveWithoutTransition } from './container-writes';
import { getJobRun, listJobRuns } from './job-run-reads';
import { firstStoredStatusLogVersion, getTransitionRecord, listStatusLogs } from './status-log-reads';
import { listDueForAutoStop, listResting, listSettling, scheduleShards } from './sweep-indexes';
import type { TableConfig, TableTarget } from './table-calls';
import { createContainer, saveTransition } from './transition-writes';

export type DynamoDbContainerRepositoryConfig = TableConfig;

export class DynamoDbContainerRepository implements ContainerRepository {
  private readonly table: TableTarget;
  readonly scheduleShards = scheduleShards;

  constructor(client: DynamoDBClient, config: DynamoDbContainerRepositoryConfig) {
    this.table = { client, config };
  }

  getContainer(id: string) {
    return getContainer(this.table, id);
  }

  getOwner(ownerId: string) {
    return getOwner(this.table, ownerId);
  }

  createContainer(input: NewContainer) {
    return createContainer(this.table, input);
  }

  saveTransition(transition: Transition, options?: SaveTransitionOptions) {
    return saveTransition(this.table, transition, options);
  }

  saveWithoutTransition(before: Container, after: Container) {
    return saveWithoutTransition(this.table, before, after);
  }

  deleteContainer(container: Container) {
    return deleteContainer(this.table, container);
  }

  listContainers(query: ContainerListQuery) {
    return listContainers(this.table, query);
  }

  listStatusLogs(query: StatusLogQuery) {
    return listStatusLogs(this.table, query);
  }

  firstStoredStatusLogVersion(containerId: string) {
    return firstStoredStatusLogVersion(this.table, containerId);
  }

  listJobRuns(query: JobRunQuery) {
    return listJobRuns(this.table, query);
  }

  getJobRun(containerId: string, runId: string) {
    return getJobRun(this.table, containerId, runId);
  }

  getTransitionRecord(containerId: string, version: number) {
    return getTransitionRecord(this.table, containerId, version);
  }

  listDueForAutoStop(query: ScheduleQuery) {
    return listDueForAutoStop(this.table, query);
  }

  listSettling(query: ScheduleQuery) {
    return listSettling(this.table, query);
  }

  listResting(query: ScheduleQuery) {
    return listResting(this.table, query);
  }
}
