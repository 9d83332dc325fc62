// The Electron transport in front of the engine's handlers. Every request is checked for where it
// came from (the app's own top-level page, nothing else), then dispatched through the contract
// (route known, input parsed by its schema) and answered with a Result envelope, never a throw.
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { dispatch, type Handlers } from '../../contract/dispatch.ts';
import { engineError, type Result } from '../../contract/errors.ts';
import type { EventEnvelope } from '../../contract/events.ts';
import { IPC_EVENT, IPC_INVOKE } from '../../contract/ipc.ts';

export function isTrustedSender(event: IpcMainInvokeEvent, appUrl: string): boolean {
  const frame = event.senderFrame;
  if (!frame || frame !== event.sender.mainFrame) return false;
  try {
    const url = new URL(frame.url);
    const app = new URL(appUrl);
    return url.protocol === app.protocol && url.host === app.host && url.pathname === app.pathname;
  } catch {
    return false;
  }
}

export function registerIpc(handlers: Handlers, appUrl: () => string): () => void {
  ipcMain.handle(
    IPC_INVOKE,
    async (event, route: unknown, input: unknown): Promise<Result<unknown>> => {
      if (!isTrustedSender(event, appUrl())) {
        return {
          ok: false,
          error: engineError('bad_input', 'This request did not come from the GenQueue window.'),
        };
      }
      return dispatch(handlers, route, input);
    },
  );
  return () => ipcMain.removeHandler(IPC_INVOKE);
}

/** Sends every engine event to the window while it lives. */
export function forwardEvents(
  subscribe: (listener: (event: EventEnvelope) => void) => () => void,
  target: WebContents,
): () => void {
  return subscribe((event) => {
    if (!target.isDestroyed()) target.send(IPC_EVENT, event);
  });
}
