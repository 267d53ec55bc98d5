import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const unit = readFileSync(path.join(ROOT, 'deploy/passdesk-backend.service'), 'utf8');

/** `Key=value` settings of the unit, each key's values in order (comments and sections out). */
function settings(text: string): Map<string, string[]> {
  const joined = text.replace(/\\\n\s*/gu, ' ');
  const out = new Map<string, string[]>();
  for (const line of joined.split('\n')) {
    const match = /^([A-Za-z]+)=(.*)$/u.exec(line.trim());
    if (match === null) continue;
    const [, key = '', value = ''] = match;
    out.set(key, [...(out.get(key) ?? []), value.trim()]);
  }
  return out;
}

describe('the systemd unit example (deploy/passdesk-backend.service)', () => {
  const unitSettings = settings(unit);
  const execStart = unitSettings.get('ExecStart')?.[0] ?? '';

  it('starts the backend with flags the CLI knows', () => {
    expect(execStart).toMatch(/^\/usr\/bin\/node electron\/backend\/cli\.ts /u);
    const help = spawnSync(
      process.execPath,
      [path.join(ROOT, 'electron/backend/cli.ts'), '--help'],
      {
        encoding: 'utf8',
      },
    );
    expect(help.status).toBe(0);
    const flags = [...execStart.matchAll(/\s(--[a-z-]+)/gu)].map((m) => m[1] ?? '');
    expect(flags.length).toBeGreaterThan(5);
    for (const flag of flags) expect(help.stdout, flag).toContain(flag);
  });

  it('runs it for real: no demo users, an https public URL, SMTP, kept admin tokens', () => {
    expect(execStart).toContain('--seed none');
    expect(execStart).toMatch(/--public-url https:\/\//u);
    expect(execStart).toContain('--trust-proxy 127.0.0.1');
    expect(execStart).toContain('--smtp-host');
    expect(execStart).toMatch(/--mail-from "[^"]+<[^@\s]+@[^>\s]+>"/u);
    expect(execStart).toContain('--admin-tokens');
    expect(execStart).not.toContain('--test-hashing');
  });

  it('passes no secret as an argument or in the unit', () => {
    expect(execStart).not.toMatch(/--smtp-password(?!-file)/u);
    expect(unit).not.toMatch(/PASSDESK_(ADMIN_TOKEN|SMTP_PASSWORD)=/u);
    expect(unitSettings.get('LoadCredential')).toEqual([
      'smtp-password:/etc/passdesk/smtp-password',
    ]);
  });

  it('runs as its own user, with a private data folder, hardened', () => {
    expect(unitSettings.get('User')).toEqual(['passdesk']);
    expect(unitSettings.get('StateDirectory')).toEqual(['passdesk']);
    expect(unitSettings.get('StateDirectoryMode')).toEqual(['0700']);
    expect(unitSettings.get('UMask')).toEqual(['0077']);
    for (const key of ['NoNewPrivileges', 'ProtectHome', 'PrivateTmp'])
      expect(unitSettings.get(key), key).toEqual(['true']);
    expect(unitSettings.get('ProtectSystem')).toEqual(['strict']);
    expect(execStart).toContain('--data-dir /var/lib/passdesk');
  });
});
