import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../ui';
import { SessionProvider, SessionStore } from '../features/session';
import { App } from './App';

const store = new SessionStore(window.location);
store.restore();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <SessionProvider store={store}>
      <App />
    </SessionProvider>
  </StrictMode>,
);
