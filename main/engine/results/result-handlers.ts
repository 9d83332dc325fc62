// The engine's side of the results.* routes: the Results view's pages, ids and filter choices,
// a full-size image for the compare, and the export into a picked folder. Spread into the
// handlers map by handlers.ts, so the Handlers type still checks every route.
import type { Handlers } from '../../contract/dispatch.ts';
import type { JobsStore } from '../store/jobs-store.ts';
import { toJobView } from '../store/jobs-store.ts';
import type { ResultsQuery } from '../store/results-query.ts';
import { exportResults } from './export-results.ts';
import { fullImage } from './full-images.ts';

type ResultRoutes =
  'results.list' | 'results.ids' | 'results.facets' | 'results.image' | 'results.export';

export function createResultHandlers(
  store: JobsStore,
  results: ResultsQuery,
): Pick<Handlers, ResultRoutes> {
  return {
    'results.list': async ({ query = {}, offset = 0, limit = 200 }) => {
      const page = results.page(query, offset, limit);
      return {
        total: page.total,
        groups: page.groups,
        results: page.rows.flatMap((row) => {
          const job = store.get(row.id);
          return job ? [{ ...toJobView(job), finishedAt: row.finishedAt, batch: row.batch }] : [];
        }),
      };
    },
    'results.ids': async ({ query = {} }) => results.ids(query),
    'results.facets': async () => results.facets(),
    'results.image': async ({ id, which, index }) => fullImage(store.require(id), which, index),
    'results.export': async ({ ids, folder }) =>
      exportResults(
        ids.flatMap((id) => store.get(id)?.results ?? []),
        folder,
      ),
  };
}
