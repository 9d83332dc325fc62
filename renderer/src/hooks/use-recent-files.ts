// A watched folder's latest jobs (watch.recent), fetched again whenever the folder's card says
// something happened in it (its counts or its last file moved).
import { useEffect, useState } from 'react';
import type { JobView } from '../../../main/contract/schemas.ts';
import { useApp } from './use-app.ts';

export function useRecentFiles(folderId: string, revision: string): JobView[] | null {
  const { client } = useApp();
  const [jobs, setJobs] = useState<JobView[] | null>(null);
  useEffect(() => {
    let live = true;
    client.call('watch.recent', { id: folderId }).then(
      (next) => live && setJobs(next),
      () => {},
    );
    return () => {
      live = false;
    };
  }, [client, folderId, revision]);
  return jobs;
}
