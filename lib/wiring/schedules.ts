/** The schedule store, for the schedule routes and the sweep that applies schedules. */
import { DynamoDbScheduleRepository } from '../adapters/dynamodb/dynamodb-schedule-repository';
import type { ScheduleRepository } from '../ports/schedule-repository';
import { tableWiringOnce } from './table';

let schedules: ScheduleRepository | undefined;

/** The instance's schedule repository, on the table wiring's client and configuration. */
export function scheduleRepositoryOnce(): ScheduleRepository {
  if (!schedules) {
    const { config, dynamoDb } = tableWiringOnce();
    schedules = new DynamoDbScheduleRepository(dynamoDb, {
      tableName: config.TABLE_NAME,
      scheduleLimit: config.SCHEDULE_LIMIT,
    });
  }
  return schedules;
}
