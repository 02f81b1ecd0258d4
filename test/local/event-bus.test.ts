import { describe, expect, it } from 'vitest';
import { type BusEvent, createLocalEventBus } from '../../local/event-bus';

const taskEvent = (n: number): BusEvent => ({
  source: 'aws.ecs',
  'detail-type': 'ECS Task State Change',
  detail: { n },
});

describe('local event bus', () => {
  it('delivers every matching event to the rule target, side by side as EventBridge invokes Lambda', async () => {
    // Prepare
    const received: unknown[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const bus = createLocalEventBus([
      {
        name: 'ecs',
        pattern: { source: ['aws.ecs'], detailType: ['ECS Task State Change'] },
        target: async (event) => {
          inFlight += 1;
          maxInFlight = Math.max(maxInFlight, inFlight);
          await new Promise((resolve) => setTimeout(resolve, 5));
          received.push(event.detail);
          inFlight -= 1;
        },
      },
    ]);

    // Act
    for (const n of [1, 2, 3]) bus.put(taskEvent(n));
    bus.put({ source: 'aws.ec2', 'detail-type': 'ECS Task State Change', detail: { n: 99 } });
    bus.put({ source: 'aws.ecs', 'detail-type': 'ECS Container Instance State Change', detail: { n: 98 } });
    await bus.drain();

    // Assess
    expect(received).toEqual(expect.arrayContaining([{ n: 1 }, { n: 2 }, { n: 3 }]));
    expect(received).toHaveLength(3);
    expect(maxInFlight).toBe(3);
  });

  it('retries a failing target and logs the event as dropped when every try fails', async () => {
    // Prepare
    const lines: string[] = [];
    let calls = 0;
    const bus = createLocalEventBus(
      [
        {
          name: 'ecs',
          pattern: { source: ['aws.ecs'], detailType: ['ECS Task State Change'] },
          target: async () => {
            calls += 1;
            throw new Error('table unavailable');
          },
        },
      ],
      { retryAttempts: 2, log: (line) => lines.push(line) },
    );

    // Act
    bus.put(taskEvent(1));
    await bus.drain();

    // Assess
    expect(calls).toBe(3);
    expect(lines).toEqual(['event dropped by rule ecs after 3 tries: table unavailable']);
  });

  it('delivers the event once when a retry succeeds', async () => {
    // Prepare
    let calls = 0;
    const delivered: unknown[] = [];
    const bus = createLocalEventBus([
      {
        name: 'ecs',
        pattern: { source: ['aws.ecs'], detailType: ['ECS Task State Change'] },
        target: async (event) => {
          calls += 1;
          if (calls === 1) throw new Error('transient');
          delivered.push(event.detail);
        },
      },
    ]);

    // Act
    bus.put(taskEvent(7));
    await bus.drain();

    // Assess
    expect(calls).toBe(2);
    expect(delivered).toEqual([{ n: 7 }]);
  });
});
