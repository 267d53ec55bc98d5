/** The class of a row's checkbox (drawn by SelectCell), for the theme and to find it. */
export const SELECT_BOX = 'users-grid__box';

/** Shows a row's checkbox checked or not: for the theme (ag-checked) and for assistive tech. */
export function showChecked(box: HTMLElement, checked: boolean): void {
  box.setAttribute('aria-checked', String(checked));
  box.classList.toggle('ag-checked', checked);
}
