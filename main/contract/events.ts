// Every event the engine pushes to its hosts, declared once with its payload schema.
// Each delivery carries a per-event version that grows by one, so a subscriber that sees a gap
// knows it missed something and asks for a fresh snapshot instead of trusting a stale view.
import { z } from 'zod';
import { JobViewSchema, NetStatusSchema, QueueStatsSchema } from './schemas.ts';
import { WatchFolderViewSchema } from './watch.ts';

export const events = {
  'job.updated': JobViewSchema,
  'job.removed': z.object({ ids: z.array(z.string()) }),
  'queue.stats': QueueStatsSchema,
  'net.status': NetStatusSchema,
  'watch.updated': WatchFolderViewSchema,
  'watch.removed': z.object({ id: z.string() }),
  /** The live model catalogue changed: ask models.list again. */
  'models.updated': z.object({ fetchedAt: z.number() }),
  notice: z.object({ level: z.enum(['info', 'warning', 'error']), message: z.string() }),
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<K extends EventName> = z.infer<Events[K]>;

export interface EventEnvelopeOf<K extends EventName> {
  name: K;
  version: number;
  payload: EventPayload<K>;
}
/** Any event, as a union discriminated by `name`. */
export type EventEnvelope = { [K in EventName]: EventEnvelopeOf<K> }[EventName];

export const EVENT_NAMES = Object.keys(events) as EventName[];

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name);
}
