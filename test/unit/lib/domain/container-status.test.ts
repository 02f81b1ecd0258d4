import { describe, expect, it } from 'vitest';
import { containerStatuses, isAtRest, transitionalStatuses } from '../../../../lib/domain/container-status';

describe('isAtRest', () => {
  it('counts a running job as on its way (it ends by itself), and a running service as at rest', () => {
    expect(isAtRest({ kind: 'job', status: 'running' })).toBe(false);
    expect(isAtRest({ kind: 'service', status: 'running' })).toBe(true);
  });

  it('counts every transitional status as on its way, for a service and a job alike', () => {
    for (const status of transitionalStatuses) {
      expect(isAtRest({ kind: 'service', status })).toBe(false);
      expect(isAtRest({ kind: 'job', status })).toBe(false);
    }
  });

  it('counts every other status as at rest, for a job too: an ended run waits for a start', () => {
    const resting = containerStatuses.filter(
      (status) => status !== 'running' && !(transitionalStatuses as readonly string[]).includes(status),
    );
    expect(resting).toEqual(['paused', 'stopped', 'succeeded', 'failed', 'error', 'expired']);
    for (const status of resting) {
      expect(isAtRest({ kind: 'service', status })).toBe(true);
      expect(isAtRest({ kind: 'job', status })).toBe(true);
    }
  });
});
