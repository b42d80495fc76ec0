/**
 * The instrument's laws, pure and in one place so the view, the tests and docs/architecture.md agree.
 */

/**
 * Velocity → linear gain: (v / 127)², i.e. 40·log10(v/127) dB — 127 is 0 dB, 64 is −11.9 dB, 32 is
 * −24 dB, 1 is −84 dB. Squared, because a linear law crowds the loud end (64 would be only −6 dB)
 * and players expect soft notes to be clearly soft. Velocities are clamped to 0–127; 0 is silence.
 */
export function velocityGain(velocity: number): number {
  const v = Math.min(127, Math.max(0, Number.isFinite(velocity) ? velocity : 0));
  return (v / 127) ** 2;
}

/** The same gain in dB (−Infinity for velocity 0), for the view. */
export function velocityDb(velocity: number): number {
  return 20 * Math.log10(velocityGain(velocity));
}

/** Velocity the computer keyboard plays at unless the view's slider says otherwise. */
export const DEFAULT_KEY_VELOCITY = 100;

/**
 * Note-off fade: the generator ramps the voice linearly to silence over this many ms and then frees
 * it. Long enough not to click (≥ 5 ms), short enough that a released key stops being generated soon,
 * since a fading voice still costs a whole voice of generation.
 */
export const RELEASE_FADE_MS = 120;
/** Bounds of the view's release control. */
export const RELEASE_FADE_RANGE = { min: 5, max: 2000 } as const;
