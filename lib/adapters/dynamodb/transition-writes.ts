/**
 * The writes that change a status: a new container with its first history entries, and each
 * transition after. The container, its log entries, its job run and its owner's counters are
 * written in one transaction, together or not at all.
 */
import { createHash } from 'node:crypto';
import type { TransactWriteItem } from '@aws-sdk/client-dynamodb';
import type { JobRun, StatusLog } from '../../domain/container';
import { DomainError } from '../../domain/errors';
import type { Transition } from '../../domain/transition';
import { recordTransition } from '../../metrics';
import {
  type NewContainer,
  type SaveTransitionOptions,
  VersionConflictError,
} from '../../ports/container-repository';
import { marshall } from './attribute-values';
import { containerItem } from './container-items';
import { putContainerOver } from './container-writes';
import { addExpression, containerCounters, transitionCounters } from './counters';
import { runItem } from './job-run-items';
import { counterNames, ownerKey } from './keys';
import { ownerAccount } from './owner-items';
import { logItem } from './status-log-items';
import type { TableTarget } from './table-calls';
import { transact } from './table-transactions';

const notBanned = '(attribute_not_exists(banned) OR banned = :false)';

export async function createContainer(
  table: TableTarget,
  { container, logs, quota, run }: NewContainer,
): Promise<void> {
  const counters = addExpression(containerCounters(container, 1));
  const items: TransactWriteItem[] = [
    {
      Put: {
        TableName: table.config.tableName,
        Item: containerItem(container),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    ...logs.map((log) => putLog(table, log)),
    ...(run ? [putRun(table, run)] : []),
    {
      Update: {
        TableName: table.config.tableName,
        Key: marshall(ownerKey(container.ownerId)),
        UpdateExpression: `${counters?.expression ?? ''} SET owner_id = :owner`,
        // An expired container is read-only and can't be deleted, so it no longer takes a place.
        ConditionExpression: `(attribute_not_exists(${counterNames.live}) OR ${counterNames.live} < :quota) AND ${notBanned}`,
        ExpressionAttributeNames: counters?.names,
        ExpressionAttributeValues: {
          ...counters?.values,
          ':owner': { S: container.ownerId },
          ':quota': { N: String(quota) },
          ':false': { BOOL: false },
        },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    },
  ];
  const reasons = await transact(table, items);
  if (!reasons) return recordTransitions(logs);
  const ownerReason = reasons[reasons.length - 1];
  if (ownerReason?.Code === 'ConditionalCheckFailed') {
    if (ownerAccount(container.ownerId, ownerReason.Item).banned) throw accountBanned();
    throw new DomainError('QUOTA_EXCEEDED', `Container limit of ${quota} reached`, {
      details: { limit: quota },
    });
  }
  throw new VersionConflictError(container.id);
}

export async function saveTransition(
  table: TableTarget,
  { before, after, log, run }: Transition,
  options: SaveTransitionOptions = {},
): Promise<void> {
  const counters = addExpression(transitionCounters(before, after));
  const items: TransactWriteItem[] = [putContainerOver(table, before, after), putLog(table, log)];
  // The run record goes last, so the owner's update keeps its place for the reasons read below.
  const runItems = run ? [putRun(table, run)] : [];
  if (counters || options.ownerMustBeInGoodStanding) {
    items.push({
      Update: {
        TableName: table.config.tableName,
        Key: marshall(ownerKey(before.ownerId)),
        UpdateExpression: `${counters?.expression ?? ''} SET owner_id = :owner`,
        ...(options.ownerMustBeInGoodStanding ? { ConditionExpression: notBanned } : {}),
        ExpressionAttributeNames: counters?.names,
        ExpressionAttributeValues: {
          ...counters?.values,
          ':owner': { S: before.ownerId },
          ...(options.ownerMustBeInGoodStanding ? { ':false': { BOOL: false } } : {}),
        },
      },
    });
  }
  // The transition id makes a retried call idempotent: a commit whose answer was lost is not
  // mistaken for a lost race.
  const reasons = await transact(table, [...items, ...runItems], requestToken(log.id));
  if (!reasons) return recordTransitions([log]);
  if (reasons[2]?.Code === 'ConditionalCheckFailed') throw accountBanned();
  throw new VersionConflictError(before.id);
}

function putLog(table: TableTarget, log: StatusLog): TransactWriteItem {
  const expiresAt = Math.floor(Date.parse(log.createdAt) / 1000) + table.config.logRetentionDays * 86_400;
  return {
    Put: {
      TableName: table.config.tableName,
      Item: logItem(log, expiresAt),
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** A job's run record, replaced whole by every transition of its run; kept as long as its logs. */
function putRun(table: TableTarget, run: JobRun): TransactWriteItem {
  const writtenAt = Date.parse(run.finishedAt ?? run.startedAt);
  const expiresAt = Math.floor(writtenAt / 1000) + table.config.logRetentionDays * 86_400;
  return { Put: { TableName: table.config.tableName, Item: runItem(run, expiresAt) } };
}

/**
 * TransactWriteItems' ClientRequestToken (at most 36 characters) for a transition: a retried call
 * with it is recognised as the same transaction for 10 minutes, and every transition id is unique.
 */
function requestToken(transitionId: string): string {
  return createHash('sha256').update(transitionId).digest('hex').slice(0, 32);
}

function accountBanned(): DomainError {
  return new DomainError('ACCOUNT_BANNED', 'This account is banned');
}

/** Counted here, once the write has succeeded: every status change of every function goes through it. */
function recordTransitions(logs: readonly StatusLog[]): void {
  for (const log of logs) recordTransition(log.toStatus, log.triggeredBy);
}
