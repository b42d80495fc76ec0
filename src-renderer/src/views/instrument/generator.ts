/**
 * The sound source of the Instrument view: the renderer-side live generator (issue 10 item 3,
 * src-renderer/src/audio/live-generator), bound to the studio's client and media URLs.
 */
import { createLiveGenerator, type LiveModelSource } from '../../audio/live-generator';
import type { GeneratorFactory } from '../../instrument/session.svelte';

/** A factory for the Instrument view (pass the Studio: it has the client and mediaUrl). */
export function liveGeneratorFactory(source: LiveModelSource): GeneratorFactory {
  return (ctx, checkpointId) => createLiveGenerator(ctx, source, checkpointId);
}
