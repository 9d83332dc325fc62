// Numbers as people read them in the window: sizes ("38.2 MB"), image facts ("14.9 MB JPEG"),
// and times relative to now ("in 12 s"). Pure functions, so every view words things the same way.
import type { ImageFacts, PreflightReport } from '../../../main/contract/schemas.ts';

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

export function formatFacts(facts: ImageFacts): string {
  return `${formatBytes(facts.bytes)} ${facts.format.toUpperCase()}`;
}

export function formatDimensions(facts: { width: number; height: number }): string {
  return `${facts.width} × ${facts.height}`;
}

/** "38.2 MB PNG → 14.9 MB JPEG", or the source facts alone when preparing changed nothing. */
export function beforeAfter(report: PreflightReport): string {
  const before = formatFacts(report.before);
  const after = formatFacts(report.after);
  return before === after ? before : `${before} → ${after}`;
}

/** "in 12 s", "in 3 min", "now" for a moment in the future; "12 s ago" for the past. */
export function relativeTime(at: number, now: number): string {
  const seconds = Math.round((at - now) / 1000);
  const span = Math.abs(seconds);
  const text =
    span < 1
      ? ''
      : span < 60
        ? `${span} s`
        : span < 3600
          ? `${Math.round(span / 60)} min`
          : `${Math.round(span / 3600)} h`;
  if (!text) return 'now';
  return seconds > 0 ? `in ${text}` : `${text} ago`;
}

/**
 * A count with thousands separators ("10,000"), as `toLocaleString('en')` writes an integer, but
 * without Intl: the first Intl call loads ICU's locale data, ~50 ms on the window's first render.
 */
export function formatCount(count: number): string {
  return String(Math.trunc(count)).replace(/\B(?=(\d{3})+$)/g, ',');
}

export function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${formatCount(count)} ${count === 1 ? noun : nouns}`;
}

/** The last segment of a path, on any OS. */
export function fileName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}
