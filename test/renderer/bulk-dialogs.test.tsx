import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { InterceptDialog } from '../../renderer/src/features/intercepts/index.ts';
import { LicenseDialog } from '../../renderer/src/features/licenses/index.ts';
import { RecoveryDialog } from '../../renderer/src/features/recovery-emails/index.ts';
import { EditUserDialog } from '../../renderer/src/features/users/index.ts';
import { summarizeSelection } from '../../electron/main/services/users-table/selection-summary.ts';
import { installFakeApi, makeUsers } from './fake-api.ts';
import { renderWithApp } from './render.tsx';

const users = makeUsers(12); // every sixth user (6th, 12th) has no email
const ids = users.map((u) => u.id);

describe('Forgot Password(s)', () => {
  it('splits the selection into users with and without email, as the seed shows them', () => {
    installFakeApi();
    renderWithApp(
      <RecoveryDialog
        userIds={ids}
        summary={summarizeSelection(users)}
        onClose={vi.fn()}
        onAddEmail={vi.fn()}
        onSelectUsers={vi.fn()}
        outboxOnly={false}
      />,
    );
    expect(screen.getByRole('heading', { name: 'Users with email (10)' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Users without email (2)' })).toBeInTheDocument();
    const first = users[0]!;
    expect(within(screen.getByTestId('with-email')).getAllByRole('listitem')[0]).toHaveTextContent(
      `${first.id} ${first.firstName} ${first.lastName} (${first.id} - ${first.email ?? ''})`,
    );
  });

  it('sends the job for the selection, and offers Add email for those without', async () => {
    const user = userEvent.setup();
    const api = installFakeApi();
    const onAddEmail = vi.fn();
    const onClose = vi.fn();
    renderWithApp(
      <RecoveryDialog
        userIds={ids}
        summary={summarizeSelection(users)}
        onClose={onClose}
        onAddEmail={onAddEmail}
        onSelectUsers={vi.fn()}
        outboxOnly={false}
      />,
    );
    const without = screen.getByTestId('without-email');
    await user.click(within(without).getAllByRole('button', { name: /^Add email for/u })[0]!);
    expect(onAddEmail).toHaveBeenCalledWith(users[5]?.id);
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(api.calls.find((c) => c.method === 'startJob')?.input).toEqual({
      kind: 'recovery-email',
      userIds: ids,
    });
    await waitFor(() => expect(onClose).toHaveBeenCalled());
  });

  it('says when the links only go to the Outbox, and selects those without email', async () => {
    const user = userEvent.setup();
    installFakeApi();
    const onSelectUsers = vi.fn();
    renderWithApp(
      <RecoveryDialog
        userIds={ids}
        summary={summarizeSelection(users)}
        onClose={vi.fn()}
        onAddEmail={vi.fn()}
        onSelectUsers={onSelectUsers}
        outboxOnly
      />,
    );
    expect(screen.getByTestId('outbox-only')).toHaveTextContent(
      'The built-in backend has no mail server: the links go to its Outbox',
    );
    await user.click(
      screen.getByRole('button', { name: 'Select the 2 users without email in the table' }),
    );
    expect(onSelectUsers).toHaveBeenCalledWith([users[5]?.id, users[11]?.id]);
  });

  it('says why Save is off when nobody has an email', () => {
    installFakeApi();
    const nobody = users.map((u) => ({ ...u, email: null }));
    renderWithApp(
      <RecoveryDialog
        userIds={ids}
        summary={summarizeSelection(nobody)}
        onClose={vi.fn()}
        onAddEmail={vi.fn()}
        onSelectUsers={vi.fn()}
        outboxOnly={false}
      />,
    );
    expect(screen.getByRole('button', { name: 'Save' })).toBeDisabled();
    expect(screen.getByRole('status')).toHaveTextContent(
      'None of the selected users has an email address, so no link can be sent.',
    );
  });

  it('draws a capped list for 20,000 users and asks before sending them all', async () => {
    const user = userEvent.setup();
    installFakeApi();
    const many = makeUsers(20_000);
    renderWithApp(
      <RecoveryDialog
        userIds={many.map((u) => u.id)}
        summary={summarizeSelection(many)}
        onClose={vi.fn()}
        onAddEmail={vi.fn()}
        onSelectUsers={vi.fn()}
        outboxOnly={false}
      />,
    );
    const list = screen.getByTestId('with-email');
    expect(within(list).getAllByRole('listitem')).toHaveLength(51);
    expect(list).toHaveTextContent(/and 16,617 more$/u);
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(
      screen.getByRole('group', { name: 'Email recovery links to 16,667 users?' }),
    ).toBeInTheDocument();
  });
});

describe('Edit user', () => {
  it('checks the email as it is typed, applies it, and says a changed one voids old links', async () => {
    const user = userEvent.setup();
    const api = installFakeApi();
    const target = api.users[0]!;
    const onClose = vi.fn();
    renderWithApp(<EditUserDialog user={{ ...target }} userId={target.id} onClose={onClose} />);
    const field = screen.getByLabelText('Email');
    await user.clear(field);
    await user.type(field, 'not-an-address');
    expect(field).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByText(/An email address needs an @/u)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Apply' })).toBeDisabled();
    await user.clear(field);
    await user.type(field, 'new.address@example.org');
    expect(
      screen.getByText(/voids any recovery link sent to the old address/u),
    ).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Apply' }));
    expect(api.calls.at(-1)).toEqual({
      method: 'updateUser',
      input: { userId: target.id, email: 'new.address@example.org' },
    });
    await waitFor(() => expect(onClose).toHaveBeenCalled());
  });

  it('shows a refusal and changes nothing', async () => {
    const user = userEvent.setup();
    const api = installFakeApi();
    api.refuseUpdate = 'email: this domain does not accept mail';
    const target = api.users[0]!;
    const before = target.email;
    const onClose = vi.fn();
    renderWithApp(<EditUserDialog user={{ ...target }} userId={target.id} onClose={onClose} />);
    await user.clear(screen.getByLabelText('Email'));
    await user.type(screen.getByLabelText('Email'), 'x@example.net');
    await user.click(screen.getByRole('button', { name: 'Apply' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The backend did not save it: email: this domain does not accept mail Nothing was changed.',
    );
    expect(onClose).not.toHaveBeenCalled();
    expect(target.email).toBe(before);
  });

  it('takes an empty field as "no email"', async () => {
    const user = userEvent.setup();
    const api = installFakeApi();
    const target = api.users[0]!;
    renderWithApp(<EditUserDialog user={{ ...target }} userId={target.id} onClose={vi.fn()} />);
    await user.clear(screen.getByLabelText('Email'));
    expect(screen.getByText('Leave it empty for no email.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Apply' }));
    expect(api.calls.at(-1)).toEqual({
      method: 'updateUser',
      input: { userId: target.id, email: null },
    });
  });
});

describe('Intercept selected (N)', () => {
  it('says who has it already and starts the job with the choice', async () => {
    const user = userEvent.setup();
    const api = installFakeApi();
    const some = users.map((u, i) => ({ ...u, intercepted: i < 3 }));
    renderWithApp(
      <InterceptDialog userIds={ids} summary={summarizeSelection(some)} onClose={vi.fn()} />,
    );
    expect(screen.getByTestId('intercept-already')).toHaveTextContent(
      '3 of them already have intercept on; they stay as they are.',
    );
    await user.click(screen.getByLabelText('Turn intercept off'));
    expect(screen.getByTestId('intercept-already')).toHaveTextContent(
      '9 of them already have intercept off',
    );
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(api.calls.at(-1)).toEqual({
      method: 'startJob',
      input: { kind: 'intercept', userIds: ids, intercepted: false },
    });
  });
});

describe('Update Licenses (N)', () => {
  it('lists licenses by name with assigned / total, and warns before Save', async () => {
    const user = userEvent.setup();
    const api = installFakeApi();
    renderWithApp(
      <LicenseDialog userIds={ids} summary={summarizeSelection(users)} onClose={vi.fn()} />,
    );
    expect(await screen.findByRole('rowheader', { name: 'Webex' })).toBeInTheDocument();
    expect(screen.getByRole('row', { name: /Webex 10 \/ 10/u })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Save' })).toBeDisabled();

    await user.selectOptions(screen.getByLabelText('Change for Webex'), 'add');
    expect(screen.getByTestId('license-preview')).toHaveTextContent(
      'Webex: 12 of the selected users need one and none is left, so 12 users would not get it.',
    );
    await user.selectOptions(screen.getByLabelText('Change for Webex'), 'keep');
    await user.selectOptions(screen.getByLabelText('Change for UC One'), 'remove');
    expect(screen.getByTestId('license-preview')).toHaveTextContent(
      '12 users would be left without any license',
    );
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(api.calls.at(-1)).toEqual({
      method: 'startJob',
      input: {
        kind: 'license',
        userIds: ids,
        add: [],
        remove: ['uc-one'],
        names: { 'uc-one': 'UC One', webex: 'Webex' },
      },
    });
  });

  it('counts holders and who would be left without any license across mixed license sets', async () => {
    const user = userEvent.setup();
    installFakeApi();
    const sets = [['uc-one', 'webex'], ['webex'], ['uc-one'], [], ['uc-one']];
    const mixed = users.slice(0, 5).map((u, at) => ({ ...u, licenses: sets[at] ?? [] }));
    renderWithApp(
      <LicenseDialog
        userIds={mixed.map((u) => u.id)}
        summary={summarizeSelection(mixed)}
        onClose={vi.fn()}
      />,
    );
    expect(await screen.findByRole('row', { name: /UC One 12 \/ 20 3 /u })).toBeInTheDocument();
    expect(screen.getByRole('row', { name: /Webex 10 \/ 10 2 /u })).toBeInTheDocument();
    await user.selectOptions(screen.getByLabelText('Change for UC One'), 'remove');
    const preview = screen.getByTestId('license-preview');
    expect(preview).toHaveTextContent(
      `2 users would be left without any license: ${mixed[2]?.id}, ${mixed[4]?.id}.`,
    );
    await user.selectOptions(screen.getByLabelText('Change for Webex'), 'remove');
    expect(preview).toHaveTextContent('4 users would be left without any license');
    // Adding one leaves nobody without: only the shortage is told.
    await user.selectOptions(screen.getByLabelText('Change for Webex'), 'add');
    expect(preview).toHaveTextContent(
      'Webex: 3 of the selected users need one and none is left, so 3 users would not get it.',
    );
    expect(preview).not.toHaveTextContent('left without');
  });
});
