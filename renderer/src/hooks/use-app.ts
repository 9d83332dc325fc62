// The services App provides to every component (client, toasts, thumbnails, act).
import { useContext } from 'react';
import { AppContext, type AppServices } from '../app-context.ts';

export function useApp(): AppServices {
  const services = useContext(AppContext);
  if (!services) throw new Error('useApp needs the AppContext that App provides.');
  return services;
}
