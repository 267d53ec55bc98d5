import {
  autoUpdate,
  flip,
  FloatingPortal,
  offset,
  shift,
  useDismiss,
  useFloating,
  useFocus,
  useHover,
  useInteractions,
  useRole,
  type Placement,
} from '@floating-ui/react';
import { useState, type ReactNode } from 'react';
import './tooltip.css';

/** What the element a tooltip describes needs: its ref, and the props that open the tip. */
export interface TooltipTrigger {
  ref: (element: HTMLElement | null) => void;
  props: Record<string, unknown>;
}

export interface TooltipProps {
  /** What the tip says; nothing shows while it is null. */
  content: ReactNode;
  placement?: Placement;
  /** The tip's own look, instead of the plain one (e.g. a list with a title). */
  className?: string;
  /** The id of a heading inside `content` that names the tip. */
  labelledBy?: string;
  /** The element it describes, given the trigger to spread on it (a focusable element). */
  children: (trigger: TooltipTrigger) => ReactNode;
}

/**
 * A tooltip on hover and on keyboard focus; Escape hides it. The element gets
 * `aria-describedby` while it shows.
 *
 * A modal <dialog> sits in the browser's top layer, above any z-index, and makes everything
 * outside it inert: so inside one the tip is portalled into the dialog itself, elsewhere onto
 * the page body above everything else. Fixed positioning takes the viewport as its containing
 * block, so no overflow of a dialog, a panel or the header clips it.
 */
export function Tooltip({
  content,
  placement = 'bottom',
  className = 'tooltip',
  labelledBy,
  children,
}: TooltipProps) {
  const [open, setOpen] = useState(false);
  const [reference, setReference] = useState<HTMLElement | null>(null);
  const [floating, setFloating] = useState<HTMLDivElement | null>(null);
  const dialog = reference?.closest('dialog') ?? undefined;
  const { floatingStyles, context } = useFloating({
    elements: { reference, floating },
    open,
    onOpenChange: setOpen,
    placement,
    strategy: 'fixed',
    whileElementsMounted: autoUpdate,
    middleware: [offset(8), flip({ padding: 8 }), shift({ padding: 8 })],
  });
  const { getReferenceProps, getFloatingProps } = useInteractions([
    useHover(context, { move: false, delay: { open: 120, close: 0 } }),
    useFocus(context, { visibleOnly: false }),
    useDismiss(context),
    useRole(context, { role: 'tooltip' }),
  ]);
  return (
    <>
      {children({ ref: setReference, props: getReferenceProps() })}
      {open && content !== null && (
        <FloatingPortal root={dialog}>
          <div
            ref={setFloating}
            style={floatingStyles}
            className={className}
            aria-labelledby={labelledBy}
            {...getFloatingProps()}
          >
            {content}
          </div>
        </FloatingPortal>
      )}
    </>
  );
}
