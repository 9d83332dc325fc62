// The Electron transport in front of the engine's handlers. Every request is checked for where it
// came from — the app's own window, its top frame, showing the app's own page, nothing else —
// then dispatched through the contract (route known, input parsed by its schema) and answered
// with a Result envelope, never a throw.
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { dispatch, type Handlers } from '../../contract/dispatch.ts';
import { engineError, type Result } from '../../contract/errors.ts';
import type { EventEnvelope } from '../../contract/events.ts';
import { IPC_EVENT, IPC_INVOKE } from '../../contract/ipc.ts';
import { isAppPage } from './origin-policy.ts';

export interface SenderRules {
  /** The page the app's window loads. */
  appUrl(): string;
  /** True for the web contents of the app's own window (not a devtools or stray contents). */
  isAppContents(contents: WebContents): boolean;
}

export function isTrustedSender(event: IpcMainInvokeEvent, rules: SenderRules): boolean {
  const frame = event.senderFrame;
  if (!frame || event.sender.isDestroyed() || !rules.isAppContents(event.sender)) return false;
  if (frame !== event.sender.mainFrame || frame.parent !== null) return false;
  return isAppPage(frame.url, rules.appUrl());
}

const refused: Result<unknown> = {
  ok: false,
  error: engineError('bad_input', 'This request did not come from the GenQueue window.'),
};

export function registerIpc(handlers: Handlers, rules: SenderRules): () => void {
  ipcMain.handle(
    IPC_INVOKE,
    async (event, route: unknown, input: unknown): Promise<Result<unknown>> =>
      isTrustedSender(event, rules) ? dispatch(handlers, route, input) : refused,
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
