import { EmulatorConfigError } from './errors';
import type { EcsEmulatorLogger } from './logger';
import { createRandom, type Random, randomSeed } from './random';
import type { Cancel, Scheduler } from './scheduler';
import type { TaskStateChangeEvent } from './task-state-event';

/** Receives task state change events; may be async. Its errors are logged, never rethrown. */
export type TaskStateChangeListener = (event: TaskStateChangeEvent) => void | Promise<void>;

/**
 * How events reach listeners. EventBridge delivers at least once and in no guaranteed order;
 * these modes let a consumer be tested against exactly that.
 */
export interface EventDeliveryOptions {
  /** Deliver an event twice (same `id`): `true` for every event, or the probability (0-1) per event. */
  readonly duplicate?: boolean | number;
  /** Wait before each delivery; a `{ min, max }` range draws a delay per delivery, which reorders events. */
  readonly delayMs?: number | { readonly min: number; readonly max: number };
  /** Hold an event back and deliver it just after the next one: `true` always, or a probability (0-1). */
  readonly reorder?: boolean | number;
  /** How long a held-back event waits for a successor before it goes out anyway (default 100). */
  readonly reorderWindowMs?: number;
  /** Seeds the random draws (duplicate, delay and reorder probabilities) so runs repeat. */
  readonly seed?: number;
}

export const FlushOrder = { Emitted: 'emitted', Reverse: 'reverse', Shuffle: 'shuffle' } as const;
export type FlushOrder = (typeof FlushOrder)[keyof typeof FlushOrder];

/** Controls over event delivery, for tests that need late, repeated or reordered events. */
export interface EventDeliveryControls {
  /** Merges delivery modes into the current ones. */
  configure(options: EventDeliveryOptions): void;
  /** Back to plain delivery: once, in order, without delay; does not resume a pause. */
  reset(): void;
  /** Holds every event emitted from now on until {@link flush} or {@link resume}. */
  pause(): void;
  /** Delivers the held events in emitted order and stops holding. */
  resume(): Promise<void>;
  /**
   * Delivers the held events now, in the given order (default emitted), once each and without
   * delay whatever the other modes say; keeps holding new events until {@link resume}.
   */
  flush(options?: { readonly order?: FlushOrder }): Promise<void>;
  /** How many events are held by {@link pause}. */
  readonly heldCount: number;
  /** The events emitted so far (the last 10,000), in emission order, whatever happened to their delivery. */
  emitted(): readonly TaskStateChangeEvent[];
  /** Resolves once no delivery is scheduled or running (listeners included). */
  idle(): Promise<void>;
}

interface BusDeps {
  readonly scheduler: Scheduler;
  readonly logger: EcsEmulatorLogger;
  readonly options: EventDeliveryOptions;
}

interface DeliveryModes {
  readonly duplicate: number;
  readonly delayMs: { readonly min: number; readonly max: number };
  readonly reorder: number;
  readonly reorderWindowMs: number;
}

/** Bounds the memory of a long dev session; tests never get near it. */
const historyLimit = 10_000;

const plainModes: DeliveryModes = {
  duplicate: 0,
  delayMs: { min: 0, max: 0 },
  reorder: 0,
  reorderWindowMs: 100,
};

interface HeldBack {
  readonly event: TaskStateChangeEvent;
  readonly cancel: Cancel;
}

