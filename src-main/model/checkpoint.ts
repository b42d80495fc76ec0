/**
 * Checkpoints: one binary file (weights + optional Adam state) and a JSON model card next to it.
 *
 * Binary layout (little-endian): 8-byte magic "WHCKPT01", u32 header length, UTF-8 JSON header
 * (padded with spaces to a multiple of 4), then float32 sections in the order the header lists.
 * The card holds config, labels, sampleRate, step, metrics and the sha256 of the weights section.
 * Both files are written to temp names first and then renamed, bin before card, so a card on disk
 * always describes a complete binary, and a save that fails (a full disk) replaces neither and
 * leaves no temp file.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, promises as fs, readFileSync, readSync } from 'node:fs';
import path from 'node:path';
import { writeFilesAtomic } from '../files/atomic';
import { writeFailure } from '../files/fs-errors';
import type { WaveNetConfig } from '../../src-shared/model/config';
import { validateConfig } from '../../src-shared/model/config';
import { flatSize, flattenWeights, paramSpecs, unflattenWeights } from '../../src-shared/model/params';
import type { WaveNetWeights } from '../../src-shared/model/weights';
import { CARD_FORMAT, type ModelCard } from '../../src-shared/model/card';

const MAGIC = 'WHCKPT01';
export { CARD_FORMAT, cardTakeVoicing, takeGuidance, type ModelCard } from '../../src-shared/model/card';

/** Adam state as stored (mirrors training/optimizer AdamState). */
export interface OptimizerState {
  step: number;
  m: Float32Array;
  v: Float32Array;
}

export interface CheckpointInput {
  /** Weights as WaveNetWeights or a flat canonical Float32Array (then `config` is required). */
  weights: WaveNetWeights | Float32Array;
  config?: WaveNetConfig;
  optimizer?: OptimizerState;
  labels: string[];
  step: number;
  metrics?: Record<string, number>;
  trainingState?: Record<string, unknown>;
  /** See ModelCard.guidance. */
  guidance?: number;
  /** See ModelCard.excitation. */
  excitation?: { voicings: Record<string, number[][]> };
  /**
   * The parameters training updates, when they are laid out differently from `weights` (label
   * tokens: one condition row per token, see training/label-tokens.ts); the optimizer state then
   * matches these. Stored as their own section; generation reads only `weights`.
   */
  trainingParams?: Float32Array;
  /** File stem; default `step-<step padded to 8>`. */
  name?: string;
}

export interface LoadedCheckpoint {
  card: ModelCard;
  cardPath: string;
  /** Flat canonical parameters. */
  params: Float32Array;
  weights: WaveNetWeights;
  optimizer?: OptimizerState;
  /** Training-layout parameters, when the checkpoint has them (the optimizer state matches these). */
  trainingParams?: Float32Array;
}

interface BinHeader {
  sections: { name: 'weights' | 'adam.m' | 'adam.v' | 'train.params'; length: number }[];
  adamStep?: number;
}

/** sha256 hex of a float array's bytes. */
export function sha256Of(a: Float32Array): string {
  return createHash('sha256').update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)).digest('hex');
}

function encodeBin(params: Float32Array, opt?: OptimizerState, trainingParams?: Float32Array): Uint8Array {
  const sections: BinHeader['sections'] = [{ name: 'weights', length: params.length }];
  const arrays = [params];
  if (trainingParams) {
    sections.push({ name: 'train.params', length: trainingParams.length });
    arrays.push(trainingParams);
  }
  if (opt) {
    sections.push({ name: 'adam.m', length: opt.m.length }, { name: 'adam.v', length: opt.v.length });
    arrays.push(opt.m, opt.v);
  }
  const header: BinHeader = { sections, adamStep: opt?.step };
  let json = JSON.stringify(header);
  while ((8 + 4 + Buffer.byteLength(json)) % 4 !== 0) json += ' ';
  const jsonBytes = Buffer.from(json, 'utf8');
  const dataBytes = arrays.reduce((a, x) => a + x.byteLength, 0);
  const out = new Uint8Array(12 + jsonBytes.length + dataBytes);
  out.set(Buffer.from(MAGIC, 'latin1'), 0);
  new DataView(out.buffer).setUint32(8, jsonBytes.length, true);
  out.set(jsonBytes, 12);
  let off = 12 + jsonBytes.length;
  for (const a of arrays) {
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), off);
    off += a.byteLength;
  }
  return out;
}

