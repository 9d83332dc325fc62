// Mounts the React app with the EngineClient it will use for everything it shows and does.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { createEngineClient } from './engine-client.ts';
import './styles/base.css';
import './styles/layout.css';
import './styles/queue.css';
import './styles/panel.css';
import './styles/results.css';
import './styles/settings.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App client={createEngineClient()} />
  </StrictMode>,
);
