import {
  flip,
  FloatingPortal,
  offset,
  shift,
  useFloating,
  type VirtualElement,
} from '@floating-ui/react';
import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import './context-menu.css';

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

/**
 * Our own context menu (role=menu): arrow keys, Home/End, Enter or Space, Escape to close.
 * Disabled items stay in the list (so the counts are visible) but cannot be chosen.
 */
export function ContextMenu({ at, items, label, onClose }: ContextMenuProps) {
  const [floating, setFloating] = useState<HTMLUListElement | null>(null);
  const returnFocus = useRef<Element | null>(null);
  const enabled = items.filter((item) => item.disabled !== true);
  const [active, setActive] = useState(() => enabled[0]?.id ?? null);
  const { refs, floatingStyles } = useFloating({
    open: true,
    placement: 'bottom-start',
    strategy: 'fixed',
    // Placed once: it opens at a point of the window, and closes when the window resizes. (No
    // autoUpdate: it would walk the menu's ancestors' styles on every open, for nothing.)
    middleware: [offset(2), flip({ padding: 8 }), shift({ padding: 8 })],
    elements: { floating },
  });
  useLayoutEffect(() => {
    const point: VirtualElement = {
      getBoundingClientRect: () => new DOMRect(at.x, at.y, 0, 0),
    };
    refs.setPositionReference(point);
  }, [at, refs]);

  useLayoutEffect(() => {
    returnFocus.current = document.activeElement;
    return () => {
      if (returnFocus.current instanceof HTMLElement) returnFocus.current.focus();
    };
  }, []);

  useEffect(() => {
    if (floating === null) return;
    const item = floating.querySelector<HTMLElement>(`[data-item="${active ?? ''}"]`);
    (item ?? floating).focus();
  }, [active, floating]);

  useEffect(() => {
    const outside = (event: MouseEvent) => {
      if (floating !== null && !floating.contains(event.target as Node)) onClose();
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
  }, [floating, onClose]);

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

  return (
    <FloatingPortal>
      <ul
        ref={setFloating}
        role="menu"
        aria-label={label}
        className="context-menu"
        style={floatingStyles}
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
      </ul>
    </FloatingPortal>
  );
}
