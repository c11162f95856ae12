// The Korean web font, self-hosted from npm (each weight split by unicode range: pages load only the
// glyphs they use). No font CDN: the gateway's CSP allows fonts from 'self' only.
import '@fontsource/noto-sans-kr/400.css';
import '@fontsource/noto-sans-kr/500.css';
import '@fontsource/noto-sans-kr/700.css';
import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import { clearCacheWhenUserChanges, createQueryClient } from './app/query-client.ts';
import { createAppRouter } from './app/router.tsx';
import { redirectToLoginWhenSessionExpires } from './app/session-expiry.ts';
import { session } from './auth/session.ts';
import './i18n/i18n.ts';
import { saveCartWhenUserLeaves } from './cart/cart-merge.ts';
import { forgetCheckoutWhenUserLeaves } from './orders/checkout-draft.ts';

const queryClient = createQueryClient();
const router = createAppRouter();
clearCacheWhenUserChanges(session, queryClient);
redirectToLoginWhenSessionExpires(session, router);
saveCartWhenUserLeaves(session);
forgetCheckoutWhenUserLeaves(session);

const container = document.getElementById('root');
if (!container) throw new Error('index.html must contain <div id="root">');

createRoot(container).render(
  <StrictMode>
    <App router={router} queryClient={queryClient} />
  </StrictMode>,
);