/** Writes `<name>.whck` and `<name>.json` into dir atomically; returns the card and its path. */
export async function saveCheckpoint(dir: string, input: CheckpointInput): Promise<{ card: ModelCard; cardPath: string; binPath: string }> {
  const config = input.weights instanceof Float32Array ? input.config : input.weights.config;
  if (!config) throw new Error('saveCheckpoint: config is required with flat weights');
  validateConfig(config);
  const params = input.weights instanceof Float32Array ? input.weights : flattenWeights(input.weights);
  if (params.length !== flatSize(config)) throw new Error(`saveCheckpoint: ${params.length} parameters, config needs ${flatSize(config)}`);
  const updated = input.trainingParams ?? params;
  if (input.optimizer && (input.optimizer.m.length !== updated.length || input.optimizer.v.length !== updated.length)) {
    throw new Error('saveCheckpoint: optimizer state does not match the parameter count');
  }
  if (config.numLabels > 0 && input.labels.length !== config.numLabels) {
    throw new Error(`saveCheckpoint: ${input.labels.length} label names for a model with ${config.numLabels} labels`);
  }
  await fs.mkdir(dir, { recursive: true });
  const name = input.name ?? `step-${String(input.step).padStart(8, '0')}`;
  const binPath = path.join(dir, `${name}.whck`);
  const cardPath = path.join(dir, `${name}.json`);
  const card: ModelCard = {
    format: CARD_FORMAT,
    version: 1,
    config,
    labels: input.labels,
    sampleRate: config.sampleRate,
    step: input.step,
    metrics: input.metrics ?? {},
    weightsFile: path.basename(binPath),
    weightsSha256: sha256Of(params),
    parameterCount: params.length,
    hasOptimizerState: !!input.optimizer,
    trainingState: input.trainingState,
    ...(input.guidance !== undefined ? { guidance: input.guidance } : {}),
    ...(input.excitation !== undefined ? { excitation: input.excitation } : {}),
    createdAt: new Date().toISOString(),
  };
  try {
    await writeFilesAtomic([
      { path: binPath, data: encodeBin(params, input.optimizer, input.trainingParams) },
      { path: cardPath, data: JSON.stringify(card, null, 2) + '\n' },
    ]);
  } catch (err) {
    throw writeFailure(err, `save checkpoint ${name}`, dir, 'no part of it was written and the earlier checkpoints are intact');
  }
  return { card, cardPath, binPath };
}

