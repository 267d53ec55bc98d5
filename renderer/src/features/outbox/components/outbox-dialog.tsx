import { useState } from 'react';
import { EmptyState } from '../../../components/empty-state/empty-state.tsx';
import { Modal } from '../../../components/modal/modal.tsx';
import { errorText } from '../../../lib/query.ts';
import { useOutbox } from '../api/outbox.ts';
import { DeliveryBadge, sentTime } from './delivery-badge.tsx';
import { OutboxMessage } from './outbox-message.tsx';
import './outbox-dialog.css';

/** The built-in backend's outbox: what it sent, newest first; pick one to read it. */
export function OutboxDialog({ onClose }: { onClose: () => void }) {
  const outbox = useOutbox();
  const [selected, setSelected] = useState<number | null>(null);
  const messages = outbox.data?.pages.flatMap((page) => page.messages) ?? [];

  return (
    <Modal
      title="Outbox"
      description="The emails the built-in backend sent, newest first."
      width="wide"
      onClose={onClose}
      footer={
        <button
          type="button"
          className="button"
          disabled={outbox.isFetching}
          onClick={() => void outbox.refetch()}
        >
          Refresh
        </button>
      }
    >
      {outbox.error !== null && (
        <p className="banner banner--error outbox__error" role="alert">
          The outbox could not be read: {errorText(outbox.error)}
        </p>
      )}
      {outbox.isPending ? (
        <p role="status" className="outbox__hint">
          Loading the outbox…
        </p>
      ) : messages.length === 0 ? (
        outbox.error === null && (
          <EmptyState title="No emails sent yet">
            <p>
              Recovery emails sent with Forgot Password(s), and the confirmations users get after
              using their link, appear here.
            </p>
          </EmptyState>
        )
      ) : (
        <div className="outbox">
          <div className="outbox__side">
            <ul className="outbox__list" aria-label="Sent emails">
              {messages.map((message) => (
                <li key={message.id}>
                  <button
                    type="button"
                    className="outbox__item"
                    aria-pressed={selected === message.id}
                    onClick={() => setSelected(message.id)}
                  >
                    <span className="outbox__to" title={message.to}>
                      {message.to}
                    </span>
                    <span className="outbox__subject">{message.subject}</span>
                    <span className="outbox__item-bottom">
                      <time className="outbox__time" dateTime={message.sentAt}>
                        {sentTime(message.sentAt)}
                      </time>
                      <DeliveryBadge delivery={message.delivery} />
                    </span>
                  </button>
                </li>
              ))}
            </ul>
            {outbox.hasNextPage && (
              <button
                type="button"
                className="button button--small outbox__more"
                disabled={outbox.isFetchingNextPage}
                onClick={() => void outbox.fetchNextPage()}
              >
                {outbox.isFetchingNextPage ? 'Loading…' : 'Load more'}
              </button>
            )}
          </div>
          {selected === null ? (
            <p className="outbox__message outbox__hint outbox__pick">
              Choose an email to see it as its recipient does.
            </p>
          ) : (
            <OutboxMessage key={selected} id={selected} />
          )}
        </div>
      )}
    </Modal>
  );
}
