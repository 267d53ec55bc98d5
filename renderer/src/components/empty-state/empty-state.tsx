import type { ReactNode } from 'react';
import './empty-state.css';

export interface EmptyStateProps {
  title: string;
  children?: ReactNode;
}

/** A centred message for a panel with nothing to show yet. */
export function EmptyState({ title, children }: EmptyStateProps) {
  return (
    <section className="empty-state" aria-label={title}>
      <svg className="empty-state__icon" viewBox="0 0 48 48" aria-hidden="true">
        <rect x="6" y="10" width="36" height="28" rx="4" />
        <path d="M6 18h36M14 26h12M14 31h8" />
      </svg>
      <h2 className="empty-state__title">{title}</h2>
      {children !== undefined && <div className="empty-state__body">{children}</div>}
    </section>
  );
}
