import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../ui';
import './features';
import { SessionProvider, SessionStore } from '../features/session';
import { App } from './App';
import { RuntimeHost } from './runtime-host';

const store = new SessionStore(window.location);
const host = new RuntimeHost(store);
store.restore();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <SessionProvider store={store}>
      <App host={host} />
    </SessionProvider>
  </StrictMode>,
);
