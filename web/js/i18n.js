// i18n.js — the interface in Romanian (default) or English. Every string
// lives in /i18n/ro.json and /i18n/en.json (the same keys; a browser test
// checks it). The choice is remembered in localStorage and sets <html lang>.

const STORAGE_KEY = 'fow.lang';
export const LANGS = ['ro', 'en'];

let current = 'ro';
let strings = {};
const cache = new Map();

/** The language chosen before (or Romanian). */
export function savedLang() {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    if (LANGS.includes(v)) return v;
  } catch (_) { /* storage may be disabled */ }
  return 'ro';
}

/** Loads lang's strings, makes it current, remembers it, sets <html lang>. */
export async function setLang(lang) {
  if (!LANGS.includes(lang)) lang = 'ro';
  if (!cache.has(lang)) {
    const res = await fetch(`i18n/${lang}.json`, { cache: 'no-cache' });
    if (!res.ok) throw new Error(`i18n/${lang}.json: HTTP ${res.status}`);
    cache.set(lang, await res.json());
  }
  strings = cache.get(lang);
  current = lang;
  document.documentElement.lang = lang;
  try { localStorage.setItem(STORAGE_KEY, lang); } catch (_) { /* ignore */ }
}

export function lang() { return current; }

/** The locale for numbers and dates. */
export function locale() { return current === 'ro' ? 'ro-RO' : 'en-GB'; }

/**
 * The string for key with {name} placeholders filled from vars. A missing
 * key shows as the key itself in brackets, so it is noticed, never hidden.
 */
export function t(key, vars) {
  let s = strings[key];
  if (typeof s !== 'string') return `[${key}]`;
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
  return s;
}

/** true when key exists (for optional texts such as codes from the API). */
export function has(key) { return typeof strings[key] === 'string'; }

/** Fills the static shell: [data-i18n] text and [data-i18n-aria-label]. */
export function translateStatic(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-aria-label]')) {
    el.setAttribute('aria-label', t(el.dataset.i18nAriaLabel));
  }
}
