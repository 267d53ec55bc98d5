import type { MenuItem } from '../../../components/context-menu/context-menu.tsx';
import { formatCount } from '../../../lib/format.ts';

export interface UserMenuActions {
  reset: () => void;
  selectAll: () => void;
  unselect: () => void;
  inverse: () => void;
}

/**
 * The users table's right-click menu, with the seed's live counts: Select All (N) counts the
 * users shown now (after the search), Unselect N items the selection. Items that need a
 * selection are disabled without one.
 */
export function userMenuItems(
  counts: { shown: number; selected: number },
  actions: UserMenuActions,
): MenuItem[] {
  return [
    {
      id: 'reset',
      label: 'Reset Password(s)',
      disabled: counts.selected === 0,
      onSelect: actions.reset,
    },
    {
      id: 'select-all',
      label: `Select All (${formatCount(counts.shown)})`,
      disabled: counts.shown === 0,
      onSelect: actions.selectAll,
    },
    {
      id: 'unselect',
      label: `Unselect ${formatCount(counts.selected)} ${counts.selected === 1 ? 'item' : 'items'}`,
      disabled: counts.selected === 0,
      onSelect: actions.unselect,
    },
    {
      id: 'inverse',
      label: 'Inverse selection',
      disabled: counts.shown === 0,
      onSelect: actions.inverse,
    },
  ];
}
