import type { ICellRendererComp, ICellRendererParams } from 'ag-grid-community';
import type { CustomHeaderProps } from 'ag-grid-react';
import { useEffect, useSyncExternalStore } from 'react';
import type { User } from '../../../../../shared/api/index.ts';
import type { GridCounts } from '../model/grid-actions.ts';
import type { RowSelection } from '../model/row-selection.ts';
import { SELECT_BOX, showChecked } from '../model/select-box.ts';

export interface SelectCellParams {
  selection: RowSelection;
}

/**
 * A row's checkbox, drawn with AG Grid's own checkbox classes so the theme styles it. It is not
 * a form control (nothing native to toggle or to take the focus from the cell): it shows the
 * selection, and the click reaches the table's click handler (users-grid.tsx), which changes it.
 */
export class SelectCell implements ICellRendererComp<User> {
  readonly #box = document.createElement('span');

  init(params: ICellRendererParams<User> & SelectCellParams): void {
    this.#box.className = `ag-wrapper ag-input-wrapper ag-checkbox-input-wrapper ${SELECT_BOX}`;
    this.#box.setAttribute('role', 'checkbox');
    this.#show(params);
  }

  getGui(): HTMLElement {
    return this.#box;
  }

  refresh(params: ICellRendererParams<User> & SelectCellParams): boolean {
    this.#show(params);
    return true;
  }

  #show({ data, selection }: ICellRendererParams<User> & SelectCellParams): void {
    // No box on a row whose block is still on its way: there is no one to select yet.
    this.#box.hidden = data === undefined;
    showChecked(this.#box, data !== undefined && selection.has(data.id));
    this.#box.setAttribute(
      'aria-label',
      data === undefined ? 'Select' : `Select ${data.firstName} ${data.lastName}`,
    );
  }
}

export interface SelectAllHeaderParams {
  counts: { get: () => GridCounts; subscribe: (listener: () => void) => () => void };
  onToggle: () => void;
}

/**
 * The header checkbox: checked when every user shown is selected, mixed when some are. Click or
 * Space selects all shown, or clears them when all are selected.
 */
export function SelectAllHeader({
  counts,
  onToggle,
  eGridHeader,
}: CustomHeaderProps<User> & SelectAllHeaderParams) {
  const { shown, selectedShown } = useSyncExternalStore(counts.subscribe, counts.get);
  const all = shown > 0 && selectedShown === shown;
  const some = selectedShown > 0 && !all;

  // The header cell holds the keyboard focus, not the box inside it.
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== ' ' && event.key !== 'Enter') return;
      event.preventDefault();
      onToggle();
    };
    eGridHeader.addEventListener('keydown', onKeyDown);
    return () => eGridHeader.removeEventListener('keydown', onKeyDown);
  }, [eGridHeader, onToggle]);

  const state = all ? 'ag-checked' : some ? 'ag-indeterminate' : '';
  return (
    <span
      role="checkbox"
      aria-checked={all ? true : some ? 'mixed' : false}
      aria-label={all ? 'Unselect the users shown' : 'Select all users shown'}
      className={`ag-wrapper ag-input-wrapper ag-checkbox-input-wrapper ${SELECT_BOX} ${state}`}
      onClick={onToggle}
    />
  );
}
