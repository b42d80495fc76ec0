import { describe, expect, it } from 'vitest';
import { chartScale, formatStep, linePath, niceTicks, plotSeries, thin, type Box, type MetricPoint } from '../../../../src-renderer/src/views/project/chart';

const BOX: Box = { width: 440, height: 220, left: 40, right: 0, top: 10, bottom: 10 };

function points(n: number): MetricPoint[] {
  return Array.from({ length: n }, (_, i) => ({ step: i + 1, trainLoss: 8 - i * 0.01, validationBits: (i + 1) % 10 === 0 ? 7.5 - i * 0.01 : null }));
}

describe('training chart scaling', () => {
  it('picks round ticks', () => {
    expect(niceTicks(0, 100, 5)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(niceTicks(0, 1500, 5)).toEqual([0, 500, 1000, 1500]);
    expect(niceTicks(0.1, 0.7, 3)).toEqual([0.2, 0.4, 0.6]);
    expect(niceTicks(3, 3)).toEqual([3]);
    expect(niceTicks(NaN, 1)).toEqual([]);
  });

  it('maps steps across the plot up to the target step, and bits downwards', () => {
    const scale = chartScale(points(30), BOX, 60);
    expect(scale.xDomain).toEqual([0, 60]);
    expect(scale.x(0)).toBe(40);
    expect(scale.x(60)).toBe(440);
    expect(scale.x(30)).toBe(240);
    const [lo, hi] = scale.yDomain;
    expect(scale.y(lo)).toBeCloseTo(210);
    expect(scale.y(hi)).toBeCloseTo(10);
    expect(lo).toBeLessThanOrEqual(7.5 - 29 * 0.01);
    expect(hi).toBeGreaterThanOrEqual(8);
    expect(scale.yTicks[0]).toBeGreaterThanOrEqual(lo);
    expect(scale.yTicks.at(-1)).toBeLessThanOrEqual(hi);
  });

  it('grows past the target when a run goes on, and survives no data or a flat line', () => {
    expect(chartScale(points(80), BOX, 60).xDomain).toEqual([0, 80]);
    const empty = chartScale([], BOX, null);
    expect(empty.xDomain).toEqual([0, 1]);
    expect(Number.isFinite(empty.y(4))).toBe(true);
    const flat = chartScale([{ step: 1, trainLoss: 2, validationBits: 2 }], BOX, 10);
    expect(flat.yDomain[1]).toBeGreaterThan(flat.yDomain[0]);
  });

  it('plots each series without its gaps and thins long runs, keeping the newest point', () => {
    const data = points(100);
    const scale = chartScale(data, BOX, 100);
    expect(plotSeries(data, 'trainLoss', scale)).toHaveLength(100);
    const validation = plotSeries(data, 'validationBits', scale);
    expect(validation.map((p) => p.step)).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    const thinned = thin(plotSeries(points(5000), 'trainLoss', chartScale(points(5000), BOX)), 400);
    expect(thinned.length).toBeLessThanOrEqual(400);
    expect(thinned.at(-1)!.step).toBe(5000);
    expect(thin(validation, 400)).toEqual(validation);
  });

  it('writes paths and step labels', () => {
    expect(linePath([])).toBe('');
    expect(linePath([{ x: 1, y: 2 }, { x: 3.25, y: 4 }])).toBe('M1.0 2.0 L3.3 4.0');
    expect(formatStep(500)).toBe('500');
    expect(formatStep(1500)).toBe('1.5k');
    expect(formatStep(20000)).toBe('20k');
  });
});
