import { describe, expect, it } from 'vitest';
import { compilePattern, labelFromMatch, matchPattern, stem } from '../../../src-main/library/label-pattern';

describe('filename-pattern labels', () => {
  it("splits the article's chord files into root, octave and quality", () => {
    const p = compilePattern('{root}{octave}_{quality}');
    expect(matchPattern(p, 'major/C4_major.wav')).toEqual({ root: 'C', octave: '4', quality: 'major' });
    expect(matchPattern(p, 'F#3_diminished.flac')).toEqual({ root: 'F#', octave: '3', quality: 'diminished' });
    expect(matchPattern(p, 'Bb-1_augmented.WAV')).toEqual({ root: 'Bb', octave: '-1', quality: 'augmented' });
    expect(matchPattern(p, 'kick_01.wav')).toBeNull();
  });

  it('labels from the last placeholder by default, or from the chosen ones', () => {
    const p = compilePattern('{root}{octave}_{quality}');
    const g = matchPattern(p, 'E4_minor.wav')!;
    expect(labelFromMatch(p, g)).toBe('minor');
    expect(labelFromMatch(p, g, ['root', 'quality'])).toBe('E minor');
    expect(() => labelFromMatch(p, g, ['velocity'])).toThrow(/not in the pattern/);
  });

  it('treats literal text literally and * as a wildcard', () => {
    const p = compilePattern('{instrument} (take {n})*');
    expect(matchPattern(p, 'Cello (take 3) final.wav')).toEqual({ instrument: 'Cello', n: '3' });
    expect(matchPattern(p, 'Cello take 3.wav')).toBeNull();
  });

  it('rejects malformed patterns with a specific reason', () => {
    expect(() => compilePattern('')).toThrow(/empty/);
    expect(() => compilePattern('no placeholders')).toThrow(/no \{placeholder\}/);
    expect(() => compilePattern('{a}_{a}')).toThrow(/twice/);
    expect(() => compilePattern('{bad name}')).toThrow(/not a placeholder name/);
    expect(() => compilePattern('{open')).toThrow(/unbalanced/);
    expect(() => compilePattern('major/{root}')).toThrow(/folder separator.*can never match/);
  });

  it('matches in linear time: 40 free placeholders against a 260-character name that almost fits', () => {
    // A backtracking engine needed ~2.4 s for 11 such placeholders and far longer for 40; RE2 answers at once.
    const pattern = Array.from({ length: 40 }, (_, i) => `{p${i}}`).join('_') + '_end';
    const p = compilePattern(pattern);
    expect(matchPattern(p, `${'a_'.repeat(30)}${'b'.repeat(200)}.wav`)).toBeNull();
    const fits = matchPattern(p, `${Array.from({ length: 40 }, (_, i) => `v${i}`).join('_')}_end.wav`);
    expect(fits?.p0).toBe('v0');
    expect(fits?.p39).toBe('v39');
  });

  it('takes the stem of nested paths on any OS', () => {
    expect(stem('a/b/C4_major.wav')).toBe('C4_major');
    expect(stem('a\\b\\x.y.wav')).toBe('x.y');
    expect(stem('.hidden')).toBe('.hidden');
  });
});
