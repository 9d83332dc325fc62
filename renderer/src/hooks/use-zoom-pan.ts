// One zoom and pan shared by every pane of the compare, so before and after move in step: the
// wheel (and a trackpad pinch, which Chromium sends as a wheel with Ctrl) zooms around the pointer,
// two fingers pinch, a drag pans. The view is a scale over "fit" and an offset from each pane's
// centre in CSS pixels; the same numbers place every pane's image.
import { useCallback, useEffect, useRef, useState, type PointerEvent, type RefObject } from 'react';

export interface ZoomView {
  scale: number;
  x: number;
  y: number;
}

export const FIT: ZoomView = { scale: 1, x: 0, y: 0 };
const MAX_SCALE = 64;
/** Below fit only to show a small image 1:1; zoomed out that far there is nothing to pan. */
const MIN_SCALE = 0.05;

/** The view after zooming by `factor` while the point `p` (from a pane's centre) stays put. */
export function zoomAround(view: ZoomView, factor: number, p: { x: number; y: number }): ZoomView {
  const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, view.scale * factor));
  if (scale <= 1) return { scale, x: 0, y: 0 };
  const k = scale / view.scale;
  return { scale, x: p.x - k * (p.x - view.x), y: p.y - k * (p.y - view.y) };
}

/** A point in client coordinates, relative to the centre of the pane it is over. */
function fromPaneCentre(target: EventTarget | null, clientX: number, clientY: number) {
  const pane = target instanceof Element ? target.closest('[data-zoom-pane]') : null;
  const rect = pane?.getBoundingClientRect();
  if (!rect) return { x: 0, y: 0 };
  return { x: clientX - rect.left - rect.width / 2, y: clientY - rect.top - rect.height / 2 };
}

export interface ZoomPan {
  view: ZoomView;
  setView: (view: ZoomView | ((view: ZoomView) => ZoomView)) => void;
  pointerHandlers: {
    onPointerDown: (event: PointerEvent<HTMLElement>) => void;
    onPointerMove: (event: PointerEvent<HTMLElement>) => void;
    onPointerUp: (event: PointerEvent<HTMLElement>) => void;
    onPointerCancel: (event: PointerEvent<HTMLElement>) => void;
  };
}

export function useZoomPan(stage: RefObject<HTMLElement | null>): ZoomPan {
  const [view, setView] = useState<ZoomView>(FIT);
  const pointers = useRef(new Map<number, { x: number; y: number }>());

  useEffect(() => {
    const element = stage.current;
    if (!element) return;
    const wheel = (event: WheelEvent) => {
      event.preventDefault();
      const lines = event.deltaMode === WheelEvent.DOM_DELTA_LINE ? 16 : 1;
      const factor = Math.exp(-event.deltaY * lines * (event.ctrlKey ? 0.01 : 0.002));
      const p = fromPaneCentre(event.target, event.clientX, event.clientY);
      setView((now) => zoomAround(now, factor, p));
    };
    element.addEventListener('wheel', wheel, { passive: false });
    return () => element.removeEventListener('wheel', wheel);
  }, [stage]);

  const down = useCallback((event: PointerEvent<HTMLElement>) => {
    if (event.button !== 0 || (event.target as Element).closest('[data-no-pan]')) return;
    event.currentTarget.setPointerCapture(event.pointerId);
    pointers.current.set(event.pointerId, { x: event.clientX, y: event.clientY });
  }, []);

  const move = useCallback((event: PointerEvent<HTMLElement>) => {
    const all = pointers.current;
    const last = all.get(event.pointerId);
    if (!last) return;
    const others = [...all.entries()].filter(([id]) => id !== event.pointerId);
    const other = others[0]?.[1];
    const next = { x: event.clientX, y: event.clientY };
    all.set(event.pointerId, next);
    if (other) {
      // Two fingers: the distance between them zooms, around the point between them.
      const before = Math.hypot(last.x - other.x, last.y - other.y);
      const after = Math.hypot(next.x - other.x, next.y - other.y);
      const mid = fromPaneCentre(event.target, (next.x + other.x) / 2, (next.y + other.y) / 2);
      if (before > 0) setView((now) => zoomAround(now, after / before, mid));
      return;
    }
    setView((now) =>
      now.scale <= 1 ? now : { ...now, x: now.x + next.x - last.x, y: now.y + next.y - last.y },
    );
  }, []);

  const up = useCallback((event: PointerEvent<HTMLElement>) => {
    pointers.current.delete(event.pointerId);
  }, []);

  return {
    view,
    setView,
    pointerHandlers: {
      onPointerDown: down,
      onPointerMove: move,
      onPointerUp: up,
      onPointerCancel: up,
    },
  };
}
