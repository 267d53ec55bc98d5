import { autoUpdate, flip, FloatingPortal, offset, shift, useFloating } from '@floating-ui/react';
import { useEffect, useState, type RefObject } from 'react';
import './overflow-tip.css';

export interface OverflowTipProps {
  /** The element whose items it watches (a table). */
  within: RefObject<HTMLElement | null>;
  /** Which descendants are items, e.g. `.ag-cell`. */
  items: string;
}

/** How long the pointer rests on a cut-off item before its full text shows. */
const HOVER_DELAY_MS = 400;

/** The text is wider than the item shows (an ellipsis), in it or in its one child. */
function isCutOff(item: HTMLElement): boolean {
  const text = item.childElementCount === 1 ? (item.firstElementChild as HTMLElement) : item;
  return item.scrollWidth > item.clientWidth || text.scrollWidth > text.clientWidth;
}

/**
 * Shows the full text of an item cut off with an ellipsis, just below it: after the pointer
 * rests on it, or at once when it gets the keyboard focus (only a visible focus, so a click
 * does not leave one up). Escape, a click, scrolling or moving on hides it.
 *
 * It listens on `within` once (events bubble up to it) and measures only the item the pointer
 * rests on or the focus is on, so a table of any size costs nothing more per row or per cell
 * drawn, nor a pointer crossing it. The tip repeats
 * text the item already holds in full, so it is hidden from assistive technology.
 */
export function OverflowTip({ within, items }: OverflowTipProps) {
  const [shown, setShown] = useState<{ item: HTMLElement; text: string } | null>(null);
  const [floating, setFloating] = useState<HTMLDivElement | null>(null);
  const { floatingStyles } = useFloating({
    elements: { reference: shown?.item ?? null, floating },
    placement: 'bottom-start',
    strategy: 'fixed',
    whileElementsMounted: autoUpdate,
    middleware: [offset(2), flip({ padding: 8 }), shift({ padding: 8 })],
  });

  useEffect(() => {
    const root = within.current;
    if (root === null) return;
    let pointed: HTMLElement | null = null;
    let from: 'pointer' | 'focus' | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const itemAt = (target: EventTarget | null): HTMLElement | null => {
      const item = target instanceof Element ? target.closest<HTMLElement>(items) : null;
      return item !== null && root.contains(item) ? item : null;
    };
    const show = (item: HTMLElement, source: 'pointer' | 'focus') => {
      from = source;
      setShown({ item, text: item.textContent });
    };
    const hide = (source?: 'pointer' | 'focus') => {
      clearTimeout(timer);
      if (source !== undefined && from !== source) return;
      from = null;
      setShown(null);
    };

    const onMouseOver = (event: MouseEvent) => {
      const item = itemAt(event.target);
      if (item === pointed) return;
      pointed = item;
      hide('pointer');
      // Measured once the pointer has rested: measuring forces a layout, which a pointer on its
      // way to a right-click or across the table should not pay for at each cell it crosses.
      if (item !== null)
        timer = setTimeout(() => {
          if (item.isConnected && isCutOff(item)) show(item, 'pointer');
        }, HOVER_DELAY_MS);
    };
    const onMouseLeave = () => {
      pointed = null;
      hide('pointer');
    };
    const onFocusIn = (event: FocusEvent) => {
      const item = itemAt(event.target);
      clearTimeout(timer);
      if (item !== null && item.matches(':focus-visible') && isCutOff(item)) show(item, 'focus');
      else hide('focus');
    };
    const onFocusOut = () => hide('focus');
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === 'Escape') hide();
    };
    const onAnyHide = () => hide();

    root.addEventListener('mouseover', onMouseOver);
    root.addEventListener('mouseleave', onMouseLeave);
    root.addEventListener('focusin', onFocusIn);
    root.addEventListener('focusout', onFocusOut);
    root.addEventListener('keydown', onKeyDown);
    root.addEventListener('mousedown', onAnyHide);
    // Scrolling does not bubble: caught on its way down to the scrolled element.
    root.addEventListener('scroll', onAnyHide, true);
    return () => {
      clearTimeout(timer);
      root.removeEventListener('mouseover', onMouseOver);
      root.removeEventListener('mouseleave', onMouseLeave);
      root.removeEventListener('focusin', onFocusIn);
      root.removeEventListener('focusout', onFocusOut);
      root.removeEventListener('keydown', onKeyDown);
      root.removeEventListener('mousedown', onAnyHide);
      root.removeEventListener('scroll', onAnyHide, true);
    };
  }, [within, items]);

  // The grid may have dropped the item's element (scrolled away, rows replaced).
  if (!shown?.item.isConnected) return null;
  return (
    <FloatingPortal>
      <div
        ref={setFloating}
        style={floatingStyles}
        className="overflow-tip"
        data-testid="overflow-tip"
        aria-hidden="true"
      >
        {shown.text}
      </div>
    </FloatingPortal>
  );
}
