/**
 * The preload: exposes only the narrow Bridge (invoke a contract command by name, subscribe to
 * contract events) as `window.wavehouse`, never ipcRenderer itself. Bundled as one CommonJS file so
 * the renderer stays sandboxed.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { IPC_DRAG, IPC_EVENT, IPC_INVOKE, isCommandName, type Bridge, type Result } from './contract';

const bridge: Bridge = {
  invoke(name: string, input: unknown): Promise<Result<unknown>> {
    if (!isCommandName(name)) return Promise.resolve({ ok: false, error: { code: 'UNKNOWN_COMMAND', message: `unknown command: ${String(name)}` } });
    return ipcRenderer.invoke(IPC_INVOKE, name, input);
  },
  subscribe(listener) {
    const handler = (_event: IpcRendererEvent, name: string, payload: unknown) => listener(name, payload);
    ipcRenderer.on(IPC_EVENT, handler);
    return () => ipcRenderer.removeListener(IPC_EVENT, handler);
  },
  // Electron no longer puts a path on dropped Files; this is the sanctioned way to get one.
  pathForFile: (file: File) => webUtils.getPathForFile(file),
  // Must be sent synchronously from the dragstart handler for the OS drag to begin.
  startDrag: (kind, id) => ipcRenderer.send(IPC_DRAG, kind, id),
};

contextBridge.exposeInMainWorld('wavehouse', bridge);
