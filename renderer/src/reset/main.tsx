import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { z } from 'zod';
import '../styles/global.css';
import { ResetPage } from './reset-page.tsx';
import { tokenFromLocation } from './api.ts';

// The CSP forbids eval; zod must not try to compile validators at run time.
z.config({ jitless: true });

const container = document.getElementById('root');
if (container === null) throw new Error('reset.html has no #root element');
createRoot(container).render(
  <StrictMode>
    <ResetPage token={tokenFromLocation(window.location.pathname)} />
  </StrictMode>,
);
