/** Which rows of a long list are on screen: the arithmetic of a fixed-row-height virtual list. */

export interface VisibleRange {
  /** First row to render (inclusive). */
  start: number;
  /** Row after the last to render (exclusive). */
  end: number;
  /** Height of the whole list, so the scrollbar is right. */
  totalHeight: number;
  /** Where the first rendered row sits. */
  offsetTop: number;
}

export function visibleRange(scrollTop: number, viewportHeight: number, rowHeight: number, total: number, overscan = 8): VisibleRange {
  const totalHeight = total * rowHeight;
  if (total === 0 || rowHeight <= 0) return { start: 0, end: 0, totalHeight: 0, offsetTop: 0 };
  const top = Math.max(0, Math.min(scrollTop, Math.max(0, totalHeight - viewportHeight)));
  const first = Math.floor(top / rowHeight);
  const visible = Math.ceil(viewportHeight / rowHeight) + 1;
  const start = Math.max(0, first - overscan);
  const end = Math.min(total, first + visible + overscan);
  return { start, end, totalHeight, offsetTop: start * rowHeight };
}

/** The scrollTop that brings `index` into view (unchanged when it already is). */
export function scrollToShow(index: number, scrollTop: number, viewportHeight: number, rowHeight: number): number {
  const top = index * rowHeight;
  if (top < scrollTop) return top;
  if (top + rowHeight > scrollTop + viewportHeight) return top + rowHeight - viewportHeight;
  return scrollTop;
}
