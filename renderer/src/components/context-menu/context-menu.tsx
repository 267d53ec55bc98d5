import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { createPortal } from 'react-dom';
import './context-menu.css';
import { placeAtPoint } from './place-at-point.ts';

export interface MenuItem {
  id: string;
  label: string;
  disabled?: boolean;
  onSelect: () => void;
}

export interface ContextMenuProps {
  /** Where it opens (viewport coordinates); it flips and shifts to stay inside the window. */
  at: { x: number; y: number };
  items: readonly MenuItem[];
  label: string;
  /** Called on Escape, Tab, a click outside or after an item ran; focus goes back where it was. */
  onClose: () => void;
}

/** The gap between the point and the menu, px. */
const OFFSET = 2;

/**
 * Our own context menu (role=menu): arrow keys, Home/End, Enter or Space, Escape to close.
 * Disabled items stay in the list (so the counts are visible) but cannot be chosen.
 */
export function ContextMenu({ at, items, label, onClose }: ContextMenuProps) {
  const menu = useRef<HTMLUListElement>(null);
  const returnFocus = useRef<Element | null>(null);
  const enabled = items.filter((item) => item.disabled !== true);
  const [active, setActive] = useState(() => enabled[0]?.id ?? null);

  // Placed once, before the first paint, inside the window (see placeAtPoint), and written to
  // the element: no second render for it on each right-click. It opens at a point of the
  // window and closes when the window resizes, so nothing needs to follow it afterwards.
  useLayoutEffect(() => {
    const element = menu.current;
    if (element === null) return;
    const { left, top } = placeAtPoint(
      at,
      { width: element.offsetWidth, height: element.offsetHeight },
      {
        width: document.documentElement.clientWidth,
        height: document.documentElement.clientHeight,
      },
      { gap: OFFSET },
    );
    element.style.left = `${left}px`;
    element.style.top = `${top}px`;
  }, [at]);

  useLayoutEffect(() => {
    returnFocus.current = document.activeElement;
    return () => {
      if (returnFocus.current instanceof HTMLElement) returnFocus.current.focus();
    };
  }, []);

  // Right after the placement, in the same commit, before the paint.
  useLayoutEffect(() => {
    const element = menu.current;
    if (element === null) return;
    const item = element.querySelector<HTMLElement>(`[data-item="${active ?? ''}"]`);
    (item ?? element).focus();
  }, [active]);

  useEffect(() => {
    const outside = (event: MouseEvent) => {
      if (!(menu.current?.contains(event.target as Node) ?? false)) onClose();
    };
    const blur = () => onClose();
    document.addEventListener('mousedown', outside, true);
    window.addEventListener('blur', blur);
    window.addEventListener('resize', blur);
    return () => {
      document.removeEventListener('mousedown', outside, true);
      window.removeEventListener('blur', blur);
      window.removeEventListener('resize', blur);
    };
  }, [onClose]);

  const move = (step: number) => {
    if (enabled.length === 0) return;
    const index = enabled.findIndex((item) => item.id === active);
    const next = enabled[(index + step + enabled.length) % enabled.length];
    setActive(next?.id ?? null);
  };

  const choose = (item: MenuItem) => {
    if (item.disabled === true) return;
    onClose();
    item.onSelect();
  };

  const onKeyDown = (event: KeyboardEvent) => {
    switch (event.key) {
      case 'ArrowDown':
        move(1);
        break;
      case 'ArrowUp':
        move(-1);
        break;
      case 'Home':
        setActive(enabled[0]?.id ?? null);
        break;
      case 'End':
        setActive(enabled.at(-1)?.id ?? null);
        break;
      case 'Enter':
      case ' ': {
        const item = enabled.find((i) => i.id === active);
        if (item !== undefined) choose(item);
        break;
      }
      case 'Escape':
      case 'Tab':
        onClose();
        break;
      default:
        return;
    }
    event.preventDefault();
    event.stopPropagation();
  };

  // Into the body at once (FloatingPortal makes its node in an effect: a second render).
  return createPortal(
    <ul
      ref={menu}
      role="menu"
      aria-label={label}
      className="context-menu"
      style={{ left: at.x + OFFSET, top: at.y + OFFSET }}
      tabIndex={-1}
      onKeyDown={onKeyDown}
      onContextMenu={(event) => event.preventDefault()}
    >
      {items.map((item) => (
        <li
          key={item.id}
          role="menuitem"
          data-item={item.id}
          tabIndex={item.id === active ? 0 : -1}
          aria-disabled={item.disabled === true ? true : undefined}
          className="context-menu__item"
          onMouseEnter={() => {
            if (item.disabled !== true) setActive(item.id);
          }}
          onClick={() => choose(item)}
        >
          {item.label}
        </li>
      ))}
    </ul>,
    document.body,
  );
}
