// What `genqueue run` prints while it works. On a terminal: one live line (a bar and per-stage
// counts) with finished jobs scrolling above it; piped: one plain line per finished job; with
// --json: every engine event as one JSON object per line, for other programs to read. Text lines
// pass through terminalSafe(): a file name cannot split a line or reach the terminal raw.
import type { EventEnvelope } from '../../contract/events.ts';
import type { JobView, QueueStats } from '../../contract/schemas.ts';
import { terminalSafe } from './terminal-text.ts';
import { isResting } from '../../contract/stages.ts';

export interface Output {
  write(text: string): unknown;
  isTTY?: boolean;
}

export type ReportMode = 'tty' | 'plain' | 'json';

/** JSON when asked, a live line on a terminal, plain lines when piped. */
export function reportMode(json: boolean, out: Output): ReportMode {
  return json ? 'json' : out.isTTY ? 'tty' : 'plain';
}

export function describeOutcome(job: JobView): string {
  if (job.stage === 'done') {
    const files = job.results.map((r) => r.path).join(', ');
    return `done    ${job.source} → ${files}`;
  }
  if (job.stage === 'ambiguous')
    return `decide  ${job.source}: ${job.error?.message ?? 'needs a decision'}`;
  return `${job.stage.padEnd(7)} ${job.source}: ${job.error?.message ?? ''}`.trimEnd();
}

function statsLine(stats: QueueStats): string {
  const c = stats.counts;
  const finished = (c.done ?? 0) + (c.failed ?? 0) + (c.cancelled ?? 0);
  const width = 24;
  const filled = stats.total ? Math.round((finished / stats.total) * width) : 0;
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
  const parts = (
    ['preparing', 'uploading', 'submitting', 'running', 'downloading', 'waiting', 'failed'] as const
  )
    .filter((stage) => c[stage])
    .map((stage) => `${c[stage]} ${stage}`);
  const paused = stats.paused ? ` · paused (${stats.paused})` : '';
  return `${bar} ${finished}/${stats.total}${parts.length ? ` · ${parts.join(' · ')}` : ''}${paused}`;
}

export function createReporter(out: Output, mode: ReportMode, tracked: ReadonlySet<string>) {
  let live = '';
  let netState = 'online';
  const reported = new Set<string>();

  function print(line: string): void {
    if (mode === 'tty' && live) out.write('\r\u001b[2K');
    out.write(`${terminalSafe(line)}\n`);
    if (mode === 'tty' && live) out.write(live);
  }

  /** One line per job and final stage, however often the engine reports it. */
  function outcome(job: JobView): void {
    if (mode === 'json' || reported.has(`${job.id}:${job.stage}`)) return;
    reported.add(`${job.id}:${job.stage}`);
    print(describeOutcome(job));
  }

  return {
    outcome,
    onEvent(event: EventEnvelope): void {
      if (mode === 'json') {
        out.write(
          `${JSON.stringify({ event: event.name, version: event.version, data: event.payload })}\n`,
        );
        return;
      }
      if (event.name === 'job.updated') {
        const job = event.payload;
        if (tracked.has(job.id) && isResting(job.stage)) outcome(job);
      } else if (event.name === 'queue.stats' && mode === 'tty') {
        live = statsLine(event.payload);
        out.write(`\r\u001b[2K${live}`);
      } else if (event.name === 'notice') {
        print(event.payload.message);
      } else if (event.name === 'net.status' && event.payload.state !== netState) {
        netState = event.payload.state;
        print(
          netState === 'offline' ? 'Offline: waiting for APIMart to answer again…' : 'Back online.',
        );
      }
    },
    /** A line the command itself wants to say (pauses, the summary). */
    say(line: string): void {
      if (mode === 'json') out.write(`${JSON.stringify({ event: 'message', message: line })}\n`);
      else print(line);
    },
    summary(value: Record<string, unknown>): void {
      if (mode === 'tty' && live) out.write('\r\u001b[2K');
      live = '';
      if (mode === 'json') out.write(`${JSON.stringify({ event: 'summary', ...value })}\n`);
    },
  };
}
