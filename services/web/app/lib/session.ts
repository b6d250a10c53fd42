// The API token lives in sessionStorage only: it is gone when the tab closes, and never sent to
// any origin but this one. The language is a preference, kept across sessions.

const TOKEN_KEY = 'radar.token';
const LANG_KEY = 'radar.lang';

export type Lang = 'en' | 'zh';

export function getToken(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function setToken(token: string | null): void {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

export function getLang(): Lang {
  let saved: string | null = null;
  try {
    saved = localStorage.getItem(LANG_KEY);
  } catch {
    // storage disabled: fall back to the browser's language
  }
  if (saved === 'en' || saved === 'zh') return saved;
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

export function saveLang(lang: Lang): void {
  try {
    localStorage.setItem(LANG_KEY, lang);
  } catch {
    // not kept: the page still switches
  }
}
