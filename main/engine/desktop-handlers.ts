// The engine's side of the routes that reach the desktop (pick files, open, reveal, copy): only
// where the host offers a desktop, and only for paths GenQueue itself handles, never any path a
// window names. Spread into the one handlers map by handlers.ts.
import type { Handlers } from '../contract/dispatch.ts';
import { fail } from '../contract/errors.ts';
import type { HandlerDeps } from './handlers.ts';
import type { DesktopPort } from './host/ports.ts';

type DesktopRoutes = 'files.pick' | 'shell.open' | 'shell.reveal' | 'clipboard.copyImage';

export function createDesktopHandlers(deps: HandlerDeps): Pick<Handlers, DesktopRoutes> {
  function desktop(): DesktopPort {
    if (!deps.desktop) fail('unknown_route', 'This host has no desktop integration.');
    return deps.desktop;
  }

  /** The window may open or reveal only what GenQueue itself handles: sources and results. */
  function ownedPath(path: string): string {
    if (!deps.store.ownsPath(path))
      fail('not_found', 'GenQueue only opens or copies images that are in its queue.');
    return path;
  }

  return {
    'files.pick': async ({ kind }) => ({ paths: await desktop().pickPaths(kind) }),
    'shell.open': async ({ path }) => {
      await desktop().open(ownedPath(path));
      return null;
    },
    'shell.reveal': async ({ path }) => {
      await desktop().reveal(ownedPath(path));
      return null;
    },
    'clipboard.copyImage': async ({ path }) => {
      const host = desktop();
      if (!host.copyImage) fail('unknown_route', 'This host cannot copy images to the clipboard.');
      await host.copyImage(ownedPath(path));
      return null;
    },
  };
}
