/**
 * What the renderer's live generator loads from the studio: `checkpoints.live` (the card, validated)
 * and media kind `weights` (only the weights section of the checkpoint file, with Range support),
 * over the real loopback server, from a checkpoint that also holds Adam state.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckpointsRepo } from '../../src-main/db/checkpoints-repo';
import { saveCheckpoint } from '../../src-main/model/checkpoint';
import { projectDir } from '../../src-main/paths';
import { flattenWeights } from '../../src-shared/model/params';
import { randomWeights } from '../../src-shared/model/weights';
import { startTestStudio, type TestStudio } from '../helpers/studio';

describe('the live model a renderer loads', () => {
  let studio: TestStudio;
  let checkpointId: string;
  let cardPath: string;
  let params: Float32Array;
  const media = (id: string, headers: Record<string, string> = {}) =>
    fetch(`http://127.0.0.1:${studio.server.port}/media/weights/${id}?token=${studio.server.token}`, { headers });

  beforeAll(async () => {
    studio = await startTestStudio();
    const projectId = (await studio.client.invoke('projects.create', { name: 'Live' })).id;
    const config = { sampleRate: 16000, residualChannels: 8, dilationChannels: 16, skipChannels: 16, layersPerStack: 3, stacks: 1, quantization: 256, numLabels: 2, excitationChannels: 3 };
    const weights = randomWeights(config, 4);
    params = flattenWeights(weights);
    const n = params.length;
    const saved = await saveCheckpoint(join(projectDir(studio.dataDir, projectId), 'checkpoints'), {
      weights, labels: ['C major', 'kick'], step: 3, guidance: 2.5,
      optimizer: { step: 3, m: new Float32Array(n).fill(1), v: new Float32Array(n).fill(2) },
      excitation: { voicings: { 'C major': [[261.6, 329.6, 392]] } },
    });
    cardPath = saved.cardPath;
    checkpointId = new CheckpointsRepo(studio.app.db).insert({ projectId, runId: null, step: 3, path: saved.cardPath, trainLoss: 1, validationBits: 2, card: saved.card }).id;
  });
  afterAll(() => studio?.stop());

  it('gives the card the generator needs and serves exactly the weights section', async () => {
    const live = await studio.client.invoke('checkpoints.live', { id: checkpointId });
    expect(live).toMatchObject({ checkpointId, labels: ['C major', 'kick'], guidance: 2.5, weightsMediaId: checkpointId, weightsBytes: params.byteLength });
    expect(live.config.excitationChannels).toBe(3);
    expect(live.voicings).toEqual({ 'C major': [[261.6, 329.6, 392]] });
    const res = await media(checkpointId);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe(String(params.byteLength));
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.equals(Buffer.from(params.buffer))).toBe(true);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(live.weightsSha256);
  });

  it('answers a Range within the weights section (206), and refuses one past its end (416)', async () => {
    const part = await media(checkpointId, { Range: 'bytes=8-23' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 8-23/${params.byteLength}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(Buffer.from(params.buffer, 8, 16))).toBe(true);
    expect((await media(checkpointId, { Range: `bytes=${params.byteLength}-` })).status).toBe(416);
  });

  it('refuses unknown checkpoints and unreadable cards with clear errors, and never serves them', async () => {
    await expect(studio.client.invoke('checkpoints.live', { id: 'missing' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await media('missing')).status).toBe(404);
    expect((await media('..%2F..%2Fetc')).status).toBe(404);
    // A card naming a weights file outside its folder is refused, not followed.
    const card = JSON.parse((await import('node:fs')).readFileSync(cardPath, 'utf8'));
    writeFileSync(cardPath, JSON.stringify({ ...card, weightsFile: '../../outside.whck' }));
    await expect(studio.client.invoke('checkpoints.live', { id: checkpointId })).rejects.toThrow(/cannot be read .*bad weights file name/);
    expect((await media(checkpointId)).status).toBe(404);
    writeFileSync(cardPath, JSON.stringify(card));
    expect((await media(checkpointId)).status).toBe(200);
  });
});
