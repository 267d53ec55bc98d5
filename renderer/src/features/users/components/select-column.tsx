import type { ICellRendererComp, ICellRendererParams } from 'ag-grid-community';
import type { CustomHeaderProps } from 'ag-grid-react';
import { useEffect, useRef, useSyncExternalStore } from 'react';
import type { User } from '../../../../../shared/api/index.ts';
import type { GridCounts } from '../model/grid-actions.ts';
import type { RowSelection } from '../model/row-selection.ts';

export interface SelectCellParams {
  selection: RowSelection;
}

/**
 * A row's checkbox, drawn with AG Grid's own checkbox classes so the theme styles it. It only
 * shows the selection: the click reaches the grid's `cellClicked`, which changes it.
 */
export class SelectCell implements ICellRendererComp<User> {
  readonly #wrapper = document.createElement('div');
  readonly #box = document.createElement('input');

  init(params: ICellRendererParams<User> & SelectCellParams): void {
    this.#wrapper.className = 'ag-wrapper ag-input-wrapper ag-checkbox-input-wrapper';
    this.#box.type = 'checkbox';
    this.#box.className = 'ag-input-field-input ag-checkbox-input';
    this.#box.tabIndex = -1;
    this.#wrapper.append(this.#box);
    this.#show(params);
  }

  getGui(): HTMLElement {
    return this.#wrapper;
  }

  refresh(params: ICellRendererParams<User> & SelectCellParams): boolean {
    this.#show(params);
    return true;
  }

  #show({ data, selection }: ICellRendererParams<User> & SelectCellParams): void {
    const checked = data !== undefined && selection.has(data.id);
    this.#box.checked = checked;
    this.#box.setAttribute('aria-label', `Select ${data?.id ?? 'user'}`);
    this.#wrapper.classList.toggle('ag-checked', checked);
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
  const box = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (box.current !== null) box.current.indeterminate = some;
  }, [some]);

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
    <div className={`ag-wrapper ag-input-wrapper ag-checkbox-input-wrapper ${state}`}>
      <input
        ref={box}
        type="checkbox"
        className="ag-input-field-input ag-checkbox-input"
        tabIndex={-1}
        aria-label={all ? 'Unselect the users shown' : 'Select all users shown'}
        checked={all}
        onChange={onToggle}
      />
    </div>
  );
}
