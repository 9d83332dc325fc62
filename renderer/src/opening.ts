// The first code the window runs (main.tsx imports it before React): the engine client, and the
// queue's job list connected at once, so the first rows are on their way while React's own code
// is still being evaluated. main.tsx hands both to the app, which lets go of this early
// connection once the queue view holds its own.
import { createEngineClient } from './engine-client.ts';
import { createJobWindow } from './lib/job-window.ts';

export const client = createEngineClient();
export const queueJobs = createJobWindow(client, 'all');
export const releaseQueueJobs = queueJobs.connect();
