import { describe, expect, it } from 'vitest';
import {
  AllowListError,
  allowListPolicy,
  isPublicAddress,
  unmapped,
} from '../../../provider/src/transport/address-policy.js';
import { redactURL, scrub } from '../../../provider/src/transport/redact.js';

const FIELD = 'spec.webhook.allowedTargets';

describe('isPublicAddress', () => {
  it.each([
    ['127.0.0.1', false],
    ['127.255.0.9', false],
    ['0.0.0.0', false],
    ['10.1.2.3', false],
    ['172.16.0.1', false],
    ['172.31.255.255', false],
    ['192.168.1.1', false],
    ['169.254.169.254', false],
    ['100.64.0.1', false],
    ['224.0.0.1', false],
    ['255.255.255.255', false],
    ['::1', false],
    ['::', false],
    ['fe80::1', false],
    ['fd00:ec2::254', false],
    ['fc00::1', false],
    ['::ffff:127.0.0.1', false],
    ['::ffff:a9fe:a9fe', false],
    ['64:ff9b::a00:1', false],
    ['not-an-address', false],
    ['93.184.216.34', true],
    ['172.32.0.1', true],
    ['2a00:1450:4001:80b::200e', true],
    ['::ffff:93.184.216.34', true],
  ])('%s is public: %s', (address, want) => {
    expect(isPublicAddress(address)).toBe(want);
  });

  it('reads an IPv4-mapped IPv6 address as its IPv4 address', () => {
    expect(unmapped('::ffff:a9fe:a9fe')).toBe('169.254.169.254');
    expect(unmapped('::FFFF:10.0.0.1')).toBe('10.0.0.1');
    expect(unmapped('fe80::1')).toBe('fe80::1');
  });
});

describe('allowListPolicy', () => {
  it.each<{ reason: string; entries: string[]; host: string; address: string; want: boolean }>([
    {
      reason: 'a public address, with no list',
      entries: [],
      host: 'hooks.example.com',
      address: '93.184.216.34',
      want: true,
    },
    { reason: 'loopback, with no list', entries: [], host: '127.0.0.1', address: '127.0.0.1', want: false },
    {
      reason: 'cloud metadata, with no list',
      entries: [],
      host: 'metadata.google.internal',
      address: '169.254.169.254',
      want: false,
    },
    {
      reason: 'an address the list names',
      entries: ['127.0.0.1'],
      host: '127.0.0.1',
      address: '127.0.0.1',
      want: true,
    },
    {
      reason: 'an address outside the CIDR',
      entries: ['10.0.0.0/24'],
      host: 'x',
      address: '10.0.1.1',
      want: false,
    },
    {
      reason: 'an address inside the CIDR',
      entries: ['10.0.0.0/24'],
      host: 'x',
      address: '10.0.0.99',
      want: true,
    },
    {
      reason: 'a mapped address inside the CIDR',
      entries: ['10.0.0.0/8'],
      host: 'x',
      address: '::ffff:10.0.0.1',
      want: true,
    },
    { reason: 'an IPv6 CIDR', entries: ['fd00::/8'], host: 'x', address: 'fd12::1', want: true },
    {
      reason: 'the host name the list names',
      entries: ['Hooks.Internal'],
      host: 'hooks.internal',
      address: '10.0.0.7',
      want: true,
    },
    {
      reason: 'another host name resolving to the same address',
      entries: ['hooks.internal'],
      host: 'evil.example',
      address: '10.0.0.7',
      want: false,
    },
  ])('$reason: $want', ({ entries, host, address, want }) => {
    expect(allowListPolicy(entries, FIELD)(host, address)).toBe(want);
  });

  it.each([
    [
      '10.0.0.0/33',
      'cannot use spec.webhook.allowedTargets[0] "10.0.0.0/33": the prefix length must be 0 to 32',
    ],
    [
      'fd00::/129',
      'cannot use spec.webhook.allowedTargets[0] "fd00::/129": the prefix length must be 0 to 128',
    ],
    [
      'hooks.internal/8',
      'cannot use spec.webhook.allowedTargets[0] "hooks.internal/8": must be a host name, an IP address or a CIDR such as 10.0.0.0/8',
    ],
    [
      '-bad-',
      'cannot use spec.webhook.allowedTargets[0] "-bad-": must be a host name, an IP address or a CIDR such as 10.0.0.0/8',
    ],
  ])('refuses the entry %s', (entry, message) => {
    let thrown: unknown;
    try {
      allowListPolicy([entry], FIELD);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AllowListError);
    expect((thrown as AllowListError).message).toBe(message);
  });
});

describe('redaction', () => {
  it.each([
    ['https://admin:s3cret@reseller.example.com/api', 'https://***@reseller.example.com/api'],
    ['https://token@hooks.example.com/x', 'https://***@hooks.example.com/x'],
    ['https://reseller.example.com/api', 'https://reseller.example.com/api'],
    ['admin:s3cret@host:443', '***@host:443'],
  ])('redacts the user info of %s', (url, want) => {
    expect(redactURL(url)).toBe(want);
  });

  it('scrubs every secret, the longest first', () => {
    expect(scrub('pw hunter2, again hunter2; token hunter2-long', ['hunter2', 'hunter2-long', ''])).toBe(
      'pw [redacted], again [redacted]; token [redacted]',
    );
  });
});
