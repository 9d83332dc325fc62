// The application menu as a template: every command the app offers from the keyboard, with its
// accelerator, built from plain callbacks so its shape can be checked under Node. Queue commands
// call the engine directly in the main process; nothing here needs the renderer's help.
import type { MenuItemConstructorOptions } from 'electron';

export interface AppMenuActions {
  addImages(): void;
  addFolder(): void;
  togglePause(): void;
  clearFinished(): void;
  openDataFolder(): void;
  quit(): void;
}

export interface AppMenuOptions {
  platform: NodeJS.Platform;
  /** Developer entries (reload, DevTools) appear only in an unpackaged build. */
  packaged: boolean;
  paused: boolean;
}

export function appMenuTemplate(
  actions: AppMenuActions,
  options: AppMenuOptions,
): MenuItemConstructorOptions[] {
  const mac = options.platform === 'darwin';
  // Mnemonics (Alt+F) exist on Windows and Linux only.
  const top = (label: string): string => (mac ? label.replace('&', '') : label);
  const quit: MenuItemConstructorOptions = {
    label: mac ? 'Quit GenQueue' : 'Quit',
    accelerator: 'CmdOrCtrl+Q',
    click: actions.quit,
  };
  return [
    ...(mac
      ? [
          {
            label: 'GenQueue',
            submenu: [
              { role: 'about' },
              { type: 'separator' },
              { role: 'hide' },
              { role: 'hideOthers' },
              { role: 'unhide' },
              { type: 'separator' },
              quit,
            ],
          } satisfies MenuItemConstructorOptions,
        ]
      : []),
    {
      label: top('&File'),
      submenu: [
        { label: 'Add Images…', accelerator: 'CmdOrCtrl+O', click: actions.addImages },
        { label: 'Add Folder…', accelerator: 'CmdOrCtrl+Shift+O', click: actions.addFolder },
        { type: 'separator' },
        { label: 'Open Data Folder', click: actions.openDataFolder },
        ...(mac ? [] : [{ type: 'separator' } as const, quit]),
      ],
    },
    { label: top('&Edit'), role: 'editMenu' },
    {
      label: top('&Queue'),
      submenu: [
        {
          label: options.paused ? 'Resume Queue' : 'Pause Queue',
          accelerator: 'CmdOrCtrl+Shift+P',
          click: actions.togglePause,
        },
        {
          label: 'Clear Finished Jobs',
          accelerator: 'CmdOrCtrl+Shift+K',
          click: actions.clearFinished,
        },
      ],
    },
    {
      label: top('&View'),
      submenu: [
        ...(options.packaged
          ? []
          : [
              { role: 'reload' } as const,
              { role: 'toggleDevTools' } as const,
              { type: 'separator' } as const,
            ]),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { label: top('&Window'), role: 'windowMenu' },
  ];
}
