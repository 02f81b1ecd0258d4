/**
 * A typed client of the container lifecycle API: a thin layer over `fetch`, no dependencies, one
 * method per route of lib/http/routes.ts. Never imported by the Lambda functions.
 *
 * ```ts
 * const api = new ContainerLifecycleClient({ baseUrl: 'http://127.0.0.1:3000', token });
 * const created = await api.create({ name: 'dev-box', image: 'public.ecr.aws/docker/library/python:3.13' });
 * await api.waitFor(created.id, 'running', { onProgress: ({ container }) => console.log(container.status) });
 * ```
 */
import { ContainerApiError, OperationTimeoutError, WaitForStatusError } from './errors';
import { backoffMs, defaultRetryPolicy, type RetryPolicy, retryAfterMs, retryableStatuses } from './retry';
import {
  type BatchRequest,
  type BatchResult,
  type Container,
  type ContainerList,
  type ContainerStatus,
  type CreateContainerRequest,
  type CreatedContainer,
  type CreatedWebhook,
  type CreateWebhookRequest,
  type DeletedContainer,
  type DeletedWebhook,
  type Delivery,
  type DeliveryList,
  type ErrorCode,
  type IdleView,
  isAtRest,
  type JobRun,
  type JobRunList,
  type ListContainersQuery,
  type ListDeliveriesQuery,
  type ListJobRunsQuery,
  type ListProjectContainersQuery,
  type ListStatusLogsQuery,
  type OpenApiDocument,
  type Operation,
  type OperationAccepted,
  type OperationState,
  type PutSchedule,
  type Schedule,
  type SchedulePreview,
  type ScheduleRequest,
  type StatusLog,
  type StatusLogList,
  type StatusSummary,
  type UpdatePolicyRequest,
  type Webhook,
  type WebhookList,
} from './types';

export * from './errors';
export { retryAfterMs } from './retry';
export * from './types';

export interface ClientOptions {
  /** Where the API answers, e.g. `http://127.0.0.1:3000` or the stack's `ApiUrl`; a trailing `/v1` is allowed. */
  readonly baseUrl: string;
  /** A bearer token; or `getToken`, asked before every attempt so that a token can be renewed. */
  readonly token?: string;
  readonly getToken?: () => string | Promise<string>;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** Retries of a 429 or 503 (and of a network error, for requests safe to repeat). @default 3 */
  readonly retries?: number;
  /** The longest Retry-After (or backoff) waited out; a longer one fails at once. @default 30_000 */
  readonly maxRetryDelayMs?: number;
  /** @default 'container-lifecycle-client' */
  readonly userAgent?: string;
  /** @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** @default Date.now */
  readonly now?: () => number;
}

/** Options of the calls that change a container. */
export interface WriteOptions {
  /**
   * The same key with the same request within 24 h replays the first answer. null sends none, and
   * the request is then never retried. @default a fresh UUID
   */
  readonly idempotencyKey?: string | null;
  /** Only if the container is still at this version (its ETag), else 412 PRECONDITION_FAILED; `*` for any. */
  readonly ifMatch?: number | '*';
}

export interface WaitProgress {
  /** The container as last read. */
  readonly container: Container;
  readonly elapsedMs: number;
}

export interface WaitForOptions {
  /** @default 300_000 */
  readonly timeoutMs?: number;
  /** Called after every read that did not end the wait. */
  readonly onProgress?: (progress: WaitProgress) => void;
  /** The longest single long poll, in seconds (the server allows 25). @default 25 */
  readonly pollSeconds?: number;
}

export interface WaitForOperationOptions {
  /** @default 300_000 */
  readonly timeoutMs?: number;
  readonly onProgress?: (progress: {
    readonly operation: OperationState;
    readonly elapsedMs: number;
  }) => void;
  /** @default 25 */
  readonly pollSeconds?: number;
}

/** Whose schedule: a container's, or one of a project's (an admin may name another owner's). */
export type ScheduleTarget =
  | { readonly containerId: string }
  | { readonly projectId: string; readonly ownerId?: string };

type Query = Readonly<Record<string, string | number | boolean | undefined>>;

