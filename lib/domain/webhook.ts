/**
 * Webhooks: an owner's URL that receives our platform events, signed, retried with backoff. The
 * rules live here (which URLs are allowed, when the next attempt is, what is given up); the
 * sending and the storing live in adapters.
 */
import { createHash, randomBytes } from 'node:crypto';
import { isIpAddress, isLoopbackAddress, isPublicAddress } from './network-address';

/** The events a webhook may subscribe to; the EventBridge detail-types of lib/ports/event-publisher.ts. */
export const webhookEventTypes = [
  'container.status-changed',
  'container.auto-stopped',
  'container.idle-warning',
] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];

export interface Webhook {
  readonly id: string;
  readonly ownerId: string;
  readonly url: string;
  /** The event types it receives; every type when empty. */
  readonly events: readonly WebhookEventType[];
  readonly description: string | null;
  /** The HMAC key, `whsec_...`: shown to the owner once, at creation. */
  readonly secret: string;
  readonly createdAt: string;
}

export const deliveryOutcomes = ['pending', 'succeeded', 'failed'] as const;
export type DeliveryOutcome = (typeof deliveryOutcomes)[number];

export const attemptTriggers = ['event', 'retry', 'redeliver'] as const;
export type AttemptTrigger = (typeof attemptTriggers)[number];

/** One POST to the webhook's URL. */
export interface DeliveryAttempt {
  readonly at: string;
  readonly trigger: AttemptTrigger;
  /** The HTTP status the receiver answered; null when it never answered (timeout, refused). */
  readonly statusCode: number | null;
  /** Why it failed, when it failed without a status, or with one that is not 2xx. */
  readonly error: string | null;
  readonly durationMs: number;
}

/** One event for one webhook: its body, every attempt at sending it, and what is next. */
export interface Delivery {
  readonly id: string;
  readonly webhookId: string;
  readonly ownerId: string;
  readonly eventId: string;
  readonly eventType: WebhookEventType;
  /** The exact JSON body every attempt sends, so that a retry is signed over the same bytes. */
  readonly payload: string;
  readonly createdAt: string;
  /** `succeeded` once any attempt succeeded, and for good: a later failed redelivery is only recorded. */
  readonly outcome: DeliveryOutcome;
  /** Every attempt, redeliveries included. */
  readonly attemptCount: number;
  /**
   * The attempts of the event and the retry pass: the backoff counts these only, so redeliveries on
   * request never use up the automatic retries.
   */
  readonly automaticAttemptCount: number;
  /** The last attempts, newest last (at most {@link attemptsKept}). */
  readonly attempts: readonly DeliveryAttempt[];
  /** When the retry pass takes it up again; null once it succeeded or was given up. */
  readonly nextAttemptAt: string | null;
}

export const attemptsKept = 20;

/** Seconds after the 1st, 2nd, ... failed attempt before the next: 30 s, 2 min, 10 min, 1 h, 6 h. */
export const defaultRetrySchedule: readonly number[] = [30, 120, 600, 3600, 21_600];

/**
 * When to try again after `failedAttempts` attempts have failed, or null when the schedule is
 * spent and the delivery is given up (attempts in all: the schedule's length + 1).
 */
export function nextAttemptAfter(
  failedAttempts: number,
  at: Date,
  schedule: readonly number[] = defaultRetrySchedule,
): Date | null {
  const delaySeconds = schedule[failedAttempts - 1];
  if (delaySeconds === undefined || failedAttempts < 1) return null;
  return new Date(at.getTime() + delaySeconds * 1000);
}

export function isSuccessStatus(statusCode: number | null): boolean {
  return statusCode !== null && statusCode >= 200 && statusCode < 300;
}

export const webhookIdPattern = /^wh_[0-9a-f]{24}$/;
export const deliveryIdPattern = /^dlv_[0-9a-f]{24}$/;

export function newWebhookId(random: (size: number) => Uint8Array = randomBytes): string {
  return `wh_${Buffer.from(random(12)).toString('hex')}`;
}

export function newWebhookSecret(random: (size: number) => Uint8Array = randomBytes): string {
  return `whsec_${Buffer.from(random(32)).toString('base64url')}`;
}

/**
 * A delivery's id is made from the event and the webhook: an event delivered twice (the stream
 * and EventBridge are at-least-once) finds its delivery already recorded and is not sent again.
 */
export function deliveryIdFor(eventId: string, webhookId: string): string {
  return `dlv_${createHash('sha256').update(`${eventId}\n${webhookId}`).digest('hex').slice(0, 24)}`;
}

/** Whether a webhook receives an event type. */
export function subscribes(webhook: Webhook, eventType: string): boolean {
  return webhook.events.length === 0 || webhook.events.some((type) => type === eventType);
}

export interface UrlPolicy {
  /** `http://127.0.0.1` and `http://localhost` are allowed (the local stack and tests only). */
  readonly allowLoopbackHttp: boolean;
}

/** Names that never resolve to a public host: this machine, mDNS, private-use domains. */
const loopbackNames = /^(localhost|.+\.localhost)$/;
const privateNames = /\.(local|internal|home\.arpa)$/;

/**
 * The URL's host as DNS sees it: lower case, without the trailing dot of a fully qualified name
 * (`LOCALHOST.` is `localhost`) and without the brackets of an IPv6 literal. URL already turns
 * other spellings of an IPv4 address (`0x7f.1`, `2130706433`) into a dotted quad.
 */
export function normalisedHost(url: URL): string {
  return url.hostname
    .toLowerCase()
    .replace(/\.+$/, '')
    .replace(/^\[(.*)\]$/, '$1');
}

/**
 * Why a webhook URL is refused, or undefined when it is allowed. https only, to a name or a public
 * address: a URL that points into our own network (loopback, private, link-local such as the
 * instance metadata service) would let a caller make our functions call it (SSRF). A name is
 * checked again when a delivery is sent, against every address it resolves to
 * (lib/adapters/http/http-webhook-sender.ts): here only its spelling is known.
 */
export function webhookUrlProblem(text: string, policy: UrlPolicy): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.username || url.password) return 'must not carry credentials';
  const host = normalisedHost(url);
  const loopback = loopbackNames.test(host) || isLoopbackAddress(host);
  if (url.protocol === 'http:') {
    return policy.allowLoopbackHttp && loopback
      ? undefined
      : 'must use https (http is allowed for 127.0.0.1 and localhost on the local stack only)';
  }
  if (url.protocol !== 'https:') return 'must use https';
  if (loopback) return policy.allowLoopbackHttp ? undefined : 'must not point at this machine';
  if (isIpAddress(host) ? !isPublicAddress(host) : privateNames.test(host)) {
    return 'must not point at a private, loopback, link-local or reserved address';
  }
  return undefined;
}
