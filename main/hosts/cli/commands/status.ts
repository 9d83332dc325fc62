// `genqueue status`: reads the queue database directly (no lock, no engine), so it answers even
// while another GenQueue instance is processing the same data directory, and says which one.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { defaultHome } from '../../../engine/host/home.ts';
import { readLock } from '../../../engine/store/home-lock.ts';
import type { Output } from '../reporter.ts';

export async function statusCommand(
  args: { json: boolean },
  io: { stdout: Output },
  env = process.env,
): Promise<number> {
  const home = defaultHome(env);
  const file = join(home, 'genqueue.db');
  const counts: Record<string, number> = {};
  if (existsSync(file)) {
    const db = new DatabaseSync(file, { readOnly: true, timeout: 5000 });
    try {
      for (const row of db.prepare('SELECT stage, COUNT(*) AS n FROM jobs GROUP BY stage').all()) {
        counts[String(row.stage)] = Number(row.n);
      }
    } finally {
      db.close();
    }
  }
  const holder = readLock(home);
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  if (args.json) {
    io.stdout.write(
      `${JSON.stringify({ home, total, counts, ambiguous: counts.ambiguous ?? 0, heldBy: holder ?? null })}\n`,
    );
    return 0;
  }
  io.stdout.write(`Queue in ${home}: ${total} job${total === 1 ? '' : 's'}\n`);
  for (const [stage, n] of Object.entries(counts)) io.stdout.write(`  ${stage.padEnd(12)} ${n}\n`);
  if (counts.ambiguous) {
    io.stdout.write(
      `${counts.ambiguous} job(s) need a decision: they may already have been billed.\n`,
    );
  }
  io.stdout.write(
    holder
      ? `Being processed by ${holder.command} (process ${holder.pid}).\n`
      : 'No GenQueue is processing it right now.\n',
  );
  return 0;
}
