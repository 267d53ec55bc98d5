import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { z } from 'zod';
import '../styles/global.css';
import { ResetPage } from './reset-page.tsx';
import { OPENED, tokenFromLocation } from './api.ts';

// The CSP forbids eval; zod must not try to compile validators at run time.
z.config({ jitless: true });

const container = document.getElementById('root');
if (container === null) throw new Error('reset.html has no #root element');
// The link's token is read once and kept in memory only: the address bar, the history and a
// shared screen show /reset/opened from here on (a reload then says to open the link again).
const token = tokenFromLocation(window.location.pathname);
window.history.replaceState(null, '', `/reset/${OPENED}`);
createRoot(container).render(
  <StrictMode>
    <ResetPage token={token} />
  </StrictMode>,
);
