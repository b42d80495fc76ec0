/**
 * The computer-keyboard keys an instrument mapping may use, as KeyboardEvent.code values (physical
 * positions, so the piano layout stays a piano on AZERTY or Dvorak too). Plain data: the contract
 * validates mappings against it and the renderer builds its defaults from it without loading zod.
 */

/** The piano row: a white key on the home row, the black keys above it, C at KeyA (18 semitones). */
export const PIANO_ROW_CODES = ['KeyA', 'KeyW', 'KeyS', 'KeyE', 'KeyD', 'KeyF', 'KeyT', 'KeyG', 'KeyY', 'KeyH', 'KeyU', 'KeyJ', 'KeyK', 'KeyO', 'KeyL', 'KeyP', 'Semicolon', 'Quote'] as const;

/** Keys after the piano row, in the order further labels take them. */
export const SPARE_CODES = [
  'Digit1', 'Digit2', 'Digit3', 'Digit4', 'Digit5', 'Digit6', 'Digit7', 'Digit8', 'Digit9', 'Digit0',
  'KeyZ', 'KeyX', 'KeyC', 'KeyV', 'KeyB', 'KeyN', 'KeyM', 'Comma', 'Period', 'Slash',
  'KeyQ', 'KeyR', 'KeyI', 'BracketLeft', 'BracketRight', 'Minus', 'Equal', 'Backslash',
] as const;

/** Every key a mapping may name. */
export const INSTRUMENT_KEY_CODES: readonly string[] = [...PIANO_ROW_CODES, ...SPARE_CODES];

const SYMBOLS: Record<string, string> = {
  Semicolon: ';', Quote: "'", Comma: ',', Period: '.', Slash: '/', BracketLeft: '[', BracketRight: ']', Minus: '-', Equal: '=', Backslash: '\\',
};

/** What a key code shows on a US keyboard ("KeyA" → "A", "Semicolon" → ";"). */
export function keyCodeLabel(code: string): string {
  if (/^Key[A-Z]$/.test(code)) return code.slice(3);
  if (/^Digit[0-9]$/.test(code)) return code.slice(5);
  return SYMBOLS[code] ?? code;
}

/**
 * Bounds of a recorded performance uploaded to the studio (instrument.recording* commands): float32
 * mono at the generator's rate, sent in chunks small enough for one WebSocket message (1 MiB) once
 * base64-encoded.
 */
export const RECORDING_LIMITS = {
  minSampleRate: 8000,
  maxSampleRate: 48000,
  /** Longest performance, seconds. */
  maxSeconds: 600,
  /** Shortest, seconds (one note's attack). */
  minSeconds: 0.05,
  /** Samples per chunk: 256 KiB of float32, ~350 kB of base64. */
  maxChunkSamples: 65536,
  /** |sample| above this is refused (float headroom for several loud voices, but no garbage). */
  maxAbsSample: 16,
  /** Recordings open at once in the whole studio. */
  maxOpen: 4,
  /** An open recording that hears nothing for this long is dropped with its temp file. */
  idleMs: 5 * 60_000,
} as const;
