// main.js — the shell of the web app: language, header (search, menu,
// account), and hash routing (#/path?query) to the pages in pages/.
// Each page is render(main, ctx) → optional cleanup; on a change of route
// or language the page is rendered anew and the focus moves to its title.

import { h, replace, announce } from './dom.js';
import { t, setLang, savedLang, lang, translateStatic } from './i18n.js';
import { combobox } from './combobox.js';
import { disposeCharts } from './charts.js';
import { occupationId, skillId } from './api.js';
import { session, refreshSession, onSessionChange, logout } from './session.js';
import { errorBox, roleName } from './ui.js';

import * as notFound from './pages/notfound.js';

// The pages register themselves: each module in pages/ that exports
// `routes` (a list of {path, nav}; `:name` segments of a path become
// ctx.params) is a page. `fow serve` lists the modules of pages/ at
// js/pages.json, so adding a page adds its file and nothing here.
let ROUTES = []; // [pattern, page, nav key]

/** Loads every page module named in js/pages.json and collects its routes. */
async function loadPages() {
  const res = await fetch('js/pages.json', { headers: { Accept: 'application/json' } });
  if (!res.ok) throw new Error(`js/pages.json: ${res.status}`);
  const { pages } = await res.json();
  const modules = await Promise.all(pages.map((name) => import(`./pages/${name}.js`)));
  const routes = [];
  modules.forEach((module, i) => {
    for (const r of module.routes || []) {
      if (routes.some(([path]) => path === r.path)) throw new Error(`two pages for #/${r.path} (one is pages/${pages[i]}.js)`);
      routes.push([r.path, module, r.nav || null]);
    }
  });
  // literal segments before :params, so that the order of the files does not matter
  const weight = (pattern) => pattern.split('/').map((p) => (p.startsWith(':') ? '1' : '0')).join('');
  routes.sort((x, y) => (weight(x[0]) < weight(y[0]) ? -1 : weight(x[0]) > weight(y[0]) ? 1 : 0));
  ROUTES = routes;
}

/** The current route: {path, segments, query: URLSearchParams}. */
export function parseHash(hash = location.hash) {
  let s = hash.replace(/^#\/?/, '');
  const q = s.indexOf('?');
  const query = new URLSearchParams(q >= 0 ? s.slice(q + 1) : '');
  if (q >= 0) s = s.slice(0, q);
  let path = s.replace(/\/+$/, '');
  if (path === 'main') path = ''; // the skip link's own target
  return { path, query };
}

function match(path) {
  const parts = path ? path.split('/') : [];
  for (const [pattern, page, nav] of ROUTES) {
    const pp = pattern ? pattern.split('/') : [];
    if (pp.length !== parts.length) continue;
    const params = {};
    let ok = true;
    pp.forEach((p, i) => {
      if (p.startsWith(':')) {
        try { params[p.slice(1)] = decodeURIComponent(parts[i]); } catch (_) { params[p.slice(1)] = parts[i]; }
      } else if (p !== parts[i]) ok = false;
    });
    if (ok) return { page, params, nav, name: pattern || 'home' };
  }
  return { page: notFound, params: {}, nav: null, name: 'notfound' };
}

/** Navigates to #/path with query (an object; empty values left out). */
export function go(path, query) {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query || {})) {
    if (v === null || v === undefined || v === '' || v === false) continue;
    qs.set(k, v === true ? '1' : String(v));
  }
  const s = qs.toString();
  const target = `#/${path}${s ? `?${s}` : ''}`;
  if (location.hash === target) render({ keepFocus: false });
  else location.hash = target;
}

/**
 * Rewrites the current address without rendering the page anew, for a page
 * that was reached by a long occupation id (a whole URI, an older link) and
 * now knows the short one: changes maps path segments and query keys to
 * their short values ({segments: {1: code}, query: {from: code}}). The
 * address shared from then on is the short one; nothing is added to the
 * history. Ignored when the page has moved on (render is no longer mine).
 */
function shortenAddress(mine, { segments = {}, query: q = {} } = {}) {
  if (mine !== renderCount) return;
  const { path, query } = parseHash();
  const parts = path ? path.split('/') : [];
  for (const [i, v] of Object.entries(segments)) if (parts[i] !== undefined && v) parts[i] = encodeURIComponent(v);
  for (const [k, v] of Object.entries(q)) if (query.has(k) && v) query.set(k, v);
  const s = query.toString();
  const target = `#/${parts.join('/')}${s ? `?${s}` : ''}`;
  if (target === location.hash) return;
  history.replaceState(history.state, '', target);
  document.getElementById('main').dataset.hash = location.hash;
}

let cleanup = null;
let renderCount = 0;
let lastRouteKey = null;

