import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { RuleChecklist } from '../../renderer/src/components/rule-checklist/rule-checklist.tsx';
import { SecretInput } from '../../renderer/src/components/secret-input/secret-input.tsx';
import { DEFAULT_RULES } from '../../shared/rules/index.ts';

function Bound() {
  const [value, setValue] = useState('');
  return (
    <>
      <label htmlFor="pc">Passcode</label>
      <SecretInput id="pc" value={value} onChange={setValue} />
      <RuleChecklist
        kind="voicePortalPasscode"
        rules={DEFAULT_RULES.voicePortalPasscode}
        value={value}
      />
      <output data-testid="raw">{JSON.stringify(value)}</output>
    </>
  );
}

const states = (): Record<string, string | undefined> =>
  Object.fromEntries(
    within(screen.getByRole('list', { name: 'Rule checks' }))
      .getAllByRole('listitem')
      .map((item) => [item.dataset.rule ?? '', item.dataset.state]),
  );

describe('RuleChecklist bound to an input', () => {
  it('starts neutral, then marks each rule live as the user types', async () => {
    const user = userEvent.setup();
    render(<Bound />);
    expect(Object.values(states())).toEqual(Array(6).fill('pending'));

    const input = screen.getByLabelText('Passcode');
    await user.type(input, '123');
    expect(states()).toMatchObject({
      'min-length': 'unmet',
      'max-sequence': 'unmet',
      'max-repeat': 'met',
    });

    await user.clear(input);
    await user.type(input, '135792');
    expect(states()).toEqual({
      'min-length': 'met',
      'max-length': 'met',
      'allowed-characters': 'met',
      'max-repeat': 'met',
      'max-sequence': 'met',
      'not-previous': 'met',
    });
  });

  it('keeps pasted text exactly as pasted', async () => {
    const user = userEvent.setup();
    render(<Bound />);
    await user.click(screen.getByLabelText('Passcode'));
    await user.paste(' 13579 ');
    expect(screen.getByTestId('raw')).toHaveTextContent('" 13579 "');
    expect(states()['allowed-characters']).toBe('unmet');
  });

  it('reads out met and unmet states to assistive technology', async () => {
    const user = userEvent.setup();
    render(<Bound />);
    await user.type(screen.getByLabelText('Passcode'), '1');
    expect(screen.getByText('At least 6 characters', { exact: false }).textContent).toContain(
      '(not met)',
    );
    expect(screen.getByText('Digits only (0-9)', { exact: false }).textContent).toContain('(met)');
  });
});

describe('SecretInput', () => {
  it('hides the value until asked to show it', async () => {
    const user = userEvent.setup();
    render(<Bound />);
    const input = screen.getByLabelText('Passcode');
    expect(input).toHaveAttribute('type', 'password');
    expect(input).toHaveAttribute('autocomplete', 'off');
    await user.click(screen.getByRole('button', { name: 'Show' }));
    expect(input).toHaveAttribute('type', 'text');
    expect(screen.getByRole('button', { name: 'Hide' })).toHaveAttribute('aria-pressed', 'true');
  });
});
