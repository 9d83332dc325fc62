// Remembers what APIMart already holds (sha256 of the uploaded bytes → URL) in the `uploads` table,
// so the same prepared file is not uploaded twice while its URL is valid (72 h). A URL is reused
// only while more than a safety margin of that window remains, so it cannot expire mid-task.
import type { Database } from '../store/database.ts';
import { UPLOAD_VALIDITY_MS, type UploadRecord } from './client.ts';

export interface UploadCache {
  lookup(sha256: string, baseUrl: string, now?: number): UploadRecord | undefined;
  remember(sha256: string, baseUrl: string, record: UploadRecord): void;
}

const DEFAULT_SAFETY_MARGIN_MS = 6 * 60 * 60 * 1000;

export function createUploadCache(
  db: Database,
  options: { safetyMarginMs?: number } = {},
): UploadCache {
  const margin = options.safetyMarginMs ?? DEFAULT_SAFETY_MARGIN_MS;
  const select = db.prepare(
    'SELECT url, bytes, created_at FROM uploads WHERE sha256 = ? AND base_url = ?',
  );
  const upsert = db.prepare(
    `INSERT INTO uploads (sha256, url, bytes, created_at, base_url) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (sha256) DO UPDATE SET url = excluded.url, bytes = excluded.bytes,
       created_at = excluded.created_at, base_url = excluded.base_url`,
  );
  return {
    lookup(sha256, baseUrl, now = Date.now()) {
      const row = select.get(sha256, origin(baseUrl));
      if (!row) return undefined;
      const createdAt = Number(row.created_at);
      const expiresAt = createdAt + UPLOAD_VALIDITY_MS;
      if (expiresAt - now <= margin) return undefined;
      return { url: String(row.url), bytes: Number(row.bytes), createdAt, expiresAt };
    },
    remember(sha256, baseUrl, record) {
      upsert.run(sha256, record.url, record.bytes, record.createdAt, origin(baseUrl));
    },
  };
}

/** The base URL as stored: a trailing slash does not make it another service. */
function origin(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '');
}
