import type { SendResult, WebhookSender } from '../../ports/webhook-store';

/**
 * POSTs with Node's fetch: a timeout, no redirects followed (a redirect could lead a delivery
 * somewhere the URL check never saw), and the answer's body read and dropped, never stored.
 */
export class FetchWebhookSender implements WebhookSender {
  constructor(private readonly timeoutMs: number) {}

  async send(url: string, body: string, headers: Readonly<Record<string, string>>): Promise<SendResult> {
    const started = Date.now();
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers,
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      await response.body?.cancel();
      return { statusCode: response.status, error: null, durationMs: Date.now() - started };
    } catch (error) {
      return { statusCode: null, error: describe(error, this.timeoutMs), durationMs: Date.now() - started };
    }
  }
}

function describe(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no answer within ${timeoutMs} ms`;
  }
  const cause = error instanceof Error ? (error.cause as { code?: string } | undefined) : undefined;
  return cause?.code ? `the request failed: ${cause.code}` : 'the request failed';
}
