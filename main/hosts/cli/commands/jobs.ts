// `genqueue jobs`: one line per job (id, stage, source, why it failed or waits for a decision, how
// its task was asked for when an answer was lost), or with --json one JobView per line, the shape
// `job.updated` events carry. Reads the queue without taking it over, like `status`.
import type { JobFilter, JobView } from '../../../contract/schemas.ts';
import { defaultHome } from '../../../engine/host/home.ts';
import { IN_FLIGHT_STAGES } from '../../../contract/stages.ts';
import { readQueue } from '../../../engine/engine.ts';
import type { Output } from '../reporter.ts';
import { terminalSafe } from '../terminal-text.ts';

export const JOB_STATES = ['queued', 'active', 'done', 'failed', 'ambiguous', 'all'] as const;
export type JobState = (typeof JOB_STATES)[number];

function select(
  home: string,
  state: JobState,
): { jobs: JobView[]; processed: boolean; notice: string | undefined } {
  // "queued" (not started yet) is a part of the route's "active" filter.
  const filter: JobFilter = state === 'queued' ? 'active' : state;
  return readQueue(home, (queue) => {
    const jobs = queue.jobs(filter);
    const wanted = state === 'queued' ? jobs.filter((job) => job.stage === 'queued') : jobs;
    return { jobs: wanted, processed: queue.holder !== undefined, notice: queue.notice };
  });
}

function describe(job: JobView, processed: boolean): string {
  if (!processed && IN_FLIGHT_STAGES.includes(job.stage)) {
    return `${job.id}  ${'interrupted'.padEnd(11)} ${job.source}: stopped while ${job.stage}; resumes at the next run`;
  }
  const reason =
    job.stage === 'failed' || job.stage === 'ambiguous' ? `: ${job.error?.message ?? ''}` : '';
  const path = job.submissionPath ? ` (${job.submissionPath.join('; ')})` : '';
  return `${job.id}  ${job.stage.padEnd(11)} ${job.source}${reason}${path}`;
}

export async function jobsCommand(
  args: { state: JobState; json: boolean },
  io: { stdout: Output; stderr: Output },
  env = process.env,
): Promise<number> {
  const home = defaultHome(env);
  const { jobs, processed, notice } = select(home, args.state);
  if (notice) io.stderr.write(`genqueue: ${terminalSafe(notice)}\n`);
  if (args.json) {
    for (const job of jobs) io.stdout.write(`${JSON.stringify(job)}\n`);
    return 0;
  }
  if (jobs.length === 0) {
    const which = args.state === 'all' ? '' : `${args.state} `;
    io.stdout.write(`${terminalSafe(`No ${which}jobs in ${home}.`)}\n`);
    return 0;
  }
  for (const job of jobs) io.stdout.write(`${terminalSafe(describe(job, processed))}\n`);
  return 0;
}
