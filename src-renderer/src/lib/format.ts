/** Display formatting for numbers, durations and sizes; fixed locale so screenshots are stable. */
const LOCALE = 'en-US';

export function formatCount(n: number): string {
  return n.toLocaleString(LOCALE);
}

/** 1234567 → "1.23M", 48200 → "48.2k". */
export function formatCompact(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toPrecision(3)}G`;
  if (n >= 1e6) return `${(n / 1e6).toPrecision(3)}M`;
  if (n >= 1e3) return `${(n / 1e3).toPrecision(3)}k`;
  return String(n);
}

/** Seconds as "0:07", "12:34" or "1:02:03". */
export function formatDuration(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** Milliseconds without the unit: whole above 100 ms, one decimal below. */
export function formatMsValue(ms: number): string {
  return ms >= 100 ? String(Math.round(ms)) : ms.toFixed(1);
}

export function formatMs(ms: number): string {
  return `${formatMsValue(ms)} ms`;
}

/** Hz as kHz without the unit: 16000 → "16", 22050 → "22.05". */
export function formatKhzValue(hz: number): string {
  return String(Math.round(hz / 10) / 100);
}

/** A short date for tables: "Nov 23, 08:02" this year, "Nov 23, 2025" before. */
export function formatShortDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.getFullYear() === new Date().getFullYear()
    ? date.toLocaleString(LOCALE, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false })
    : date.toLocaleDateString(LOCALE, { year: 'numeric', month: 'short', day: 'numeric' });
}

export function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : date.toLocaleString(LOCALE, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

export function formatPercent(fraction: number): string {
  return `${Math.round(Math.max(0, Math.min(1, fraction)) * 100)}%`;
}
