// The whole bridge between the sandboxed window and the main process: invoke a route, subscribe
// to an event, and read a dropped file's path (which also tells the main process the window was
// given it). Nothing else crosses; the main process validates every request (sender frame, route,
// input, the paths it names) before the engine sees it. Bundled as CommonJS.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { IPC_DROP, IPC_EVENT, IPC_INVOKE } from '../main/contract/ipc.ts';
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
  pathForFile(file) {
    // Only a File the person dropped (or chose) has a path; its name must end it. The main process
    // accepts paths from the window only once the preload has vouched for them this way.
    const path = webUtils.getPathForFile(file);
    if (path && path.split(/[\\/]/).pop() === file.name) ipcRenderer.send(IPC_DROP, path);
    return path;
  },
} satisfies GenQueueBridge;

contextBridge.exposeInMainWorld('genqueue', bridge);
