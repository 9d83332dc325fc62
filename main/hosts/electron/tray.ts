// The tray icon: the queue's counts in its tooltip and menu, with show, pause/resume and quit.
// The words come from queue-summary.ts; this file only turns them into Electron's Tray and Menu.
// On macOS the icon is a template image, so the menu bar tints it for light and dark.
import {
  Menu,
  nativeImage,
  Tray,
  type MenuItemConstructorOptions,
  type NativeImage,
} from 'electron';
import type { QueueStats } from '../../contract/schemas.ts';
import { trayMenuModel, trayTooltip, type TrayAction } from './queue-summary.ts';
import trayColour from '../../../build/tray/tray.png?asset';
import trayTemplate from '../../../build/tray/trayTemplate.png?asset';

export interface AppTray {
  update(stats: QueueStats): void;
  destroy(): void;
}

function trayImage(): NativeImage {
  if (process.platform !== 'darwin') return nativeImage.createFromPath(trayColour);
  const retina = nativeImage.createFromPath(trayTemplate);
  const image = retina.resize({ width: 16, height: 16, quality: 'best' });
  image.addRepresentation({ scaleFactor: 2, buffer: retina.toPNG() });
  image.setTemplateImage(true);
  return image;
}

export function createTray(act: (action: TrayAction) => void): AppTray {
  const tray = new Tray(trayImage());
  let shown = '';
  const render = (stats: QueueStats | undefined): void => {
    const model = trayMenuModel(stats);
    const key = JSON.stringify(model);
    if (key === shown) return;
    shown = key;
    tray.setToolTip(trayTooltip(stats));
    tray.setContextMenu(
      Menu.buildFromTemplate(
        model.map((item): MenuItemConstructorOptions => {
          if (item.kind === 'separator') return { type: 'separator' };
          if (item.kind === 'info') return { label: item.label, enabled: false };
          return { label: item.label, click: () => act(item.action) };
        }),
      ),
    );
  };
  tray.on('click', () => act('show'));
  render(undefined);
  return {
    update: render,
    destroy: () => tray.destroy(),
  };
}
