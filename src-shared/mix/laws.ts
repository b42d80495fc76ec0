/**
 * The gain, fade, pan and solo laws shared by the offline mixer and the Tone.js preview. They are
 * copied from what Tone.js 15 and the Web Audio spec do, so that a preview built as described in
 * PREVIEW.md (next to this file) sounds the same as the export:
 *
 * - dB → gain: 10^(dB/20), Tone's `dbToGain` (so −6 dB is 0.50119, and −6.0206 dB is exactly ½).
 * - Fades: Tone's Player/ToneBufferSource default `curve: "linear"`. Fade-in is
 *   `setValueAtTime(0, start)` + `linearRampToValueAtTime(1, start + fadeIn)`; fade-out is
 *   `linearRampTo(0, fadeOut, end − fadeOut)`, whose `setRampPoint` first holds the value reached
 *   at `end − fadeOut` (this matters only when the two fades overlap). Web Audio evaluates a ramp
 *   at each frame time, so frame k of a clip gets k/fadeIn during the fade-in and the fade-out
 *   falls from the held value v0 to 0 as v0·(1 − j/fadeOut) for j = 0…fadeOut−1.
 * - Pan: the StereoPannerNode algorithm (Tone.Panner wraps it), equal-power, per input channel count:
 *   mono input → L = cos(θ), R = sin(θ) with θ = (pan + 1)·π/4 (centre: both −3.01 dB);
 *   stereo input → a balance law: for pan ≤ 0, L = inL + inR·cos(θ'), R = inR·sin(θ') with
 *   θ' = (pan + 1)·π/2; for pan > 0, L = inL·cos(θ''), R = inR + inL·sin(θ'') with θ'' = pan·π/2
 *   (centre: unchanged).
 * - Solo overrides mute: when any track is soloed exactly the soloed tracks sound, muted or not.
 */

/** Linear gain of a level in dB (Tone.js dbToGain). */
export function dbToGain(db: number): number {
  return Math.pow(10, db / 20);
}

/** Level in dB of a linear gain (Tone.js gainToDb); −Infinity for 0. */
export function gainToDb(gain: number): number {
  return 20 * Math.log10(gain);
}

/** Equal-power gains [L, R] a StereoPannerNode applies to a mono input at `pan` (−1…1). */
export function panMono(pan: number): [number, number] {
  const theta = ((clampPan(pan) + 1) / 2) * (Math.PI / 2);
  return [Math.cos(theta), Math.sin(theta)];
}

/**
 * The 2×2 matrix a StereoPannerNode applies to a stereo input at `pan`:
 * outL = ll·inL + rl·inR, outR = lr·inL + rr·inR.
 */
export function panStereo(pan: number): { ll: number; rl: number; lr: number; rr: number } {
  const p = clampPan(pan);
  if (p <= 0) {
    const theta = (p + 1) * (Math.PI / 2);
    return { ll: 1, rl: Math.cos(theta), lr: 0, rr: Math.sin(theta) };
  }
  const theta = p * (Math.PI / 2);
  return { ll: Math.cos(theta), rl: 0, lr: Math.sin(theta), rr: 1 };
}

function clampPan(pan: number): number {
  return Math.min(1, Math.max(-1, pan));
}

/** Fade-in envelope alone at clip frame k (linear 0 → 1 over fadeIn frames). */
function fadeInAt(k: number, fadeIn: number): number {
  return fadeIn > 0 && k < fadeIn ? k / fadeIn : 1;
}

/**
 * Envelope (0…1) at frame k (0 ≤ k < length) of a clip with linear fades, exactly as Tone's
 * automation produces it, including the overlapping case (fade-out starts from wherever the
 * fade-in had got to).
 */
export function envelopeAt(k: number, length: number, fadeIn: number, fadeOut: number): number {
  const t0 = length - fadeOut;
  if (fadeOut > 0 && k >= t0) return fadeInAt(t0, fadeIn) * (1 - (k - t0) / fadeOut);
  return fadeInAt(k, fadeIn);
}

/** Whether a track sounds: if any track is soloed only soloed tracks do (solo overrides mute), else unmuted ones. */
export function isAudible(track: { mute: boolean; solo: boolean }, anySolo: boolean): boolean {
  return anySolo ? track.solo : !track.mute;
}
