import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { Notice } from '../../../shared/ipc/index.ts';
import { getApi } from '../lib/api.ts';
import { unwrap } from '../lib/query.ts';
import './notices.css';

/**
 * What the main process must tell the operator unasked (the window was reloaded after its
 * renderer died, main hit an unexpected error): those it kept while the window was gone, taken
 * once at start, then each as it comes. Each stays until dismissed.
 */
export function Notices() {
  const missed = useQuery({
    queryKey: ['notices', 'missed'],
    queryFn: () => unwrap(getApi().takeNotices()),
    staleTime: Infinity,
    gcTime: Infinity,
  });
  const [live, setLive] = useState<Notice[]>([]);
  const [dismissed, setDismissed] = useState<ReadonlySet<string>>(new Set());
  useEffect(() => getApi().onNotice((notice) => setLive((before) => [...before, notice])), []);
  const shown = [...(missed.data ?? []), ...live].filter((n) => !dismissed.has(n.id));
  // Always there (empty when there is nothing to say): the window's layout has a row for it.
  return (
    <div className="notices" aria-label="Notices">
      {shown.map((notice) => (
        <div key={notice.id} className="banner banner--warning notices__item" role="alert">
          <span>{notice.message}</span>
          <button
            type="button"
            className="button button--small"
            onClick={() => setDismissed((ids) => new Set([...ids, notice.id]))}
          >
            Dismiss
          </button>
        </div>
      ))}
    </div>
  );
}
