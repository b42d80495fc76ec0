import { describe, expect, it } from 'vitest';
import { DEFAULT_BOUNDS, restoreBounds } from '../../../src-main/electron/window-state';

const laptop = [{ x: 0, y: 0, width: 1440, height: 900 }];

describe('remembered window bounds', () => {
  it('restores a window that is still on a display', () => {
    expect(restoreBounds({ x: 100, y: 80, width: 1200, height: 760 }, laptop)).toEqual({ x: 100, y: 80, width: 1200, height: 760, maximized: undefined });
  });
  it('drops the position of a window left on a monitor that is gone, keeping its size', () => {
    expect(restoreBounds({ x: 3000, y: 100, width: 1200, height: 760, maximized: true }, laptop)).toEqual({ width: 1200, height: 760, maximized: true });
  });
  it('falls back to defaults for nothing or nonsense, and clamps tiny sizes', () => {
    expect(restoreBounds(undefined, laptop)).toEqual(DEFAULT_BOUNDS);
    expect(restoreBounds({ width: NaN, height: 5 }, laptop)).toEqual(DEFAULT_BOUNDS);
    expect(restoreBounds({ x: 0, y: 0, width: 10, height: 10 }, laptop)).toMatchObject({ width: 800, height: 560 });
  });
});
