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

/** An integer in the current locale (grouped), for counts in texts. */
function count(n) {
  return typeof n === 'number' ? new Intl.NumberFormat(locale(), { maximumFractionDigits: 0 }).format(n) : String(n);
}

const pluralRules = new Map();

/** The plural category of n in the current language ('one', 'few', 'other', …). */
export function pluralCategory(n) {
  if (!pluralRules.has(current)) pluralRules.set(current, new Intl.PluralRules(locale()));
  return pluralRules.get(current).select(typeof n === 'number' ? n : Number(n));
}

/**
 * The plural form of key for the count n: the string of key.<category>
 * (Intl.PluralRules: Romanian has one, few and other; English one and
 * other), falling back to key.other. {n} is n in the locale's digits
 * unless vars gives its own n.
 */
export function tp(key, n, vars) {
  let k = `${key}.${pluralCategory(n)}`;
  if (typeof strings[k] !== 'string') k = `${key}.other`;
  return t(k, { n: count(n), ...(vars || {}) });
}

function messageParam(value, digits) {
  if (value === null || value === undefined) return null;
  if (typeof value === 'object' && typeof value.code === 'string') return tmsg(value);
  if (typeof value === 'number') {
    const d = digits === undefined ? null : Number(digits);
    return new Intl.NumberFormat(locale(), d === null ? { maximumFractionDigits: 2 }
      : { minimumFractionDigits: d, maximumFractionDigits: d }).format(value);
  }
  if (typeof value === 'boolean') return t(value ? 'common.yes' : 'common.no');
  return String(value);
}

/** true when the message object m (from the API) is worded in the page's language. */
export function hasMsg(m) {
  return !!(m && typeof m === 'object' && typeof m.code === 'string' && typeof strings[`msg.${m.code}`] === 'string');
}

/**
 * A server message {code, params, text} in the page's language: the
 * string msg.<code> with {name} filled from params ({name:2}: a number with
 * two decimals; a parameter that is itself a message is worded the same
 * way); a part in [brackets] is left out when a parameter in it is null.
 * Without such a key, the server's English text. A plain string is
 * returned as it is.
 */
export function tmsg(m) {
  if (m === null || m === undefined) return '';
  if (typeof m !== 'object') return String(m);
  const template = typeof m.code === 'string' ? strings[`msg.${m.code}`] : undefined;
  if (typeof template !== 'string') return typeof m.text === 'string' ? m.text : '';
  const params = m.params || {};
  const fill = (part) => {
    let missing = false;
    const out = part.replace(/\{(\w+)(?::(\d+))?\}/g, (all, name, digits) => {
      const v = name in params ? messageParam(params[name], digits) : null;
      if (v === null) { missing = true; return ''; }
      return v;
    });
    return { out, missing };
  };
  const withOptional = template.replace(/\[([^\[\]]*)\]/g, (all, inner) => {
    const r = fill(inner);
    return r.missing ? '' : r.out;
  });
  return fill(withOptional).out;
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
