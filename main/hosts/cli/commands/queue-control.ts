// `genqueue retry` and `genqueue cancel`: change jobs in the queue without processing it. They
// take the data directory's lock like any engine (so they never race a running instance) and
// leave the work to the next `genqueue run` or the app. Neither talks to APIMart, so neither
// needs a key.
import type { JobFilter } from '../../../contract/schemas.ts';
import type { Engine } from '../../../engine/engine.ts';
import { call, jobsWhere, openEngine } from '../open-engine.ts';
import type { Output } from '../reporter.ts';

async function idsWhere(engine: Engine, filter: JobFilter): Promise<string[]> {
  return (await jobsWhere(engine, filter)).map((job) => job.id);
}

export async function retryCommand(
  args: { ids: string[]; which: 'failed' | 'ambiguous' | 'all' },
  io: { stdout: Output },
  env = process.env,
): Promise<number> {
  const { engine } = await openEngine('genqueue retry', env, { queueOnly: true });
  try {
    const ids =
      args.ids.length > 0
        ? args.ids
        : args.which === 'all'
          ? [...(await idsWhere(engine, 'failed')), ...(await idsWhere(engine, 'ambiguous'))]
          : await idsWhere(engine, args.which);
    const { count } = ids.length > 0 ? await call(engine, 'jobs.retry', { ids }) : { count: 0 };
    io.stdout.write(
      `${count} job${count === 1 ? '' : 's'} queued again; "genqueue run" or the app will process ${count === 1 ? 'it' : 'them'}.\n`,
    );
    return 0;
  } finally {
    await engine.stop();
  }
}

export async function cancelCommand(
  args: { ids: string[] },
  io: { stdout: Output },
  env = process.env,
): Promise<number> {
  const { engine } = await openEngine('genqueue cancel', env, { queueOnly: true });
  try {
    const { count } = await call(engine, 'jobs.cancel', { ids: args.ids });
    io.stdout.write(
      `${count} of ${args.ids.length} job${args.ids.length === 1 ? '' : 's'} cancelled.\n`,
    );
    return count === args.ids.length ? 0 : 1;
  } finally {
    await engine.stop();
  }
}
