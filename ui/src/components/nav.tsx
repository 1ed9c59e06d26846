import { signOut } from '../api/session';
import { href } from '../hooks/use-route';

export const PAGES = [
  ['overview', 'Overview'],
  ['upstreams', 'Upstreams'],
  ['routes', 'Routes'],
  ['clients', 'Clients'],
  ['requests', 'Requests'],
  ['health', 'Health'],
  ['settings', 'Settings'],
] as const;

/** The main navigation; the current page is marked for assistive technology too. */
export function Nav({ current }: { current: string }) {
  return (
    <header class="top">
      <span class="brand">Switchyard</span>
      <nav aria-label="Main">
        <ul>
          {PAGES.map(([page, name]) => (
            <li key={page}>
              <a href={href(page)} aria-current={current === page ? 'page' : undefined}>
                {name}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <button type="button" class="link" onClick={signOut}>
        Sign out
      </button>
    </header>
  );
}
