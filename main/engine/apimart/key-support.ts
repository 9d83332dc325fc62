// Whether APIMart, at one origin, has shown that it honours idempotency keys (APIMART.md §7): a
// reply that echoed the 2026 response version, or a replayed key. Resending a create whose answer
// was lost is safe only then. What the generation route itself showed outranks the other routes,
// and it is kept in the database, so a restart after a crash still knows.
import type { Database } from '../store/database.ts';

export type KeyHonour = 'honours' | 'ignores' | 'unknown';

/** What one reply showed: from which route, whether it echoed the version, whether it replayed. */
export interface ReplyEvidence {
  generation: boolean;
  echoed: boolean;
  replayed?: boolean;
}

interface Known {
  /** Some route echoed the response version. */
  spoke: boolean;
  /** What the generation route showed, once it has answered. */
  generation: 'honours' | 'ignores' | null;
}

export interface KeySupport {
  saw(origin: string, evidence: ReplyEvidence): void;
  state(origin: string): KeyHonour;
}

const kvKey = (origin: string): string => `keySupport:${origin}`;

export function createKeySupport(db: Database): KeySupport {
  const read = db.prepare('SELECT value FROM kv WHERE key = ?');
  const write = db.prepare(
    'INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  const known = new Map<string, Known>();

  function load(origin: string): Known {
    let entry = known.get(origin);
    if (!entry) {
      const row = read.get(kvKey(origin));
      entry =
        typeof row?.value === 'string'
          ? (JSON.parse(row.value) as Known)
          : { spoke: false, generation: null };
      known.set(origin, entry);
    }
    return entry;
  }

  return {
    saw(origin, evidence) {
      const before = load(origin);
      const shows = evidence.echoed || evidence.replayed === true;
      const next: Known = {
        spoke: before.spoke || shows,
        generation: evidence.generation ? (shows ? 'honours' : 'ignores') : before.generation,
      };
      if (next.spoke === before.spoke && next.generation === before.generation) return;
      known.set(origin, next);
      write.run(kvKey(origin), JSON.stringify(next));
    },

    state(origin) {
      const entry = load(origin);
      return entry.generation ?? (entry.spoke ? 'honours' : 'unknown');
    },
  };
}
