import type { MenuItem } from '../../../components/context-menu/context-menu.tsx';
import { formatCount } from '../../../lib/format.ts';

export interface UserMenuActions {
  reset: () => void;
  forgot: () => void;
  intercept: () => void;
  licenses: () => void;
  edit: () => void;
  selectAll: () => void;
  unselect: () => void;
  inverse: () => void;
}

/**
 * The users table's right-click menu: the seed's seven items in its order, with their live
 * counts (Select All (N) counts the users shown now, after the search; the others the
 * selection), plus Edit user for a single selection. Items that need a selection are disabled
 * without one.
 */
export function userMenuItems(
  counts: { shown: number; selected: number },
  actions: UserMenuActions,
): MenuItem[] {
  const none = counts.selected === 0;
  const selected = formatCount(counts.selected);
  return [
    { id: 'reset', label: 'Reset Password(s)', disabled: none, onSelect: actions.reset },
    { id: 'forgot', label: 'Forgot Password(s)', disabled: none, onSelect: actions.forgot },
    {
      id: 'intercept',
      label: `Intercept selected (${selected})`,
      disabled: none,
      onSelect: actions.intercept,
    },
    {
      id: 'licenses',
      label: `Update Licenses (${selected})`,
      disabled: none,
      onSelect: actions.licenses,
    },
    {
      id: 'edit',
      label: 'Edit user',
      disabled: counts.selected !== 1,
      onSelect: actions.edit,
    },
    {
      id: 'select-all',
      label: `Select All (${formatCount(counts.shown)})`,
      disabled: counts.shown === 0,
      onSelect: actions.selectAll,
    },
    {
      id: 'unselect',
      label: `Unselect ${selected} ${counts.selected === 1 ? 'item' : 'items'}`,
      disabled: none,
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
