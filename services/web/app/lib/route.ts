import { useEffect, useState } from 'preact/hooks';

/** The page's place: `#/<page>[/<id>]?<query>`, so every view can be linked and reloaded. */
export interface Route {
  page: string;
  id: string | null;
  query: URLSearchParams;
}

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#\/?/, '');
  const q = raw.indexOf('?');
  const path = q < 0 ? raw : raw.slice(0, q);
  const [page, id] = path.split('/');
  return { page: page || 'signals', id: id ? decodeURIComponent(id) : null, query: new URLSearchParams(q < 0 ? '' : raw.slice(q + 1)) };
}

export function href(page: string, id?: string | number | null, query?: URLSearchParams | Record<string, string>): string {
  const qs = query ? new URLSearchParams(query).toString() : '';
  return `#/${page}${id !== undefined && id !== null ? `/${encodeURIComponent(String(id))}` : ''}${qs ? `?${qs}` : ''}`;
}

export function navigate(to: string, replace = false): void {
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const on = () => setRoute(parseHash(location.hash));
    window.addEventListener('hashchange', on);
    window.addEventListener('popstate', on);
    return () => {
      window.removeEventListener('hashchange', on);
      window.removeEventListener('popstate', on);
    };
  }, []);
  return route;
}
