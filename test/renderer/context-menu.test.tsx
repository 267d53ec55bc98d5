import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import {
  ContextMenu,
  type MenuItem,
} from '../../renderer/src/components/context-menu/context-menu.tsx';
import { userMenuItems } from '../../renderer/src/features/users/components/user-menu.ts';

function Harness({ items }: { items: MenuItem[] }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        Open
      </button>
      {open && (
        <ContextMenu
          at={{ x: 10, y: 10 }}
          label="Users"
          items={items}
          onClose={() => setOpen(false)}
        />
      )}
    </>
  );
}

const actions = () => ({
  reset: vi.fn(),
  forgot: vi.fn(),
  intercept: vi.fn(),
  licenses: vi.fn(),
  edit: vi.fn(),
  selectAll: vi.fn(),
  unselect: vi.fn(),
  inverse: vi.fn(),
});

describe('the users menu items', () => {
  it('are the seed’s seven, in its order, with live counts, plus Edit user', () => {
    const items = userMenuItems({ shown: 12345, selected: 8 }, actions());
    expect(items.map((i) => i.label)).toEqual([
      'Reset Password(s)',
      'Forgot Password(s)',
      'Intercept selected (8)',
      'Update Licenses (8)',
      'Edit user',
      'Select All (12,345)',
      'Unselect 8 items',
      'Inverse selection',
    ]);
    const one = userMenuItems({ shown: 3, selected: 1 }, actions());
    expect(one.find((i) => i.id === 'unselect')?.label).toBe('Unselect 1 item');
    expect(one.find((i) => i.id === 'edit')?.disabled).toBe(false);
    expect(items.find((i) => i.id === 'edit')?.disabled).toBe(true);
  });

  it('disable what needs a selection when there is none, and everything on an empty table', () => {
    const none = userMenuItems({ shown: 5, selected: 0 }, actions());
    expect(none.map((i) => i.disabled)).toEqual([true, true, true, true, true, false, true, false]);
    const empty = userMenuItems({ shown: 0, selected: 0 }, actions());
    expect(empty.every((i) => i.disabled)).toBe(true);
  });
});

describe('ContextMenu', () => {
  it('is a menu that focuses its first enabled item and moves with the arrow keys, skipping disabled ones', async () => {
    const user = userEvent.setup();
    const a = actions();
    render(<Harness items={userMenuItems({ shown: 5, selected: 0 }, a)} />);
    await user.click(screen.getByRole('button', { name: 'Open' }));
    const menu = screen.getByRole('menu', { name: 'Users' });
    expect(menu).toBeInTheDocument();
    expect(screen.getByRole('menuitem', { name: 'Select All (5)' })).toHaveFocus();
    expect(screen.getByRole('menuitem', { name: 'Reset Password(s)' })).toHaveAttribute(
      'aria-disabled',
      'true',
    );
    await user.keyboard('{ArrowDown}');
    expect(screen.getByRole('menuitem', { name: 'Inverse selection' })).toHaveFocus();
    await user.keyboard('{ArrowDown}');
    expect(screen.getByRole('menuitem', { name: 'Select All (5)' })).toHaveFocus();
    await user.keyboard('{ArrowUp}');
    expect(screen.getByRole('menuitem', { name: 'Inverse selection' })).toHaveFocus();
    await user.keyboard('{Home}');
    expect(screen.getByRole('menuitem', { name: 'Select All (5)' })).toHaveFocus();
    await user.keyboard('{End}');
    await user.keyboard('{Enter}');
    expect(a.inverse).toHaveBeenCalledOnce();
    expect(screen.queryByRole('menu')).toBeNull();
  });

  it('closes on Escape and gives focus back', async () => {
    const user = userEvent.setup();
    render(<Harness items={userMenuItems({ shown: 5, selected: 2 }, actions())} />);
    const opener = screen.getByRole('button', { name: 'Open' });
    await user.click(opener);
    expect(screen.getByRole('menuitem', { name: 'Reset Password(s)' })).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('menu')).toBeNull();
    expect(opener).toHaveFocus();
  });

  it('ignores clicks on disabled items and runs enabled ones', async () => {
    const user = userEvent.setup();
    const a = actions();
    render(<Harness items={userMenuItems({ shown: 5, selected: 0 }, a)} />);
    await user.click(screen.getByRole('button', { name: 'Open' }));
    await user.click(screen.getByRole('menuitem', { name: 'Unselect 0 items' }));
    expect(a.unselect).not.toHaveBeenCalled();
    expect(screen.getByRole('menu')).toBeInTheDocument();
    await user.click(screen.getByRole('menuitem', { name: 'Select All (5)' }));
    expect(a.selectAll).toHaveBeenCalledOnce();
    expect(screen.queryByRole('menu')).toBeNull();
  });

  it('closes on a click outside', async () => {
    const user = userEvent.setup();
    render(<Harness items={userMenuItems({ shown: 5, selected: 0 }, actions())} />);
    await user.click(screen.getByRole('button', { name: 'Open' }));
    await user.click(document.body);
    expect(screen.queryByRole('menu')).toBeNull();
  });
});
