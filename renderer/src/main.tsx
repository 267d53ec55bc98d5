import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { z } from 'zod';
import { App } from './app/app.tsx';
import { Providers } from './app/providers.tsx';
import './styles/global.css';

// The CSP forbids eval; zod must not try to compile validators at run time.
z.config({ jitless: true });

const container = document.getElementById('root');
if (container === null) throw new Error('index.html has no #root element');
createRoot(container).render(
  <StrictMode>
    <Providers>
      <App />
    </Providers>
  </StrictMode>,
);
