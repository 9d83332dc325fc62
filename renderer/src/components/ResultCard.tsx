// One finished job in the results grid: its (first) result as the engine's thumbnail, the source's
// name, the prompt (one line, the whole of it on hover), when it finished, what it cost (when
// known) and the model, a mark when selected and how many images the task made. Click selects, a double click compares.
import { memo, type MouseEvent } from 'react';
import { formatUsd } from '../../../main/contract/money.ts';
import type { ResultItem } from '../../../main/contract/results.ts';
import { fileName } from '../lib/format.ts';
import { formatWhen } from '../lib/result-text.ts';
import { Icon } from './Icon.tsx';
import { Thumb } from './Thumb.tsx';

export interface CardActions {
  onClick: (index: number, event: MouseEvent) => void;
  onToggle: (index: number) => void;
  onOpen: (index: number) => void;
  onFocus: (index: number) => void;
}

interface Props {
  item: ResultItem;
  index: number;
  selected: boolean;
  focused: boolean;
  /** On screen (not only kept ready beside it): its thumbnail may load. */
  inView: boolean;
  actions: CardActions;
}

function ResultCardView({ item, index, selected, focused, inView, actions }: Props) {
  const result = item.results[0];
  const prompt = item.recipe.prompt;
  const facts = cardFacts(item);
  return (
    <button
      type="button"
      className="result-card"
      data-index={index}
      data-selected={selected}
      aria-pressed={selected}
      aria-label={`Result ${result ? fileName(result.path) : item.name}`}
      aria-description={`${item.name}, ${item.recipe.model}: ${prompt}`}
      tabIndex={focused ? 0 : -1}
      onClick={(event) => actions.onClick(index, event)}
      onFocus={() => actions.onFocus(index)}
    >
      <Thumb job={item} which="result" className="card-image" alt="" load={inView} />
      <span
        className="card-check"
        aria-hidden="true"
        onClick={(event) => {
          event.stopPropagation();
          actions.onToggle(index);
        }}
      >
        {/* Drawn only when selected: the check is see-through until then (results.css). */}
        {selected && <Icon name="check" size={12} />}
      </span>
      {(item.simulated || item.results.length > 1) && (
        <span className="card-badges">
          {item.simulated && <span className="badge">Simulated</span>}
          {item.results.length > 1 && <span className="badge">{item.results.length} images</span>}
        </span>
      )}
      <span className="card-hover-prompt" aria-hidden="true">
        {prompt}
      </span>
      <span className="card-meta">
        <span className="card-name" title={item.source}>
          {item.name}
        </span>
        <span className="card-prompt">{prompt}</span>
        <span className="card-facts" title={facts}>
          {facts}
        </span>
      </span>
    </button>
  );
}

/** When it finished, what it cost (when known) and the model, on one line: the model comes last
 *  because it is the part a narrow card may cut. */
function cardFacts(item: ResultItem): string {
  const cost = item.cost === undefined ? [] : [formatUsd(item.cost)];
  return [formatWhen(item.finishedAt), ...cost, item.recipe.model].join(' · ');
}

export const ResultCard = memo(ResultCardView);
