/**
 * Library benchmarks: import throughput (files/s, MB/s) over a generated library of 2,000 WAV files
 * through the real import job in a worker process, and filter-query latency over 20,000 sample rows.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { createApp } from '../src-main/app';
import { newId } from '../src-main/db/ids';
import { querySamples, type SampleQuery } from '../src-main/db/samples-query';
import { tempDir } from '../test/helpers/tmp';
import { writeManyWavs } from '../test/helpers/audio-files';
import { emit, median, timeRuns } from './emit';

async function importThroughput(): Promise<void> {
  const dir = tempDir('wavehouse-bench-');
  try {
    const lib = join(dir.path, 'lib');
    const files = 2000;
    writeManyWavs(lib, files, { seconds: 0.5, rate: 44100, channels: 2 });
    const bytes = files * statSync(join(lib, 'sub-00', 'take-0.wav')).size;
    const app = createApp({ dataDir: join(dir.path, 'data'), demoLibrary: false });
    try {
      const t0 = performance.now();
      const { job } = app.libraries.startImport([lib]);
      const done = await app.jobs.waitFor(job.id);
      const seconds = (performance.now() - t0) / 1000;
      if (done.state !== 'done') throw new Error(`import ${done.state}: ${done.error}`);
      emit('library.import.files_per_s', files / seconds, 'files/s', { files, megabytes: bytes / 1e6, seconds: Number(seconds.toFixed(2)), includes: 'worker start, walk, read, sha256, decode, peaks, SQLite' });
      emit('library.import.mb_per_s', bytes / 1e6 / seconds, 'MB/s', { files });
      const t1 = performance.now();
      const { job: rescan } = app.libraries.startImport([lib]);
      await app.jobs.waitFor(rescan.id);
      emit('library.rescan_unchanged.files_per_s', files / ((performance.now() - t1) / 1000), 'files/s', { files });
    } finally {
      app.close();
    }
  } finally {
    dir.cleanup();
  }
}

async function filterLatency(): Promise<void> {
  const dir = tempDir('wavehouse-bench-');
  const app = createApp({ dataDir: dir.path, demoLibrary: false });
  try {
    const rows = 20_000;
    const libraryId = newId();
    app.db.prepare(`INSERT INTO libraries (id, name, root_path, created_at, updated_at) VALUES (?, 'bench', '/bench', 'now', 'now')`).run(libraryId);
    const labels = ['kick', 'snare', 'hat', 'pad', 'lead', 'bass', 'vox', 'fx'];
    const insert = app.db.prepare(
      `INSERT INTO samples (id, library_id, rel_path, size, mtime_ms, sample_rate, channels, frames, duration, label, peaks, imported_at) VALUES (?, ?, ?, 1000, 0, ?, 2, ?, ?, ?, ?, 'now')`,
    );
    const peaks = Buffer.alloc(1024, 7);
    app.db.transaction(() => {
      for (let i = 0; i < rows; i++) {
        const rate = [44100, 48000, 16000][i % 3];
        const frames = 1000 + ((i * 7919) % 400000);
        insert.run(newId(), libraryId, `folder-${i % 50}/sample-${i}.wav`, rate, frames, frames / rate, labels[i % labels.length], peaks);
      }
    })();
    const queries: Record<string, SampleQuery> = {
      first_page: { libraryId, limit: 100 },
      search_name: { libraryId, search: 'sample-1234', limit: 100 },
      label_duration: { libraryId, label: 'pad', minDuration: 1, maxDuration: 5, limit: 100 },
      sort_duration_desc_deep_page: { libraryId, sort: 'duration', direction: 'desc', offset: 15000, limit: 100 },
    };
    for (const [name, q] of Object.entries(queries)) {
      const times = await timeRuns(() => querySamples(app.db, q), { warmup: 3, minRuns: 20, budgetMs: 1500 });
      emit(`library.filter.${name}.ms`, median(times), 'ms', { rows, p95: Number([...times].sort((a, b) => a - b)[Math.floor(times.length * 0.95)].toFixed(3)) });
    }
  } finally {
    app.close();
    dir.cleanup();
  }
}

/** Runs the library suite. */
export default async function run(): Promise<void> {
  await filterLatency();
  await importThroughput();
}