/** Reads a checkpoint from its card (.json) or binary (.whck) path, validating format, shapes and the weights hash. */
export async function loadCheckpoint(file: string): Promise<LoadedCheckpoint> {
  const cardPath = file.endsWith('.whck') ? file.slice(0, -5) + '.json' : file;
  const fail = (msg: string): never => {
    throw new Error(`checkpoint ${cardPath}: ${msg}`);
  };
  let card: ModelCard;
  try {
    card = JSON.parse(await fs.readFile(cardPath, 'utf8')) as ModelCard;
  } catch (e) {
    return fail(`cannot read model card (${(e as Error).message})`);
  }
  if (card.format !== CARD_FORMAT || card.version !== 1) fail(`not a Wavehouse checkpoint card (format ${card.format}, version ${card.version})`);
  try {
    validateConfig(card.config);
  } catch (e) {
    fail((e as Error).message);
  }
  const expected = flatSize(card.config);
  const binPath = path.join(path.dirname(cardPath), card.weightsFile);
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(binPath);
  } catch (e) {
    return fail(`cannot read weights file ${card.weightsFile} (${(e as Error).message})`);
  }
  if (bytes.length < 12 || bytes.toString('latin1', 0, 8) !== MAGIC) fail(`${card.weightsFile} is not a Wavehouse weights file (bad magic)`);
  const headerLen = bytes.readUInt32LE(8);
  if (12 + headerLen > bytes.length) fail(`${card.weightsFile} is truncated (header runs past the end)`);
  let header: BinHeader;
  try {
    header = JSON.parse(bytes.toString('utf8', 12, 12 + headerLen)) as BinHeader;
  } catch {
    return fail(`${card.weightsFile} has a corrupt header`);
  }
  const sections = new Map<string, Float32Array>();
  let off = 12 + headerLen;
  for (const s of header.sections) {
    const end = off + s.length * 4;
    if (end > bytes.length) fail(`${card.weightsFile} is truncated: section ${s.name} needs ${end} bytes, file has ${bytes.length}`);
    // Copy into an aligned buffer: the file's byte offsets need not be 4-aligned in memory.
    sections.set(s.name, new Float32Array(new Uint8Array(bytes.buffer, bytes.byteOffset + off, s.length * 4).slice().buffer));
    off = end;
  }
  const params = sections.get('weights') ?? fail(`${card.weightsFile} has no weights section`);
  if (params.length !== expected) {
    const shapes = paramSpecs(card.config).map((s) => `${s.name}[${s.shape}]`).slice(0, 3).join(', ');
    fail(`weights have ${params.length} values but the config needs ${expected} (${shapes}, …): shape mismatch`);
  }
  const hash = sha256Of(params);
  if (hash !== card.weightsSha256) fail(`weights hash mismatch: file ${hash.slice(0, 12)}…, card ${String(card.weightsSha256).slice(0, 12)}… (corrupt or replaced weights file)`);
  let optimizer: OptimizerState | undefined;
  const m = sections.get('adam.m');
  const v = sections.get('adam.v');
  const trainingParams = sections.get('train.params');
  const updated = trainingParams?.length ?? expected;
  if (m || v) {
    if (!m || !v || m.length !== updated || v.length !== updated) fail('optimizer state does not match the parameter count');
    optimizer = { step: header.adamStep ?? card.step, m: m!, v: v! };
  }
  return { card, cardPath, params, weights: unflattenWeights(card.config, params), optimizer, ...(trainingParams ? { trainingParams } : {}) };
}

/** Reads a model card (.json) synchronously, checking its format; throws with the reason. */
export function readCardSync(cardPath: string): ModelCard {
  const card = JSON.parse(readFileSync(cardPath, 'utf8')) as ModelCard;
  if (card.format !== CARD_FORMAT || card.version !== 1) throw new Error(`checkpoint ${cardPath}: not a Wavehouse checkpoint card`);
  validateConfig(card.config);
  // The weights file sits beside its card: a name with a path in it is refused.
  if (typeof card.weightsFile !== 'string' || path.basename(card.weightsFile) !== card.weightsFile) throw new Error(`checkpoint ${cardPath}: bad weights file name`);
  return card;
}

/** The weights file beside a card, or undefined when the card cannot be read. */
export function weightsFileOf(cardPath: string): string | undefined {
  try {
    return path.join(path.dirname(cardPath), readCardSync(cardPath).weightsFile);
  } catch {
    return undefined;
  }
}

/** Where the weights section lies in a weights file (bytes), read from its header. */
export function weightsWindow(binPath: string): { offset: number; length: number } {
  const fd = openSync(binPath, 'r');
  try {
    const head = Buffer.alloc(12);
    if (readSync(fd, head, 0, 12, 0) !== 12 || head.toString('latin1', 0, 8) !== MAGIC) throw new Error(`${binPath} is not a Wavehouse weights file (bad magic)`);
    const headerLen = head.readUInt32LE(8);
    if (headerLen > 1 << 20) throw new Error(`${binPath} has an implausible header length`);
    const json = Buffer.alloc(headerLen);
    if (readSync(fd, json, 0, headerLen, 12) !== headerLen) throw new Error(`${binPath} is truncated (header runs past the end)`);
    const header = JSON.parse(json.toString('utf8')) as BinHeader;
    let offset = 12 + headerLen;
    for (const s of header.sections) {
      if (s.name === 'weights') return { offset, length: s.length * 4 };
      offset += s.length * 4;
    }
    throw new Error(`${binPath} has no weights section`);
  } finally {
    closeSync(fd);
  }
}
