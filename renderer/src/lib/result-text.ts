// How the Results view words its facts: a finish date ("12 Mar 14:05", "Today 09:12"), a batch
// ("Batch of 12 Mar 14:05"), a group header and a shortened prompt for a menu. Written without
// Intl, whose first call loads locale data on the window's first render (see format.ts).
import type { ResultGroup, ResultGroupBy } from '../../../main/contract/results.ts';
import { plural } from './format.ts';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** "Today 14:05", "12 Mar 14:05", "12 Mar 2024 14:05" (another year). */
export function formatWhen(at: number, now = Date.now()): string {
  const date = new Date(at);
  const today = new Date(now);
  const time = `${two(date.getHours())}:${two(date.getMinutes())}`;
  if (date.toDateString() === today.toDateString()) return `Today ${time}`;
  const year = date.getFullYear() === today.getFullYear() ? '' : ` ${date.getFullYear()}`;
  return `${date.getDate()} ${MONTHS[date.getMonth()]}${year} ${time}`;
}

export function batchLabel(at: number, count?: number): string {
  const label = `Batch of ${formatWhen(at)}`;
  return count === undefined ? label : `${label} · ${plural(count, 'result')}`;
}

/** A prompt cut to fit a menu or a header, on one line. */
export function shortPrompt(prompt: string, max = 60): string {
  const line = prompt.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

export function groupTitle(by: ResultGroupBy, group: ResultGroup): string {
  return by === 'batch' ? batchLabel(Number(group.key)) : `“${shortPrompt(group.key, 90)}”`;
}

/** The start of today and of the days before, for the date filter. */
export function sinceDays(days: number, now = Date.now()): number {
  const start = new Date(now);
  start.setHours(0, 0, 0, 0);
  return start.getTime() - days * 86_400_000;
}
