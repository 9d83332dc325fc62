// Typed publish/subscribe for the engine's events. Each event name has its own version counter
// that grows by one per delivery, so a subscriber can detect a gap and refetch a snapshot.
// High-frequency per-key updates (a job's progress) are coalesced to at most `hz` per key.
import type { EventEnvelope, EventName, EventPayload } from '../../contract/events.ts';

export type EventListener = (envelope: EventEnvelope) => void;

export interface EventBus {
  emit<K extends EventName>(name: K, payload: EventPayload<K>): void;
  /** Like emit, but at most `hz` deliveries per second for the same key; the last payload wins. */
  emitThrottled<K extends EventName>(name: K, key: string, payload: EventPayload<K>): void;
  subscribe(listener: EventListener): () => void;
  /** Drops a pending throttled payload for `key` (a newer, durable state supersedes it). */
  discard(name: EventName, key: string): void;
  /** Delivers every pending throttled payload now (on shutdown, or in tests). */
  flush(): void;
  close(): void;
}

export function createEventBus(hz = 10): EventBus {
  const listeners = new Set<EventListener>();
  const versions = new Map<EventName, number>();
  const pending = new Map<string, { name: EventName; payload: unknown; timer: NodeJS.Timeout }>();
  const lastSent = new Map<string, number>();
  const intervalMs = 1000 / hz;

  function deliver(name: EventName, payload: unknown): void {
    const version = (versions.get(name) ?? 0) + 1;
    versions.set(name, version);
    const envelope = { name, version, payload } as EventEnvelope;
    for (const listener of listeners) {
      try {
        listener(envelope);
      } catch (error) {
        console.error(`An event listener for ${name} failed:`, error);
      }
    }
  }

  function sendPending(slot: string): void {
    const entry = pending.get(slot);
    if (!entry) return;
    pending.delete(slot);
    clearTimeout(entry.timer);
    lastSent.set(slot, Date.now());
    deliver(entry.name, entry.payload);
  }

  return {
    emit(name, payload) {
      deliver(name, payload);
    },
    emitThrottled(name, key, payload) {
      const slot = `${name}\u0000${key}`;
      const existing = pending.get(slot);
      if (existing) {
        existing.payload = payload;
        return;
      }
      const wait = (lastSent.get(slot) ?? 0) + intervalMs - Date.now();
      if (wait <= 0) {
        lastSent.set(slot, Date.now());
        deliver(name, payload);
        return;
      }
      const timer = setTimeout(() => sendPending(slot), wait);
      timer.unref();
      pending.set(slot, { name, payload, timer });
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    discard(name, key) {
      const slot = `${name}\u0000${key}`;
      const entry = pending.get(slot);
      if (!entry) return;
      clearTimeout(entry.timer);
      pending.delete(slot);
    },
    flush() {
      for (const slot of [...pending.keys()]) sendPending(slot);
    },
    close() {
      for (const entry of pending.values()) clearTimeout(entry.timer);
      pending.clear();
      listeners.clear();
    },
  };
}
