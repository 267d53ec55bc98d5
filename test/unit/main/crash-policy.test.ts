import { EventEmitter } from 'node:events';
import type { App, WebContents } from 'electron';
import { describe, expect, it } from 'vitest';
import { watchRenderer } from '../../../electron/main/crash-policy.ts';
import { installGlobalErrorHandlers } from '../../../electron/main/global-errors.ts';
import { createNoticeBoard } from '../../../electron/main/services/notices.ts';
import type { Notice } from '../../../shared/ipc/index.ts';
import { createLogger } from '../../../shared/log/index.ts';

/** A window's contents that can be told its renderer died, and count its reloads. */
class FakeContents extends EventEmitter {
  reloads = 0;
  reload(): void {
    this.reloads += 1;
  }
  isDestroyed(): boolean {
    return false;
  }
  die(reason: string): void {
    this.emit('render-process-gone', {}, { reason, exitCode: 133 });
  }
}

function setup() {
  const published: Notice[] = [];
  const lines: string[] = [];
  const notices = createNoticeBoard({ publish: (notice) => published.push(notice) });
  const contents = new FakeContents();
  const gaveUp: string[] = [];
  let now = 0;
  watchRenderer(contents as unknown as WebContents, {
    notices,
    logger: createLogger({ sink: (line) => lines.push(line) }),
    giveUp: (message) => gaveUp.push(message),
    now: () => now,
  });
  return { notices, published, contents, gaveUp, lines, later: (ms: number) => (now += ms) };
}

describe('when the window’s renderer dies', () => {
  it('reloads it, and the reloaded window is told why', () => {
    const w = setup();
    expect(w.notices.take()).toEqual([]); // the window is up
    w.contents.die('crashed');
    expect(w.contents.reloads).toBe(1);
    expect(w.published).toEqual([]); // nobody to tell until it is back
    const missed = w.notices.take();
    expect(missed).toMatchObject([{ kind: 'renderer-restarted' }]);
    expect(missed[0]?.message).toContain('stopped unexpectedly (crashed) and was reloaded');
    expect(w.notices.take()).toEqual([]); // once
    expect(w.lines.join('\n')).toContain('renderer died');
  });

  it('leaves a clean exit alone', () => {
    const w = setup();
    w.contents.die('clean-exit');
    expect(w.contents.reloads).toBe(0);
    expect(w.notices.take()).toEqual([]);
  });

  it('stops reloading after three deaths in a minute, and says to restart', () => {
    const w = setup();
    for (let i = 0; i < 4; i += 1) {
      w.contents.die('oom');
      w.later(10_000);
    }
    expect(w.contents.reloads).toBe(3);
    expect(w.gaveUp).toHaveLength(1);
    expect(w.gaveUp[0]).toContain('Restart PassDesk');
    w.later(60_000);
    w.contents.die('crashed');
    expect(w.contents.reloads).toBe(4);
  });
});

describe('the notice board', () => {
  it('tells a listening window at once, and keeps what a missing one missed', () => {
    const w = setup();
    w.notices.post('main-error', 'Kept.');
    w.notices.take();
    w.notices.post('main-error', 'Told at once.');
    expect(w.published.map((n) => n.message)).toEqual(['Told at once.']);
  });
});

describe('main’s unexpected errors', () => {
  it('are logged and told to the operator, without their details', () => {
    const proc = new EventEmitter();
    const lines: string[] = [];
    const told: string[] = [];
    installGlobalErrorHandlers(
      new EventEmitter() as unknown as Pick<App, 'on'>,
      createLogger({ sink: (line) => lines.push(line) }),
      (message) => told.push(message),
      proc as unknown as NodeJS.Process,
    );
    proc.emit('uncaughtException', new Error('token=abc123 went wrong'));
    proc.emit('unhandledRejection', new Error('later'));
    expect(told).toHaveLength(2);
    expect(told[0]).toContain('PassDesk hit an unexpected error');
    expect(told.join(' ')).not.toContain('abc123');
    expect(lines.join('\n')).toContain('uncaught exception');
  });
});