interface RequestSpec {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly query?: Query | undefined;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** A POST that does no more when sent twice than once, without an Idempotency-Key (see #send). */
  readonly sameTwice?: boolean;
}

interface Answer<T> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

/** The longest wait the server's long polls allow, below API Gateway's 30 s. */
const maxPollSeconds = 25;
const defaultWaitMs = 300_000;

/** Gateways answer some refusals with `{"message": ...}` rather than the contract's body. */
const gatewayCodes: Readonly<Record<number, ErrorCode>> = {
  401: 'INVALID_TOKEN',
  403: 'INSUFFICIENT_PERMISSIONS',
  429: 'RATE_LIMITED',
};

export class ContainerLifecycleClient {
  readonly #baseUrl: string;
  readonly #getToken: () => string | Promise<string>;
  readonly #fetch: typeof fetch;
  readonly #policy: RetryPolicy;
  readonly #userAgent: string;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #now: () => number;

  constructor(options: ClientOptions) {
    const { token, getToken } = options;
    if (!URL.canParse(options.baseUrl)) throw new TypeError(`baseUrl is not a URL: ${options.baseUrl}`);
    if (getToken) this.#getToken = getToken;
    else if (token) this.#getToken = () => token;
    else throw new TypeError('a token or getToken is required');
    this.#baseUrl = options.baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '');
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#policy = {
      ...defaultRetryPolicy,
      ...(options.retries === undefined ? {} : { retries: options.retries }),
      ...(options.maxRetryDelayMs === undefined ? {} : { maxDelayMs: options.maxRetryDelayMs }),
    };
    this.#userAgent = options.userAgent ?? 'container-lifecycle-client';
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.#now = options.now ?? Date.now;
  }

  /** GET /v1/health: the token is valid and the API answers. */
  async health(): Promise<{ status: string }> {
    return this.#data({ method: 'GET', path: '/v1/health' });
  }

