import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { AppHeader } from '../../renderer/src/app/app-header.tsx';
import { OutboxDialog } from '../../renderer/src/features/outbox/index.ts';
import { fail, ok, type OutboxMessageView } from '../../shared/ipc/index.ts';
import { installFakeApi } from './fake-api.ts';
import { renderWithApp } from './render.tsx';

const recovery: OutboxMessageView = {
  id: 2,
  kind: 'recovery-link',
  to: 'ahudachek1@example.com',
  from: 'PassDesk Password Reset <password-reset@passdesk.invalid>',
  subject: 'Reset your telephony passwords',
  sentAt: '2026-11-27T10:05:00.000Z',
  delivery: 'outbox-only',
  text: 'Hello Alicia,\nhttp://127.0.0.1:1234/reset/[hidden]',
  html: `<!doctype html><html><head><title>Reset</title></head><body style="margin:0">
<p>Hello Alicia,</p><script>parent.alert('x')</script>
<p><a href="http://127.0.0.1:1234/reset/[hidden]" style="color:#fff">Reset</a></p></body></html>`,
  hasResetLink: true,
};

const confirmation: OutboxMessageView = {
  id: 1,
  kind: 'change-confirmation',
  to: 'bsmith2@example.com',
  from: 'PassDesk Password Reset <password-reset@passdesk.invalid>',
  subject: 'Your Application Password was changed',
  sentAt: '2026-11-27T10:00:00.000Z',
  delivery: 'failed',
  text: 'Hello Ben,\nYour Application Password was changed.',
  html: '',
  hasResetLink: false,
};

function setup(messages: OutboxMessageView[] = [recovery, confirmation]) {
  const api = installFakeApi();
  api.outbox = messages;
  const closed: string[] = [];
  const rendered = renderWithApp(<OutboxDialog onClose={() => closed.push('closed')} />);
  return { api, closed, ...rendered };
}

const frame = () =>
  screen.getByTitle<HTMLIFrameElement>('The email as its recipient sees it', { exact: true });

