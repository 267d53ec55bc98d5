import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clientKey,
  createClientAddress,
  trustedProxies,
} from '../../../electron/backend/http/client-address.ts';
import { createSecurityLog } from '../../../electron/backend/http/security-log.ts';
import { createLogger } from '../../../shared/log/index.ts';
import { requestFrom } from './from-address.ts';

/** A real server that answers with the client address each configuration sees. */
let base: string;
let close: () => void;
beforeAll(async () => {
  const app = new Hono();
  const none = createClientAddress([]);
  const one = createClientAddress(['127.0.0.1']);
  const chain = createClientAddress(['127.0.0.1', '10.0.0.0/8', '2001:db8::/32']);
  app.get('/', (c) => c.json({ none: none(c), one: one(c), chain: chain(c) }));
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const started = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
      resolve(started),
    );
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  close = () => server.close();
});
afterAll(() => close());

const seen = async (from: string, forwardedFor?: string) =>
  (
    await requestFrom(from, base, {
      headers: forwardedFor === undefined ? {} : { 'X-Forwarded-For': forwardedFor },
    })
  ).json as { none: string; one: string; chain: string };

describe('the client address', () => {
  it('is the socket peer, whatever X-Forwarded-For says, when no proxy is trusted', async () => {
    expect((await seen('127.0.0.1', '203.0.113.9')).none).toBe('127.0.0.1');
    expect((await seen('127.0.0.2')).none).toBe('127.0.0.2');
  });

  it('is the right-most forwarded address that is not a trusted proxy, from a trusted peer only', async () => {
    expect(await seen('127.0.0.1', '203.0.113.9')).toMatchObject({
      one: '203.0.113.9',
      chain: '203.0.113.9',
    });
    // The client wrote the left part; the proxy appended what it saw.
    expect((await seen('127.0.0.1', '198.51.100.1, 203.0.113.9')).one).toBe('203.0.113.9');
    // A second trusted proxy in between is skipped; an untrusted one is the client.
    expect(await seen('127.0.0.1', '203.0.113.9, 10.1.2.3')).toMatchObject({
      one: '10.1.2.3',
      chain: '203.0.113.9',
    });
    expect((await seen('127.0.0.1', '2001:db8::7, 2001:db9::1')).chain).toBe('2001:db9::1');
    expect((await seen('127.0.0.1', '::ffff:203.0.113.9')).one).toBe('203.0.113.9');
    // A peer that is not a trusted proxy is the client, whatever it forwards.
    expect((await seen('127.0.0.2', '203.0.113.9')).one).toBe('127.0.0.2');
  });

  it('stops at the last trusted hop when a forwarded entry is no address, or there is none', async () => {
    expect((await seen('127.0.0.1', 'evil')).one).toBe('127.0.0.1');
    expect((await seen('127.0.0.1', '203.0.113.9, evil')).one).toBe('127.0.0.1');
    expect((await seen('127.0.0.1', '')).one).toBe('127.0.0.1');
    expect((await seen('127.0.0.1')).one).toBe('127.0.0.1');
    expect((await seen('127.0.0.1', '10.0.0.1, 10.0.0.2')).chain).toBe('10.0.0.1');
  });

  it('refuses a trusted proxy that is not an address or a network', () => {
    expect(() => trustedProxies(['10.0.0.0/8', '::1', '2001:db8::/32'])).not.toThrow();
    for (const bad of ['proxy.example.com', '10.0.0.0/33', '::1/129', '10.0.0.1/8/1', '10.0.0/8']) {
      expect(() => trustedProxies([bad])).toThrow(`"${bad}" is not an IP address or network`);
    }
  });

  it('is counted by /64 for IPv6, by address for IPv4', () => {
    expect(clientKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8:1:2:bbbb::2')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
    expect(clientKey('203.0.113.9')).toBe('203.0.113.9');
  });
});

describe('repeated security events', () => {
  it('are logged once at once, then as one summary per client when the window ends', async () => {
    const lines: Record<string, unknown>[] = [];
    const log = createSecurityLog(
      createLogger({ sink: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) }),
    );
    const failure = log.repeated('admin-auth-failure', 0.2);
    for (let i = 0; i < 100; i += 1) failure('203.0.113.9', { failures: i + 1 });
    failure('198.51.100.1', { failures: 1 });
    expect(lines).toMatchObject([
      {
        level: 'info',
        message: 'security event',
        event: 'admin-auth-failure',
        client: '203.0.113.9',
        failures: 1,
      },
      { event: 'admin-auth-failure', client: '198.51.100.1', failures: 1 },
    ]);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatchObject({
      event: 'admin-auth-failure',
      client: '203.0.113.9',
      repeats: 99,
      windowSeconds: 0.2,
    });
    // A new window starts with a line of its own.
    failure('203.0.113.9', { failures: 1 });
    expect(lines).toHaveLength(4);
  });
});