  /** POST /v1/containers: creates the container, and starts it unless `start: false`. */
  async create(request: CreateContainerRequest, options: WriteOptions = {}): Promise<CreatedContainer> {
    return this.#data({
      method: 'POST',
      path: '/v1/containers',
      body: request,
      headers: writeHeaders(options),
    });
  }

  /** GET /v1/containers: one page of the caller's containers, newest first. */
  async list(query: ListContainersQuery = {}): Promise<ContainerList> {
    const { body } = await this.#send<{
      data: { containers: ContainerList['containers'] };
      pagination: ContainerList['pagination'];
      quota: ContainerList['quota'];
    }>({ method: 'GET', path: '/v1/containers', query: { ...query } });
    return { containers: body.data.containers, pagination: body.pagination, quota: body.quota };
  }

  /** Every container the query matches, page after page by cursor. */
  async *listAll(query: Omit<ListContainersQuery, 'cursor' | 'page'> = {}): AsyncGenerator<Container> {
    let cursor: string | undefined;
    do {
      const page = await this.list({ ...query, ...(cursor ? { cursor } : {}) });
      yield* page.containers;
      cursor = page.pagination.has_next_page ? (page.pagination.cursor ?? undefined) : undefined;
    } while (cursor);
  }

  /**
   * GET /v1/containers/{id}; with `waitFor`, the server holds the request (up to `timeoutSeconds`,
   * at most 25) until the container is in that status or has settled in another.
   */
  async get(
    id: string,
    options: { waitFor?: ContainerStatus; timeoutSeconds?: number } = {},
  ): Promise<Container> {
    return (await this.#getContainer(id, options)).body.data;
  }

  /** PATCH /v1/containers/{id}: the auto-stop policy, in force at once. */
  async update(
    id: string,
    policy: UpdatePolicyRequest,
    options: Pick<WriteOptions, 'ifMatch'> = {},
  ): Promise<Container> {
    // No Idempotency-Key store on this route, and none needed: repeating it sets the same values.
    return this.#data({
      method: 'PATCH',
      path: containerPath(id),
      body: policy,
      headers: writeHeaders(options, false),
      sameTwice: true,
    });
  }

  /** POST /v1/containers/batch: one operation on each container the selector picks (`dry_run` to preview). */
  async batch(
    request: BatchRequest,
    options: Pick<WriteOptions, 'idempotencyKey'> = {},
  ): Promise<BatchResult> {
    return this.#data({
      method: 'POST',
      path: '/v1/containers/batch',
      body: request,
      headers: writeHeaders(options),
    });
  }

  /** GET /v1/containers/{id}/status: status, allowed operations, pending operation, the task. */
  async status(id: string): Promise<StatusSummary> {
    return this.#data({ method: 'GET', path: `${containerPath(id)}/status` });
  }

  /** GET /v1/containers/{id}/status-logs: one page of the transition history. */
  async statusLogs(id: string, query: ListStatusLogsQuery = {}): Promise<StatusLogList> {
    const { body } = await this.#send<{
      data: { status_logs: StatusLogList['status_logs'] };
      pagination: StatusLogList['pagination'];
    }>({ method: 'GET', path: `${containerPath(id)}/status-logs`, query: { ...query } });
    return { status_logs: body.data.status_logs, pagination: body.pagination };
  }

  /** The whole transition history in the order asked, page after page by cursor. */
  async *statusLogsAll(
    id: string,
    query: Omit<ListStatusLogsQuery, 'cursor' | 'page'> = {},
  ): AsyncGenerator<StatusLog> {
    let cursor: string | undefined;
    do {
      const page = await this.statusLogs(id, { limit: 100, ...query, ...(cursor ? { cursor } : {}) });
      yield* page.status_logs;
      cursor = page.pagination.has_next_page ? (page.pagination.cursor ?? undefined) : undefined;
    } while (cursor);
  }

  /** POST /v1/containers/{id}/{operation}: 202 once the step is recorded; ECS finishes it later. */
  async operate(id: string, operation: Operation, options: WriteOptions = {}): Promise<OperationAccepted> {
    return this.#data({
      method: 'POST',
      path: `${containerPath(id)}/${operation}`,
      headers: writeHeaders(options),
    });
  }

  async start(id: string, options?: WriteOptions): Promise<OperationAccepted> {
    return this.operate(id, 'start', options);
  }

  async stop(id: string, options?: WriteOptions): Promise<OperationAccepted> {
    return this.operate(id, 'stop', options);
  }

  async forceStop(id: string, options?: WriteOptions): Promise<OperationAccepted> {
    return this.operate(id, 'force-stop', options);
  }

  async restart(id: string, options?: WriteOptions): Promise<OperationAccepted> {
    return this.operate(id, 'restart', options);
  }

  async pause(id: string, options?: WriteOptions): Promise<OperationAccepted> {
    return this.operate(id, 'pause', options);
  }

  async resume(id: string, options?: WriteOptions): Promise<OperationAccepted> {
    return this.operate(id, 'resume', options);
  }

  /** DELETE /v1/containers/{id}: stops the task if needed and deletes the container. */
  async delete(id: string, options: WriteOptions = {}): Promise<DeletedContainer> {
    return this.#data({
      method: 'DELETE',
      path: containerPath(id),
      headers: writeHeaders(options),
    });
  }

  /** POST /v1/containers/{id}/activity: the container is in use; resets its idle clock. */
  async recordActivity(id: string, options: Pick<WriteOptions, 'ifMatch'> = {}): Promise<void> {
    // No Idempotency-Key store on this route, and none needed: reporting use twice is reporting it once.
    await this.#send({
      method: 'POST',
      path: `${containerPath(id)}/activity`,
      headers: writeHeaders(options, false),
      sameTwice: true,
    });
  }

  /** GET /v1/containers/{id}/idle: when the container would stop for idleness, or why it would not. */
  async idle(id: string): Promise<IdleView> {
    return this.#data({ method: 'GET', path: `${containerPath(id)}/idle` });
  }

  /** POST /v1/containers/{id}/snooze: no auto-stop for `seconds` (60 to 86400) from now. */
  async snooze(id: string, seconds: number, options: Pick<WriteOptions, 'ifMatch'> = {}): Promise<IdleView> {
    // Repeating a snooze sets the same end, give or take the retry's delay: safe to send again.
    return this.#data({
      method: 'POST',
      path: `${containerPath(id)}/snooze`,
      body: { seconds },
      headers: writeHeaders(options, false),
      sameTwice: true,
    });
  }

  /** GET /v1/projects/{project_id}/containers: one page of the project's containers, newest first. */
  async listProjectContainers(
    projectId: string,
    query: ListProjectContainersQuery = {},
  ): Promise<ContainerList> {
    const { body } = await this.#send<{
      data: { containers: ContainerList['containers'] };
      pagination: ContainerList['pagination'];
      quota: ContainerList['quota'];
    }>({ method: 'GET', path: `${projectPath(projectId)}/containers`, query: { ...query } });
    return { containers: body.data.containers, pagination: body.pagination, quota: body.quota };
  }

  /**
   * GET /v1/projects/{project_id}/jobs/{job_id}/containers: one page of a job's runs, newest first;
   * with `run_id`, that run only.
   */
  async listJobRuns(projectId: string, jobId: string, query: ListJobRunsQuery = {}): Promise<JobRunList> {
    const { body } = await this.#send<{
      data: { job_id: string; containers: JobRunList['containers'] };
      pagination: JobRunList['pagination'];
    }>({
      method: 'GET',
      path: `${projectPath(projectId)}/jobs/${encodeURIComponent(jobId)}/containers`,
      query: { ...query },
    });
    return { job_id: body.data.job_id, containers: body.data.containers, pagination: body.pagination };
  }

  /** Every run of a job, newest first, page after page by cursor. */
  async *listJobRunsAll(
    projectId: string,
    jobId: string,
    query: Omit<ListJobRunsQuery, 'cursor'> = {},
  ): AsyncGenerator<JobRun> {
    let cursor: string | undefined;
    do {
      const page = await this.listJobRuns(projectId, jobId, {
        limit: 100,
        ...query,
        ...(cursor ? { cursor } : {}),
      });
      yield* page.containers;
      cursor = page.pagination.has_next_page ? (page.pagination.cursor ?? undefined) : undefined;
    } while (cursor);
  }

  /**
   * PUT /v1/containers/{id}/schedule or /v1/projects/{project_id}/schedule: sets or replaces the
   * weekly schedule; `created` when there was none (201).
   */
  async putSchedule(target: ScheduleTarget, schedule: ScheduleRequest): Promise<PutSchedule> {
    // No Idempotency-Key store on this route, and none needed: a PUT sent twice sets the same
    // schedule (a retry may then answer 200 where the first attempt made it: `created` is a hint).
    const { status, body } = await this.#send<{ data: Schedule }>({
      method: 'PUT',
      ...schedulePath(target),
      body: schedule,
      sameTwice: true,
    });
    return { schedule: body.data, created: status === 201 };
  }

  /** GET .../schedule: the schedule that applies (`source`: the container's own, or its project's). */
  async getSchedule(target: ScheduleTarget): Promise<Schedule> {
    return this.#data({ method: 'GET', ...schedulePath(target) });
  }

  /** DELETE .../schedule: removes the target's own schedule; nothing starts or stops now. */
  async deleteSchedule(
    target: ScheduleTarget,
    options: Pick<WriteOptions, 'idempotencyKey'> = {},
  ): Promise<void> {
    await this.#send({ method: 'DELETE', ...schedulePath(target), headers: writeHeaders(options) });
  }

  /** GET .../schedule/preview: the next `count` transitions (1 to 50, default 10) and the hours saved. */
  async previewSchedule(target: ScheduleTarget, options: { count?: number } = {}): Promise<SchedulePreview> {
    const { path, query } = schedulePath(target);
    return this.#data({ method: 'GET', path: `${path}/preview`, query: { ...query, count: options.count } });
  }

  /**
   * POST /v1/webhooks: registers a URL for our events. The answer alone shows the signing secret;
   * `secret` is null when the answer is a replay of the same Idempotency-Key (delete and create again).
   */
  async createWebhook(
    request: CreateWebhookRequest,
    options: Pick<WriteOptions, 'idempotencyKey'> = {},
  ): Promise<CreatedWebhook> {
    const { body } = await this.#send<{ data: Omit<CreatedWebhook, 'secret'> & { secret?: string } }>({
      method: 'POST',
      path: '/v1/webhooks',
      body: request,
      headers: writeHeaders(options),
    });
    // A replay of the key (this client's own retry, after a 503 that followed the work) answers
    // without the secret: the server never stores it beside the key.
    return { ...body.data, secret: body.data.secret ?? null };
  }

  /** GET /v1/webhooks: the caller's webhooks, oldest first, and how many more are allowed. */
  async listWebhooks(): Promise<WebhookList> {
    const { body } = await this.#send<{
      data: { webhooks: WebhookList['webhooks'] };
      quota: WebhookList['quota'];
    }>({ method: 'GET', path: '/v1/webhooks' });
    return { webhooks: body.data.webhooks, quota: body.quota };
  }

  /** GET /v1/webhooks/{id}: one webhook, without its secret. */
  async getWebhook(id: string): Promise<Webhook> {
    return this.#data({ method: 'GET', path: webhookPath(id) });
  }

  /** DELETE /v1/webhooks/{id}: no more deliveries; retries in flight are given up. */
  async deleteWebhook(
    id: string,
    options: Pick<WriteOptions, 'idempotencyKey'> = {},
  ): Promise<DeletedWebhook> {
    return this.#data({ method: 'DELETE', path: webhookPath(id), headers: writeHeaders(options) });
  }

  /** GET /v1/webhooks/{id}/deliveries: one page of what was sent, newest first, every attempt. */
  async listDeliveries(webhookId: string, query: ListDeliveriesQuery = {}): Promise<DeliveryList> {
    const { body } = await this.#send<{
      data: { deliveries: DeliveryList['deliveries'] };
      pagination: DeliveryList['pagination'];
    }>({ method: 'GET', path: `${webhookPath(webhookId)}/deliveries`, query: { ...query } });
    return { deliveries: body.data.deliveries, pagination: body.pagination };
  }

  /** POST /v1/webhooks/{id}/deliveries/{delivery_id}/redeliver: one new attempt now, recorded. */
  async redeliver(
    webhookId: string,
    deliveryId: string,
    options: Pick<WriteOptions, 'idempotencyKey'> = {},
  ): Promise<Delivery> {
    // A key by default: without one, a retry after a gateway's 503 would send the event twice.
    return this.#data({
      method: 'POST',
      path: `${webhookPath(webhookId)}/deliveries/${encodeURIComponent(deliveryId)}/redeliver`,
      headers: writeHeaders(options),
    });
  }

  /** GET /v1/openapi.json: the API's OpenAPI document (the body is the document, not `{data}`). */
  async openApi(): Promise<OpenApiDocument> {
    return (await this.#send<OpenApiDocument>({ method: 'GET', path: '/v1/openapi.json' })).body;
  }

  /** GET /v1/operations/{id}; with `wait` (0 to 25 s) the server answers as soon as it has ended. */
  async getOperation(operationId: string, options: { wait?: number } = {}): Promise<OperationState> {
    return this.#data({
      method: 'GET',
      path: operationPath(operationId),
      query: { wait: options.wait },
    });
  }

  /** The operation once it has succeeded or failed (a failed one is returned, not thrown: read `reason`). */
  async waitForOperation(
    operationId: string,
    options: WaitForOperationOptions = {},
  ): Promise<OperationState> {
    const started = this.#now();
    const timeoutMs = options.timeoutMs ?? defaultWaitMs;
    for (;;) {
      const asked = this.#now();
      const wait = this.#pollSeconds(timeoutMs - (asked - started), options.pollSeconds);
      const { body, headers } = await this.#send<{ data: OperationState }>({
        method: 'GET',
        path: operationPath(operationId),
        query: { wait },
      });
      const operation = body.data;
      if (operation.status !== 'pending') return operation;
      const elapsedMs = this.#now() - started;
      options.onProgress?.({ operation, elapsedMs });
      if (elapsedMs >= timeoutMs) throw new OperationTimeoutError(operation);
      await this.#notSoonerThanAsked(headers, asked, timeoutMs - elapsedMs);
    }
  }

  /**
   * The container once it is in `status`, by the server's long poll (`?wait_for=`). Throws
   * WaitForStatusError when the time runs out, or when the container comes to rest in another
   * status (a failed start in `error`): it would not get there by itself. A running job is still
   * on its way: it is waited on until it ends in `succeeded` or `failed` (isAtRest).
   */
  async waitFor(id: string, status: ContainerStatus, options: WaitForOptions = {}): Promise<Container> {
    const started = this.#now();
    const timeoutMs = options.timeoutMs ?? defaultWaitMs;
    for (;;) {
      const asked = this.#now();
      const timeoutSeconds = this.#pollSeconds(timeoutMs - (asked - started), options.pollSeconds);
      const { body, headers } = await this.#getContainer(id, { waitFor: status, timeoutSeconds });
      const container = body.data;
      if (container.status === status) return container;
      if (isAtRest(container)) throw new WaitForStatusError('settled', status, container);
      const elapsedMs = this.#now() - started;
      options.onProgress?.({ container, elapsedMs });
      if (elapsedMs >= timeoutMs) throw new WaitForStatusError('timeout', status, container);
      await this.#notSoonerThanAsked(headers, asked, timeoutMs - elapsedMs);
    }
  }

  /**
   * A long poll that came back early (a server that ignored the wait) is asked again no sooner
   * than its Retry-After (1 s if none) after it was sent, so that a wait never spins.
   */
  async #notSoonerThanAsked(headers: Headers, asked: number, leftMs: number): Promise<void> {
    const early = (retryAfterMs(headers.get('retry-after'), this.#now()) ?? 1000) - (this.#now() - asked);
    if (early > 0) await this.#sleep(Math.min(early, leftMs));
  }

  async #getContainer(
    id: string,
    options: { waitFor?: ContainerStatus; timeoutSeconds?: number },
  ): Promise<Answer<{ data: Container }>> {
    return this.#send({
      method: 'GET',
      path: containerPath(id),
      query: { wait_for: options.waitFor, timeout: options.waitFor ? options.timeoutSeconds : undefined },
    });
  }

  /** Whole seconds for one long poll: what is left of the wait, 1 to 25. */
  #pollSeconds(remainingMs: number, pollSeconds = maxPollSeconds): number {
    const cap = Math.max(1, Math.min(maxPollSeconds, Math.floor(pollSeconds)));
    return Math.max(1, Math.min(cap, Math.ceil(remainingMs / 1000)));
  }

  async #data<T>(spec: RequestSpec): Promise<T> {
    return (await this.#send<{ data: T }>(spec)).body.data;
  }

  /**
   * Sends the request, and again on 429 or 503 after the answer's Retry-After (or a backoff), up
   * to the policy's retries. A GET is always safe to repeat, so it is repeated after a network
   * error too. A POST, PATCH or DELETE is repeated only with an Idempotency-Key (or when it changes
   * nothing twice: activity, snooze, PATCH): a 503 from a gateway timeout may come after the
   * function did its work, and without a key a repeated create would make a second container.
   */
  async #send<T>(spec: RequestSpec): Promise<Answer<T>> {
    const url = this.#url(spec.path, spec.query);
    const repeatable =
      spec.method === 'GET' || spec.headers?.['idempotency-key'] !== undefined || spec.sameTwice === true;
    for (let retry = 0; ; retry += 1) {
      const headers: Record<string, string> = {
        accept: 'application/json',
        'user-agent': this.#userAgent,
        authorization: `Bearer ${await this.#getToken()}`,
        ...spec.headers,
      };
      if (spec.body !== undefined) headers['content-type'] = 'application/json';
      let response: Response;
      try {
        response = await this.#fetch(url, {
          method: spec.method,
          headers,
          ...(spec.body === undefined ? {} : { body: JSON.stringify(spec.body) }),
        });
      } catch (error) {
        const delay = backoffMs(this.#policy, retry);
        if (spec.method !== 'GET' || retry >= this.#policy.retries || delay > this.#policy.maxDelayMs) {
          throw networkError(url, error);
        }
        await this.#sleep(delay);
        continue;
      }
      if (retryableStatuses.has(response.status) && repeatable && retry < this.#policy.retries) {
        const delay =
          retryAfterMs(response.headers.get('retry-after'), this.#now()) ?? backoffMs(this.#policy, retry);
        if (delay <= this.#policy.maxDelayMs) {
          await response.body?.cancel();
          await this.#sleep(delay);
          continue;
        }
      }
      return readAnswer<T>(response);
    }
  }

  #url(path: string, query: Query = {}): string {
    const url = new URL(`${this.#baseUrl}${path}`);
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    return url.toString();
  }
}

