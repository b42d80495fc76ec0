import { describe, expect, it } from 'vitest';
import { createArrangement, createClip, type Clip } from '../../../../src-shared/arrange/model';
import { clampZoom, fadeLength, formatClock, movedPosition, previewTrim, rulerTicks, scrollForZoom, snapFrame, trackAfterDrag, trimmedEnd, trimmedStart, visibleClips, ZOOM_MAX, ZOOM_MIN } from '../../../../src-renderer/src/arrange/timeline';

// 120 BPM 4/4 at 48 kHz: a beat is 24 000 frames, a bar 96 000.
const arr = createArrangement();
const clip = (props: Partial<Clip> = {}): Clip => createClip('c', { kind: 'sample', id: 's' }, 100_000, 50_000, { sourceOffset: 10_000, length: 40_000, ...props });

describe('timeline math', () => {
  it('snaps to bars, beats or whole frames', () => {
    expect(snapFrame(arr, 50_000, 'bar')).toBe(96_000);
    expect(snapFrame(arr, 40_000, 'bar')).toBe(0);
    expect(snapFrame(arr, 37_000, 'beat')).toBe(48_000);
    expect(snapFrame(arr, 37_000.4, 'off')).toBe(37_000);
    expect(snapFrame(arr, -5, 'off')).toBe(0);
  });

  it('keeps the frame under the pointer in place when zooming', () => {
    const before = 0.01;
    const after = 0.02;
    const scroll = scrollForZoom(1000, 300, before, after);
    expect((1000 + 300) / before).toBeCloseTo((scroll + 300) / after, 6);
    expect(clampZoom(1e9)).toBe(ZOOM_MAX);
    expect(clampZoom(0)).toBe(ZOOM_MIN);
  });

  it('lists only the clips intersecting the view', () => {
    const clips = [clip({ id: 'a', position: 0, length: 10 }), clip({ id: 'b', position: 10, length: 10 }), clip({ id: 'c', position: 30, length: 5 })];
    expect(visibleClips(clips, 10, 30).map((c) => c.id)).toEqual(['b']);
    expect(visibleClips(clips, 5, 31).map((c) => c.id)).toEqual(['a', 'b', 'c']);
  });

  it('thins ruler labels when zoomed out and shows beats when zoomed in', () => {
    const near = rulerTicks(arr, 0, 192_000, 100 / 48_000); // 100 px per second: a bar is 200 px
    expect(near.filter((t) => t.kind === 'bar').map((t) => t.label)).toEqual(['1', '2']);
    expect(near.filter((t) => t.kind === 'beat')).toHaveLength(6);
    const far = rulerTicks(arr, 0, 96_000 * 64, 4 / 48_000); // a bar is 8 px
    const labels = far.filter((t) => t.kind === 'bar').map((t) => Number(t.label));
    expect(labels[1] - labels[0]).toBeGreaterThanOrEqual(8);
    expect(far.some((t) => t.kind === 'beat')).toBe(false);
  });

  it('clamps moves, trims and fades to what the edits accept', () => {
    const c = clip();
    expect(movedPosition(arr, c, -1e9, 'off')).toBe(0);
    expect(movedPosition(arr, c, 30_000, 'bar')).toBe(96_000);
    // Left edge: not before the source start (position − sourceOffset), keep at least one frame.
    expect(trimmedStart(arr, c, 0, 'off')).toBe(40_000);
    expect(trimmedStart(arr, c, 1e9, 'off')).toBe(89_999);
    // Right edge: not past the source end, keep at least one frame.
    expect(trimmedEnd(arr, c, 1e9, 'off')).toBe(50_000 + 100_000 - 10_000);
    expect(trimmedEnd(arr, c, 0, 'off')).toBe(50_001);
    expect(fadeLength(c, 'in', 60_000)).toBe(10_000);
    expect(fadeLength(c, 'out', 60_000)).toBe(30_000);
    expect(fadeLength(c, 'in', 1e9)).toBe(40_000);
  });

  it('previews a trim the way the trim edits change a clip', () => {
    const c = clip({ fadeIn: 5000, fadeOut: 30_000 });
    const start = previewTrim(c, 'start', 60_000);
    expect(start).toMatchObject({ position: 60_000, sourceOffset: 20_000, length: 30_000, fadeOut: 30_000 });
    const end = previewTrim(c, 'end', 60_000);
    expect(end).toMatchObject({ position: 50_000, sourceOffset: 10_000, length: 10_000, fadeIn: 5000, fadeOut: 10_000 });
  });

  it('maps a vertical drag to a track and formats the clock', () => {
    expect(trackAfterDrag(1, 90, 84, 3)).toBe(2);
    expect(trackAfterDrag(1, 500, 84, 3)).toBe(2);
    expect(trackAfterDrag(1, -30, 84, 3)).toBe(1);
    expect(formatClock(48_000 * 61.5, 48_000)).toBe('01:01.500');
  });
});
