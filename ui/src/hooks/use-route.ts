import { useEffect, useState } from 'preact/hooks';

/** The page and its argument from the location hash: `#/upstreams/openai` → upstreams, openai. */
export interface Route {
  readonly page: string;
  readonly arg: string | undefined;
}

function parse(hash: string): Route {
  const [page, ...rest] = hash.replace(/^#\/?/, '').split('/');
  return { page: page || 'overview', arg: rest.length > 0 ? decodeURIComponent(rest.join('/')) : undefined };
}

/** Hash routing: the server serves one page, and nothing of the route reaches it. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parse(location.hash));
  useEffect(() => {
    const update = () => setRoute(parse(location.hash));
    addEventListener('hashchange', update);
    return () => removeEventListener('hashchange', update);
  }, []);
  return route;
}

export function href(page: string, arg?: string): string {
  return arg === undefined ? `#/${page}` : `#/${page}/${encodeURIComponent(arg)}`;
}
