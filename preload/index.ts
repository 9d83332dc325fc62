// The whole bridge between the sandboxed window and the main process: invoke a route, subscribe
// to an event, and read a dropped file's path. Nothing else crosses; the main process validates
// every request (sender frame, route, input) before the engine sees it. Bundled as CommonJS.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { IPC_EVENT, IPC_INVOKE } from '../main/contract/ipc.ts';
import type { GenQueueBridge } from './api.ts';

const bridge = {
  invoke: (route, input) => ipcRenderer.invoke(IPC_INVOKE, route, input),
  subscribe(event, listener) {
    const forward = (_event: IpcRendererEvent, envelope: { name: string }): void => {
      if (envelope?.name === event) listener(envelope as Parameters<typeof listener>[0]);
    };
    ipcRenderer.on(IPC_EVENT, forward);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT, forward);
    };
  },
  pathForFile: (file) => webUtils.getPathForFile(file),
} satisfies GenQueueBridge;

contextBridge.exposeInMainWorld('genqueue', bridge);
