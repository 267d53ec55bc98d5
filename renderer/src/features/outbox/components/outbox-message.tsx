import { useMemo } from 'react';
import { errorText } from '../../../lib/query.ts';
import { useOpenOutboxLink, useOutboxMessage } from '../api/outbox.ts';
import { emailDocument } from '../model/email-document.ts';
import { DeliveryBadge, sentTime } from './delivery-badge.tsx';

/**
 * One sent email as its recipient sees it, in a frame that runs nothing (`sandbox=""`: no
 * scripts, no origin of its own, no popups), and a button that has the main process open its
 * Reset link.
 */
export function OutboxMessage({ id }: { id: number }) {
  const query = useOutboxMessage(id);
  const opening = useOpenOutboxLink();
  const message = query.data ?? null;
  const document = useMemo(() => (message === null ? '' : emailDocument(message)), [message]);

  if (query.error !== null) {
    return (
      <section className="outbox__message" aria-label="Email">
        <p className="banner banner--error" role="alert">
          This email could not be read: {errorText(query.error)}
        </p>
      </section>
    );
  }
  if (message === null) {
    return (
      <section className="outbox__message" aria-label="Email">
        <p role="status" className="outbox__hint">
          Loading the email…
        </p>
      </section>
    );
  }
  return (
    <section className="outbox__message" aria-label={`Email: ${message.subject}`}>
      <header className="outbox__head">
        <h3 className="outbox__title">{message.subject}</h3>
        <dl className="outbox__meta">
          <dt>From</dt>
          <dd>{message.from}</dd>
          <dt>To</dt>
          <dd>{message.to}</dd>
          <dt>Sent</dt>
          <dd>
            <time dateTime={message.sentAt}>{sentTime(message.sentAt)}</time>
          </dd>
          <dt>Delivery</dt>
          <dd>
            <DeliveryBadge delivery={message.delivery} />
          </dd>
        </dl>
      </header>
      {/* A new frame when the copy shown loses its link: swapping a sandboxed frame's srcdoc
          left it blank now and then under load (seen in the e2e suite, 2 runs in 12). */}
      <iframe
        key={`${message.id}:${String(message.hasResetLink)}`}
        className="outbox__frame"
        title="The email as its recipient sees it"
        sandbox=""
        referrerPolicy="no-referrer"
        srcDoc={document}
      />
      {message.hasResetLink && (
        <div className="outbox__actions">
          <button
            type="button"
            className="button button--primary"
            disabled={opening.isPending}
            onClick={() => opening.mutate(message.id)}
          >
            Open the Reset link in the browser
          </button>
          <span className="outbox__hint">Links in the preview above do nothing.</span>
          {opening.data !== undefined && (
            <span
              role="status"
              className={`outbox__opened${opening.data.opened ? '' : ' outbox__opened--not'}`}
            >
              {opening.data.opened
                ? 'Opened in your browser.'
                : 'This PassDesk has no browser to open links in.'}
            </span>
          )}
        </div>
      )}
      {opening.error !== null && (
        <p className="banner banner--error" role="alert">
          The Reset link was not opened: {errorText(opening.error)}
        </p>
      )}
    </section>
  );
}
