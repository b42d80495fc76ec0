/**
 * Recorded audio arrives from the recorder worklet in small blocks and leaves for the studio in
 * chunks of a fixed size (the upload limit). Pure: a FIFO of samples cut into chunks.
 */
export class ChunkSpool {
  #blocks: Float32Array[] = [];
  #buffered = 0;
  /** Samples pushed in total. */
  total = 0;

  constructor(readonly chunkSamples: number) {
    if (!Number.isInteger(chunkSamples) || chunkSamples < 1) throw new RangeError(`chunk size must be a whole number ≥ 1 (got ${chunkSamples})`);
  }

  get buffered(): number {
    return this.#buffered;
  }

  push(block: Float32Array): void {
    if (block.length === 0) return;
    this.#blocks.push(block);
    this.#buffered += block.length;
    this.total += block.length;
  }

  /** Full chunks available now (all when `flush`, the last one shorter), in order, each sample once. */
  take(flush = false): Float32Array[] {
    const out: Float32Array[] = [];
    while (this.#buffered >= this.chunkSamples || (flush && this.#buffered > 0)) {
      const n = Math.min(this.chunkSamples, this.#buffered);
      const chunk = new Float32Array(n);
      let filled = 0;
      while (filled < n) {
        const head = this.#blocks[0];
        const k = Math.min(head.length, n - filled);
        chunk.set(head.subarray(0, k), filled);
        filled += k;
        if (k === head.length) this.#blocks.shift();
        else this.#blocks[0] = head.subarray(k);
      }
      this.#buffered -= n;
      out.push(chunk);
    }
    return out;
  }
}
