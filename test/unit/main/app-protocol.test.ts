import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerAppScheme, serveAppProtocol } from '../../../electron/main/app-protocol.ts';
import { loadRendererAsset, resolveAssetPath } from '../../../electron/main/renderer-assets.ts';
import { APP_CSP } from '../../../electron/main/security/content-security-policy.ts';
import { FakeProtocol } from '../../fakes/electron.ts';

let root: string;

beforeAll(() => {
  const base = mkdtempSync(path.join(tmpdir(), 'passdesk-assets-'));
  root = path.join(base, 'renderer');
  mkdirSync(path.join(root, 'assets'), { recursive: true });
  writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>ok</title>');
  writeFileSync(path.join(root, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(path.join(root, 'assets', 'notes.txt'), 'plain');
  writeFileSync(path.join(base, 'secret.json'), '{"token":"outside"}');
});

describe('resolveAssetPath', () => {
  it.each([
    'app://passdesk/../secret.json',
    'app://passdesk/%2e%2e/secret.json',
    'app://passdesk/assets/%2e%2e/%2e%2e/secret.json',
    'app://passdesk/..%5csecret.json',
    'app://passdesk/%00index.html',
    'app://passdesk/%E0%A4%A',
  ])('keeps %s inside the folder', async (url) => {
    const resolved = resolveAssetPath(root, url);
    expect(resolved === null || resolved.startsWith(root + path.sep)).toBe(true);
    const asset = await loadRendererAsset(root, url);
    expect(asset.status).toBe(404);
    expect(asset.body.toString()).not.toContain('outside');
  });

  it('maps / to index.html', () => {
    expect(resolveAssetPath(root, 'app://passdesk/')).toBe(path.join(root, 'index.html'));
  });
});

describe('loadRendererAsset', () => {
  it('serves known types and refuses unknown ones', async () => {
    expect((await loadRendererAsset(root, 'app://passdesk/assets/app.js')).contentType).toMatch(
      /javascript/,
    );
    expect((await loadRendererAsset(root, 'app://passdesk/assets/notes.txt')).status).toBe(404);
    expect((await loadRendererAsset(root, 'app://passdesk/missing.js')).status).toBe(404);
  });
});

describe('the app:// protocol', () => {
  it('is registered as a secure standard scheme, with the code cache', () => {
    const protocol = new FakeProtocol();
    registerAppScheme(protocol);
    expect(protocol.privileged).toEqual([
      {
        scheme: 'app',
        privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
      },
    ]);
  });

  it('serves the renderer with the CSP on every response', async () => {
    const protocol = new FakeProtocol();
    serveAppProtocol(protocol, root);
    const handler = protocol.handlers.get('app');
    if (handler === undefined) throw new Error('app:// has no handler');
    const page = await handler(new Request('app://passdesk/index.html'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(APP_CSP);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toContain('<title>ok</title>');

    const other = await handler(new Request('app://elsewhere/index.html'));
    expect(other.status).toBe(404);
    expect(other.headers.get('content-security-policy')).toBe(APP_CSP);
    const post = await handler(
      new Request('app://passdesk/index.html', { method: 'POST', body: 'x' }),
    );
    expect(post.status).toBe(404);
  });

  it('has a CSP that allows no inline script, eval or remote host', () => {
    expect(APP_CSP).toContain("default-src 'none'");
    expect(APP_CSP).toContain("script-src 'self'");
    expect(APP_CSP).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
  });
});
