// The result-address guard on addresses alone, before any connection: which IPs are local (every
// private, loopback and link-local range, IPv4 inside IPv6, the numeric spellings URL parsing
// normalises), and that a name is judged by what it resolves to. Nothing here opens a socket.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { EngineFailure } from '../../../../main/contract/errors.ts';
import {
  allowedAddress,
  isLocalAddress,
  isLocalHost,
} from '../../../../main/engine/apimart/address-guard.ts';

const hostOf = (url: string): string => new URL(url).hostname;

describe('isLocalAddress', () => {
  test('IPv4: private, loopback, link-local, CGNAT, unspecified, multicast, broadcast', () => {
    for (const ip of [
      '127.0.0.1',
      '127.255.0.9',
      '10.0.0.1',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '255.255.255.255',
    ]) {
      assert.equal(isLocalAddress(ip), true, ip);
    }
  });

  test('IPv4: public addresses, including neighbours of the private ranges', () => {
    for (const ip of [
      '8.8.8.8',
      '1.1.1.1',
      '172.32.0.1',
      '172.15.255.255',
      '11.0.0.1',
      '100.128.0.1',
    ]) {
      assert.equal(isLocalAddress(ip), false, ip);
    }
  });

  test('IPv6: loopback, unspecified, unique local, link-local, multicast; public is public', () => {
    for (const ip of ['::1', '::', 'fc00::1', 'fd12:3456::1', 'fe80::1', 'ff02::1']) {
      assert.equal(isLocalAddress(ip), true, ip);
    }
    for (const ip of ['2606:4700::1111', '2001:4860:4860::8888']) {
      assert.equal(isLocalAddress(ip), false, ip);
    }
  });

  test('IPv4 carried in IPv6 is judged as the IPv4 address: mapped, NAT64, 6to4', () => {
    assert.equal(isLocalAddress('::ffff:127.0.0.1'), true);
    assert.equal(isLocalAddress('::ffff:7f00:1'), true);
    assert.equal(isLocalAddress('::ffff:a9fe:a9fe'), true);
    assert.equal(isLocalAddress('::ffff:8.8.8.8'), false);
    assert.equal(isLocalAddress('64:ff9b::10.0.0.1'), true);
    assert.equal(isLocalAddress('64:ff9b::808:808'), false);
    assert.equal(isLocalAddress('2002:c0a8:0101::1'), true);
    assert.equal(isLocalAddress('2002:0808:0808::1'), false);
  });

  test('what is not an IP address is not judged here', () => {
    assert.equal(isLocalAddress('example.com'), false);
    assert.equal(isLocalAddress(''), false);
  });
});

describe('isLocalHost (URL hostnames)', () => {
  test('numeric spellings that URL parsing turns into 127.0.0.1 are local', () => {
    for (const url of [
      'http://2130706433/',
      'http://0x7f.1/',
      'http://017700000001/',
      'http://0x7f000001/',
      'http://127.1/',
      'http://[::ffff:127.0.0.1]/',
      'http://[0:0:0:0:0:0:0:1]/',
      'http://0251.0376.0251.0376/', // 169.254.169.254 in octal
    ]) {
      assert.equal(isLocalHost(hostOf(url)), true, url);
    }
  });

  test('localhost and its subdomains are local; ordinary names are left to resolution', () => {
    assert.equal(isLocalHost('localhost'), true);
    assert.equal(isLocalHost('LOCALHOST.'), true);
    assert.equal(isLocalHost('cdn.localhost'), true);
    assert.equal(isLocalHost('api.apimart.ai'), false);
    assert.equal(isLocalHost(hostOf('https://8.8.8.8/')), false);
  });
});

describe('allowedAddress', () => {
  const resolveTo =
    (...addresses: string[]) =>
    async (): Promise<string[]> =>
      addresses;

  test('a public name that resolves to a private address is refused with a sentence', async () => {
    const refused = await allowedAddress('cdn.example', {
      allowLocal: false,
      resolve: resolveTo('10.0.0.7'),
    }).catch((error: unknown) => error);
    assert.ok(refused instanceof EngineFailure);
    assert.equal(refused.error.code, 'bad_response');
    assert.equal(refused.error.retryable, false);
    assert.match(refused.error.message, /cdn\.example, 10\.0\.0\.7\).*does not fetch from\.$/);
  });

  test('the address handed back is a checked one: a public address among private ones', async () => {
    const policy = { allowLocal: false, resolve: resolveTo('169.254.169.254', '93.184.215.14') };
    assert.equal(await allowedAddress('cdn.example', policy), '93.184.215.14');
  });

  test('literal addresses are never resolved, and brackets are dropped', async () => {
    const resolve = async (): Promise<string[]> => assert.fail('resolved a literal');
    await assert.rejects(allowedAddress('[::1]', { allowLocal: false, resolve }), EngineFailure);
    assert.equal(await allowedAddress('[::1]', { allowLocal: true, resolve }), '::1');
  });

  test('when the base URL is local (the simulator), local results are allowed', async () => {
    assert.equal(
      await allowedAddress('cdn.example', { allowLocal: true, resolve: resolveTo('127.0.0.1') }),
      '127.0.0.1',
    );
  });
});
