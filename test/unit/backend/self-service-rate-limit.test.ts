import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientAt, requestFrom, statusesOf } from './from-address.ts';
import { latestLink, startTestBackend, tokenOf, type TestBackend } from './harness.ts';

/**
 * The defaults: 60 page loads per client and 60 API calls per link a minute; 20 tokens that open
 * no link per client a minute. Each test speaks from addresses of its own (127.0.0.x), so they
 * share one backend without sharing a budget.
 */
let backend: TestBackend;
beforeAll(async () => {
  backend = await startTestBackend();
});
afterAll(() => backend.close());

const bogusToken = (): string => randomBytes(32).toString('base64url');
const PASSWORD = 'Kq7!mP2#wz';
const issued: string[] = [];

/** A live link's token for the user, as its email carries it. */
async function linkTokenFor(userId: string): Promise<string> {
  await backend.api('POST', '/api/v1/recovery-emails', { userIds: [userId] });
  const users = (await backend.api('GET', '/api/v1/users?limit=5000')).json as {
    users: { id: string; email: string | null }[];
  };
  const email = users.users.find((u) => u.id === userId)?.email;
  if (email == null) throw new Error(`${userId} has no email`);
  const token = tokenOf(await latestLink(backend, email));
  issued.push(token);
  return token;
}

const client = (address: string) => {
  const at = clientAt(address, backend.url);
  return {
    page: (token: string) => at(`/reset/${token}`),
    session: (token: string) => at('/api/v1/self-service/session', token),
    changePassword: (token: string) =>
      at('/api/v1/self-service/password', token, {
        method: 'POST',
        body: JSON.stringify({ password: PASSWORD, confirmation: PASSWORD }),
      }),
    get: (pathname: string) => at(pathname),
  };
};

/** A flood of tokens that open nothing: 20 answered 410, the rest 429. */
async function flood(address: string, count: number): Promise<number[]> {
  const attacker = client(address);
  return statusesOf(count, () => attacker.session(bogusToken()));
}

describe('a flood of bogus tokens', () => {
  it('locks out only the client sending it: another client’s valid link works', async () => {
    const token = await linkTokenFor('11635-01');
    const statuses = await flood('127.0.0.2', 100);
    expect(statuses.filter((s) => s === 410)).toHaveLength(20);
    expect(statuses.filter((s) => s === 429)).toHaveLength(80);

    const holder = client('127.0.0.3');
    expect((await holder.page(token)).status).toBe(200);
    expect((await holder.session(token)).status).toBe(200);
    const changed = await holder.changePassword(token);
    expect(changed.status).toBe(200);
    expect(changed.json).toMatchObject({ outcome: 'changed' });
  });

  it('from the holder’s own address leaves a link already opened there working, and refuses others with Retry-After', async () => {
    const opened = await linkTokenFor('11635-02');
    const notYetOpened = await linkTokenFor('11635-04');
    const shared = client('127.0.0.4');
    expect((await shared.session(opened)).status).toBe(200);

    const statuses = await flood('127.0.0.4', 51);
    expect(statuses.filter((s) => s === 429)).toHaveLength(31);

    // The link opened before the flood carries on: no guess could have made it pass.
    expect((await shared.session(opened)).status).toBe(200);
    expect((await shared.changePassword(opened)).json).toMatchObject({ outcome: 'changed' });
    // A right token not seen from here before is refused like a guess, for one window at most.
    const refused = await shared.session(notYetOpened);
    expect(refused.status).toBe(429);
    expect(refused.json).toMatchObject({ error: { code: 'rate-limited' } });
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // The page itself still loads there (it checks no token), and the link works elsewhere.
    expect((await shared.page(notYetOpened)).status).toBe(200);
    expect((await client('127.0.0.5').session(notYetOpened)).status).toBe(200);
  });
});

