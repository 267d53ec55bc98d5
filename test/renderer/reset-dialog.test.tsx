import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ResetDialog } from '../../renderer/src/features/reset-passwords/index.ts';
import { API_VERSION } from '../../shared/api/index.ts';
import { fail, type Result } from '../../shared/ipc/index.ts';
import { checkSecret } from '../../shared/rules/index.ts';
import { installFakeApi } from './fake-api.ts';
import { renderWithApp } from './render.tsx';

const users = Array.from({ length: 8 }, (_, i) => ({
  id: `11635-0${i + 1}`,
  name: `User ${i + 1}`,
}));

function setup(
  props: Partial<Parameters<typeof ResetDialog>[0]> = {},
  backendApiVersion: string | null = API_VERSION,
) {
  const api = installFakeApi();
  api.connection = { ...api.connection, apiVersion: backendApiVersion };
  const onClose = vi.fn();
  renderWithApp(<ResetDialog users={users} onClose={onClose} {...props} />);
  return { api, onClose, user: userEvent.setup() };
}

const field = (name: string) => screen.getByLabelText(name, { selector: 'input' });
const save = () => screen.getByRole('button', { name: 'Save' });

describe('Reset Password(s) dialog', () => {
  it('explains itself and lists the first users of the selection, then how many more', () => {
    setup();
    expect(screen.getByRole('heading', { name: 'Reset passwords' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Current selection (8)' })).toBeInTheDocument();
    expect(screen.getByText('11635-05')).toBeInTheDocument();
    expect(screen.queryByText('11635-06')).toBeNull();
    expect(screen.getByText('and 3 more')).toBeInTheDocument();
  });

  it('enables Save only when at least one field is filled and every filled one passes', async () => {
    const { user } = setup();
    expect(save()).toBeDisabled();
    await user.type(field('Voice Portal Passcode'), '123');
    expect(save()).toBeDisabled();
    expect(
      screen.getByRole('button', { name: 'Voice Portal Passcode rules (not met)' }),
    ).toBeInTheDocument();
    await user.clear(field('Voice Portal Passcode'));
    await user.type(field('Voice Portal Passcode'), '975311');
    expect(save()).toBeEnabled();
    await user.type(field('Application Password'), 'short');
    expect(save()).toBeDisabled();
    await user.clear(field('Application Password'));
    expect(save()).toBeEnabled();
  });

  it('shows the live checks of each filled field', async () => {
    const { user } = setup();
    await user.type(field('Application Password'), 'Abc12345');
    const checks = within(
      document.querySelector<HTMLElement>('[data-kind="applicationPassword"]')!,
    ).getByRole('list', {
      name: 'Rule checks',
    });
    const unmet = [...checks.querySelectorAll('[data-state="unmet"]')].map((li) =>
      li.getAttribute('data-rule'),
    );
    expect(unmet).toEqual(['needs-special', 'max-sequence']);
  });

  it('generates a value that passes every rule, and keeps it hidden until asked', async () => {
    const { user } = setup();
    const row = document.querySelector<HTMLElement>('[data-kind="applicationPassword"]')!;
    await user.click(within(row).getByRole('button', { name: 'Generate' }));
    const value = (field('Application Password') as HTMLInputElement).value;
    expect(value).toHaveLength(16);
    expect(checkSecret('applicationPassword', value).every((c) => c.ok)).toBe(true);
    expect(field('Application Password')).toHaveAttribute('type', 'password');
    expect(save()).toBeEnabled();
  });

  it('starts the job with exactly what was typed, then closes', async () => {
    const { user, api, onClose } = setup({ retryOf: 'job-1' });
    await user.click(field('Application Password'));
    await user.paste(' Tr0ub4dor&3');
    expect(save()).toBeDisabled();
    await user.clear(field('Application Password'));
    await user.paste('Tr0ub4dor&3');
    await user.click(save());
    expect(api.calls.find((c) => c.method === 'startJob')?.input).toEqual({
      kind: 'password-reset',
      userIds: users.map((u) => u.id),
      applicationPassword: 'Tr0ub4dor&3',
      retryOf: 'job-1',
    });
    expect(onClose).toHaveBeenCalled();
  });

  it('sets the secrets as temporary unless unticked', async () => {
    const { user, api } = setup();
    const box = screen.getByRole('checkbox', { name: 'Temporary: the user must choose their own' });
    await waitFor(() => expect(box).toBeEnabled());
    expect(box).toBeChecked();
    expect(box).toHaveAccessibleDescription(
      'The backend marks the new values as temporary, and the user’s reset page asks them to choose their own.',
    );
    await user.type(field('Application Password'), 'Tr0ub4dor&3');
    await user.click(save());
    expect(api.calls.find((c) => c.method === 'startJob')?.input).toEqual({
      kind: 'password-reset',
      userIds: users.map((u) => u.id),
      applicationPassword: 'Tr0ub4dor&3',
      temporary: true,
    });
  });

  it('lets the keyboard untick Temporary, which leaves it out of the job', async () => {
    const { user, api } = setup();
    const box = screen.getByRole('checkbox', { name: 'Temporary: the user must choose their own' });
    await waitFor(() => expect(box).toBeEnabled());
    await user.type(field('Voice Portal Passcode'), '975311');
    // From the last field, past its own buttons (Show, Generate), to the checkbox.
    for (let i = 0; i < 4 && document.activeElement !== box; i += 1) await user.tab();
    expect(box).toHaveFocus();
    await user.keyboard(' ');
    expect(box).not.toBeChecked();
    await user.click(save());
    expect(api.calls.find((c) => c.method === 'startJob')?.input).toEqual({
      kind: 'password-reset',
      userIds: users.map((u) => u.id),
      voicePortalPasscode: '975311',
    });
  });

  it('cannot set temporary secrets on a backend of API 1.0, and says why', async () => {
    const { user, api } = setup({}, '1.0');
    const box = screen.getByRole('checkbox', { name: 'Temporary: the user must choose their own' });
    await waitFor(() =>
      expect(box).toHaveAccessibleDescription(
        'Not available: this backend speaks PassDesk API 1.0, and marking secrets temporary needs API 1.1 or later.',
      ),
    );
    expect(box).not.toBeChecked();
    expect(box).toBeDisabled();
    await user.type(field('Voice Portal Passcode'), '975311');
    await user.click(save());
    expect(api.calls.find((c) => c.method === 'startJob')?.input).not.toHaveProperty('temporary');
  });

  it('keeps a retry temporary as the job it retries was, fixed', async () => {
    const { user, api } = setup({ retryOf: 'job-7', temporary: true });
    const box = screen.getByRole('checkbox', { name: 'Temporary: the user must choose their own' });
    expect(box).toBeChecked();
    expect(box).toBeDisabled();
    expect(box).toHaveAccessibleDescription(
      'Retrying: the secrets are set as temporary, as in the job it retries.',
    );
    await user.type(field('Voice Portal Passcode'), '975311');
    await user.click(save());
    expect(api.calls.find((c) => c.method === 'startJob')?.input).toMatchObject({
      retryOf: 'job-7',
      temporary: true,
    });
  });

  it('goes away at Save, and comes back as it was with the reason if the job cannot start', async () => {
    const { user, api, onClose } = setup();
    const pending: { answer?: (result: Result<{ jobId: string }>) => void } = {};
    api.startJob = () =>
      new Promise((resolve) => {
        pending.answer = resolve;
      });
    await user.type(field('Voice Portal Passcode'), '975311');
    await user.click(save());
    // Gone at once, before the main process answers.
    expect(screen.queryByRole('dialog')).toBeNull();
    pending.answer?.(fail('backend-unavailable', 'The provisioning backend cannot be reached.'));
    expect(await screen.findByRole('dialog')).toBeInTheDocument();
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The provisioning backend cannot be reached.',
    );
    expect(onClose).not.toHaveBeenCalled();
    expect((field('Voice Portal Passcode') as HTMLInputElement).value).toBe('975311');
  });

  it('closes with Cancel and with Escape, without starting anything', async () => {
    const { user, api, onClose } = setup();
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    await user.keyboard('{Escape}');
    expect(onClose).toHaveBeenCalledTimes(2);
    expect(api.calls.some((c) => c.method === 'startJob')).toBe(false);
  });
});

describe('Reset Password(s) dialog: asking before it matters', () => {
  const many = Array.from({ length: 5000 }, (_, i) => ({ id: `u-${i}`, name: null }));

  it('asks, naming the count, before a job of more than 1,000 users', async () => {
    const { user, api, onClose } = setup({ users: many });
    await user.type(field('Voice Portal Passcode'), '975311');
    await user.click(save());
    const question = screen.getByRole('group', {
      name: 'Set the Voice Portal Passcode of 5,000 users as temporary? This cannot be undone.',
    });
    expect(api.calls.some((c) => c.method === 'startJob')).toBe(false);
    // The safe way back has the focus: Enter does not start the job.
    expect(within(question).getByRole('button', { name: 'Back' })).toHaveFocus();
    await user.keyboard('{Enter}');
    expect(api.calls.some((c) => c.method === 'startJob')).toBe(false);
    expect(save()).toBeEnabled();

    await user.click(save());
    await user.click(screen.getByRole('button', { name: 'Reset 5,000 users' }));
    expect(api.calls.filter((c) => c.method === 'startJob')).toHaveLength(1);
    expect(onClose).toHaveBeenCalled();
  });

  it('starts a job of 1,000 users or fewer without asking', async () => {
    const { user, api } = setup({ users: many.slice(0, 1000) });
    await user.type(field('Voice Portal Passcode'), '975311');
    await user.click(save());
    expect(api.calls.filter((c) => c.method === 'startJob')).toHaveLength(1);
  });

  it('asks before discarding typed values, from Cancel, ✕ and Escape', async () => {
    const { user, onClose } = setup();
    await user.type(field('Application Password'), 'Tr0ub4dor&3');
    for (const close of [
      () => user.click(screen.getByRole('button', { name: 'Cancel' })),
      () => user.click(screen.getByRole('button', { name: 'Close' })),
      () => user.keyboard('{Escape}'),
    ]) {
      await close();
      expect(onClose).not.toHaveBeenCalled();
      const question = screen.getByRole('group', { name: 'Discard the values you typed?' });
      await user.click(within(question).getByRole('button', { name: 'Keep editing' }));
      expect((field('Application Password') as HTMLInputElement).value).toBe('Tr0ub4dor&3');
    }
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    await user.click(screen.getByRole('button', { name: 'Discard' }));
    expect(onClose).toHaveBeenCalledTimes(1);
  });
});
