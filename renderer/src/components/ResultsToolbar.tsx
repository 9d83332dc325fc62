// The Results view's controls over what it shows: a search over names and prompts, filters by
// batch, prompt, model, watched folder and date (each choice with its count), the sort and the
// grouping. It edits a ResultQuery; the engine does the filtering.
import { useEffect, useId, useState } from 'react';
import type {
  ResultFacets,
  ResultGroupBy,
  ResultQuery,
  ResultSort,
} from '../../../main/contract/results.ts';
import { fileName, formatCount } from '../lib/format.ts';
import { batchLabel, shortPrompt, sinceDays } from '../lib/result-text.ts';

const SEARCH_DELAY_MS = 200;
/** The date filter's choices: how many days before today they reach back. */
const DATES: [string, number][] = [
  ['Today', 0],
  ['Last 7 days', 6],
  ['Last 30 days', 29],
];
/** Besides the default, newest first. */
const SORTS: [ResultSort, string][] = [
  ['oldest', 'Oldest first'],
  ['name', 'Name'],
  ['prompt', 'Prompt'],
  ['model', 'Model'],
];
const GROUPS: [ResultGroupBy, string][] = [
  ['batch', 'By batch'],
  ['prompt', 'By prompt'],
];

interface Props {
  query: ResultQuery;
  facets: ResultFacets | undefined;
  onChange: (query: ResultQuery) => void;
}

interface Choice {
  value: string;
  label: string;
}

function Filter(props: {
  label: string;
  value: string | undefined;
  any: string;
  choices: Choice[];
  onPick: (value: string | undefined) => void;
}) {
  const id = useId();
  return (
    <div className="results-filter">
      <label htmlFor={id}>{props.label}</label>
      <select
        id={id}
        value={props.value ?? ''}
        onChange={(event) => props.onPick(event.target.value || undefined)}
      >
        <option value="">{props.any}</option>
        {props.choices.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </select>
    </div>
  );
}

const counted = (label: string, count: number) => `${label} (${formatCount(count)})`;

export function ResultsToolbar({ query, facets, onChange }: Props) {
  const [search, setSearch] = useState(query.search ?? '');
  const [days, setDays] = useState<string>('');
  useEffect(() => {
    const trimmed = search.trim() || undefined;
    if (trimmed === query.search) return;
    const timer = setTimeout(() => onChange({ ...query, search: trimmed }), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [search, query, onChange]);

  const set = (patch: Partial<ResultQuery>) => onChange({ ...query, ...patch });
  const filtered = ['batch', 'prompt', 'model', 'folder', 'since', 'search'].some(
    (key) => query[key as keyof ResultQuery] !== undefined,
  );
  return (
    <div className="results-toolbar" role="search" aria-label="Find results">
      <input
        type="text"
        className="results-search"
        aria-label="Search results"
        placeholder="Search names and prompts"
        value={search}
        onChange={(event) => setSearch(event.target.value)}
      />
      <Filter
        label="Batch"
        value={query.batch?.toString()}
        any="All batches"
        choices={(facets?.batches ?? []).map((b) => ({
          value: String(b.value),
          label: counted(batchLabel(b.value), b.count),
        }))}
        onPick={(value) => set({ batch: value === undefined ? undefined : Number(value) })}
      />
      <Filter
        label="Prompt"
        value={query.prompt}
        any="All prompts"
        choices={(facets?.prompts ?? []).map((p) => ({
          value: p.value,
          label: counted(shortPrompt(p.value, 48), p.count),
        }))}
        onPick={(prompt) => set({ prompt })}
      />
      <Filter
        label="Model"
        value={query.model}
        any="All models"
        choices={(facets?.models ?? []).map((m) => ({
          value: m.value,
          label: counted(m.value, m.count),
        }))}
        onPick={(model) => set({ model })}
      />
      {(facets?.folders.length ?? 0) > 0 && (
        <Filter
          label="Watched folder"
          value={query.folder}
          any="Any folder"
          choices={(facets?.folders ?? []).map((f) => ({
            value: f.value,
            label: counted(fileName(f.path), f.count),
          }))}
          onPick={(folder) => set({ folder })}
        />
      )}
      <Filter
        label="Date"
        value={days}
        any="Any time"
        choices={DATES.map(([label, back]) => ({ value: String(back), label }))}
        onPick={(value) => {
          setDays(value ?? '');
          set({ since: value === undefined ? undefined : sinceDays(Number(value)) });
        }}
      />
      <Filter
        label="Sort"
        value={query.sort === 'newest' ? undefined : query.sort}
        any="Newest first"
        choices={SORTS.map(([value, label]) => ({ value, label }))}
        onPick={(sort) => set({ sort: (sort ?? 'newest') as ResultSort })}
      />
      <Filter
        label="Group"
        value={query.group === 'none' ? undefined : query.group}
        any="No grouping"
        choices={GROUPS.map(([value, label]) => ({ value, label }))}
        onPick={(group) => set({ group: (group ?? 'none') as ResultGroupBy })}
      />
      {filtered && (
        <button
          type="button"
          className="link-button"
          onClick={() => {
            setSearch('');
            setDays('');
            onChange({ sort: query.sort, group: query.group });
          }}
        >
          Clear filters
        </button>
      )}
    </div>
  );
}
