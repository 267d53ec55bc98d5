import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { RulesHint } from '../../renderer/src/components/rules-hint/rules-hint.tsx';
import { DEFAULT_RULES, describeRules, type RuleSet } from '../../shared/rules/index.ts';

describe('RulesHint', () => {
  it('shows the rules on hover and hides them when the pointer leaves', async () => {
    const user = userEvent.setup();
    render(<RulesHint kind="voicePortalPasscode" rules={DEFAULT_RULES.voicePortalPasscode} />);
    const button = screen.getByRole('button', { name: 'Voice Portal Passcode rules' });
    expect(screen.queryByRole('tooltip')).toBeNull();
    await user.hover(button);
    const tooltip = await screen.findByRole('tooltip');
    for (const line of describeRules('voicePortalPasscode'))
      expect(tooltip).toHaveTextContent(line);
    expect(button).toHaveAttribute('aria-describedby', tooltip.id);
    await user.unhover(button);
    expect(screen.queryByRole('tooltip')).toBeNull();
  });

  it('shows the rules on keyboard focus and hides them on Escape', async () => {
    const user = userEvent.setup();
    render(<RulesHint kind="applicationPassword" rules={DEFAULT_RULES.applicationPassword} />);
    await user.tab();
    expect(screen.getByRole('button', { name: 'Application Password rules' })).toHaveFocus();
    const tooltip = await screen.findByRole('tooltip');
    expect(tooltip).toHaveTextContent('8 to 40 characters long');
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('tooltip')).toBeNull();
  });

  it('writes the tooltip from the rule set it is given', async () => {
    const user = userEvent.setup();
    const rules: RuleSet = { ...DEFAULT_RULES.voicePortalPasscode, minLength: 4, maxLength: 8 };
    render(<RulesHint kind="voicePortalPasscode" rules={rules} />);
    await user.hover(screen.getByRole('button'));
    expect(await screen.findByRole('tooltip')).toHaveTextContent('4 to 8 characters long');
  });

  it('has a warning variant that still lists the rules', async () => {
    const user = userEvent.setup();
    render(
      <RulesHint
        kind="voicePortalPasscode"
        rules={DEFAULT_RULES.voicePortalPasscode}
        variant="warning"
      />,
    );
    const button = screen.getByRole('button', { name: 'Voice Portal Passcode rules (not met)' });
    expect(button).toHaveTextContent('!');
    await user.hover(button);
    expect(await screen.findByRole('tooltip')).toHaveTextContent('Digits only (0-9)');
  });

  it('draws the tooltip inside the dialog that holds the icon, else on the page body', async () => {
    const user = userEvent.setup();
    render(
      <>
        <RulesHint kind="voicePortalPasscode" rules={DEFAULT_RULES.voicePortalPasscode} />
        <dialog open aria-label="Reset passwords">
          <RulesHint kind="applicationPassword" rules={DEFAULT_RULES.applicationPassword} />
        </dialog>
      </>,
    );
    // A modal dialog is drawn above everything outside it, and makes that content inert.
    await user.hover(screen.getByRole('button', { name: 'Application Password rules' }));
    const inDialog = await screen.findByRole('tooltip');
    expect(inDialog.closest('dialog')).toBe(screen.getByRole('dialog'));
    expect(inDialog).toHaveStyle({ position: 'fixed' });
    await user.unhover(screen.getByRole('button', { name: 'Application Password rules' }));

    await user.hover(screen.getByRole('button', { name: 'Voice Portal Passcode rules' }));
    const onPage = await screen.findByRole('tooltip');
    expect(onPage.closest('dialog')).toBeNull();
    expect(onPage.parentElement?.parentElement).toBe(document.body);
  });
});
