import { useImperativeHandle, useState, type Ref } from 'react';
import { ContextMenu, type MenuItem } from '../../../components/context-menu/context-menu.tsx';

/** Opens the users' menu at a point with these items (their counts as of that moment). */
export interface UsersMenuHandle {
  open(at: { x: number; y: number }, items: MenuItem[]): void;
}

/**
 * The users' right-click menu, holding its own state: opening it re-renders the menu, not the
 * table it belongs to (which would re-render the grid's wrapper on every right-click).
 */
export function UsersMenu({ ref }: { ref: Ref<UsersMenuHandle> }) {
  const [menu, setMenu] = useState<{ at: { x: number; y: number }; items: MenuItem[] } | null>(
    null,
  );
  useImperativeHandle(ref, () => ({ open: (at, items) => setMenu({ at, items }) }), []);
  if (menu === null) return null;
  return (
    <ContextMenu at={menu.at} label="Users" items={menu.items} onClose={() => setMenu(null)} />
  );
}
