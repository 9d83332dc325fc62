// The live model catalogue as last fetched, kept in the database's kv table per base URL (APIMart
// and a simulator offer different models), so a restart or a `genqueue run` knows the models
// without asking again until it is older than its TTL. A garbled row reads as no catalogue.
import { z } from 'zod';
import { ModelInfoSchema } from '../../contract/model-info.ts';
import type { Database } from '../store/database.ts';

export const LiveCatalogueSchema = z.object({
  /** ms: when APIMart's list was read. */
  fetchedAt: z.number(),
  /** What the key may use: each with its schema's options, or `listed` when it has none. */
  models: z.array(ModelInfoSchema).max(2000),
});
export type LiveCatalogue = z.infer<typeof LiveCatalogueSchema>;

export interface CatalogueCache {
  read(baseUrl: string): LiveCatalogue | undefined;
  write(baseUrl: string, catalogue: LiveCatalogue): void;
}

const PREFIX = 'modelCatalogue:';
/** Catalogues of other base URLs (a simulator on an old port) are dropped once this old. */
const FORGET_AFTER_MS = 7 * 24 * 60 * 60 * 1000;

export function createCatalogueCache(db: Database): CatalogueCache {
  const get = db.prepare('SELECT value FROM kv WHERE key = ?');
  const put = db.prepare(
    'INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  const old = db.prepare('SELECT key, value FROM kv WHERE key LIKE ? AND key <> ?');
  const drop = db.prepare('DELETE FROM kv WHERE key = ?');
  return {
    read(baseUrl) {
      const row = get.get(PREFIX + baseUrl) as { value?: unknown } | undefined;
      if (typeof row?.value !== 'string') return undefined;
      try {
        const parsed = LiveCatalogueSchema.safeParse(JSON.parse(row.value));
        return parsed.success ? parsed.data : undefined;
      } catch {
        return undefined;
      }
    },
    write(baseUrl, catalogue) {
      put.run(PREFIX + baseUrl, JSON.stringify(catalogue));
      for (const row of old.all(`${PREFIX}%`, PREFIX + baseUrl) as {
        key: string;
        value: string;
      }[]) {
        if (fetchedAt(row.value) < catalogue.fetchedAt - FORGET_AFTER_MS) drop.run(row.key);
      }
    },
  };
}

function fetchedAt(text: string): number {
  try {
    const at = (JSON.parse(text) as { fetchedAt?: unknown }).fetchedAt;
    return typeof at === 'number' ? at : 0;
  } catch {
    return 0;
  }
}
