import { describe, expect, it } from 'vitest';
import { isLoopbackAddress, isPublicAddress, parseIpv6 } from '../../../../lib/domain/network-address';

describe('network addresses a webhook may reach', () => {
  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '2606:4700:4700::1111',
    '2002:808:808::1',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
  ])('takes %s for public', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });

  it.each([
    '0.0.0.0',
    '10.255.255.255',
    '100.64.0.0',
    '127.0.0.1',
    '169.254.169.254',
    '172.31.0.1',
    '192.0.0.170',
    '192.0.2.1',
    '192.88.99.1',
    '192.168.0.1',
    '198.18.0.1',
    '198.19.255.255',
    '198.51.100.1',
    '224.0.0.1',
    '255.255.255.255',
    '::',
    '::1',
    '::ffff:169.254.169.254',
    '64:ff9b::a00:1',
    '2002:a9fe:a9fe::1',
    '2001::1',
    '2001:db8::1',
    '3fff::1',
    'fc00::1',
    'fe80::1%eth0',
    'ff02::1',
    'not-an-address',
    '1::2::3',
    '1:2:3:4:5:6:7:8:9',
  ])('takes %s for not public', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it('knows loopback in its spellings, and not what only embeds it through a gateway', () => {
    expect(['127.0.0.1', '127.9.9.9', '::1', '[::1]', '::ffff:127.0.0.1'].map(isLoopbackAddress)).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(['128.0.0.1', '::2', '64:ff9b::7f00:1', '2002:7f00:1::'].map(isLoopbackAddress)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });

  it('parses IPv6 with a compressed run and a dotted tail into 16 bytes', () => {
    expect(parseIpv6('::ffff:10.0.0.1')).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 10, 0, 0, 1]);
    expect(parseIpv6('[2001:db8::]')?.slice(0, 4)).toEqual([0x20, 0x01, 0x0d, 0xb8]);
  });
});
