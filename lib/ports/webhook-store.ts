import type { Delivery, Webhook } from '../domain/webhook';
import type { Page, PagePosition, ScheduleQuery } from './container-repository';

/** Where webhooks and their deliveries are kept (the table, beside the containers). */
export interface WebhookStore {
  /** Registers a webhook unless the owner already has `limit`: then QUOTA_EXCEEDED. */
  createWebhook(webhook: Webhook, limit: number): Promise<void>;
  getWebhook(ownerId: string, webhookId: string): Promise<Webhook | undefined>;
  /** Every webhook of the owner, oldest first (there are few: see WEBHOOK_LIMIT). */
  listWebhooks(ownerId: string): Promise<readonly Webhook[]>;
  /** False when there was no such webhook. */
  deleteWebhook(ownerId: string, webhookId: string): Promise<boolean>;
  /** Records a new delivery; false when one with its id exists already (the event came twice). */
  createDelivery(delivery: Delivery): Promise<boolean>;
  getDelivery(webhookId: string, deliveryId: string): Promise<Delivery | undefined>;
  /**
   * Replaces a delivery if it is still as read (same attempt count and next attempt), else
   * throws DeliveryConflictError: another pass took it up meanwhile.
   */
  saveDelivery(before: Delivery, after: Delivery): Promise<void>;
  /** A webhook's deliveries, newest first. */
  listDeliveries(query: {
    readonly webhookId: string;
    readonly limit: number;
    readonly start?: PagePosition | undefined;
  }): Promise<Page<Delivery>>;
  /** Deliveries whose next attempt is due by `upTo`, one shard of the sparse retry index. */
  listDueDeliveries(query: ScheduleQuery): Promise<Page<Delivery>>;
  readonly scheduleShards: number;
}

export class DeliveryConflictError extends Error {
  override readonly name = 'DeliveryConflictError';
  constructor(readonly deliveryId: string) {
    super(`delivery ${deliveryId} changed since it was read`);
  }
}

/** The answer of one POST to a webhook URL. */
export interface SendResult {
  /** Null when no answer came: timeout, refused connection, bad name. */
  readonly statusCode: number | null;
  readonly error: string | null;
  readonly durationMs: number;
}

/** Sends one signed POST; never throws, says how it went. */
export interface WebhookSender {
  send(url: string, body: string, headers: Readonly<Record<string, string>>): Promise<SendResult>;
}