async function render({ keepFocus = false } = {}) {
  const main = document.getElementById('main');
  const { path, query } = parseHash();
  const route = match(path);
  const routeKey = `${route.name}|${path}|${query.toString()}`;
  renderCount += 1;
  const mine = renderCount;
  main.dataset.hash = location.hash; /* the address this render shows (tests wait for it) */
  main.dataset.asked = location.hash; /* the address asked for, before a page shortens it */
  if (cleanup) { try { cleanup(); } catch (_) { /* ignore */ } cleanup = null; }
  disposeCharts();
  for (const a of document.querySelectorAll('[data-nav]')) {
    if (a.dataset.nav === route.nav) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  closeMenu();
  main.setAttribute('aria-busy', 'true');
  main.dataset.page = route.name.split('/')[0];
  // an element the page asks to be focused (and scrolled to) instead of its title, e.g. the
  // voucher card an address names (ctx.focusOn, pages/vouchers-mine.js)
  let focusTarget = null;
  const ctx = {
    params: route.params, route: route.name, query, go, isCurrent: () => mine === renderCount,
    focusOn: (el) => { focusTarget = el; },
    setTitle: (s) => { document.title = s ? `${s} — fow` : t('shell.title'); },
    shortenAddress: (changes) => shortenAddress(mine, changes),
  };
  ctx.setTitle(null);
  try {
    const container = h('div', { class: 'page' });
    replace(main, container);
    cleanup = (await route.page.render(container, ctx)) || null;
  } catch (err) {
    if (mine !== renderCount) return;
    console.error(err);
    replace(main, h('div', { class: 'page' }, h('h1', { tabindex: '-1', id: 'page-title' }, t('error.title')), errorBox(err)));
  }
  if (mine !== renderCount) return;
  main.removeAttribute('aria-busy');
  const sameRoute = routeKey === lastRouteKey;
  // the address as it is now (a page may have shortened it, see shortenAddress)
  const now = parseHash();
  lastRouteKey = `${route.name}|${now.path}|${now.query.toString()}`;
  if (focusTarget && focusTarget.isConnected) {
    focusTarget.focus({ preventScroll: true });
    focusTarget.scrollIntoView({ block: 'start' });
  } else if (!keepFocus && !sameRoute && renderCount > 1) {
    const title = document.getElementById('page-title');
    if (title) title.focus({ preventScroll: true });
    window.scrollTo(0, 0);
    announce(document.title);
  }
}

/* ---- the header ---------------------------------------------------------- */

function closeMenu() {
  const btn = document.getElementById('nav-toggle');
  const nav = document.getElementById('site-nav');
  if (!btn || !nav) return;
  btn.setAttribute('aria-expanded', 'false');
  nav.classList.remove('open');
}

function setupMenu() {
  const btn = document.getElementById('nav-toggle');
  const nav = document.getElementById('site-nav');
  btn.addEventListener('click', () => {
    const open = btn.getAttribute('aria-expanded') !== 'true';
    btn.setAttribute('aria-expanded', open ? 'true' : 'false');
    nav.classList.toggle('open', open);
    if (open) nav.querySelector('a')?.focus();
  });
  nav.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape' && nav.classList.contains('open')) { closeMenu(); btn.focus(); }
  });
}

function renderHeaderSearch() {
  const box = document.getElementById('header-search');
  const cb = combobox({
    id: 'site-search',
    label: t('search.site_label'),
    hideLabel: false,
    placeholder: t('search.placeholder'),
    kind: 'any',
    clearOnSelect: true,
    onSelect: (hit) => {
      if (hit.kind === 'occupation') go(`occupation/${encodeURIComponent(occupationId(hit))}`);
      else go(`skill/${encodeURIComponent(skillId(hit))}`);
    },
    onEnter: (text) => go('search', { q: text }),
  });
  replace(box, h('div', { role: 'search', class: 'search-wrap' }, cb.element));
}

function renderLangSwitch() {
  const btn = document.getElementById('lang-switch');
  const other = lang() === 'ro' ? 'en' : 'ro';
  btn.textContent = other === 'en' ? 'English' : 'Română';
  btn.lang = other; // the name of a language in itself
  btn.dataset.name = '';
  btn.setAttribute('lang', other);
  btn.setAttribute('aria-label', other === 'en' ? 'Switch to English' : 'Schimbă în română');
  btn.dataset.lang = other;
}

function renderAccount() {
  const box = document.getElementById('account');
  const s = session();
  // analysts import employment tables only: the menu says so
  const adminLink = document.querySelector('[data-nav="admin"]');
  if (adminLink) adminLink.textContent = s.user && s.user.role === 'analyst' ? t('nav.import_employment') : t('nav.admin');
  // menu entries for some roles only (data-roles: the roles that see them; docs/roles.md)
  for (const item of document.querySelectorAll('[data-roles]')) {
    item.hidden = !(s.user && item.dataset.roles.split(' ').includes(s.user.role));
  }
  if (!s.checked || !s.available) { replace(box); return; }
  if (s.user) {
    replace(box,
      h('span', { class: 'who' }, t('account.signed_in_as', { name: s.user.name, role: roleName(s.user.role) })),
      h('button', {
        type: 'button', class: 'link-button', id: 'logout-button',
        onclick: async () => {
          try { await logout(); } catch (_) { /* the cookie is gone either way */ }
          announce(t('account.signed_out'));
          go('');
        },
      }, t('account.logout')));
  } else {
    replace(box, h('a', { href: '#/login', id: 'login-link' }, t('account.login')));
  }
}

function renderShell() {
  translateStatic();
  renderLangSwitch();
  renderHeaderSearch();
  renderAccount();
}

async function start() {
  await setLang(savedLang());
  renderShell();
  setupMenu();
  document.getElementById('lang-switch').addEventListener('click', async (ev) => {
    await setLang(ev.currentTarget.dataset.lang);
    renderShell();
    await render({ keepFocus: true });
    document.getElementById('lang-switch').focus();
    announce(t('shell.lang_changed'));
  });
  // the skip link: focus the main region without touching the route
  document.querySelector('.skip-link').addEventListener('click', (ev) => {
    ev.preventDefault();
    const main = document.getElementById('main');
    main.focus();
    main.scrollIntoView();
  });
  window.addEventListener('hashchange', () => render());
  onSessionChange(() => renderAccount());
  refreshSession();
  await loadPages();
  await render();
  document.documentElement.dataset.ready = '1';
}

start().catch((err) => {
  console.error(err);
  const main = document.getElementById('main');
  replace(main, h('p', { class: 'error-box', role: 'alert' }, `fow: ${err.message}`));
});
