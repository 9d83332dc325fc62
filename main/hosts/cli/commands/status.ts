// `genqueue status`: reads the queue without taking it over (no lock, no engine), so it answers
// even while another GenQueue instance is processing the same data directory, and says which one.
// In a queue nobody processes, jobs caught mid-stage are shown as interrupted, not as under way.
import { defaultHome } from '../../../engine/host/home.ts';
import { IN_FLIGHT_STAGES } from '../../../contract/stages.ts';
import { readQueue } from '../../../engine/engine.ts';
import { formatUsd } from '../../../contract/money.ts';
import type { Output } from '../reporter.ts';
import { terminalSafe } from '../terminal-text.ts';

/** Why jobs need a decision (decide.ts), in a few words each. */
const CAUSES: Record<string, string> = {
  'no-key': 'sent without an idempotency key',
  'keys-ignored': 'the server ignores idempotency keys',
  'keys-unproven': 'the server never showed it honours keys',
  'key-expired': 'the key is older than APIMart keeps it',
  indeterminate: 'APIMart itself cannot tell',
};

export async function statusCommand(
  args: { json: boolean },
  io: { stdout: Output; stderr: Output },
  env = process.env,
): Promise<number> {
  const home = defaultHome(env);
  const { counts, spend, paths, holder, notice } = readQueue(home, (queue) => ({
    counts: queue.counts(),
    spend: queue.spend(),
    paths: queue.submissionPaths(),
    holder: queue.holder,
    notice: queue.notice,
  }));
  if (notice) io.stderr.write(`genqueue: ${terminalSafe(notice)}\n`);
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const interrupted = holder ? 0 : IN_FLIGHT_STAGES.reduce((n, s) => n + (counts[s] ?? 0), 0);
  if (args.json) {
    const ambiguous = counts.ambiguous ?? 0;
    const fields = {
      home,
      total,
      counts,
      ambiguous,
      needsDecision: { total: ambiguous, byCause: paths.undecided },
      lostAnswers: { resent: paths.resent, replayed: paths.replayed },
      interrupted,
    };
    io.stdout.write(`${JSON.stringify({ ...fields, spend, heldBy: holder ?? null })}\n`);
    return 0;
  }
  const lines = [`Queue in ${home}: ${total} job${total === 1 ? '' : 's'}`];
  for (const [stage, n] of Object.entries(counts)) {
    if (!interrupted || !IN_FLIGHT_STAGES.includes(stage as never))
      lines.push(`  ${stage.padEnd(12)} ${n}`);
  }
  if (interrupted)
    lines.push(`  ${'interrupted'.padEnd(12)} ${interrupted} (resumes at the next run)`);
  if (paths.resent) {
    const replayed = paths.replayed ? ` (APIMart replayed ${paths.replayed})` : '';
    lines.push(
      `${paths.resent} job(s) were sent again with the same key after an answer was lost${replayed}.`,
    );
  }
  if (counts.ambiguous) {
    const why = Object.entries(paths.undecided)
      .map(([cause, n]) => `${n} ${CAUSES[cause] ?? cause}`)
      .join(', ');
    lines.push(
      `${counts.ambiguous} job(s) need a decision: they may already have been billed (${why}).`,
    );
  }
  if (spend.tasks > 0) {
    const unknown = spend.unknownTasks ? ` (${spend.unknownTasks} of unknown cost)` : '';
    lines.push(
      `Spent ${formatUsd(spend.todayUsd)} today, ${formatUsd(spend.totalUsd)} in all, on ${spend.tasks} task${spend.tasks === 1 ? '' : 's'}${unknown}.`,
    );
  }
  lines.push(
    holder
      ? `Being processed by ${holder.command} (process ${holder.pid}).`
      : 'No GenQueue is processing it right now.',
  );
  io.stdout.write(`${lines.map(terminalSafe).join('\n')}\n`);
  return 0;
}
