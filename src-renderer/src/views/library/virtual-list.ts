/**
 * Arithmetic for a virtualised list of fixed-height rows: which rows to render for a scroll
 * position, which pages of the backend's paging they fall in, and where to scroll to reveal a row.
 * Pure functions so they can be unit-tested without a DOM.
 */

export interface VisibleWindow {
  /** First rendered row (inclusive). */
  start: number;
  /** One past the last rendered row. */
  end: number;
  /** Height of the spacer above the rendered rows, in px. */
  padTop: number;
  /** Height of the spacer below the rendered rows, in px. */
  padBottom: number;
}

/**
 * The rows to render: those in the viewport plus `overscan` on each side, so a fast wheel flick
 * does not show blank space before the next frame renders.
 */
export function visibleWindow(scrollTop: number, viewportHeight: number, rowHeight: number, total: number, overscan = 6): VisibleWindow {
  if (total <= 0 || rowHeight <= 0) return { start: 0, end: 0, padTop: 0, padBottom: 0 };
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const shown = Math.ceil(Math.max(0, viewportHeight) / rowHeight) + 1;
  const start = Math.max(0, Math.min(total - 1, first - overscan));
  const end = Math.min(total, first + shown + overscan);
  return { start, end, padTop: start * rowHeight, padBottom: (total - end) * rowHeight };
}

/** The page indexes (of `pageSize` rows each) that cover rows [start, end). */
export function pagesCovering(start: number, end: number, pageSize: number): number[] {
  if (end <= start) return [];
  const pages: number[] = [];
  for (let p = Math.floor(start / pageSize); p <= Math.floor((end - 1) / pageSize); p++) pages.push(p);
  return pages;
}

/**
 * The scrollTop that brings row `index` fully into view while moving as little as possible,
 * or the current scrollTop when it is already visible.
 */
export function scrollToReveal(index: number, scrollTop: number, viewportHeight: number, rowHeight: number): number {
  const top = index * rowHeight;
  const bottom = top + rowHeight;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + viewportHeight) return Math.max(0, bottom - viewportHeight);
  return scrollTop;
}

/** How many whole rows fit in the viewport (the PageUp/PageDown step), at least one. */
export function rowsPerPage(viewportHeight: number, rowHeight: number): number {
  return Math.max(1, Math.floor(viewportHeight / rowHeight) - 1);
}

/** Clamps a row index into [0, total - 1]; -1 when the list is empty. */
export function clampIndex(index: number, total: number): number {
  if (total <= 0) return -1;
  return Math.max(0, Math.min(total - 1, index));
}
