// The full-screen compare over the Results view: one result against its source (a slider or side
// by side) or against its siblings, zoomed and panned in step, 1:1 on demand, and the arrow keys
// (or buttons) stepping through the results in the grid's order. Escape closes it.
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { ResultItem } from '../../../main/contract/results.ts';
import { FIT, useZoomPan, zoomAround, type ZoomView } from '../hooks/use-zoom-pan.ts';
import { fileName, formatCount, formatDimensions } from '../lib/format.ts';
import { formatWhen, shortPrompt } from '../lib/result-text.ts';
import type { ResultWindow } from '../lib/result-window.ts';
import { CompareStage, type CompareMode } from './CompareStage.tsx';
import { Icon } from './Icon.tsx';

interface Props {
  results: ResultWindow;
  index: number;
  onIndex: (index: number) => void;
  onClose: () => void;
}

const MODES: [CompareMode, string][] = [
  ['slider', 'Slider'],
  ['side', 'Side by side'],
  ['siblings', 'Siblings'],
];

/** How large the image's own pixels are shown at `view`: 1 is 1:1 (one pixel per device pixel). */
function pixelRatio(pane: Size | undefined, item: ResultItem, pick: number, view: ZoomView) {
  const result = item.results[pick];
  if (!pane || !result || pane.width === 0) return undefined;
  const fit = Math.min(pane.width / result.width, pane.height / result.height);
  return fit * view.scale * window.devicePixelRatio;
}

interface Size {
  width: number;
  height: number;
}

export function CompareView({ results, index, onIndex, onClose }: Props) {
  const item = results.at(index);
  const total = results.total();
  const stage = useRef<HTMLDivElement>(null);
  const dialog = useRef<HTMLDivElement>(null);
  const { view, setView, pointerHandlers } = useZoomPan(stage);
  const [mode, setMode] = useState<CompareMode>('slider');
  const [split, setSplit] = useState(50);
  const [picked, setPicked] = useState({ id: '', index: 0 });
  const pick = item && picked.id === item.id ? picked.index : 0;
  const siblings = (item?.results.length ?? 0) > 1;
  const shownMode = mode === 'siblings' && !siblings ? 'slider' : mode;
  const [pane, setPane] = useState<Size>();
  const ratio = item ? pixelRatio(pane, item, pick, view) : undefined;

  useEffect(() => dialog.current?.focus(), []);
  // The first pane's size (every pane has it): what "fit" and 1:1 are measured against.
  useEffect(() => {
    const first = stage.current?.querySelector('[data-zoom-pane]');
    if (!first) return;
    const observer = new ResizeObserver(([entry]) => entry && setPane(entry.contentRect));
    observer.observe(first);
    return () => observer.disconnect();
  }, [shownMode, item]);

  const step = (by: number) => {
    const next = index + by;
    if (next >= 0 && next < total) onIndex(next);
  };
  const oneToOne = () => {
    if (ratio) setView((now) => ({ scale: now.scale / ratio, x: 0, y: 0 }));
  };
  const zoom = (factor: number) => setView((now) => zoomAround(now, factor, { x: 0, y: 0 }));

  function onKeyDown(event: KeyboardEvent): void {
    const actions: Record<string, () => void> = {
      Escape: onClose,
      ArrowLeft: () => step(-1),
      ArrowRight: () => step(1),
      '+': () => zoom(1.25),
      '=': () => zoom(1.25),
      '-': () => zoom(0.8),
      '0': () => setView(FIT),
      '1': oneToOne,
    };
    const action = actions[event.key];
    if (!action || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    action();
  }

  const result = item?.results[pick];
  return (
    <div
      ref={dialog}
      className="compare-screen"
      role="dialog"
      aria-modal="true"
      aria-label="Compare"
      tabIndex={-1}
      onKeyDown={onKeyDown}
    >
      <header className="compare-bar">
        <div className="compare-title">
          <h2 title={result?.path}>
            {item?.name ?? 'Loading…'}
            {result && <span className="muted"> → {fileName(result.path)}</span>}
          </h2>
          {item && (
            <p className="muted" title={item.recipe.prompt}>
              {shortPrompt(item.recipe.prompt, 90)} · {item.recipe.model} ·{' '}
              {formatWhen(item.finishedAt)}
              {result && ` · ${formatDimensions(result)}`} · {formatCount(index + 1)} of{' '}
              {formatCount(total)}
            </p>
          )}
        </div>
        <div className="segmented" role="group" aria-label="Compare mode">
          {MODES.map(([value, label]) => (
            <button
              key={value}
              type="button"
              aria-pressed={shownMode === value}
              disabled={value === 'siblings' && !siblings}
              onClick={() => setMode(value)}
            >
              {label}
              {value === 'siblings' && siblings && ` (${item?.results.length})`}
            </button>
          ))}
        </div>
        {siblings && shownMode !== 'siblings' && item && (
          <div className="segmented" role="group" aria-label="Result compared">
            {item.results.map((_, i) => (
              <button
                key={i}
                type="button"
                aria-pressed={i === pick}
                onClick={() => setPicked({ id: item.id, index: i })}
              >
                {i + 1}
              </button>
            ))}
          </div>
        )}
        <ZoomControls ratio={ratio} zoom={zoom} fit={() => setView(FIT)} oneToOne={oneToOne} />
        <StepControls index={index} total={total} step={step} onClose={onClose} />
      </header>
      <div ref={stage} className="compare-stage" data-mode={shownMode} {...pointerHandlers}>
        {item && (
          <CompareStage
            job={item}
            mode={shownMode}
            pick={pick}
            view={view}
            split={split}
            onSplit={setSplit}
            onPick={(i) => {
              setPicked({ id: item.id, index: i });
              setMode('slider');
            }}
          />
        )}
      </div>
    </div>
  );
}

interface ZoomProps {
  ratio: number | undefined;
  zoom: (factor: number) => void;
  fit: () => void;
  oneToOne: () => void;
}

/** Zoom out and in, the zoom as a share of the image's own pixels, Fit and 1:1. */
function ZoomControls({ ratio, zoom, fit, oneToOne }: ZoomProps) {
  return (
    <div className="compare-zoom" role="group" aria-label="Zoom">
      <button type="button" className="icon-button" aria-label="Zoom out" onClick={() => zoom(0.8)}>
        −
      </button>
      <output className="zoom-level" aria-label="Zoom level">
        {ratio ? `${Math.round(ratio * 100)} %` : ''}
      </output>
      <button type="button" className="icon-button" aria-label="Zoom in" onClick={() => zoom(1.25)}>
        +
      </button>
      <button type="button" className="button small" onClick={fit}>
        Fit
      </button>
      <button type="button" className="button small" onClick={oneToOne}>
        1:1
      </button>
    </div>
  );
}

interface StepProps {
  index: number;
  total: number;
  step: (by: number) => void;
  onClose: () => void;
}

/** The previous and next result in the grid's order, and closing the compare. */
function StepControls({ index, total, step, onClose }: StepProps) {
  return (
    <div className="compare-nav">
      <button
        type="button"
        className="icon-button"
        aria-label="Previous result"
        disabled={index === 0}
        onClick={() => step(-1)}
      >
        <span className="flip">
          <Icon name="chevron" />
        </span>
      </button>
      <button
        type="button"
        className="icon-button"
        aria-label="Next result"
        disabled={index >= total - 1}
        onClick={() => step(1)}
      >
        <Icon name="chevron" />
      </button>
      <button type="button" className="icon-button" aria-label="Close compare" onClick={onClose}>
        <Icon name="close" />
      </button>
    </div>
  );
}
