import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { adminKey, onSessionChange } from './api/session';
import { Nav } from './components/nav';
import { SignIn } from './components/sign-in';
import { type Route, useRoute } from './hooks/use-route';
import { ClientsPage } from './pages/clients';
import { HealthPage } from './pages/health';
import { OverviewPage } from './pages/overview';
import { RequestDetail } from './pages/request-detail';
import { RequestsPage } from './pages/requests';
import { RoutesPage } from './pages/routes';
import { SettingsPage } from './pages/settings';
import { UpstreamDetail } from './pages/upstream-detail';
import { UpstreamsPage } from './pages/upstreams';

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'upstreams':
      return route.arg ? <UpstreamDetail name={route.arg} /> : <UpstreamsPage />;
    case 'routes':
      return <RoutesPage />;
    case 'clients':
      return <ClientsPage />;
    case 'requests':
      return route.arg ? <RequestDetail id={route.arg} /> : <RequestsPage />;
    case 'health':
      return <HealthPage />;
    case 'settings':
      return <SettingsPage />;
    default:
      return <OverviewPage />;
  }
}

/** Signed in: the navigation and the page the hash names; focus moves to the page on a change. */
function Shell() {
  const route = useRoute();
  const main = useRef<HTMLElement>(null);
  useLayoutEffect(() => {
    main.current?.querySelector('h1')?.focus();
  }, [route.page, route.arg]);
  return (
    <>
      <button type="button" class="skip" onClick={() => main.current?.focus()}>
        Skip to content
      </button>
      <Nav current={route.page} />
      <main id="main" ref={main} tabIndex={-1}>
        <Page key={`${route.page}/${route.arg ?? ''}`} route={route} />
      </main>
    </>
  );
}

export function App() {
  const [signedIn, setSignedIn] = useState(() => adminKey() !== null);
  useEffect(() => onSessionChange(setSignedIn), []);
  return signedIn ? <Shell /> : <SignIn />;
}
