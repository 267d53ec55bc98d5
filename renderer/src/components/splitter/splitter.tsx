import { useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import './splitter.css';

/** `size` within `min`…`max`, in whole px; `min` wins when the two cross (a tiny window). */
export function clampSize(size: number, min: number, max: number): number {
  return Math.round(Math.max(min, Math.min(max, size)));
}

export interface SplitterProps {
  /** What it resizes, as its accessible name ("Resize the jobs panel"). */
  label: string;
  /** The id of the pane it sizes: the one below it. */
  controls: string;
  /** That pane's height now, in px, and the range it may take. */
  size: number;
  min: number;
  max: number;
  /** Arrow keys move it this many px; Page Up and Page Down four times as far. */
  step: number;
  onResize: (size: number) => void;
}

/**
 * A horizontal bar between two stacked panes that sets the lower one's height: drag it, or focus
 * it and use the arrow keys, Page Up/Down, Home (smallest) and End (largest), as the WAI-ARIA
 * window splitter pattern has it. The upper pane takes whatever is left.
 */
export function Splitter({ label, controls, size, min, max, step, onResize }: SplitterProps) {
  const drag = useRef<{ startY: number; startSize: number } | null>(null);
  const [dragging, setDragging] = useState(false);
  const resize = (next: number) => {
    const clamped = clampSize(next, min, max);
    if (clamped !== size) onResize(clamped);
  };

  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (event.button !== 0) return;
    // No text selection while dragging; the focus comes here, so the keys carry on from it.
    event.preventDefault();
    event.currentTarget.focus();
    event.currentTarget.setPointerCapture(event.pointerId);
    drag.current = { startY: event.clientY, startSize: size };
    setDragging(true);
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    if (drag.current === null) return;
    // The pane is below: moving the bar up makes it taller.
    resize(drag.current.startSize - (event.clientY - drag.current.startY));
  };
  const endDrag = () => {
    drag.current = null;
    setDragging(false);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const moves: Partial<Record<string, number>> = {
      ArrowUp: size + step,
      ArrowDown: size - step,
      PageUp: size + step * 4,
      PageDown: size - step * 4,
      Home: min,
      End: max,
    };
    const next = moves[event.key];
    if (next === undefined) return;
    event.preventDefault();
    resize(next);
  };

  return (
    <div
      className={`splitter${dragging ? ' splitter--dragging' : ''}`}
      role="separator"
      tabIndex={0}
      aria-label={label}
      aria-controls={controls}
      aria-orientation="horizontal"
      aria-valuenow={size}
      aria-valuemin={min}
      aria-valuemax={max}
      aria-valuetext={`${size} px`}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={endDrag}
      onPointerCancel={endDrag}
      onLostPointerCapture={endDrag}
      onKeyDown={onKeyDown}
    >
      <span className="splitter__grip" aria-hidden="true" />
    </div>
  );
}
