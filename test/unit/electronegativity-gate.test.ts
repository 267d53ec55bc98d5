import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** A copy of the Electron sources with one file swapped, laid out as the gate expects. */
function tree(change: (dir: string) => void): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'passdesk-gate-'));
  cpSync(path.join(ROOT, 'package.json'), path.join(dir, 'package.json'));
  cpSync(path.join(ROOT, 'electron'), path.join(dir, 'electron'), { recursive: true });
  mkdirSync(path.join(dir, 'out', 'renderer'), { recursive: true });
  writeFileSync(
    path.join(dir, 'out', 'renderer', 'index.html'),
    `<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self'; object-src 'none'; base-uri 'none'"></head><body></body></html>`,
  );
  change(dir);
  return dir;
}

function gate(dir: string): { code: number; output: string } {
  try {
    const output = execFileSync(
      process.execPath,
      [path.join(ROOT, 'scripts/electronegativity.ts'), '--root', dir],
      {
        encoding: 'utf8',
        stdio: 'pipe',
      },
    );
    return { code: 0, output };
  } catch (error) {
    const failed = error as { status: number; stdout: string };
    return { code: failed.status, output: failed.stdout };
  }
}

const windowFile = (dir: string) => path.join(dir, 'electron', 'main', 'window.ts');

describe('the Electronegativity gate', () => {
  it('passes the current sources', () => {
    const result = gate(tree(() => undefined));
    expect(result.output).toMatch(/0 blocking/);
    expect(result.code).toBe(0);
  }, 60_000);

  it('fails when a window turns off context isolation and the sandbox', () => {
    const result = gate(
      tree((dir) => {
        const source = readFileSync(windowFile(dir), 'utf8')
          .replace('nodeIntegration: false', 'nodeIntegration: true')
          .replace('contextIsolation: true', 'contextIsolation: false')
          .replace('sandbox: true', 'sandbox: false');
        writeFileSync(windowFile(dir), source);
      }),
    );
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/BLOCK CONTEXT_ISOLATION_JS_CHECK/);
    expect(result.output).toMatch(/BLOCK SANDBOX_JS_CHECK/);
  }, 60_000);

  it('fails when the page has no CSP', () => {
    const result = gate(
      tree((dir) => {
        writeFileSync(
          path.join(dir, 'out', 'renderer', 'index.html'),
          '<!doctype html><html><body></body></html>',
        );
        writeFileSync(
          path.join(dir, 'electron', 'main', 'index.ts'),
          readFileSync(path.join(dir, 'electron', 'main', 'index.ts'), 'utf8').replace(
            /session\.defaultSession\.webRequest\.onHeadersReceived[\s\S]*?\);\n/u,
            '',
          ),
        );
      }),
    );
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/BLOCK CSP_GLOBAL_CHECK/);
  }, 60_000);
});
