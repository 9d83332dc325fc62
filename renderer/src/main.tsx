// Mounts the React app with the services (EngineClient, toasts, thumbnails, job lists) it uses
// for everything it shows and does, and starts fetching the queue's first rows before it renders.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { createServices } from './app-context.ts';
import { createEngineClient } from './engine-client.ts';
import { createThumbnailLoader } from './lib/thumbnail-loader.ts';
import { createToastStore } from './lib/toast-store.ts';
import './styles/base.css';
import './styles/layout.css';
import './styles/queue.css';
import './styles/panel.css';
import './styles/results.css';
import './styles/settings.css';

const client = createEngineClient();
const services = createServices(client, createToastStore(), createThumbnailLoader(client));
// The queue is the first view: its rows are asked for now, while React is still starting, not
// from the list's first effect. The view's own connection takes over once the window is shown.
const releaseQueue = services.jobWindow('all').connect();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App services={services} onShown={releaseQueue} />
  </StrictMode>,
);
