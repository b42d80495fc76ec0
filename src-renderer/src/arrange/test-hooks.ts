/**
 * Hooks the e2e tests call inside the real page (`window.__wavehouseArrange`), so they exercise the
 * very scheduling code the studio plays with: an offline render of an arrangement from the media
 * the backend serves, and scripted play/stop sequences of the live player on an offline clock.
 */
import * as Tone from 'tone';
import type { Arrangement, LoopRegion } from '../../../src-shared/arrange/model';
import { SourceBuffers, type SourceUrl } from './buffers';
import { ArrangementPlayer } from './playback';
import { renderOffline } from './render-offline';

/** One step of a scripted session: at context time `at`, play from a frame (optionally looping) or stop. */
export type PlayerStep = { at: number; play: number; loop?: LoopRegion } | { at: number; stop: true };

async function loadAll(arr: Arrangement, urlOf: SourceUrl): Promise<SourceBuffers> {
  const buffers = new SourceBuffers(urlOf);
  await buffers.loadFor(arr);
  if (buffers.failures.size) throw new Error(`sources failed to load: ${[...buffers.failures].map(([k, v]) => `${k} (${v})`).join(', ')}`);
  return buffers;
}

export function exposeArrangeHooks(urlOf: SourceUrl): void {
  const hooks = {
    /** The mixdown as plain arrays [L, R] (page.evaluate cannot return typed arrays). */
    async renderMixdown(arr: Arrangement): Promise<number[][]> {
      const buffers = await loadAll(arr, urlOf);
      const channels = await renderOffline(arr, (ref) => buffers.get(ref, arr.sampleRate));
      return channels.map((c) => Array.from(c));
    },
    /** Runs `steps` with the live player on an offline clock of `seconds`; returns the output [L, R]. */
    async runPlayer(arr: Arrangement, steps: PlayerStep[], seconds: number): Promise<number[][]> {
      const buffers = await loadAll(arr, urlOf);
      const context = new Tone.OfflineContext(new OfflineAudioContext(2, Math.round(seconds * arr.sampleRate), arr.sampleRate));
      const player = new ArrangementPlayer((ref) => buffers.get(ref, arr.sampleRate), { context });
      for (const step of steps) {
        context.setTimeout(() => {
          if ('stop' in step) player.stop(step.at);
          else void player.play(arr, step.play, step.loop ?? null, step.at);
        }, Math.max(0, step.at - 0.02));
      }
      const out = await context.render(false);
      return [Array.from(out.getChannelData(0)), Array.from(out.getChannelData(1))];
    },
  };
  (window as unknown as { __wavehouseArrange?: typeof hooks }).__wavehouseArrange = hooks;
}
