// The only two IPC channel names in the app, declared once. Requests travel on INVOKE as
// (route, input) and are checked in the main process against the route table; engine events
// travel on EVENT as versioned envelopes.
export const IPC_INVOKE = 'genqueue:invoke';
export const IPC_EVENT = 'genqueue:event';
