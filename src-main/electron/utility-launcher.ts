import type { UtilityProcess } from 'electron';
import type { ChildMessage, WorkerHandle, WorkerLauncher } from '../jobs/protocol';

type Fork = (modulePath: string, args?: string[], options?: { serviceName?: string; stdio?: 'inherit' }) => UtilityProcess;

/** Launches job workers as Electron utility processes (tfjs-node cannot live in a second worker thread). */
export function utilityLauncher(fork: Fork, entry: string): WorkerLauncher {
  return (jobId) => {
    const child = fork(entry, [], { serviceName: `Wavehouse job ${jobId}`, stdio: 'inherit' });
    let exited = false;
    child.on('exit', () => (exited = true));
    const handle: WorkerHandle = {
      send: (message) => {
        if (!exited) child.postMessage(message);
      },
      onMessage: (listener) => child.on('message', (m) => listener(m as ChildMessage)),
      onExit: (listener) => child.on('exit', (code) => listener(code)),
      kill: () => {
        if (!exited) child.kill();
      },
    };
    return handle;
  };
}
