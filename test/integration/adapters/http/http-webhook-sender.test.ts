import type { LookupAddress } from 'node:dns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpWebhookSender } from '../../../../lib/adapters/http/http-webhook-sender';
import { startWebhookReceiver, type WebhookReceiver } from '../../../support/webhook-receiver';

const body = '{"id":"evt_1"}';
const headers = { 'content-type': 'application/json' };

/** A resolver that answers every name with the given addresses, and counts its calls. */
function resolverOf(...addresses: string[]) {
  const calls: string[] = [];
  const resolve = async (host: string): Promise<LookupAddress[]> => {
    calls.push(host);
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return { calls, resolve };
}

describe('HttpWebhookSender: no delivery reaches an address that is not public', () => {
  let receiver: WebhookReceiver;
  let port: string;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    port = new URL(receiver.url).port;
  });
  afterAll(() => receiver.close());

  it('connects to the address it checked, and still names the host (one lookup per delivery)', async () => {
    // Prepare: a name that only this resolver knows, resolving to the receiver's loopback address
    const { calls, resolve } = resolverOf('127.0.0.1');
    const sender = new HttpWebhookSender({ timeoutMs: 2000, allowLoopback: true, resolve });

    // Act
    const result = await sender.send(`http://hooks.example.test:${port}/named`, body, headers);

    // Assess
    expect(result).toMatchObject({ statusCode: 200, error: null });
    const [received] = await receiver.waitFor('/named', (requests) => requests.length === 1);
    expect(received?.headers.host).toBe(`hooks.example.test:${port}`);
    expect(received?.body).toBe(body);
    expect(calls).toEqual(['hooks.example.test']);
  });

  it.each([
    ['a private address', ['10.0.0.5']],
    ['the instance metadata address', ['169.254.169.254']],
    ['a public and a private address', ['8.8.8.8', '192.168.1.10']],
    ['an IPv4-mapped private address', ['::ffff:10.1.2.3']],
    ['a unique-local IPv6 address', ['fd12::1']],
  ])(
    'refuses a name resolving to %s, even where loopback is allowed, without connecting',
    async (_what, addresses) => {
      // Prepare
      const { resolve } = resolverOf(...addresses);
      const sender = new HttpWebhookSender({ timeoutMs: 2000, allowLoopback: true, resolve });
      const before = receiver.requests.length;

      // Act
      const result = await sender.send(`http://rebound.example.test:${port}/private`, body, headers);

      // Assess
      expect(result.statusCode).toBeNull();
      expect(result.error).toMatch(/^refused: the host resolves to a private/);
      expect(receiver.requests).toHaveLength(before);
    },
  );

  it('refuses loopback, by name or by address, unless loopback is allowed (the local stack)', async () => {
    // Prepare
    const { resolve } = resolverOf('127.0.0.1');
    const production = new HttpWebhookSender({ timeoutMs: 2000, allowLoopback: false, resolve });
    const before = receiver.requests.length;

    // Act
    const byName = await production.send(`http://127.0.0.1.nip.io:${port}/loopback`, body, headers);
    const byAddress = await production.send(`${receiver.url}/loopback`, body, headers);

    // Assess
    expect(byName).toMatchObject({ statusCode: null, error: expect.stringMatching(/^refused: /) });
    expect(byAddress).toMatchObject({ statusCode: null, error: expect.stringMatching(/^refused: /) });
    expect(receiver.requests).toHaveLength(before);
  });

  it('says the request failed when the name does not resolve, and gives no status', async () => {
    // Prepare
    const sender = new HttpWebhookSender({
      timeoutMs: 2000,
      allowLoopback: true,
      resolve: async () => Promise.reject(Object.assign(new Error('not found'), { code: 'ENOTFOUND' })),
    });

    // Act
    const result = await sender.send('https://nowhere.example.test/x', body, headers);

    // Assess
    expect(result).toMatchObject({ statusCode: null, error: 'the request failed: ENOTFOUND' });
  });
});
