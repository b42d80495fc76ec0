/**
 * The sound source of the Instrument view: the renderer-side live generator (issue 10 item 3,
 * src-renderer/src/audio/live-generator) with the client bound.
 */
import type { Client } from '../../../../src-preload/client';
import type { GeneratorFactory } from '../../instrument/session.svelte';

/** A factory for the Instrument view; until the live generator is merged it refuses with the reason. */
export function liveGeneratorFactory(_client: Client): GeneratorFactory {
  return () => Promise.reject(new Error('this build has no live generator yet (issue 10 item 3), so the instrument cannot sound'));
}
