import type { LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { isIpAddress, isLoopbackAddress, isPublicAddress } from '../../domain/network-address';
import { normalisedHost } from '../../domain/webhook';
import type { SendResult, WebhookSender } from '../../ports/webhook-store';

export interface HttpWebhookSenderOptions {
  /** The whole attempt (resolving, connecting, the answer's status) must end within it. */
  readonly timeoutMs: number;
  /** Whether loopback addresses may be reached (the local stack); private ones never may. */
  readonly allowLoopback: boolean;
  /** @default every address node:dns gives for the name, as the connection would see them */
  readonly resolve?: (host: string) => Promise<readonly LookupAddress[]>;
}

/** Why a delivery was not sent: the name leads into a network we must not call. */
const refusedAddress = 'refused: the host resolves to a private, loopback, link-local or reserved address';

class RefusedAddressError extends Error {
  override readonly name = 'RefusedAddressError';
  readonly code = 'EADDRNOTPUBLIC';
}

/**
 * POSTs with node:http(s), with a timeout and no redirects followed (a redirect could lead a
 * delivery somewhere the URL check never saw); the answer's body is dropped, never stored.
 *
 * The URL was checked when the webhook was made, but a name can resolve anywhere, and differently
 * each time (DNS rebinding). So the connection's own lookup resolves the name, refuses it when
 * any address is not public, and connects to an address it just checked: nothing resolves the
 * name between the check and the connect. TLS still names the host (SNI, certificate, Host).
 */
export class HttpWebhookSender implements WebhookSender {
  private readonly resolve: (host: string) => Promise<readonly LookupAddress[]>;

  constructor(private readonly options: HttpWebhookSenderOptions) {
    this.resolve = options.resolve ?? ((host) => lookup(host, { all: true }));
  }

  async send(url: string, body: string, headers: Readonly<Record<string, string>>): Promise<SendResult> {
    const started = Date.now();
    const finish = (statusCode: number | null, error: string | null): SendResult => ({
      statusCode,
      error,
      durationMs: Date.now() - started,
    });
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return finish(null, 'the URL is not valid');
    }
    // An address literal is connected to without a lookup, so it is checked here.
    const host = normalisedHost(target);
    if (isIpAddress(host) && !this.allowed(host)) return finish(null, refusedAddress);
    try {
      const statusCode = await this.post(target, body, headers);
      return finish(statusCode, null);
    } catch (error) {
      return finish(null, describe(error, this.options.timeoutMs));
    }
  }

  private allowed(address: string): boolean {
    return isPublicAddress(address) || (this.options.allowLoopback && isLoopbackAddress(address));
  }

  /** The connection's lookup: every address of the name is checked, one of them is connected to. */
  private readonly guardedLookup: LookupFunction = (hostname, lookupOptions, callback) => {
    this.resolve(hostname).then(
      (found) => {
        const usable = found.filter((each) => !lookupOptions.family || each.family === lookupOptions.family);
        const [first] = usable;
        if (found.some((each) => !this.allowed(each.address))) {
          callback(new RefusedAddressError(refusedAddress), '');
        } else if (!first) {
          callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '');
        } else if (lookupOptions.all) {
          callback(null, [...usable]);
        } else {
          callback(null, first.address, first.family);
        }
      },
      (error: NodeJS.ErrnoException) => callback(error, ''),
    );
  };

  private post(target: URL, body: string, headers: Readonly<Record<string, string>>): Promise<number> {
    const send = target.protocol === 'http:' ? httpRequest : httpsRequest;
    return new Promise((resolve, reject) => {
      const request = send(
        target,
        {
          method: 'POST',
          headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
          lookup: this.guardedLookup,
          agent: false,
          signal: AbortSignal.timeout(this.options.timeoutMs),
        },
        (response: IncomingMessage) => {
          resolve(response.statusCode ?? 0);
          response.destroy();
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  }
}

function describe(error: unknown, timeoutMs: number): string {
  if (error instanceof RefusedAddressError) return refusedAddress;
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no answer within ${timeoutMs} ms`;
  }
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? `the request failed: ${code}` : 'the request failed';
}
