// The only IPC channel names in the app, declared once. Requests travel on INVOKE as
// (route, input) and are checked in the main process against the route table; engine events
// travel on EVENT as versioned envelopes; DROP carries the path of a file dropped on the window,
// read by the preload from the File itself, so the main process may accept it.
export const IPC_INVOKE = 'genqueue:invoke';
export const IPC_EVENT = 'genqueue:event';
export const IPC_DROP = 'genqueue:drop';
