// One job, live: fetched by id, then replaced by each `job.updated` for it. undefined while
// loading, null once the job is gone (removed).
import { useEffect, useState } from 'react';
import type { JobView } from '../../../main/contract/schemas.ts';
import type { EngineClient } from '../engine-client.ts';
import { isStale } from '../lib/job-window.ts';

export function useJob(client: EngineClient, id: string): JobView | null | undefined {
  const [state, setState] = useState<{ id: string; job: JobView | null } | null>(null);
  useEffect(() => {
    let live = true;
    client.call('jobs.get', { ids: [id] }).then(
      ([job]) =>
        live && setState((now) => (now?.id === id && now.job ? now : { id, job: job ?? null })),
      () => live && setState({ id, job: null }),
    );
    const offUpdated = client.on('job.updated', ({ payload }) => {
      if (payload.id !== id) return;
      setState((now) =>
        now?.id === id && now.job && isStale(now.job, payload) ? now : { id, job: payload },
      );
    });
    const offRemoved = client.on('job.removed', ({ payload }) => {
      if (payload.ids.includes(id)) setState({ id, job: null });
    });
    return () => {
      live = false;
      offUpdated();
      offRemoved();
    };
  }, [client, id]);
  return state?.id === id ? state.job : undefined;
}
