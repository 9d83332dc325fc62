// The Electron transport in front of the engine's handlers. Every request is checked for where it
// came from — the app's own window, its top frame, showing the app's own page, nothing else —
// then for the paths it names (path-gate.ts: only those the window was given), dispatched through
// the contract and answered with a Result envelope, never a throw.
import { ipcMain, type IpcMainEvent, type IpcMainInvokeEvent, type WebContents } from 'electron';
import type { Handlers } from '../../contract/dispatch.ts';
import { engineError, type Result } from '../../contract/errors.ts';
import type { EventEnvelope } from '../../contract/events.ts';
import { IPC_DROP, IPC_EVENT, IPC_INVOKE } from '../../contract/ipc.ts';
import { isAppPage } from './origin-policy.ts';
import { createPathGate, gatedDispatch, type PathGate } from './path-gate.ts';

export interface SenderRules {
  /** The page the app's window loads. */
  appUrl(): string;
  /** True for the web contents of the app's own window (not a devtools or stray contents). */
  isAppContents(contents: WebContents): boolean;
}

export function isTrustedSender(
  event: IpcMainInvokeEvent | IpcMainEvent,
  rules: SenderRules,
): boolean {
  const frame = event.senderFrame;
  if (!frame || event.sender.isDestroyed() || !rules.isAppContents(event.sender)) return false;
  if (frame !== event.sender.mainFrame || frame.parent !== null) return false;
  return isAppPage(frame.url, rules.appUrl());
}

/** One gate per window: what a window was given ends with it. */
const gates = new WeakMap<WebContents, PathGate>();
function gateFor(contents: WebContents): PathGate {
  let gate = gates.get(contents);
  if (!gate) gates.set(contents, (gate = createPathGate()));
  return gate;
}

const refused: Result<unknown> = {
  ok: false,
  error: engineError('bad_input', 'This request did not come from the GenQueue window.'),
};

export function registerIpc(handlers: Handlers, rules: SenderRules): () => void {
  ipcMain.handle(
    IPC_INVOKE,
    async (event, route: unknown, input: unknown): Promise<Result<unknown>> =>
      isTrustedSender(event, rules)
        ? gatedDispatch(handlers, gateFor(event.sender), route, input)
        : refused,
  );
  const dropped = (event: IpcMainEvent, path: unknown): void => {
    if (isTrustedSender(event, rules)) gateFor(event.sender).dropped(path);
  };
  ipcMain.on(IPC_DROP, dropped);
  return () => {
    ipcMain.removeHandler(IPC_INVOKE);
    ipcMain.removeListener(IPC_DROP, dropped);
  };
}

/** Sends every engine event to the window while it lives (the paths it shows become the window's). */
export function forwardEvents(
  subscribe: (listener: (event: EventEnvelope) => void) => () => void,
  target: WebContents,
): () => void {
  return subscribe((event) => {
    if (target.isDestroyed()) return;
    gateFor(target).learn(event.name, event.payload);
    target.send(IPC_EVENT, event);
  });
}
