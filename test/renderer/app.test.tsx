import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../../renderer/src/app/app.tsx';
import { DEFAULT_RULES } from '../../shared/rules/index.ts';
import { installFakeApi } from './fake-api.ts';
import { renderWithApp } from './render.tsx';

describe('the app frame', () => {
  it('shows the name and version from the main process', async () => {
    installFakeApi();
    renderWithApp(<App />);
    expect(await screen.findByText('v9.8.7')).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 1, name: 'PassDesk' })).toBeInTheDocument();
  });

  it('says so clearly when there are no users', async () => {
    const api = installFakeApi();
    api.users = [];
    api.locations = [];
    renderWithApp(<App />);
    expect(await screen.findByRole('region', { name: 'No users here' })).toBeInTheDocument();
    expect(
      screen.getByText(/^No jobs yet\. Right-click users in the table to reset passwords/u),
    ).toBeInTheDocument();
  });

  it('shows the rules in effect and follows rules:changed events', async () => {
    const user = userEvent.setup();
    const api = installFakeApi();
    const { unmount } = renderWithApp(<App />);
    await user.click(screen.getByRole('button', { name: 'Password rules' }));
    await screen.findByText(/Try a value to see which rules it meets/);
    act(() => {
      api.emitRulesChanged({
        ...DEFAULT_RULES,
        voicePortalPasscode: { ...DEFAULT_RULES.voicePortalPasscode, minLength: 4, maxLength: 8 },
      });
    });
    await user.hover(screen.getByRole('button', { name: 'Voice Portal Passcode rules' }));
    expect(await screen.findByRole('tooltip')).toHaveTextContent('4 to 8 characters long');
    unmount();
    expect(api.listenerCount).toBe(0);
  });

  it('turns the "?" into a warning while a tried value breaks a rule', async () => {
    const user = userEvent.setup();
    installFakeApi();
    renderWithApp(<App />);
    await user.click(screen.getByRole('button', { name: 'Password rules' }));
    await user.type(screen.getByLabelText('Voice Portal Passcode'), '111');
    expect(
      screen.getByRole('button', { name: 'Voice Portal Passcode rules (not met)' }),
    ).toBeInTheDocument();
    await user.clear(screen.getByLabelText('Voice Portal Passcode'));
    await user.type(screen.getByLabelText('Voice Portal Passcode'), '975311');
    expect(screen.getByRole('button', { name: 'Voice Portal Passcode rules' })).toBeInTheDocument();
  });
});

describe('the operator setting', () => {
  it('shows who the audit names and saves a new name, in Settings', async () => {
    const user = userEvent.setup();
    const api = installFakeApi();
    renderWithApp(<App />);
    await user.click(screen.getByRole('button', { name: 'Settings' }));
    const field = await screen.findByLabelText('Your name');
    await waitFor(() =>
      expect(field).toHaveAttribute('placeholder', 'Leave empty to use “tester”'),
    );
    await user.type(field, 'Renée Okafor');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(api.calls.filter((call) => call.method === 'updateSettings')).toEqual([
      { method: 'updateSettings', input: { operatorName: 'Renée Okafor' } },
    ]);
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Settings' })).toBeNull());
  });
});
