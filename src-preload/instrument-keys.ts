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