function containerPath(id: string): string {
  return `/v1/containers/${encodeURIComponent(id)}`;
}

function operationPath(id: string): string {
  return `/v1/operations/${encodeURIComponent(id)}`;
}

function projectPath(id: string): string {
  return `/v1/projects/${encodeURIComponent(id)}`;
}

function webhookPath(id: string): string {
  return `/v1/webhooks/${encodeURIComponent(id)}`;
}

function schedulePath(target: ScheduleTarget): { path: string; query: Query } {
  if ('containerId' in target) return { path: `${containerPath(target.containerId)}/schedule`, query: {} };
  return { path: `${projectPath(target.projectId)}/schedule`, query: { owner_id: target.ownerId } };
}

/**
 * Every create, operation and delete carries an Idempotency-Key, the caller's or a fresh one: a
 * 503 may come from a gateway that gave up on a function that went on and did the work, and the
 * retry with the same key then gets the first answer back instead of doing it again.
 */
function writeHeaders(options: WriteOptions, idempotent = true): Record<string, string> {
  const headers: Record<string, string> = {};
  if (idempotent && options.idempotencyKey !== null) {
    headers['idempotency-key'] = options.idempotencyKey ?? globalThis.crypto.randomUUID();
  }
  if (options.ifMatch !== undefined) {
    headers['if-match'] = options.ifMatch === '*' ? '*' : `"${options.ifMatch}"`;
  }
  return headers;
}

