import { fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_PANE,
  parsePanePreference,
} from '../../renderer/src/components/splitter/pane-preference.ts';
import { Splitter } from '../../renderer/src/components/splitter/splitter.tsx';

beforeAll(() => {
  // jsdom has pointer events but not pointer capture.
  if (!('setPointerCapture' in HTMLElement.prototype)) {
    Object.assign(HTMLElement.prototype, { setPointerCapture: () => undefined });
  }
});

function Pane({ start = 200 }: { start?: number }) {
  const [size, setSize] = useState(start);
  return (
    <Splitter
      label="Resize the lower pane"
      controls="lower"
      size={size}
      min={80}
      max={400}
      step={32}
      onResize={setSize}
    />
  );
}

describe('the splitter', () => {
  it('is a focusable horizontal separator that says the pane size and its range', () => {
    render(<Pane />);
    const bar = screen.getByRole('separator', { name: 'Resize the lower pane' });
    expect(bar).toHaveAttribute('tabindex', '0');
    expect(bar).toHaveAttribute('aria-orientation', 'horizontal');
    expect(bar).toHaveAttribute('aria-controls', 'lower');
    expect(bar).toHaveAttribute('aria-valuenow', '200');
    expect(bar).toHaveAttribute('aria-valuemin', '80');
    expect(bar).toHaveAttribute('aria-valuemax', '400');
  });

  it('moves with the arrow keys, Page Up/Down, Home and End, never past its range', async () => {
    const user = userEvent.setup();
    render(<Pane />);
    const bar = screen.getByRole('separator');
    await user.tab();
    expect(bar).toHaveFocus();
    await user.keyboard('{ArrowUp}');
    expect(bar).toHaveAttribute('aria-valuenow', '232');
    await user.keyboard('{ArrowDown}{ArrowDown}');
    expect(bar).toHaveAttribute('aria-valuenow', '168');
    await user.keyboard('{PageUp}');
    expect(bar).toHaveAttribute('aria-valuenow', '296');
    await user.keyboard('{PageUp}');
    expect(bar).toHaveAttribute('aria-valuenow', '400');
    await user.keyboard('{Home}');
    expect(bar).toHaveAttribute('aria-valuenow', '80');
    await user.keyboard('{ArrowDown}');
    expect(bar).toHaveAttribute('aria-valuenow', '80');
    await user.keyboard('{End}');
    expect(bar).toHaveAttribute('aria-valuenow', '400');
  });

  it('follows a drag: up makes the lower pane taller, down shorter, within its range', () => {
    render(<Pane />);
    const bar = screen.getByRole('separator');
    fireEvent.pointerDown(bar, { button: 0, pointerId: 1, clientY: 500 });
    fireEvent.pointerMove(bar, { pointerId: 1, clientY: 450 });
    expect(bar).toHaveAttribute('aria-valuenow', '250');
    fireEvent.pointerMove(bar, { pointerId: 1, clientY: 700 });
    expect(bar).toHaveAttribute('aria-valuenow', '80');
    fireEvent.pointerUp(bar, { pointerId: 1, clientY: 700 });
    // Moves after the button is up are not a drag.
    fireEvent.pointerMove(bar, { pointerId: 1, clientY: 100 });
    expect(bar).toHaveAttribute('aria-valuenow', '80');
    expect(bar).toHaveFocus();
  });
});

describe('a stored pane preference', () => {
  it('reads back what was written', () => {
    expect(parsePanePreference('{"collapsed":true,"size":240}')).toEqual({
      collapsed: true,
      size: 240,
    });
    expect(parsePanePreference('{"collapsed":false,"size":null}')).toEqual(DEFAULT_PANE);
  });

  it('falls back to the default for anything broken, field by field', () => {
    for (const raw of [null, '', 'not json', '42', 'null', '[]', '"collapsed"']) {
      expect(parsePanePreference(raw)).toEqual(DEFAULT_PANE);
    }
    expect(parsePanePreference('{"collapsed":"yes","size":240}')).toEqual({
      collapsed: false,
      size: 240,
    });
    for (const size of ['"240"', '-5', '1e9', 'true', '{}']) {
      expect(parsePanePreference(`{"collapsed":true,"size":${size}}`)).toEqual({
        collapsed: true,
        size: null,
      });
    }
    expect(parsePanePreference('{"collapsed":true,"size":240.6}').size).toBe(241);
  });
});
