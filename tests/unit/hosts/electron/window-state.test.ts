import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  DEFAULT_SIZE,
  loadWindowState,
  placeWindow,
  saveWindowState,
  type Rect,
  type WindowState,
} from '../../../../main/hosts/electron/window-state.ts';
import { tempDir } from '../../../support/paths.ts';

const laptop: Rect = { x: 0, y: 0, width: 1440, height: 875 };
const rightMonitor: Rect = { x: 1440, y: -200, width: 2560, height: 1400 };

function inside(bounds: Rect, area: Rect): boolean {
  return (
    bounds.x >= area.x &&
    bounds.y >= area.y &&
    bounds.x + bounds.width <= area.x + area.width &&
    bounds.y + bounds.height <= area.y + area.height
  );
}

describe('placeWindow', () => {
  test('with nothing saved, opens at the default size centred on the primary display', () => {
    const placed = placeWindow(undefined, [laptop, rightMonitor]);
    assert.deepEqual(placed, {
      bounds: { x: 120, y: 38, width: DEFAULT_SIZE.width, height: 800 },
      maximized: false,
    });
  });

  test('keeps a saved window that is fully visible exactly where it was', () => {
    const saved: WindowState = {
      bounds: { x: 2000, y: 100, width: 1000, height: 700 },
      maximized: true,
    };
    assert.deepEqual(placeWindow(saved, [laptop, rightMonitor]), saved);
  });

  test('moves a window saved on a monitor that is gone back onto the primary display', () => {
    const saved: WindowState = {
      bounds: { x: 2000, y: 100, width: 1000, height: 700 },
      maximized: false,
    };
    const placed = placeWindow(saved, [laptop]);
    assert.ok(inside(placed.bounds, laptop));
    assert.deepEqual(placed.bounds, { x: 220, y: 88, width: 1000, height: 700 });
  });

  test('shrinks a window larger than its display and pulls a half-off-screen one back in', () => {
    const saved: WindowState = {
      bounds: { x: 1300, y: 600, width: 3000, height: 2000 },
      maximized: false,
    };
    const placed = placeWindow(saved, [laptop, rightMonitor]);
    assert.deepEqual(placed.bounds, rightMonitor);
  });

  test('never places a window even partly outside every display', () => {
    const area = fc.record({
      x: fc.integer({ min: -5000, max: 5000 }),
      y: fc.integer({ min: -5000, max: 5000 }),
      width: fc.integer({ min: 640, max: 6000 }),
      height: fc.integer({ min: 480, max: 4000 }),
    });
    const saved = fc.option(
      fc.record({
        bounds: fc.record({
          x: fc.integer({ min: -20000, max: 20000 }),
          y: fc.integer({ min: -20000, max: 20000 }),
          width: fc.integer({ min: 1, max: 20000 }),
          height: fc.integer({ min: 1, max: 20000 }),
        }),
        maximized: fc.boolean(),
      }),
      { nil: undefined },
    );
    fc.assert(
      fc.property(saved, fc.array(area, { minLength: 1, maxLength: 4 }), (state, areas) => {
        const placed = placeWindow(state, areas);
        assert.ok(areas.some((candidate) => inside(placed.bounds, candidate)));
        assert.ok(Number.isInteger(placed.bounds.x) && Number.isInteger(placed.bounds.y));
      }),
    );
  });

  test('refuses to place a window with no display at all', () => {
    assert.throws(() => placeWindow(undefined, []), /at least one display/);
  });
});

describe('saved window state', () => {
  test('survives a save and a load', async (t) => {
    const home = await tempDir(t);
    const state: WindowState = {
      bounds: { x: -10, y: 20, width: 900, height: 600 },
      maximized: true,
    };
    await saveWindowState(home, state);
    assert.deepEqual(await loadWindowState(home), state);
  });

  test('is absent when nothing was saved or the file is damaged', async (t) => {
    const home = await tempDir(t);
    assert.equal(await loadWindowState(home), undefined);
    await writeFile(join(home, 'window-state.json'), '{"bounds": {"x": 1');
    assert.equal(await loadWindowState(home), undefined);
    await writeFile(
      join(home, 'window-state.json'),
      '{"bounds": {"x": 1, "y": 2}, "maximized": 3}',
    );
    assert.equal(await loadWindowState(home), undefined);
  });
});