/** Fans task state change events out to listeners according to the delivery modes. */
export class TaskEventBus implements EventDeliveryControls {
  private readonly listeners = new Set<TaskStateChangeListener>();
  private readonly history: TaskStateChangeEvent[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly idleWaiters: (() => void)[] = [];
  private modes = plainModes;
  private random: Random = createRandom(randomSeed());
  private held: TaskStateChangeEvent[] = [];
  private paused = false;
  private heldBack: HeldBack | undefined;
  private scheduled = 0;
  private disposed = false;

  constructor(private readonly deps: BusDeps) {
    this.configure(deps.options);
  }

  subscribe(listener: TaskStateChangeListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  emit(event: TaskStateChangeEvent): void {
    if (this.disposed) return;
    this.history.push(event);
    if (this.history.length > historyLimit) this.history.shift();
    if (this.paused) {
      this.held.push(event);
      return;
    }
    this.route(event);
  }

  configure(options: EventDeliveryOptions): void {
    this.modes = mergeModes(this.modes, options);
    if (options.seed !== undefined) this.random = createRandom(options.seed);
  }

  reset(): void {
    this.modes = plainModes;
  }

  pause(): void {
    this.paused = true;
  }

  async resume(): Promise<void> {
    this.paused = false;
    await this.flush();
  }

  async flush(options: { readonly order?: FlushOrder } = {}): Promise<void> {
    const events = this.order(this.held, options.order ?? FlushOrder.Emitted);
    this.held = [];
    await Promise.all(events.map((event) => this.deliver(event)));
  }

  get heldCount(): number {
    return this.held.length;
  }

  emitted(): readonly TaskStateChangeEvent[] {
    return [...this.history];
  }

  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  dispose(): void {
    this.disposed = true;
    this.held = [];
    this.heldBack?.cancel();
    this.heldBack = undefined;
    this.listeners.clear();
    this.scheduled = 0;
    this.settleIdleWaiters();
  }

  /** Applies the reorder mode, then hands events on to dispatch. */
  private route(event: TaskStateChangeEvent): void {
    const previous = this.heldBack;
    if (previous !== undefined) {
      previous.cancel();
      this.heldBack = undefined;
      this.scheduled -= 1;
      this.dispatch(event);
      this.dispatch(previous.event);
      return;
    }
    if (this.chance(this.modes.reorder)) {
      this.holdBack(event);
      return;
    }
    this.dispatch(event);
  }

  private holdBack(event: TaskStateChangeEvent): void {
    this.scheduled += 1;
    const cancel = this.deps.scheduler.schedule(this.modes.reorderWindowMs, () => {
      this.heldBack = undefined;
      this.scheduled -= 1;
      this.dispatch(event);
    });
    this.heldBack = { event, cancel };
  }

  /** Applies the duplicate and delay modes. */
  private dispatch(event: TaskStateChangeEvent): void {
    const copies = this.chance(this.modes.duplicate) ? 2 : 1;
    for (let copy = 0; copy < copies; copy += 1) {
      this.scheduled += 1;
      this.deps.scheduler.schedule(this.drawDelay(), () => {
        this.scheduled -= 1;
        void this.deliver(event);
      });
    }
  }

  private async deliver(event: TaskStateChangeEvent): Promise<void> {
    const deliveries = [...this.listeners].map((listener) => this.invoke(listener, structuredClone(event)));
    const all = Promise.all(deliveries).then(() => undefined);
    this.inFlight.add(all);
    await all;
    this.inFlight.delete(all);
    if (this.isIdle()) this.settleIdleWaiters();
  }

  private async invoke(listener: TaskStateChangeListener, event: TaskStateChangeEvent): Promise<void> {
    try {
      await listener(event);
    } catch (error) {
      this.deps.logger.error(`task state change listener failed on ${event.resources[0]}`, error);
    }
  }

  private drawDelay(): number {
    const { min, max } = this.modes.delayMs;
    return max <= min ? min : min + this.random() * (max - min);
  }

  private chance(probability: number): boolean {
    if (probability <= 0) return false;
    return probability >= 1 || this.random() < probability;
  }

  private order(events: readonly TaskStateChangeEvent[], order: FlushOrder): TaskStateChangeEvent[] {
    if (order === FlushOrder.Reverse) return [...events].reverse();
    if (order === FlushOrder.Shuffle) return this.shuffle(events);
    return [...events];
  }

  private shuffle(events: readonly TaskStateChangeEvent[]): TaskStateChangeEvent[] {
    const shuffled = [...events];
    for (let index = shuffled.length - 1; index > 0; index -= 1) {
      const other = Math.floor(this.random() * (index + 1));
      const current = shuffled[index];
      const swapped = shuffled[other];
      if (current === undefined || swapped === undefined) continue;
      shuffled[index] = swapped;
      shuffled[other] = current;
    }
    return shuffled;
  }

  private isIdle(): boolean {
    return this.scheduled === 0 && this.inFlight.size === 0;
  }

  private settleIdleWaiters(): void {
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}

function mergeModes(current: DeliveryModes, options: EventDeliveryOptions): DeliveryModes {
  return {
    duplicate:
      options.duplicate === undefined ? current.duplicate : probability('duplicate', options.duplicate),
    delayMs: options.delayMs === undefined ? current.delayMs : delayRange(options.delayMs),
    reorder: options.reorder === undefined ? current.reorder : probability('reorder', options.reorder),
    reorderWindowMs:
      options.reorderWindowMs === undefined
        ? current.reorderWindowMs
        : nonNegative('reorderWindowMs', options.reorderWindowMs),
  };
}

function probability(name: string, value: boolean | number): number {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (!(value >= 0 && value <= 1))
    throw new EmulatorConfigError(`${name} probability must be within 0..1, got ${value}`);
  return value;
}

function delayRange(value: number | { readonly min: number; readonly max: number }): {
  min: number;
  max: number;
} {
  const range = typeof value === 'number' ? { min: value, max: value } : value;
  nonNegative('delayMs.min', range.min);
  nonNegative('delayMs.max', range.max);
  if (range.max < range.min) throw new EmulatorConfigError('delayMs.max must be >= delayMs.min');
  return { min: range.min, max: range.max };
}

function nonNegative(name: string, value: number): number {
  if (!(Number.isFinite(value) && value >= 0))
    throw new EmulatorConfigError(`${name} must be a finite number >= 0`);
  return value;
}
