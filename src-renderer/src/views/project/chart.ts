/**
 * Pure scaling for the training chart: data (step, bits) → SVG coordinates, "nice" axis ticks and
 * path strings. Kept free of Svelte and the DOM so it is unit-tested on its own.
 */

export interface MetricPoint {
  step: number;
  trainLoss: number | null;
  validationBits: number | null;
}

export interface Box {
  width: number;
  height: number;
  /** Room for the axes' labels, in px. */
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export interface Scale {
  x(step: number): number;
  y(bits: number): number;
  xDomain: [number, number];
  yDomain: [number, number];
  xTicks: number[];
  yTicks: number[];
}

export interface Plotted {
  x: number;
  y: number;
  step: number;
  value: number;
}

/** Round numbers (1, 2, 2.5, 5 × 10^k) spanning [min, max], about `count` of them. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (max < min) [min, max] = [max, min];
  if (max === min) return [min];
  const raw = (max - min) / Math.max(1, count);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  const first = Math.ceil(min / step - 1e-9) * step;
  const ticks: number[] = [];
  // Round away float noise (0.30000000000000004) so labels print cleanly.
  for (let v = first; v <= max + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

function finiteValues(points: readonly MetricPoint[]): number[] {
  const values: number[] = [];
  for (const p of points) {
    if (p.trainLoss !== null && Number.isFinite(p.trainLoss)) values.push(p.trainLoss);
    if (p.validationBits !== null && Number.isFinite(p.validationBits)) values.push(p.validationBits);
  }
  return values;
}

/**
 * The chart's scale. The x axis runs from 0 to the run's target step when known, so the line grows
 * towards the right edge instead of the axis rescaling on every event; the y axis covers both
 * series with a little headroom and snaps to ticks.
 */
export function chartScale(points: readonly MetricPoint[], box: Box, targetStep?: number | null): Scale {
  const lastStep = points.length ? points[points.length - 1].step : 0;
  const xMax = Math.max(1, targetStep ?? 0, lastStep);
  const values = finiteValues(points);
  let lo = values.length ? Math.min(...values) : 0;
  let hi = values.length ? Math.max(...values) : 8;
  if (hi - lo < 1e-6) {
    lo -= 0.5;
    hi += 0.5;
  }
  const pad = (hi - lo) * 0.08;
  lo = Math.max(0, lo - pad);
  hi += pad;
  let yTicks = niceTicks(lo, hi, 4);
  // Extend the domain to the ticks just outside the data so the grid frames the lines.
  if (yTicks.length > 1) {
    const step = yTicks[1] - yTicks[0];
    if (yTicks[0] > lo) yTicks = [Number((yTicks[0] - step).toPrecision(12)), ...yTicks];
    if (yTicks[yTicks.length - 1] < hi) yTicks = [...yTicks, Number((yTicks[yTicks.length - 1] + step).toPrecision(12))];
    lo = Math.max(0, yTicks[0]);
    hi = yTicks[yTicks.length - 1];
    yTicks = yTicks.filter((t) => t >= lo);
  }
  const plotWidth = Math.max(1, box.width - box.left - box.right);
  const plotHeight = Math.max(1, box.height - box.top - box.bottom);
  return {
    x: (step) => box.left + (step / xMax) * plotWidth,
    y: (bits) => box.top + (1 - (bits - lo) / (hi - lo)) * plotHeight,
    xDomain: [0, xMax],
    yDomain: [lo, hi],
    xTicks: niceTicks(0, xMax, 5),
    yTicks,
  };
}

/** One series in SVG coordinates, skipping steps without a (finite) value. */
export function plotSeries(points: readonly MetricPoint[], key: 'trainLoss' | 'validationBits', scale: Scale): Plotted[] {
  const out: Plotted[] = [];
  for (const p of points) {
    const value = p[key];
    if (value === null || !Number.isFinite(value)) continue;
    out.push({ x: scale.x(p.step), y: scale.y(value), step: p.step, value });
  }
  return out;
}

/**
 * Fewer points for long runs: a 20k-step run would otherwise draw 20k path segments on every
 * event. Keeps each bucket's mean (a smoothed loss reads better than a decimated one) and the last
 * point exactly, so the line always ends at the newest value.
 */
export function thin(points: readonly Plotted[], maxPoints: number): Plotted[] {
  if (points.length <= maxPoints) return [...points];
  const size = Math.ceil(points.length / (maxPoints - 1));
  const out: Plotted[] = [];
  for (let start = 0; start < points.length - 1; start += size) {
    const bucket = points.slice(start, Math.min(start + size, points.length - 1));
    const mean = (f: (p: Plotted) => number) => bucket.reduce((sum, p) => sum + f(p), 0) / bucket.length;
    out.push({ x: mean((p) => p.x), y: mean((p) => p.y), step: bucket[bucket.length - 1].step, value: mean((p) => p.value) });
  }
  out.push(points[points.length - 1]);
  return out;
}

/** An SVG path through the points ("M x y L x y …"), empty for none. */
export function linePath(points: readonly Pick<Plotted, 'x' | 'y'>[]): string {
  return points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)} ${p.y.toFixed(1)}`).join(' ');
}

/** Axis label for a step count: 1500 → "1.5k". */
export function formatStep(step: number): string {
  if (step >= 1000) return `${Number((step / 1000).toPrecision(3))}k`;
  return String(step);
}
