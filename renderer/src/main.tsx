// Mounts the React app with the services (EngineClient, toasts, thumbnails, job lists) it uses
// for everything it shows and does. opening.ts comes first: it asks for the queue's first rows
// before React's code is evaluated.
import { client, queueJobs, releaseQueueJobs } from './opening.ts';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { createServices } from './app-context.ts';
import { createThumbnailLoader } from './lib/thumbnail-loader.ts';
import { createToastStore } from './lib/toast-store.ts';
import './styles/base.css';
import './styles/layout.css';
import './styles/queue.css';
import './styles/panel.css';
import './styles/results.css';
import './styles/settings.css';
import './styles/spend.css';

const services = createServices(client, createToastStore(), createThumbnailLoader(client), [
  queueJobs,
]);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App services={services} onShown={releaseQueueJobs} />
  </StrictMode>,
);
