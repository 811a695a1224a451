// session.js — who is signed in. The session itself is an HttpOnly cookie
// the page cannot read; /api/v1/auth/me says who it belongs to and gives
// the CSRF token that state-changing requests carry.

import { get, post, setCsrf, ApiError } from './api.js';

const listeners = new Set();
let state = { user: null, available: true, checked: false };

export function session() { return state; }

export function onSessionChange(fn) { listeners.add(fn); return () => listeners.delete(fn); }

function set(next) {
  state = { ...state, ...next, checked: true };
  for (const fn of listeners) fn(state);
}

/** Asks the server who we are: {user: null} when nobody is signed in (an answer,
 * not an error, so that an anonymous page load makes no failing request);
 * 404: this server has no accounts. */
export async function refreshSession() {
  try {
    const me = await get('/auth/me');
    setCsrf(me.csrf);
    set({ user: me.user, available: true });
  } catch (err) {
    setCsrf(null);
    if (err instanceof ApiError && (err.status === 404 || err.status === 405)) set({ user: null, available: false });
    else set({ user: null, available: true });
  }
  return state;
}

export async function login(name, password) {
  const res = await post('/auth/login', { name, password });
  setCsrf(res.csrf);
  set({ user: res.user, available: true });
  return res.user;
}

export async function logout() {
  try {
    await post('/auth/logout', {});
  } finally {
    setCsrf(null);
    set({ user: null });
  }
}
