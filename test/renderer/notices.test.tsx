import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { Notices } from '../../renderer/src/app/notices.tsx';
import { installFakeApi } from './fake-api.ts';
import { renderWithApp } from './render.tsx';

const notice = (id: string, message: string) => ({
  id,
  kind: 'renderer-restarted' as const,
  message,
  at: '2026-12-01T10:00:00.000Z',
});

describe('notices', () => {
  it('shows what the window missed and what comes later, each until dismissed', async () => {
    const user = userEvent.setup();
    const api = installFakeApi();
    api.missedNotices = [notice('a', 'PassDesk’s window stopped unexpectedly and was reloaded.')];
    renderWithApp(<Notices />);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('stopped unexpectedly and was reloaded');
    act(() =>
      api.emitNotice({ ...notice('b', 'PassDesk hit an unexpected error.'), kind: 'main-error' }),
    );
    expect(screen.getAllByRole('alert')).toHaveLength(2);
    await user.click(within(alert).getByRole('button', { name: 'Dismiss' }));
    expect(screen.getAllByRole('alert')).toHaveLength(1);
    expect(screen.getByRole('alert')).toHaveTextContent('PassDesk hit an unexpected error.');
    expect(api.calls.filter((c) => c.method === 'takeNotices')).toHaveLength(1);
  });
});
