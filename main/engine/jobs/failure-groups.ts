// Failed jobs grouped by cause, for "12 failed: content policy" with one action per group: jobs
// share a group when their errors share a code and, for a refusal, the service's own words. A
// pure function of the failed jobs, so the window and any other host group them alike.
import type { EngineError, ErrorCode } from '../../contract/errors.ts';
import type { FailureGroup } from '../../contract/routes.ts';

/** The cause of each error code in a few words (a refusal uses the service's words instead). */
const CAUSE: Partial<Record<ErrorCode, string>> = {
  not_image: 'not an image',
  corrupt: 'damaged file',
  unsupported: 'image format GenQueue cannot convert',
  too_many_pixels: 'too many pixels to open safely',
  too_large: 'too large to send',
  io: 'file could not be read or written',
  task_failed: 'APIMart could not make the image',
  rejected: 'refused by APIMart',
  network: 'network trouble',
  server: 'APIMart server errors',
  rate_limited: 'APIMart was too busy',
  auth: 'API key refused',
  balance: 'balance too low',
  bad_response: 'unexpected reply from APIMart',
  expired: 'result link expired',
  invalid_recipe: 'recipe the model cannot take',
  duplicate: 'duplicate of another job',
  cancelled: 'cancelled',
};
const LABEL_MAX = 80;

/** The service's own words for a refusal (its detail), cut to a label's length. */
function serviceWords(error: EngineError): string | undefined {
  if (error.code !== 'task_failed' && error.code !== 'rejected') return undefined;
  if (typeof error.detail !== 'string') return undefined;
  const words = error.detail.trim().replace(/\.+$/, '');
  if (!words) return undefined;
  return words.length > LABEL_MAX ? `${words.slice(0, LABEL_MAX - 1)}…` : words;
}

export function groupFailures(
  jobs: readonly { id: string; error: EngineError | null }[],
): FailureGroup[] {
  const groups = new Map<string, FailureGroup>();
  for (const { id, error } of jobs) {
    const code: ErrorCode = error?.code ?? 'internal';
    const words = error && serviceWords(error);
    const cause = words ? `${code}:${words.toLowerCase()}` : code;
    let group = groups.get(cause);
    if (!group) {
      group = {
        cause,
        label: words ?? CAUSE[code] ?? 'something unexpected went wrong',
        code,
        retryable: false,
        count: 0,
        ids: [],
        example: error?.message ?? 'The job failed without saying why.',
      };
      groups.set(cause, group);
    }
    group.count++;
    group.ids.push(id);
    group.retryable ||= error?.retryable ?? false;
  }
  return [...groups.values()].sort((a, b) => b.count - a.count);
}
