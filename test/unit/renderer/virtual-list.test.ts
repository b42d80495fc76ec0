import { describe, expect, it } from 'vitest';
import { clampIndex, pagesCovering, rowsPerPage, scrollToReveal, visibleWindow } from '../../../src-renderer/src/views/library/virtual-list';

describe('virtual list math', () => {
  it('renders only the rows in view plus overscan, with spacers for the rest', () => {
    const w = visibleWindow(3600, 400, 36, 20_000, 5);
    expect(w.start).toBe(95);
    expect(w.end).toBe(100 + 13 + 5); // 12 rows fill 400 px, one more for a partly shown row
    expect(w.padTop).toBe(95 * 36);
    expect(w.padTop + (w.end - w.start) * 36 + w.padBottom).toBe(20_000 * 36);
  });

  it('stays bounded at the very end and at the top', () => {
    const bottom = visibleWindow(20_000 * 36 - 400, 400, 36, 20_000, 5);
    expect(bottom.end).toBe(20_000);
    expect(bottom.padBottom).toBe(0);
    expect(bottom.end - bottom.start).toBeLessThan(30);
    const top = visibleWindow(0, 400, 36, 20_000, 5);
    expect(top.start).toBe(0);
    expect(top.padTop).toBe(0);
  });

  it('handles empty lists and scroll positions past the end (after a filter shrinks the list)', () => {
    expect(visibleWindow(0, 400, 36, 0)).toEqual({ start: 0, end: 0, padTop: 0, padBottom: 0 });
    const w = visibleWindow(100_000, 400, 36, 3, 5);
    expect(w.start).toBeLessThan(w.end);
    expect(w.end).toBe(3);
  });

  it('lists the pages a row range needs', () => {
    expect(pagesCovering(0, 10, 200)).toEqual([0]);
    expect(pagesCovering(190, 210, 200)).toEqual([0, 1]);
    expect(pagesCovering(400, 400, 200)).toEqual([]);
    expect(pagesCovering(19_990, 20_000, 200)).toEqual([99]);
  });

  it('scrolls as little as possible to reveal a row', () => {
    expect(scrollToReveal(11, 0, 400, 36)).toBe(12 * 36 - 400);
    expect(scrollToReveal(10, 0, 400, 36)).toBe(0);
    expect(scrollToReveal(2, 0, 400, 36)).toBe(0);
    expect(scrollToReveal(2, 200, 400, 36)).toBe(72);
    expect(scrollToReveal(5, 100, 400, 36)).toBe(100);
  });

  it('pages by a viewport minus one row and clamps indexes', () => {
    expect(rowsPerPage(400, 36)).toBe(10);
    expect(rowsPerPage(10, 36)).toBe(1);
    expect(clampIndex(-3, 10)).toBe(0);
    expect(clampIndex(30, 10)).toBe(9);
    expect(clampIndex(0, 0)).toBe(-1);
  });
});
