import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { mixArrangement } from '../../../src-main/export/mixer';
import { GOLDEN_TOLERANCE, scenes, sourceTable, unpackRender } from '../../fixtures/golden/scenes';

const dir = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/golden');
const REGEN = 'npx tsx test/fixtures/golden/regenerate.ts';

function golden(name: string) {
  const file = join(dir, `${name}.wav`);
  if (!existsSync(file)) throw new Error(`golden file ${name}.wav is missing; if this is a new scene, create it with ${REGEN} and commit it`);
  return unpackRender(readFileSync(file));
}

describe('golden renders (32-bit float, max abs error ≤ 1e-6)', () => {
  for (const scene of scenes()) {
    it(scene.name, async () => {
      const r = await mixArrangement(scene.arrangement, sourceTable(scene.sources), scene.options);
      const got = [...r.mix, ...r.stems.flatMap((s) => s.channels)];
      const want = golden(scene.name);
      expect(r.rate, `${scene.name}: sample rate`).toBe(want.rate);
      expect(got.length, `${scene.name}: channel count`).toBe(want.channels.length);
      let worst = { err: 0, ch: -1, i: -1 };
      for (let c = 0; c < got.length; c++) {
        expect(got[c].length, `${scene.name}: frames in channel ${c}`).toBe(want.channels[c].length);
        for (let i = 0; i < got[c].length; i++) {
          const err = Math.abs(got[c][i] - want.channels[c][i]);
          if (!(err <= worst.err)) worst = { err, ch: c, i };
        }
      }
      // Fail loudly with where and how much; never rewrite the golden file from a test.
      if (worst.err > GOLDEN_TOLERANCE || Number.isNaN(worst.err)) {
        throw new Error(
          `${scene.name}.wav differs: max |error| ${worst.err} at channel ${worst.ch} frame ${worst.i} ` +
            `(got ${got[worst.ch][worst.i]}, golden ${want.channels[worst.ch][worst.i]}). ` +
            `If the change is intended, run ${REGEN}, check the new files and commit them with the change.`,
        );
      }
    });
  }
});

describe('the committed golden files obey the stated laws (independent of the mixer)', () => {
  const c45 = Math.cos(Math.PI / 4);

  it('fades.wav: linear fade-in k/100, fade-out (250 − j)/250, overlapping fades hold then fall', () => {
    const { channels } = golden('fades');
    const [aL, aR, bL] = [channels[2], channels[3], channels[4]];
    for (const k of [0, 1, 37, 99]) expect(aL[k]).toBeCloseTo(c45 * (k / 100), 6);
    expect(aR[50]).toBeCloseTo(c45 * 0.5, 6);
    for (const k of [100, 500, 749]) expect(aL[k]).toBeCloseTo(c45, 6);
    for (const j of [0, 1, 125, 249]) expect(aL[750 + j]).toBeCloseTo(c45 * (1 - j / 250), 6);
    expect(aL[1000]).toBe(0);
    // Clip b: length 600, fadeIn 500, fadeOut 400 → the fade-out starts at frame 200, from 200/500.
    for (const k of [0, 100, 199]) expect(bL[1200 + k]).toBeCloseTo(c45 * (k / 500), 6);
    for (const j of [0, 200, 399]) expect(bL[1200 + 200 + j]).toBeCloseTo(c45 * 0.4 * (1 - j / 400), 6);
  });

  it('mute_solo.wav: only soloed tracks sound, a soloed track sounds even if muted, and the mix is their sum', () => {
    const { channels } = golden('mute_solo');
    const energy = (x: Float32Array) => x.reduce((s, v) => s + v * v, 0);
    expect(energy(channels[2]) + energy(channels[3])).toBe(0); // muted
    expect(channels[4][10]).toBeCloseTo(0.25 * c45, 6); // soloed + muted DC: sounds
    expect(energy(channels[6]) + energy(channels[7])).toBe(0); // plain, but another track is soloed
    expect(energy(channels[8])).toBeGreaterThan(1);
    for (let i = 0; i < channels[0].length; i += 7) expect(channels[0][i]).toBeCloseTo(channels[4][i] + channels[8][i], 6);
  });
});
