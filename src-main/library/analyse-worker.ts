// Worker-thread entry for the import: reads, hashes and decodes files so imports use every core.
import { parentPort } from 'node:worker_threads';
import { analyseFile } from './analyse';

const port = parentPort;
if (!port) throw new Error('analyse worker: must run inside worker_threads');

port.on('message', async (m: { id: number; path: string; relPath: string; size: number; mtimeMs: number }) => {
  const record = await analyseFile(m.path, m.relPath, m.size, m.mtimeMs);
  port.postMessage({ id: m.id, record }, record.peaks ? [record.peaks.buffer as ArrayBuffer] : []);
});
