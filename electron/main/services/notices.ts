import { randomUUID } from 'node:crypto';
import type { Notice } from '../../../shared/ipc/index.ts';

const KEPT = 20;

/**
 * What the operator must hear of that no screen asked for. A notice posted while the window
 * listens goes to it at once (an event); one posted while it does not (its renderer died and is
 * being reloaded) waits, and the window takes it when it starts again.
 */
export function createNoticeBoard(options: {
  publish: (notice: Notice) => void;
  now?: () => Date;
}) {
  const now = options.now ?? (() => new Date());
  let waiting: Notice[] = [];
  let listening = false;

  return {
    post(kind: Notice['kind'], message: string): Notice {
      const notice: Notice = { id: randomUUID(), kind, message, at: now().toISOString() };
      if (listening) options.publish(notice);
      else waiting = [...waiting, notice].slice(-KEPT);
      return notice;
    },
    /** The window started (or started again): it gets what it missed, once. */
    take(): Notice[] {
      listening = true;
      const missed = waiting;
      waiting = [];
      return missed;
    },
    /** The window is gone (its renderer died): notices wait for the next one. */
    windowGone(): void {
      listening = false;
    },
  };
}
export type NoticeBoard = ReturnType<typeof createNoticeBoard>;
