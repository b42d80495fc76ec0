/** Window size and position as remembered between starts. */
export interface WindowBounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized?: boolean;
}

export interface DisplayArea {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const DEFAULT_BOUNDS: WindowBounds = { width: 1280, height: 800 };

/**
 * Restores remembered bounds only if they still make sense: a sane size and at least part of the
 * window on a display that exists now (monitors come and go between starts).
 */
export function restoreBounds(saved: WindowBounds | undefined, displays: DisplayArea[]): WindowBounds {
  if (!saved || !Number.isFinite(saved.width) || !Number.isFinite(saved.height)) return DEFAULT_BOUNDS;
  const width = Math.max(800, Math.min(saved.width, 10_000));
  const height = Math.max(560, Math.min(saved.height, 10_000));
  if (saved.x === undefined || saved.y === undefined) return { width, height, maximized: saved.maximized };
  const visible = displays.some(
    (d) => saved.x! + 100 <= d.x + d.width && saved.x! + width - 100 >= d.x && saved.y! >= d.y - 10 && saved.y! + 40 <= d.y + d.height,
  );
  return visible ? { x: saved.x, y: saved.y, width, height, maximized: saved.maximized } : { width, height, maximized: saved.maximized };
}
