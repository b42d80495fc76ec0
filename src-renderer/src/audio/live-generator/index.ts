/**
 * The live generator: WaveNet voices generated in this page, not in the studio's backend, so a
 * browser on the far end of an SSH tunnel plays them without audio crossing the network. A Web
 * Worker runs the same wasm kernel and take logic as the studio's generation jobs
 * (src-shared/generation), one engine per voice; an AudioWorklet mixes the voices, fed by the worker
 * directly over a MessageChannel, and counts underruns. Agreed interface:
 * /work/helper-notes/live-generator-api.md (and docs/architecture.md, "Live generator").
 *
 * Usage: `const gen = await createLiveGenerator(ctx, studio, checkpointId); gen.output.connect(ctx.destination);
 * const id = gen.startVoice({ label: 'C major', seed: 1, gain: 0.8 }); … gen.releaseVoice(id, 200);`
 */
export { createLiveGenerator } from './generator';
export type { LiveGenerator, LiveGeneratorDetails, LiveGeneratorOptions, LiveGeneratorStats, LiveModelSource, LiveVoiceStart } from './generator';