async function readAnswer<T>(response: Response): Promise<Answer<T>> {
  const text = await response.text();
  if (!response.ok) throw apiError(response, text);
  if (response.status === 204 || text === '') {
    return { status: response.status, headers: response.headers, body: undefined as T };
  }
  try {
    return { status: response.status, headers: response.headers, body: JSON.parse(text) as T };
  } catch (error) {
    throw new ContainerApiError(`the API answered ${response.status} with a body that is not JSON`, {
      status: response.status,
      code: 'UNEXPECTED_RESPONSE',
      requestId: response.headers.get('apigw-requestid') ?? undefined,
      cause: error,
    });
  }
}

function apiError(response: Response, text: string): ContainerApiError {
  const retryAfter = retryAfterMs(response.headers.get('retry-after'), Date.now());
  const common = {
    status: response.status,
    requestId: response.headers.get('apigw-requestid') ?? undefined,
    retryAfterSeconds: retryAfter === undefined ? undefined : Math.ceil(retryAfter / 1000),
  };
  const body = parseJson(text);
  const error = isRecord(body) && isRecord(body.error) ? body.error : undefined;
  if (error && typeof error.code === 'string' && typeof error.message === 'string') {
    return new ContainerApiError(error.message, {
      ...common,
      code: error.code,
      details: error.details,
      ...(typeof error.request_id === 'string' ? { requestId: error.request_id } : {}),
    });
  }
  // API Gateway's own refusals: `{"message": "Unauthorized"}`, `Forbidden`, `Too Many Requests`.
  const message =
    isRecord(body) && typeof body.message === 'string' ? body.message : `HTTP ${response.status}`;
  return new ContainerApiError(message, {
    ...common,
    code: gatewayCodes[response.status] ?? 'UNEXPECTED_RESPONSE',
  });
}

function networkError(url: string, error: unknown): ContainerApiError {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const reason =
    cause instanceof Error ? ((cause as { code?: string }).code ?? cause.message) : String(cause);
  return new ContainerApiError(`cannot reach ${new URL(url).origin}: ${reason}`, {
    status: 0,
    code: 'NETWORK_ERROR',
    cause: error,
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
