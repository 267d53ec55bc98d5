import { useLayoutEffect, useState, type RefObject } from 'react';

const contentHeightOf = (element: HTMLElement): number => {
  const style = getComputedStyle(element);
  return (
    element.clientHeight -
    (parseFloat(style.paddingTop) || 0) -
    (parseFloat(style.paddingBottom) || 0)
  );
};

/**
 * The element's content height in px, kept current as the window resizes. Measured before the
 * first paint, so a layout computed from it does not jump; 0 where nothing is laid out (jsdom).
 */
export function useContentHeight(ref: RefObject<HTMLElement | null>): number {
  const [height, setHeight] = useState(0);
  useLayoutEffect(() => {
    const element = ref.current;
    if (element === null) return;
    setHeight(contentHeightOf(element));
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => setHeight(contentHeightOf(element)));
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return height;
}
