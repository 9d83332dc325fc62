// The panes of the full-screen compare, all placed by one zoom view so they move in step: the
// slider (before under after, split by a handle), side by side (before | after), or the siblings
// of an n > 1 task. Each image is the engine's full-size data URL, its thumbnail until it arrives.
import { useRef, type CSSProperties, type KeyboardEvent, type PointerEvent } from 'react';
import type { JobView } from '../../../main/contract/schemas.ts';
import { useFullImage } from '../hooks/use-full-image.ts';
import type { ZoomView } from '../hooks/use-zoom-pan.ts';
import { Thumb } from './Thumb.tsx';

export type CompareMode = 'slider' | 'side' | 'siblings';

interface Layer {
  which: 'source' | 'result';
  index: number;
  label: string;
}

function CompareImage({ job, layer, view }: { job: JobView; layer: Layer; view: ZoomView }) {
  const { which, index } = layer;
  const full = useFullImage({ id: job.id, which, index });
  const style: CSSProperties = {
    transform: `translate(${view.x}px, ${view.y}px) scale(${view.scale})`,
    imageRendering: view.scale > 2 ? 'pixelated' : 'auto',
  };
  return (
    <div
      className="zoom-image"
      style={style}
      data-full={full ? 'ready' : full === null ? 'none' : 'loading'}
    >
      {full ? (
        <img src={full.dataUrl} alt={layer.label} draggable={false} />
      ) : (
        <Thumb job={job} which={which} index={index} className="zoom-thumb" alt={layer.label} />
      )}
    </div>
  );
}

function SplitHandle({ split, onSplit }: { split: number; onSplit: (split: number) => void }) {
  const dragging = useRef(false);
  const toSplit = (event: PointerEvent<HTMLElement>) => {
    const pane = event.currentTarget.parentElement!.getBoundingClientRect();
    onSplit(Math.min(100, Math.max(0, ((event.clientX - pane.left) / pane.width) * 100)));
  };
  const keys = (event: KeyboardEvent) => {
    const step = event.shiftKey ? 10 : 1;
    const by = { ArrowLeft: -step, ArrowRight: step, Home: -100, End: 100 }[event.key];
    if (by === undefined) return;
    event.preventDefault();
    event.stopPropagation();
    onSplit(Math.min(100, Math.max(0, split + by)));
  };
  return (
    <div
      className="split-handle"
      data-no-pan
      role="slider"
      tabIndex={0}
      aria-label="Compare before and after"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(split)}
      aria-valuetext={`${Math.round(split)} % before`}
      style={{ left: `${split}%` }}
      onKeyDown={keys}
      onPointerDown={(event) => {
        dragging.current = true;
        event.currentTarget.setPointerCapture(event.pointerId);
      }}
      onPointerMove={(event) => dragging.current && toSplit(event)}
      onPointerUp={() => (dragging.current = false)}
    />
  );
}

interface Props {
  job: JobView;
  mode: CompareMode;
  /** The result compared with the source (slider, side by side). */
  pick: number;
  view: ZoomView;
  split: number;
  onSplit: (split: number) => void;
  onPick: (index: number) => void;
}

export function CompareStage({ job, mode, pick, view, split, onSplit, onPick }: Props) {
  const before: Layer = { which: 'source', index: 0, label: `Before: ${job.name}` };
  const after: Layer = { which: 'result', index: pick, label: `After: result ${pick + 1}` };
  if (mode === 'slider') {
    return (
      <div className="zoom-pane" data-zoom-pane>
        <CompareImage job={job} layer={before} view={view} />
        <div className="zoom-after" style={{ clipPath: `inset(0 0 0 ${split}%)` }}>
          <CompareImage job={job} layer={after} view={view} />
        </div>
        <span className="compare-label before">Before</span>
        <span className="compare-label after">After</span>
        <SplitHandle split={split} onSplit={onSplit} />
      </div>
    );
  }
  const layers =
    mode === 'side'
      ? [before, after]
      : job.results.map((_, index): Layer => ({
          which: 'result',
          index,
          label: `Result ${index + 1}`,
        }));
  return (
    <div className="zoom-panes" data-count={layers.length}>
      {layers.map((layer) => (
        <div
          key={`${layer.which}-${layer.index}`}
          className="zoom-pane"
          data-zoom-pane
          data-picked={mode === 'siblings' && layer.index === pick}
          onDoubleClick={() => mode === 'siblings' && onPick(layer.index)}
        >
          <CompareImage job={job} layer={layer} view={view} />
          <span className="compare-label before">{layer.label.replace(/:.*/, '')}</span>
        </div>
      ))}
    </div>
  );
}
