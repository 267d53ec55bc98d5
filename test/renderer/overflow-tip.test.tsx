import { act, fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useRef } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OverflowTip } from '../../renderer/src/components/overflow-tip/overflow-tip.tsx';

const LONG = 'a.very.long.address.for.someone@example.com';

/** Two cells: the first cut off (as measured in a browser), the second not. */
function Table() {
  const within = useRef<HTMLDivElement>(null);
  return (
    <div ref={within}>
      <div className="cell" tabIndex={0} data-cut="yes">
        {LONG}
      </div>
      <div className="cell" tabIndex={0}>
        short
      </div>
      <OverflowTip within={within} items=".cell" />
    </div>
  );
}

const cells = () => [...document.querySelectorAll<HTMLElement>('.cell')];
const tip = () => screen.queryByTestId('overflow-tip');

beforeEach(() => {
  // jsdom lays nothing out: a cell marked cut off is wider inside than it shows.
  Object.defineProperty(HTMLElement.prototype, 'scrollWidth', {
    configurable: true,
    get(this: HTMLElement) {
      return this.dataset.cut === 'yes' ? 300 : 0;
    },
  });
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', {
    configurable: true,
    get: () => 120,
  });
});
afterEach(() => {
  vi.useRealTimers();
  delete (HTMLElement.prototype as { scrollWidth?: number }).scrollWidth;
  delete (HTMLElement.prototype as { clientWidth?: number }).clientWidth;
});

describe('the full text of a cut-off cell', () => {
  it('shows after the pointer rests on it, and goes when the pointer leaves', () => {
    vi.useFakeTimers();
    render(<Table />);
    const [cut, short] = cells();
    fireEvent.mouseOver(cut!);
    expect(tip()).toBeNull();
    act(() => {
      vi.advanceTimersByTime(400);
    });
    expect(tip()).toHaveTextContent(LONG);
    // Repeats what the cell holds in full: not read out twice.
    expect(tip()).toHaveAttribute('aria-hidden', 'true');
    fireEvent.mouseOver(short!);
    expect(tip()).toBeNull();
    act(() => {
      vi.advanceTimersByTime(1000);
    });
    // A cell that shows all of its text gets none.
    expect(tip()).toBeNull();
  });

  it('is not shown for a pointer that only passes over', () => {
    vi.useFakeTimers();
    const { container } = render(<Table />);
    fireEvent.mouseOver(cells()[0]!);
    act(() => {
      vi.advanceTimersByTime(200);
    });
    fireEvent.mouseLeave(container.firstElementChild!);
    act(() => {
      vi.advanceTimersByTime(1000);
    });
    expect(tip()).toBeNull();
  });

  it('shows at once on keyboard focus, and goes with the focus or on Escape', async () => {
    const user = userEvent.setup();
    render(<Table />);
    await user.tab();
    expect(cells()[0]).toHaveFocus();
    expect(tip()).toHaveTextContent(LONG);
    await user.tab();
    expect(tip()).toBeNull();
    await user.tab({ shift: true });
    expect(tip()).toHaveTextContent(LONG);
    await user.keyboard('{Escape}');
    expect(tip()).toBeNull();
  });

  it('goes on a click or a scroll', () => {
    vi.useFakeTimers();
    render(<Table />);
    const [cut] = cells();
    fireEvent.mouseOver(cut!);
    act(() => {
      vi.advanceTimersByTime(400);
    });
    fireEvent.mouseDown(cut!);
    expect(tip()).toBeNull();
    fireEvent.mouseOver(cells()[1]!);
    fireEvent.mouseOver(cut!);
    act(() => {
      vi.advanceTimersByTime(400);
    });
    expect(tip()).not.toBeNull();
    fireEvent.scroll(cut!);
    expect(tip()).toBeNull();
  });
});
