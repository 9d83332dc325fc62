// The failed jobs grouped by cause (jobs.failures), fetched again whenever the number of failed
// jobs changes: a retry, a removal or a new failure.
import { useEffect, useState } from 'react';
import type { FailureGroup } from '../../../main/contract/routes.ts';
import { useApp } from './use-app.ts';

export function useFailureGroups(failed: number): FailureGroup[] | null {
  const { client } = useApp();
  const [groups, setGroups] = useState<FailureGroup[] | null>(null);
  useEffect(() => {
    let live = true;
    client.call('jobs.failures', {}).then(
      (next) => live && setGroups(next),
      () => {},
    );
    return () => {
      live = false;
    };
  }, [client, failed]);
  return groups;
}
