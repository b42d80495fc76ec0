/**
 * Entry point of a job's worker process (child_process.fork under Node, utilityProcess in Electron).
 * Receives one `run` message, runs the job kind, reports progress, and exits.
 */
import { openDatabase } from '../db/database';
import { databasePath } from '../paths';
import type { JobContext } from './context';
import { JobCancelled } from './context';
import { jobKinds } from './kinds';
import type { ChildMessage, ParentMessage } from './protocol';

interface ElectronParentPort {
  on(event: 'message', listener: (e: { data: ParentMessage }) => void): void;
  postMessage(message: ChildMessage): void;
}

const parentPort = (process as unknown as { parentPort?: ElectronParentPort }).parentPort;

function send(message: ChildMessage): void {
  if (parentPort) parentPort.postMessage(message);
  else if (process.connected) {
    // A failed send means the studio is gone: stop quietly instead of crashing on EPIPE.
    process.send?.(message, undefined, undefined, (err) => {
      if (err) process.exit(3);
    });
  } else process.exit(3);
}

function onMessage(listener: (m: ParentMessage) => void): void {
  if (parentPort) parentPort.on('message', (e) => listener(e.data));
  else process.on('message', (m) => listener(m as ParentMessage));
}

// If the studio dies (even by SIGKILL) the IPC channel closes: stop rather than run orphaned.
process.on('disconnect', () => process.exit(3));

const abort = new AbortController();
let started = false;

onMessage(async (message) => {
  if (message.type === 'cancel') {
    abort.abort();
    return;
  }
  if (message.type === 'warm') {
    // Errors surface when the job runs and imports the module again; a spare stays quiet.
    for (const kind of message.kinds) void jobKinds[kind]?.().catch(() => undefined);
    return;
  }
  if (message.type !== 'run' || started) return;
  started = true;
  let lastProgressAt = 0;
  let trailing: NodeJS.Timeout | undefined;
  const load = jobKinds[message.kind];
  try {
    if (!load) throw new Error(`job kind ${message.kind} is not available in this build`);
    const { run } = await load();
    const db = openDatabase(databasePath(message.dataDir));
    const ctx: JobContext = {
      jobId: message.jobId,
      params: message.params,
      dataDir: message.dataDir,
      db,
      signal: abort.signal,
      progress(fraction, text) {
        // At most ~8 updates a second reach the UI; the latest one is never lost.
        clearTimeout(trailing);
        const now = Date.now();
        const out = () => {
          lastProgressAt = Date.now();
          send({ type: 'progress', progress: fraction, message: text });
        };
        if (now - lastProgressAt >= 125) out();
        else trailing = setTimeout(out, 125 - (now - lastProgressAt));
      },
      emit(name, payload) {
        send({ type: 'event', name, payload });
      },
    };
    const result = await run(ctx);
    clearTimeout(trailing);
    db.close();
    // A job that returns normally after a cancel request (training pausing with a checkpoint) ended
    // gracefully: its result is what the user asked for. Jobs that abandon their work throw instead.
    send({ type: 'done', result: result ?? null });
  } catch (err) {
    clearTimeout(trailing);
    if (err instanceof JobCancelled || abort.signal.aborted) send({ type: 'cancelled' });
    else send({ type: 'failed', error: err instanceof Error ? err.message : String(err) });
  }
  // Let the last message flush before exiting.
  setTimeout(() => process.exit(0), 50);
});
