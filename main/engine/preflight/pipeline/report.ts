// Turns what preflight did into the report every file gets: before and after facts, one line per
// change with its reason, and the one-line summary shown in the job and printed by
// `genqueue prepare` ("38.2 MB PNG → 14.9 MB JPEG, rotated, GPS removed").
import type { ImageFacts, PreflightReport } from '../../../contract/schemas.ts';

/** One thing preflight changed: a short tag for the summary and a sentence for the details. */
export interface Change {
  tag: string;
  detail: string;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1_000_000) return `${(bytes / 1_000_000).toFixed(1)} MB`;
  if (bytes >= 1_000) return `${Math.round(bytes / 1_000)} KB`;
  return `${bytes} bytes`;
}

export function buildReport(
  before: ImageFacts,
  after: ImageFacts,
  changes: Change[],
  passthrough: boolean,
): PreflightReport {
  if (passthrough) {
    return {
      before,
      after,
      changes: ['nothing needed changing; uploaded byte for byte'],
      summary: `${formatBytes(before.bytes)} ${before.format}, unchanged`,
    };
  }
  const head = `${formatBytes(before.bytes)} ${before.format} → ${formatBytes(after.bytes)} ${after.format}`;
  const tags = [...new Set(changes.map((change) => change.tag).filter(Boolean))];
  return {
    before,
    after,
    changes: changes.map((c) => c.detail),
    summary: [head, ...tags].join(', '),
  };
}
