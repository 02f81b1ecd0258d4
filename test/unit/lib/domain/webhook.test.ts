import { describe, expect, it } from 'vitest';
import {
  defaultRetrySchedule,
  deliveryIdFor,
  nextAttemptAfter,
  webhookUrlProblem,
} from '../../../../lib/domain/webhook';
import { signatureHeaderValue, signPayload, verifySignature } from '../../../../lib/domain/webhook-signature';

const body = '{"id":"evt_1","type":"container.status-changed"}';
const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

describe('webhook signature', () => {
  it('is the hex HMAC-SHA256 of "<t>.<body>" keyed with the whole secret (a vector made with openssl)', () => {
    // Act
    const header = signatureHeaderValue(secret, 1_700_000_000, body);

    // Assess
    // printf '%s' '1700000000.<body>' | openssl dgst -sha256 -hmac '<secret>'
    expect(header).toBe('t=1700000000,v1=f14ab0256d30b3e81f3952d438a5201d84c76fd923e92915d1dc62243a3d897d');
  });

  it('verifies its own header, and refuses another secret, another body and an old timestamp', () => {
    // Prepare
    const header = signatureHeaderValue(secret, 1_700_000_000, body);

    // Act and Assess
    expect(verifySignature(secret, header, body, 1_700_000_100)).toBe(true);
    expect(verifySignature('whsec_other', header, body, 1_700_000_100)).toBe(false);
    expect(verifySignature(secret, header, `${body} `, 1_700_000_100)).toBe(false);
    expect(verifySignature(secret, header, body, 1_700_000_301)).toBe(false);
    expect(verifySignature(secret, 't=1700000000,v1=zz', body, 1_700_000_000)).toBe(false);
  });

  it('signs a different text for every timestamp, so a replayed signature names its time', () => {
    expect(signPayload(secret, 1, body)).not.toBe(signPayload(secret, 2, body));
  });
});

describe('webhook retry schedule', () => {
  it('waits 30 s, 2 min, 10 min, 1 h and 6 h after the 1st to 5th failure, then gives up', () => {
    // Prepare
    const at = new Date('2026-01-01T00:00:00.000Z');

    // Act
    const delays = [1, 2, 3, 4, 5, 6].map((failed) => {
      const next = nextAttemptAfter(failed, at);
      return next && (next.getTime() - at.getTime()) / 1000;
    });

    // Assess
    expect(delays).toEqual([30, 120, 600, 3600, 21_600, null]);
    expect(defaultRetrySchedule).toHaveLength(5);
  });

  it('follows a configured schedule (the tests use one of seconds)', () => {
    const at = new Date(0);
    expect(nextAttemptAfter(1, at, [1, 1])?.getTime()).toBe(1000);
    expect(nextAttemptAfter(3, at, [1, 1])).toBeNull();
    expect(nextAttemptAfter(0, at, [1, 1])).toBeNull();
  });
});

describe('webhook URL policy', () => {
  const production = { allowLoopbackHttp: false };
  const local = { allowLoopbackHttp: true };

  it.each([
    'https://hooks.example.com/container-events',
    'https://8.8.8.8/hook',
    'https://[2606:4700:4700::1111]/hook',
    'https://[2002:808:808::1]/hook',
    'https://hooks.example.com./container-events',
  ])('allows %s', (url) => {
    expect(webhookUrlProblem(url, production)).toBeUndefined();
  });

  it.each([
    'http://hooks.example.com/x',
    'http://127.0.0.1:8080/x',
    'https://localhost/x',
    'https://127.0.0.1/x',
    'https://10.1.2.3/x',
    'https://172.16.0.1/x',
    'https://192.168.1.1/x',
    'https://169.254.169.254/latest/meta-data',
    'https://100.64.0.1/x',
    'https://0.0.0.0/x',
    'https://[::1]/x',
    'https://[fe80::1]/x',
    'https://u:p@hooks.example.com/x',
    'file:///etc/passwd',
    'nonsense',
  ])('refuses %s in production', (url) => {
    expect(webhookUrlProblem(url, production)).toEqual(expect.any(String));
  });

  it.each([
    ['a trailing dot on localhost', 'https://localhost./x'],
    ['a trailing dot on upper-case localhost, with a port', 'https://LOCALHOST.:9001/x'],
    ['a name under localhost', 'https://api.localhost/x'],
    ['NAT64 discovery in 192.0.0.0/24', 'https://192.0.0.170/'],
    ['benchmarking, 198.18.0.0/15', 'https://198.18.0.1/'],
    ['benchmarking, top of 198.18.0.0/15', 'https://198.19.255.254/'],
    ['documentation, 203.0.113.0/24', 'https://203.0.113.9/'],
    ['shared address space, 100.64.0.0/10', 'https://100.127.255.1/'],
    ['multicast', 'https://239.1.2.3/'],
    ['broadcast', 'https://255.255.255.255/'],
    ['loopback spelt as hex', 'https://0x7f.1/'],
    ['loopback spelt as one number', 'https://2130706433/'],
    ['6to4 carrying the metadata address', 'https://[2002:a9fe:a9fe::1]/'],
    ['6to4 carrying 10.0.0.1', 'https://[2002:a00:1::]/'],
    ['an IPv4-mapped loopback', 'https://[::ffff:127.0.0.1]/'],
    ['NAT64 carrying a private address', 'https://[64:ff9b::c0a8:101]/'],
    ['Teredo', 'https://[2001:0:4136:e378::1]/'],
    ['IPv6 documentation', 'https://[2001:db8::1]/'],
    ['IPv6 unique-local', 'https://[fd00::1]/'],
    ['IPv6 multicast', 'https://[ff02::1]/'],
    ['an mDNS name', 'https://printer.local/'],
    ['a private-use name', 'https://db.internal./'],
  ])('refuses %s (%s) in production', (_what, url) => {
    expect(webhookUrlProblem(url, production)).toEqual(expect.any(String));
  });

  it('allows http to 127.0.0.1 and localhost only where the flag says so, and nothing else over http', () => {
    expect(webhookUrlProblem('http://127.0.0.1:4000/hook', local)).toBeUndefined();
    expect(webhookUrlProblem('http://localhost:4000/hook', local)).toBeUndefined();
    expect(webhookUrlProblem('http://LOCALHOST.:4000/hook', local)).toBeUndefined();
    expect(webhookUrlProblem('https://192.168.1.1/hook', local)).toEqual(expect.any(String));
    expect(webhookUrlProblem('http://10.0.0.1/hook', local)).toEqual(expect.any(String));
    expect(webhookUrlProblem('http://example.com/hook', local)).toEqual(expect.any(String));
  });
});

describe('delivery ids', () => {
  it('are the same for the same event and webhook, so a duplicate event is not delivered twice', () => {
    expect(deliveryIdFor('evt_1', 'wh_a')).toBe(deliveryIdFor('evt_1', 'wh_a'));
    expect(deliveryIdFor('evt_1', 'wh_a')).not.toBe(deliveryIdFor('evt_1', 'wh_b'));
    expect(deliveryIdFor('evt_1', 'wh_a')).toMatch(/^dlv_[0-9a-f]{24}$/);
  });
});
