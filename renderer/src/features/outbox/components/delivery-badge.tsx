import type { OutboxSummary } from '../../../../../shared/api/index.ts';

type Delivery = OutboxSummary['delivery'];

const WORDS: Record<Delivery, string> = {
  'outbox-only': 'Outbox only',
  sending: 'Sending…',
  delivered: 'Delivered',
  failed: 'Failed',
};

const HINTS: Record<Delivery, string> = {
  'outbox-only': 'No SMTP server is set: the email was kept here only.',
  sending: 'Stored, and being handed to the SMTP server.',
  delivered: 'Handed to the SMTP server for delivery.',
  failed: 'The SMTP server did not take it; it was kept here.',
};

export function DeliveryBadge({ delivery }: { delivery: Delivery }) {
  return (
    <span className={`outbox-delivery outbox-delivery--${delivery}`} title={HINTS[delivery]}>
      {WORDS[delivery]}
    </span>
  );
}

export const sentTime = (sentAt: string): string => new Date(sentAt).toLocaleString();
