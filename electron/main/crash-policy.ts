import type { RenderProcessGoneDetails, WebContents } from 'electron';
import type { Logger } from '../../shared/log/index.ts';
import type { NoticeBoard } from './services/notices.ts';

/** More crashes than this within `WINDOW_MS` and the window is not reloaded again. */
const MAX_RELOADS = 3;
const WINDOW_MS = 60_000;

export interface CrashPolicyOptions {
  notices: Pick<NoticeBoard, 'post' | 'windowGone'>;
  logger: Logger;
  /** When the window keeps dying: told once, instead of reloading it again. */
  giveUp: (message: string) => void;
  now?: () => number;
}

/**
 * A renderer that dies other than by a clean exit (a crash, killed, out of memory) is reloaded,
 * and the reloaded window says so; jobs run in the main process and go on meanwhile. A renderer
 * that dies again and again is not reloaded in a loop: after three times in a minute the
 * operator is told to restart PassDesk.
 */
export function watchRenderer(
  contents: Pick<WebContents, 'on' | 'reload' | 'isDestroyed'>,
  options: CrashPolicyOptions,
): void {
  const now = options.now ?? Date.now;
  let reloads: number[] = [];
  contents.on('render-process-gone', (_event: unknown, details: RenderProcessGoneDetails) => {
    if (details.reason === 'clean-exit') return;
    options.logger.error('the window’s renderer died', {
      reason: details.reason,
      exitCode: details.exitCode,
    });
    options.notices.windowGone();
    const at = now();
    reloads = [...reloads.filter((t) => at - t < WINDOW_MS), at];
    if (reloads.length > MAX_RELOADS) {
      options.giveUp(
        `PassDesk’s window stopped unexpectedly ${MAX_RELOADS + 1} times within a minute (${details.reason}). Restart PassDesk; running jobs have been kept and are settled at the next start.`,
      );
      return;
    }
    options.notices.post(
      'renderer-restarted',
      `PassDesk’s window stopped unexpectedly (${details.reason}) and was reloaded: the table was loaded again and nothing is selected. Jobs went on in the background.`,
    );
    if (!contents.isDestroyed()) contents.reload();
  });
}
