// The window's first version: a queue that updates live from engine events, an "Add images"
// button and a drop zone, and the results of finished jobs.
import { useCallback, useEffect, useState, type DragEvent } from 'react';
import type { JobView, QueueStats } from '../../main/contract/schemas.ts';
import type { EngineClient } from './engine-client.ts';

export function App({ client }: { client: EngineClient }) {
  const [jobs, setJobs] = useState<JobView[]>([]);
  const [stats, setStats] = useState<QueueStats | null>(null);
  const [message, setMessage] = useState<string>('');

  const refresh = useCallback(async () => {
    const page = await client.call('jobs.list', { limit: 500 });
    setJobs(page.jobs);
    setStats(await client.call('queue.stats', {}));
  }, [client]);

  useEffect(() => {
    void refresh();
    const offJob = client.on('job.updated', ({ payload }) =>
      setJobs((list) => {
        const i = list.findIndex((job) => job.id === payload.id);
        if (i < 0) return [...list, payload];
        const next = list.slice();
        next[i] = payload;
        return next;
      }),
    );
    const offStats = client.on('queue.stats', ({ payload }) => setStats(payload));
    const offNotice = client.on('notice', ({ payload }) => setMessage(payload.message));
    return () => {
      offJob();
      offStats();
      offNotice();
    };
  }, [client, refresh]);

  async function enqueue(paths: string[]) {
    if (paths.length === 0) return;
    try {
      await client.call('jobs.enqueue', { paths });
    } catch (error) {
      setMessage((error as Error).message);
    }
  }

  function onDrop(event: DragEvent) {
    event.preventDefault();
    const paths = [...event.dataTransfer.files]
      .map((file) => client.pathForFile(file))
      .filter(Boolean);
    void enqueue(paths);
  }

  const done = jobs.filter((job) => job.stage === 'done');
  return (
    <main onDragOver={(event) => event.preventDefault()} onDrop={onDrop}>
      <header>
        <h1>GenQueue</h1>
        <button
          type="button"
          onClick={async () => enqueue((await client.call('files.pick', { kind: 'files' })).paths)}
        >
          Add images
        </button>
        <span aria-live="polite">
          {stats ? `${stats.total} jobs${stats.paused ? ` · paused (${stats.paused})` : ''}` : ''}
        </span>
      </header>
      {message && <p role="status">{message}</p>}
      <section aria-label="Queue">
        <ul>
          {jobs.map((job) => (
            <li key={job.id} data-stage={job.stage}>
              <span>{job.name}</span> <strong className="stage">{job.stage}</strong>
              {job.error && <span className="error"> {job.error.message}</span>}
            </li>
          ))}
        </ul>
      </section>
      <section aria-label="Results">
        {done.flatMap((job) =>
          job.results.map((result) => (
            <figure key={result.path}>
              <figcaption>{result.path.split(/[\\/]/).pop()}</figcaption>
            </figure>
          )),
        )}
      </section>
    </main>
  );
}
