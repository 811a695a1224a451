// api.js — the JSON API of fow serve (/api/v1). Every failure becomes an
// ApiError carrying the server's own {"error":{"code","message","field"}},
// so pages can show what went wrong and where.

import { lang } from './i18n.js';

const BASE = 'api/v1';

// Labels of occupations and skills in the interface's language: the API adds
// label_local (the taxonomy's preferred label in ?lang=…, null when it has
// none). Where there is one, it becomes the label shown and the taxonomy's
// own label stays in label_source; otherwise the label stays as it is and
// label_untranslated is set.
function localise(value) {
  if (Array.isArray(value)) {
    for (const item of value) localise(item);
  } else if (value && typeof value === 'object') {
    if (typeof value.label_local === 'string' && value.label_local) {
      value.label_source = value.label;
      value.label = value.label_local;
    } else if ('label_local' in value && typeof value.label === 'string') {
      // the taxonomy has no label in this language: the label stays in the
      // taxonomy's own (ui.js marks it, and the browser test accepts it)
      value.label_untranslated = true;
    }
    if (typeof value.via_local === 'string' && value.via_local) value.via = value.via_local;
    for (const key of Object.keys(value)) if (key !== 'labels') localise(value[key]);
  }
  return value;
}

export class ApiError extends Error {
  constructor(status, code, message, field, msg) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field || null;
    // the server's message object {code, params, text} when it sent one (words the error in the page's language)
    this.msg = msg && typeof msg === 'object' ? msg : null;
  }
}

// the session's CSRF token (from login or /auth/me), sent on every request
// that changes state
let csrf = null;
export function setCsrf(token) { csrf = token || null; }
export function getCsrf() { return csrf; }

async function parse(res) {
  const type = res.headers.get('Content-Type') || '';
  let body = null;
  if (type.includes('json')) {
    try { body = await res.json(); } catch (_) { body = null; }
  }
  if (res.ok) return localise(body);
  const e = body && body.error;
  throw new ApiError(res.status, e ? e.code : `http-${res.status}`,
    e && e.message ? e.message : `HTTP ${res.status} ${res.statusText}`, e ? e.field : null, e ? (e.msg || e.refusal) : null);
}

/**
 * The absolute address of path?params (with ?lang=), e.g. for a CSV
 * download link. params: an object; null/undefined/''/false left out.
 */
export function apiUrl(path, params) {
  const url = new URL(`${BASE}${path}`, document.baseURI);
  url.searchParams.set('lang', lang());
  for (const [k, v] of Object.entries(params || {})) {
    if (v === null || v === undefined || v === '' || v === false) continue;
    url.searchParams.set(k, v === true ? '1' : String(v));
  }
  return url.href;
}

/** GET path?params → JSON. params: an object; null/undefined/'' values are left out. */
export async function get(path, params, { signal } = {}) {
  const url = new URL(`${BASE}${path}`, document.baseURI);
  url.searchParams.set('lang', lang());
  if (params) {
    for (const [k, v] of Object.entries(params)) {
      if (v === null || v === undefined || v === '' || v === false) continue;
      url.searchParams.set(k, v === true ? '1' : String(v));
    }
  }
  let res;
  try {
    res = await fetch(url, { signal, credentials: 'same-origin', headers: { Accept: 'application/json' } });
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    throw new ApiError(0, 'network', err.message || 'network error', null);
  }
  return parse(res);
}

/** POST a JSON body (or raw body with its type) → JSON. */
export async function post(path, body, { raw = false, type, signal, query } = {}) {
  const url = new URL(`${BASE}${path}`, document.baseURI);
  url.searchParams.set('lang', lang());
  if (query) for (const [k, v] of Object.entries(query)) url.searchParams.set(k, String(v));
  const headers = { Accept: 'application/json' };
  if (csrf) headers['X-CSRF-Token'] = csrf;
  headers['Content-Type'] = raw ? (type || 'application/octet-stream') : 'application/json';
  let res;
  try {
    res = await fetch(url, {
      method: 'POST', credentials: 'same-origin', headers, signal,
      body: raw ? body : JSON.stringify(body ?? {}),
    });
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    throw new ApiError(0, 'network', err.message || 'network error', null);
  }
  return parse(res);
}

/** PUT (or another method) a JSON body → JSON, with the CSRF token. */
async function sendJson(method, path, body) {
  const url = new URL(`${BASE}${path}`, document.baseURI);
  url.searchParams.set('lang', lang());
  const headers = { Accept: 'application/json' };
  if (csrf) headers['X-CSRF-Token'] = csrf;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(url, { method, credentials: 'same-origin', headers,
      body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (err) {
    throw new ApiError(0, 'network', err.message || 'network error', null);
  }
  return parse(res);
}

/** PUT a JSON body → JSON. */
export function put(path, body) { return sendJson('PUT', path, body); }

/** PATCH a JSON body (the fields that change) → JSON. */
export function patch(path, body) { return sendJson('PATCH', path, body); }

/** DELETE path → JSON. */
export function del(path) { return sendJson('DELETE', path, undefined); }

/**
 * Uploads file as the raw body of POST path?query, reporting progress
 * (0..1) to onProgress. fetch cannot report upload progress; XHR can.
 */
export function upload(path, query, file, onProgress) {
  return new Promise((resolve, reject) => {
    const url = new URL(`${BASE}${path}`, document.baseURI);
    for (const [k, v] of Object.entries(query || {})) url.searchParams.set(k, String(v));
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('Content-Type', file.type || 'text/csv');
    xhr.setRequestHeader('Accept', 'application/json');
    if (csrf) xhr.setRequestHeader('X-CSRF-Token', csrf);
    xhr.upload.onprogress = (ev) => { if (ev.lengthComputable && onProgress) onProgress(ev.loaded / ev.total); };
    xhr.onerror = () => reject(new ApiError(0, 'network', 'network error', null));
    xhr.onload = () => {
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch (_) { body = null; }
      if (xhr.status >= 200 && xhr.status < 300) { resolve(body); return; }
      const e = body && body.error;
      reject(new ApiError(xhr.status, e ? e.code : `http-${xhr.status}`,
        e && e.message ? e.message : `HTTP ${xhr.status}`, e ? e.field : null));
    };
    xhr.send(file);
  });
}

/**
 * The id an occupation is addressed by in URLs, short enough to share: its
 * code (ESCO code, e.g. 2654.1.7), else the last segment of its URI (after
 * the last '/' or ':'), else its label. The API resolves an occupation by
 * any of these and by its whole URI, so older links with whole URIs still work.
 */
export function occupationId(o) {
  if (!o) return '';
  if (o.code) return o.code;
  const uri = o.uri || '';
  const cut = Math.max(uri.lastIndexOf('/'), uri.lastIndexOf(':'));
  if (cut >= 0 && cut < uri.length - 1) return uri.slice(cut + 1);
  return uri || o.label || '';
}

/** The id of a skill for /skills/{id}: last URI segment, else the label. */
export function skillId(s) {
  if (!s) return '';
  const uri = s.uri || '';
  if (uri.includes('/')) return uri.slice(uri.lastIndexOf('/') + 1);
  return uri || s.label || '';
}
