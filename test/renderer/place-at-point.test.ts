import { describe, expect, it } from 'vitest';
import { placeAtPoint } from '../../renderer/src/components/context-menu/place-at-point.ts';

const window = { width: 1000, height: 800 };
const menu = { width: 220, height: 300 };

describe('placeAtPoint', () => {
  it('opens below-right of the point when it fits', () => {
    expect(placeAtPoint({ x: 100, y: 100 }, menu, window)).toEqual({ left: 102, top: 102 });
  });

  it('opens above the point near the bottom, left of it near the right edge', () => {
    expect(placeAtPoint({ x: 900, y: 700 }, menu, window)).toEqual({ left: 678, top: 398 });
  });

  it('keeps `padding` from the edges: fits exactly at the limit, flips one pixel past it', () => {
    // 1000 − 8 − 220 − 2 = 770: the right edge lands on 992.
    expect(placeAtPoint({ x: 770, y: 0 }, menu, window).left).toBe(772);
    expect(placeAtPoint({ x: 771, y: 0 }, menu, window).left).toBe(549);
  });

  it('is pushed inside when it fits on neither side of the point', () => {
    const tall = { width: 220, height: 700 };
    expect(placeAtPoint({ x: 100, y: 400 }, tall, window).top).toBe(92);
  });

  it('is pinned to the top-left padding when larger than the window', () => {
    expect(placeAtPoint({ x: 50, y: 50 }, { width: 2000, height: 2000 }, window)).toEqual({
      left: 8,
      top: 8,
    });
  });
});