describe('the reset page', () => {
  it('does not count its static assets', async () => {
    const visitor = client('127.0.0.6');
    const page = await visitor.page(bogusToken());
    const assets = [...page.text.matchAll(/(?:src|href)="\.\/(assets\/[^"]+)"/gu)].map((m) => m[1]);
    expect(assets.length).toBeGreaterThan(0);
    const statuses = await statusesOf(150, (i) =>
      visitor.get(`/reset/${assets[i % assets.length] ?? ''}`),
    );
    expect(new Set(statuses)).toEqual(new Set([200]));
    // 1 page load of 60 used, not 151.
    expect(await statusesOf(59, () => visitor.page(bogusToken()))).not.toContain(429);
  });

  it('says in words, as a page, how long to wait once its client has loaded it too often', async () => {
    const token = await linkTokenFor('11635-05');
    const busy = client('127.0.0.7');
    expect(await statusesOf(60, () => busy.page(token))).not.toContain(429);
    const limited = await busy.page(token);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toMatch(/^text\/html/u);
    expect(limited.headers.get('content-security-policy')).toMatch(/default-src 'none'/u);
    const seconds = Number(limited.headers.get('retry-after'));
    expect(seconds).toBeGreaterThanOrEqual(1);
    expect(limited.text).toContain('<h2 id="problem-title">Please wait a moment</h2>');
    // In the page's own look: its stylesheets, which are served whatever the limit.
    const stylesheet = /<link rel="stylesheet" crossorigin href="\.\/(assets\/[^"]+\.css)">/u.exec(
      limited.text,
    )?.[1];
    expect(stylesheet).toBeDefined();
    expect((await busy.get(`/reset/${stylesheet ?? ''}`)).status).toBe(200);
    expect(limited.text).toMatch(new RegExp(`Wait ${seconds} seconds?`, 'u'));
    expect(limited.text).toContain(`<meta http-equiv="refresh" content="${seconds}">`);
    expect(limited.json).toBeNull();
    expect(limited.text).not.toContain(token);
    // The page loads did not spend the link: its API calls go on, from there too.
    expect((await busy.session(token)).status).toBe(200);
    expect((await client('127.0.0.8').page(token)).status).toBe(200);
  });
});

describe('a live link', () => {
  it('has a budget of its own, which no other link spends', async () => {
    const busy = await linkTokenFor('11635-08');
    const other = await linkTokenFor('11635-11');
    const holder = client('127.0.0.9');
    expect(await statusesOf(60, () => holder.session(busy))).not.toContain(429);
    const limited = await holder.session(busy);
    expect(limited.status).toBe(429);
    expect(limited.json).toMatchObject({ error: { message: /with this link/u } });
    expect((await holder.session(other)).status).toBe(200);
  });
});

describe('security events', () => {
  it('are logged at info level, a few lines per client and kind, with no token or password', () => {
    const events = backend.logLines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.message === 'security event');
    const of = (client: string) => events.filter((e) => e.client === client).map((e) => e.event);
    expect(of('127.0.0.2')).toEqual(['recovery-token-refused', 'recovery-token-locked']);
    expect(events.find((e) => e.client === '127.0.0.2')).toMatchObject({
      level: 'info',
      failures: 1,
    });
    expect(of('127.0.0.4')).toEqual(['recovery-token-refused', 'recovery-token-locked']);
    expect(of('127.0.0.7')).toEqual(['reset-page-rate-limited']);
    expect(of('127.0.0.9')).toEqual(['recovery-link-rate-limited']);
    const logs = backend.logLines.join('\n');
    expect(issued.length).toBeGreaterThan(5);
    for (const secret of [...issued, PASSWORD, backend.token]) expect(logs).not.toContain(secret);
  });
});

describe('behind a trusted reverse proxy', () => {
  it('counts each X-Forwarded-For client apart, and ignores the header from anyone else', async () => {
    const proxied = await startTestBackend({ trustProxy: ['127.0.0.1'] });
    try {
      const from = (forwardedFor: string) =>
        requestFrom('127.0.0.1', `${proxied.url}/api/v1/self-service/session`, {
          headers: { Authorization: `Bearer ${bogusToken()}`, 'X-Forwarded-For': forwardedFor },
        });
      const attacker = await statusesOf(30, () => from('203.0.113.7'));
      expect(attacker.filter((s) => s === 429)).toHaveLength(10);
      // Another end user behind the same proxy is not held up by the flood.
      expect((await from('198.51.100.20')).status).toBe(410);
      // A client that is not the proxy and names the locked one is not believed: its header
      // counts for nothing, and it is counted as the address it speaks from.
      const pretender = await requestFrom(
        '127.0.0.9',
        `${proxied.url}/api/v1/self-service/session`,
        { headers: { Authorization: `Bearer ${bogusToken()}`, 'X-Forwarded-For': '203.0.113.7' } },
      );
      expect(pretender.status).toBe(410);
    } finally {
      await proxied.close();
    }
  });
});