describe('the Outbox', () => {
  it('lists what was sent, newest first, with its recipient, subject, time and delivery', async () => {
    setup();
    const list = await screen.findByRole('list', { name: 'Sent emails' });
    const items = within(list).getAllByRole('button');
    expect(items.map((item) => item.textContent)).toEqual([
      expect.stringContaining('ahudachek1@example.com'),
      expect.stringContaining('bsmith2@example.com'),
    ]);
    expect(items[0]).toHaveTextContent('Reset your telephony passwords');
    expect(items[0]).toHaveTextContent('Outbox only');
    expect(items[0]).toHaveTextContent(new Date(recovery.sentAt).toLocaleString());
    expect(items[1]).toHaveTextContent('Your Application Password was changed');
    expect(items[1]).toHaveTextContent('Failed');
    expect(screen.getByText('Choose an email to see it as its recipient does.')).toBeVisible();
  });

  it('shows an email in a frame that runs nothing, its links inert, under a strict CSP', async () => {
    const { api } = setup();
    await userEvent.click(await screen.findByRole('button', { name: /ahudachek1@example\.com/u }));
    const email = await screen.findByRole('region', {
      name: 'Email: Reset your telephony passwords',
    });
    expect(within(email).getByText(recovery.from)).toBeVisible();
    expect(api.calls).toContainEqual({ method: 'getOutboxMessage', input: { id: 2 } });

    const iframe = frame();
    expect(iframe.getAttribute('sandbox')).toBe('');
    const doc = new DOMParser().parseFromString(iframe.getAttribute('srcdoc') ?? '', 'text/html');
    const csp = doc.head.firstElementChild;
    expect(csp?.getAttribute('http-equiv')).toBe('Content-Security-Policy');
    expect(csp?.getAttribute('content')).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
    );
    expect(doc.body.textContent).toContain('Hello Alicia,');
    expect(doc.querySelector('a')?.textContent).toBe('Reset');
    expect(doc.querySelector('a')?.getAttribute('style')).toBe('color:#fff');
    expect(doc.querySelectorAll('[href]')).toHaveLength(0);
    expect(doc.querySelectorAll('script')).toHaveLength(0);
  });

  it('has the main process open the Reset link, and shows that it did', async () => {
    const { api } = setup();
    await userEvent.click(await screen.findByRole('button', { name: /ahudachek1@example\.com/u }));
    await userEvent.click(
      await screen.findByRole('button', { name: 'Open the Reset link in the browser' }),
    );
    expect(api.calls.filter((call) => call.method === 'openOutboxLink')).toEqual([
      { method: 'openOutboxLink', input: { id: 2 } },
    ]);
    expect(await screen.findByRole('status')).toHaveTextContent('Opened in your browser.');
  });

  it('shows why the link was not opened', async () => {
    const { api } = setup();
    api.openLinkFailure = fail(
      'forbidden',
      'PassDesk opens only links to the built-in backend (http://127.0.0.1:1234).',
    );
    await userEvent.click(await screen.findByRole('button', { name: /ahudachek1@example\.com/u }));
    await userEvent.click(
      await screen.findByRole('button', { name: 'Open the Reset link in the browser' }),
    );
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'PassDesk opens only links to the built-in backend (http://127.0.0.1:1234).',
    );
  });

  it('shows a text-only email as text, with no Reset button when it has no link', async () => {
    setup();
    await userEvent.click(await screen.findByRole('button', { name: /bsmith2@example\.com/u }));
    await screen.findByRole('region', { name: 'Email: Your Application Password was changed' });
    const doc = new DOMParser().parseFromString(frame().getAttribute('srcdoc') ?? '', 'text/html');
    expect(doc.body.innerHTML).toBe('Hello Ben,<br>Your Application Password was changed.');
    expect(screen.queryByRole('button', { name: /Open the Reset link/u })).toBeNull();
  });

  it('shows an email again as the backend keeps it now: without its link once that has ended', async () => {
    const { api } = setup();
    await userEvent.click(await screen.findByRole('button', { name: /ahudachek1@example\.com/u }));
    expect(
      await screen.findByRole('button', { name: 'Open the Reset link in the browser' }),
    ).toBeVisible();
    await userEvent.click(screen.getByRole('button', { name: /bsmith2@example\.com/u }));
    await screen.findByRole('region', { name: 'Email: Your Application Password was changed' });

    const removed = '[Link removed: it was used, replaced by a newer link, voided, or it expired.]';
    api.outbox = [
      {
        ...recovery,
        text: `Hello Alicia,\n${removed}`,
        html: `<p><em>${removed}</em></p>`,
        hasResetLink: false,
      },
      confirmation,
    ];
    await userEvent.click(screen.getByRole('button', { name: /ahudachek1@example\.com/u }));
    await waitFor(() => expect(frame().getAttribute('srcdoc')).toContain(removed));
    expect(screen.queryByRole('button', { name: /Open the Reset link/u })).toBeNull();
  });

  it('says so when nothing was sent yet', async () => {
    setup([]);
    expect(await screen.findByRole('region', { name: 'No emails sent yet' })).toBeVisible();
  });

  it('shows a failure to list instead of an empty outbox', async () => {
    const api = installFakeApi();
    api.outboxFailure = fail(
      'not-found',
      'The outbox is kept only by the built-in backend; PassDesk is using a remote backend.',
    );
    renderWithApp(<OutboxDialog onClose={() => undefined} />);
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The outbox is kept only by the built-in backend',
    );
    expect(screen.queryByRole('region', { name: 'No emails sent yet' })).toBeNull();
  });

  it('shows a failure to fetch one email', async () => {
    const { api } = setup();
    await screen.findByRole('list', { name: 'Sent emails' });
    api.outbox = api.outbox.filter((message) => message.id !== 2);
    await userEvent.click(screen.getByRole('button', { name: /ahudachek1@example\.com/u }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Message 2 was not found.');
  });

  it('loads older emails a page at a time', async () => {
    const api = installFakeApi();
    api.outboxPageSize = 2;
    api.outbox = Array.from({ length: 3 }, (_, index) => ({
      ...confirmation,
      id: 3 - index,
      to: `user${3 - index}@example.com`,
    }));
    renderWithApp(<OutboxDialog onClose={() => undefined} />);
    const list = await screen.findByRole('list', { name: 'Sent emails' });
    expect(within(list).getAllByRole('button')).toHaveLength(2);
    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(within(list).getAllByRole('button')).toHaveLength(3));
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
    expect(api.calls.filter((call) => call.method === 'listOutbox')).toEqual([
      { method: 'listOutbox', input: {} },
      { method: 'listOutbox', input: { cursor: '2' } },
    ]);
  });
});

describe('the header’s Outbox button', () => {
  const header = () => <AppHeader onShowRules={() => undefined} onShowSettings={() => undefined} />;

  it('opens the Outbox with the built-in backend', async () => {
    installFakeApi();
    const { commands } = renderWithApp(header());
    await userEvent.click(await screen.findByRole('button', { name: 'Outbox' }));
    expect(commands.getState().dialog).toEqual({ kind: 'outbox' });
  });

  it('is not there with a remote backend', async () => {
    const api = installFakeApi();
    // The fake's own answer names the built-in backend; this one a remote backend.
    Object.defineProperty(api, 'getAppInfo', {
      value: () =>
        Promise.resolve(
          ok({
            name: 'PassDesk',
            version: '9.8.7',
            backend: { kind: 'remote', url: 'https://pbx.example.com' },
          }),
        ),
    });
    renderWithApp(header());
    expect(await screen.findByText('Backend: pbx.example.com')).toBeVisible();
    expect(screen.queryByRole('button', { name: 'Outbox' })).toBeNull();
  });
});
