import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { EcsTarget } from '../../../../lib/adapters/ecs/ecs-calls';
import { setUnitEnvironment } from '../../../support/unit-environment';

// biome-ignore lint/suspicious/noExplicitAny: the module is loaded once the environment is set.
let wiring: any;

describe('ecsRuntime: each function its own view, onto the one runtime object of the instance', () => {
  beforeAll(async () => {
    setUnitEnvironment();
    wiring = await import('../../../../lib/wiring/ecs');
  });

  it('gives a function its own calls only, and keeps a call a function loaded earlier bound', async () => {
    // Prepare: two functions binding a call of the same name, the second one a different call
    const first = vi.fn(async (_ecs: EcsTarget, input: string) => `first ${input}`);
    const second = vi.fn(async (_ecs: EcsTarget, input: string) => `second ${input}`);
    const other = vi.fn(async (_ecs: EcsTarget, input: string) => `other ${input}`);

    // Act
    const earlier = wiring.ecsRuntime({ stopTask: first });
    const later = wiring.ecsRuntime({ stopTask: second, runTask: other });

    // Assess
    expect(Object.keys(earlier)).toEqual(['stopTask']);
    expect(Object.keys(later).sort()).toEqual(['runTask', 'stopTask']);
    expect(await later.stopTask('x')).toBe('first x');
    expect(await later.runTask('y')).toBe('other y');
    expect(second).not.toHaveBeenCalled();
  });

  it("reaches every function's view with a spy placed on the shared object", async () => {
    // Prepare
    const view = wiring.ecsRuntime({ describeTask: async () => 'real' });
    const shared = wiring.sharedEcsRuntime({});

    // Act
    vi.spyOn(shared, 'describeTask').mockResolvedValueOnce('spied');

    // Assess
    expect(await view.describeTask('arn')).toBe('spied');
    expect(await view.describeTask('arn')).toBe('real');
  });
});
