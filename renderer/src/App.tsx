// The window: sidebar, pause banners, the current view (queue, results, watched folders,
// settings, or onboarding on first run), toasts, and the drop overlay. It owns what views share —
// queue stats, network state, settings, key status, the recipe for new images — and the ways in:
// the picker, drag-and-drop anywhere, and paste.
import { lazy, Suspense, useEffect, useState } from 'react';
import { AppContext, type AppServices } from './app-context.ts';
import { DropOverlay } from './components/DropOverlay.tsx';
import { PauseBanner } from './components/PauseBanner.tsx';
import { QueueView } from './components/QueueView.tsx';
import { Sidebar, type ViewName } from './components/Sidebar.tsx';
import { Toasts } from './components/Toasts.tsx';
import { batchStarted, useBatchToasts } from './hooks/use-batch-toasts.ts';
import { useFileDrop } from './hooks/use-file-drop.ts';
import { useKeyStatus } from './hooks/use-key-status.ts';
import { useModelList } from './hooks/use-models.ts';
import { useNetStatus } from './hooks/use-net-status.ts';
import { usePasteImages } from './hooks/use-paste-images.ts';
import { useQueueStats } from './hooks/use-queue-stats.ts';
import { useSettings } from './hooks/use-settings.ts';
import { useShortcuts } from './hooks/use-shortcuts.ts';
import { useTheme } from './hooks/use-theme.ts';
import { useToasts } from './hooks/use-toasts.ts';
import { plural } from './lib/format.ts';
import { recipeProblem, type EditableRecipe } from './lib/recipe.ts';

// The views not shown first load when first opened: the script parsed before the queue appears
// is what the window's start-up spends most of its own time on.
const Onboarding = lazy(() =>
  import('./components/Onboarding.tsx').then((module) => ({ default: module.Onboarding })),
);
const ResultsView = lazy(() =>
  import('./components/ResultsView.tsx').then((module) => ({ default: module.ResultsView })),
);
const WatchView = lazy(() =>
  import('./components/WatchView.tsx').then((module) => ({ default: module.WatchView })),
);
const SpendView = lazy(() =>
  import('./components/SpendView.tsx').then((module) => ({ default: module.SpendView })),
);
const SettingsView = lazy(() =>
  import('./components/SettingsView.tsx').then((module) => ({ default: module.SettingsView })),
);

/** Asks APIMart for the balance and says it in a toast (the balance banner's button). */
function checkBalance({ client, toasts, act }: AppServices): void {
  void act(async () => {
    const balance = await client.call('key.test', {});
    toasts.push({
      level: 'info',
      message: balance.unlimited
        ? 'Your balance is unlimited.'
        : `Balance: ${balance.remaining ?? 'unknown'} remaining.`,
    });
  });
}

export function App({
  services,
  onShown,
}: {
  services: AppServices;
  /** Called once the window has mounted (main.tsx lets go of the queue rows it asked for early). */
  onShown?: () => void;
}) {
  const { client, toasts, act } = services;
  useEffect(() => onShown?.(), [onShown]);
  const [stats, setStats] = useQueueStats(client);
  const net = useNetStatus(client);
  const settingsState = useSettings(client);
  const { settings } = settingsState;
  const key = useKeyStatus(client);
  const toastList = useToasts(client, toasts);
  const [view, setView] = useState<ViewName>('queue');
  const [welcomed, setWelcomed] = useState(false);
  const [ownRecipe, setOwnRecipe] = useState<EditableRecipe | null>(null);
  const recipe = ownRecipe ?? settings?.defaultRecipe ?? null;
  const models = useModelList(client);
  /** A recipe its model cannot take is never queued: its sentence is shown instead. */
  const refused = (): boolean => {
    const problem = recipe && recipeProblem(recipe, models.info(recipe.model));
    if (problem) toasts.push({ level: 'error', message: problem });
    return Boolean(problem);
  };
  useTheme(settings?.theme);
  useBatchToasts(stats, toasts);

  function enqueue(paths: string[]): void {
    if (paths.length === 0 || refused()) return;
    void act(async () => {
      const { jobIds } = await client.call('jobs.enqueue', {
        paths,
        ...(recipe && { recipe }),
      });
      if (jobIds.length > 0) batchStarted(toasts, `Queued ${plural(jobIds.length, 'image')}.`);
    });
  }
  const add = (kind: 'files' | 'folder') =>
    void act(async () => enqueue((await client.call('files.pick', { kind })).paths));
  const show = (next: ViewName) => {
    setView(next);
    setWelcomed(true);
  };

  const dragging = useFileDrop(client, (paths, fileCount) => {
    if (paths.length > 0) enqueue(paths);
    else if (fileCount > 0)
      toasts.push({
        level: 'warning',
        message: 'GenQueue could not tell where the dropped files are; use Add images instead.',
      });
  });
  usePasteImages(
    (dataBase64, mime) => {
      if (refused()) return;
      void act(
        () => client.call('files.paste', { dataBase64, mime, ...(recipe && { recipe }) }),
        'Pasted image queued.',
      );
    },
    (message) => toasts.push({ level: 'error', message }),
  );
  useShortcuts({
    '1': () => show('queue'),
    '2': () => show('results'),
    '3': () => show('watch'),
    '4': () => show('settings'),
    '5': () => show('spend'),
    o: () => add('files'),
  });

  const togglePause = () =>
    void act(async () =>
      setStats(await client.call(stats?.paused ? 'queue.resume' : 'queue.pause', {})),
    );
  const onboarding = !welcomed && key.initial?.state === 'not-set';

  return (
    <AppContext.Provider value={services}>
      <div className="app">
        <Sidebar
          view={view}
          onView={show}
          stats={stats}
          keyStatus={key.status}
          onTogglePause={togglePause}
        >
          <Toasts toasts={toastList} store={toasts} />
        </Sidebar>
        <main className="workspace">
          {!onboarding && (
            <PauseBanner
              stats={stats}
              net={net}
              keyMissing={key.status?.state === 'not-set'}
              onResume={togglePause}
              onOpenSettings={() => show('settings')}
              onCheckBalance={() => checkBalance(services)}
            />
          )}
          <Suspense fallback={null}>
            {onboarding ? (
              <Onboarding
                status={key.status}
                onStatus={key.setStatus}
                onDone={() => setWelcomed(true)}
              />
            ) : view === 'queue' ? (
              <QueueView
                stats={stats}
                recipe={recipe}
                onRecipe={setOwnRecipe}
                isDefaultRecipe={JSON.stringify(recipe) === JSON.stringify(settings?.defaultRecipe)}
                onMakeDefault={() =>
                  void act(
                    () => settingsState.update({ ...(recipe && { defaultRecipe: recipe }) }),
                    'Saved as your default recipe.',
                  )
                }
                onAdd={add}
              />
            ) : view === 'results' ? (
              <ResultsView onShowQueue={() => show('queue')} />
            ) : view === 'watch' ? (
              <WatchView settings={settings} />
            ) : view === 'spend' ? (
              <SpendView />
            ) : view === 'settings' ? (
              <SettingsView
                state={settingsState}
                keyStatus={key.status}
                onKeyStatus={key.setStatus}
              />
            ) : null}
          </Suspense>
        </main>
        {dragging && <DropOverlay recipe={recipe} />}
      </div>
    </AppContext.Provider>
  );
}
