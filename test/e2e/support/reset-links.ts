import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, type Page } from '@playwright/test';
import { openedUrlsOf } from './chromium-host.ts';

const RESET_LINK = /http:\/\/127\.0\.0\.1:\d+\/reset\/[A-Za-z0-9_-]{43}/u;

/**
 * The Reset link the app has just handed to the system browser ("Open the Reset link in the
 * browser"; `before`: how many links it had handed over until then). The Chromium host records
 * it. Under Electron shell.openExternal opens the real browser and nothing records it, so the
 * link is read where the recipient's copy is kept instead: the newest .eml of the built-in
 * backend's outbox that still holds a live link (no SMTP server is set in the specs).
 */
export async function resetLinkHandedOver(
  page: Page,
  dataDir: string,
  before = 0,
): Promise<string> {
  const opened = openedUrlsOf(page);
  if (opened !== null) {
    await expect.poll(() => opened.length).toBe(before + 1);
    return opened.at(-1) ?? '';
  }
  const folder = path.join(dataDir, 'backend', 'outbox');
  for (const name of readdirSync(folder).sort().reverse()) {
    // Quoted-printable: soft line breaks and =3D come out before the link is looked for.
    const raw = readFileSync(path.join(folder, name), 'utf8')
      .replace(/=\r?\n/gu, '')
      .replace(/=3D/gu, '=');
    const link = RESET_LINK.exec(raw)?.[0];
    if (link !== undefined) return link;
  }
  return '';
}
