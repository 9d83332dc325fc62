// The results for one query, connected to engine events while the view is mounted: a new query
// (a filter, the search, the sort or the grouping changed) makes a new window and drops the old.
import { useEffect, useMemo, useSyncExternalStore } from 'react';
import type { ResultQuery } from '../../../main/contract/results.ts';
import { createResultWindow, type ResultWindow } from '../lib/result-window.ts';
import { useApp } from './use-app.ts';

export function useResultWindow(query: ResultQuery): ResultWindow {
  const { client } = useApp();
  const key = JSON.stringify(query);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` is the query, by value
  const results = useMemo(() => createResultWindow(client, query), [client, key]);
  useEffect(() => results.connect(), [results]);
  useSyncExternalStore(results.subscribe, results.version);
  return results;
}
