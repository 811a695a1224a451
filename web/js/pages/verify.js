// verify.js — the public verification of credentials (docs/credentials.md):
// #/verify checks a pasted or uploaded VC-JWT (POST /api/v1/credentials/verify),
// reads a QR code from an uploaded image or the camera (jsQR, installed by
// make web-deps) and opens the credential it points to; #/credential/ID shows
// one credential by its id (GET /api/v1/credentials/{id}), verified, with the
// QR code of its verification URL.

import { h, append, replace } from '../dom.js';
import { t, tp, tmsg, has, lang } from '../i18n.js';
import { get, post } from '../api.js';
import { pageTitle, num, errorBox, loading, dateTime, table } from '../ui.js';

/** The addresses of this page (main.js). */
export const routes = [{ path: 'verify' }, { path: 'credential/:id' }];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The id of a credential in a scanned text: its verification URL, urn:uuid:… or the uuid alone. */
export function credentialIdOf(text) {
  const m = String(text || '').trim().match(/(?:#\/credential\/|urn:uuid:|^)([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/);
  return m ? m[1] : null;
}

let jsqrLoading = null;
/** jsQR (web/node_modules/jsqr), loaded once when first needed. */
function loadJsQR() {
  if (window.jsQR) return Promise.resolve(window.jsQR);
  if (!jsqrLoading) {
    jsqrLoading = new Promise((resolve, reject) => {
      const s = document.createElement('script');
      s.src = 'node_modules/jsqr/dist/jsQR.js';
      s.onload = () => (window.jsQR ? resolve(window.jsQR) : reject(new Error(t('cred.qr_unavailable'))));
      s.onerror = () => { jsqrLoading = null; reject(new Error(t('cred.qr_unavailable'))); };
      document.head.appendChild(s);
    });
  }
  return jsqrLoading;
}

/** The text of the QR code in an image (a File or a video frame), or null. */
async function decodeQR(source, width, height) {
  const jsQR = await loadJsQR();
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const g = canvas.getContext('2d', { willReadFrequently: true });
  g.drawImage(source, 0, 0, width, height);
  const img = g.getImageData(0, 0, width, height);
  const code = jsQR(img.data, width, height);
  return code ? code.data : null;
}

async function decodeImageFile(file) {
  // a data: URL, which the content security policy allows for images (blob: it does not)
  const url = await new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(r.result);
    r.onerror = () => reject(new Error(t('cred.not_image')));
    r.readAsDataURL(file);
  });
  const img = await new Promise((resolve, reject) => {
    const i = new Image();
    i.onload = () => resolve(i);
    i.onerror = () => reject(new Error(t('cred.not_image')));
    i.src = url;
  });
  const scale = Math.min(1, 1600 / Math.max(img.naturalWidth, img.naturalHeight));
  return decodeQR(img, Math.round(img.naturalWidth * scale), Math.round(img.naturalHeight * scale));
}

/** Why a check passed or failed: the server's message object, worded in the page's language when its code
 * has a msg.<code> key, else its English text (marked as such). */
function checkDetail(r) {
  const m = r.message;
  if (!m) return '';
  const known = typeof m === 'object' && typeof m.code === 'string' && has(`msg.${m.code}`);
  return known ? h('span', { 'data-msg': m.code }, tmsg(m)) : h('span', { lang: 'en', 'data-server-detail': '' }, tmsg(m));
}

/** The verification result: a banner in the page's language, the achievement, the checks. */
export function verificationView(v, { revoked } = {}) {
  const c = v.credential || {};
  const a = c.achievement || {};
  const name = lang() === 'ro' && a.name_ro ? a.name_ro : a.name;
  const unchecked = (v.checks || []).some((k) => k.check === 'status' && k.outcome === 'unchecked');
  const failedCheck = (v.checks || []).find((k) => k.outcome === 'failed');
  const banner = v.valid
    ? h('div', { class: 'cred-banner cred-valid', role: 'status' },
      h('strong', {}, t('cred.valid')), ' ', unchecked ? t('cred.valid_unchecked') : t('cred.valid_text'))
    : h('div', { class: 'cred-banner cred-invalid', role: 'alert' },
      h('strong', {}, t('cred.invalid')), ' ',
      failedCheck ? t('cred.failed_check', { check: t(`cred.check_${failedCheck.check}`) }) : null,
      revoked ? [' ', t('cred.revoked')] : null);
  const skills = a.skills || [];
  return h('div', { class: 'cred-result' },
    banner,
    name ? h('section', { class: 'section', 'aria-labelledby': 'cred-a-h' },
      h('h2', { id: 'cred-a-h' }, h('span', { 'data-name': '' }, name)),
      h('dl', { class: 'cred-facts' },
        a.hours ? [h('dt', {}, t('cred.hours')), h('dd', {}, num(a.hours, 0))] : null,
        [h('dt', {}, t('cred.issuer')), h('dd', {}, h('span', { 'data-name': '' }, (c.issuer && (c.issuer.name || c.issuer.id)) || '—'))],
        [h('dt', {}, t('cred.subject')), h('dd', {}, h('code', {}, c.subject || '—'))],
        [h('dt', {}, t('cred.valid_from')), h('dd', {}, c.valid_from ? dateTime(c.valid_from) : '—')],
        [h('dt', {}, t('cred.valid_until')), h('dd', {}, c.valid_until ? dateTime(c.valid_until) : t('cred.no_end'))],
        [h('dt', {}, t('cred.id')), h('dd', {}, h('code', {}, c.id || '—'))]),
      h('h3', {}, tp('cred.skills', skills.length)),
      skills.length ? h('ul', { class: 'skill-list' }, skills.map((s) => h('li', {},
        s.uri ? h('a', { href: `#/skill/${encodeURIComponent(s.uri)}`, 'data-name': '' }, s.name) : h('span', { 'data-name': '' }, s.name))))
        : h('p', {}, t('cred.no_skills'))) : null,
    h('section', { class: 'section', 'aria-labelledby': 'cred-c-h' },
      h('h2', { id: 'cred-c-h' }, t('cred.checks_title')),
      h('p', { class: 'muted small' }, t('cred.checks_how')),
      table(t('cred.checks_caption'), [
        { key: 'check', label: t('cred.col_check'), render: (r) => t(`cred.check_${r.check}`) },
        { key: 'outcome', label: t('cred.col_outcome'), render: (r) => h('span', { class: `cred-outcome cred-${r.outcome}` }, t(`cred.outcome_${r.outcome}`)) },
        { key: 'message', label: t('cred.col_detail'), render: checkDetail },
      ], v.checks || [], { className: 'cred-checks' })));
}

async function renderVerify(main, ctx) {
  ctx.setTitle(t('cred.title'));
  const result = h('div', { id: 'cred-result', 'aria-live': 'polite' });
  const area = h('textarea', { id: 'cred-jwt', rows: 5, spellcheck: 'false', autocomplete: 'off', 'data-user-input': '', placeholder: 'eyJhbGciOiJFZERTQSIs…' });
  const file = h('input', { id: 'cred-file', type: 'file', accept: '.jwt,.txt,text/plain,image/*' });
  const status = h('p', { class: 'muted small', id: 'cred-status' });
  const video = h('video', { class: 'cred-video', playsinline: '', muted: '', hidden: '' });
  let stream = null;
  const stopCamera = () => {
    if (stream) stream.getTracks().forEach((tr) => tr.stop());
    stream = null;
    video.hidden = true;
  };

  const verifyText = async (jwt) => {
    replace(result, loading());
    try {
      const v = await post('/credentials/verify', { jwt });
      if (!ctx.isCurrent()) return;
      replace(result, verificationView(v));
    } catch (err) {
      replace(result, errorBox(err));
    }
  };
  const openScanned = (text) => {
    const id = credentialIdOf(text);
    if (id) ctx.go(`credential/${id}`);
    else if (/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test((text || '').trim())) verifyText(text.trim());
    else replace(status, t('cred.qr_not_credential'));
  };

  const form = h('form', { class: 'cred-form', onsubmit: (e) => { e.preventDefault(); verifyText(area.value); } },
    h('label', { for: 'cred-jwt' }, t('cred.paste_label')),
    area,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button primary' }, t('cred.verify'))));
  file.addEventListener('change', async () => {
    const f = file.files && file.files[0];
    if (!f) return;
    replace(status, '');
    try {
      if (f.type.startsWith('image/')) {
        replace(status, t('cred.reading_qr'));
        const text = await decodeImageFile(f);
        if (!text) replace(status, t('cred.qr_none'));
        else { replace(status, ''); openScanned(text); }
      } else {
        if (f.size > 70000) { replace(status, t('cred.too_large')); return; }
        const text = await f.text();
        area.value = text.trim();
        verifyText(area.value);
      }
    } catch (err) {
      replace(result, errorBox(err));
    }
  });
  const cameraButton = h('button', { type: 'button', class: 'button', id: 'cred-camera', onclick: async () => {
    if (stream) { stopCamera(); return; }
    try {
      await loadJsQR();
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
      video.srcObject = stream;
      video.hidden = false;
      await video.play();
      replace(status, t('cred.scanning'));
      const tick = async () => {
        if (!stream || !ctx.isCurrent()) { stopCamera(); return; }
        if (video.videoWidth) {
          const text = await decodeQR(video, video.videoWidth, video.videoHeight);
          if (text) { stopCamera(); replace(status, ''); openScanned(text); return; }
        }
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    } catch (err) {
      stopCamera();
      replace(status, t('cred.camera_failed'));
    }
  } }, t('cred.camera'));
  const hasCamera = !!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia);

  append(main,
    pageTitle(t('cred.title'), t('cred.lead')),
    h('section', { class: 'section', 'aria-labelledby': 'cred-in-h' },
      h('h2', { id: 'cred-in-h' }, t('cred.input_title')),
      form,
      h('div', { class: 'cred-upload' },
        h('label', { for: 'cred-file' }, t('cred.upload_label')), file,
        hasCamera ? cameraButton : null),
      video, status),
    result,
    h('section', { class: 'section', 'aria-labelledby': 'cred-how-h' },
      h('h2', { id: 'cred-how-h' }, t('cred.how_title')),
      h('p', {}, t('cred.how_text')),
      h('p', { class: 'small' }, h('a', { href: 'api/v1/credential-issuer' }, t('cred.issuer_profile')), ' · ',
        h('a', { href: '.well-known/jwks.json' }, t('cred.issuer_keys')))));
  return stopCamera;
}

async function renderCredential(main, ctx) {
  const id = ctx.params.id;
  ctx.setTitle(t('cred.one_title'));
  if (!UUID.test(id)) {
    append(main, pageTitle(t('cred.one_title')), h('p', { class: 'error' }, t('cred.bad_id')));
    return;
  }
  append(main, loading());
  let res;
  try {
    res = await get(`/credentials/${id}`);
  } catch (err) {
    if (!ctx.isCurrent()) return;
    replace(main, pageTitle(t('cred.one_title')), errorBox(err));
    return;
  }
  if (!ctx.isCurrent()) return;
  const c = res.credential || {};
  const title = lang() === 'ro' ? (c.module && c.module.title && c.module.title.ro) : (c.module && c.module.title && c.module.title.en);
  const download = () => {
    const blob = new Blob([`${res.jwt}\n`], { type: 'application/vc+jwt' });
    const a = h('a', { href: URL.createObjectURL(blob), download: `credential-${id}.jwt` });
    document.body.appendChild(a);
    a.click();
    setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 0);
  };
  replace(main,
    pageTitle(t('cred.one_title'), title ? h('span', { 'data-name': '' }, title) : null),
    verificationView(res.verification || {}, { revoked: c.status && c.status.revoked }),
    h('section', { class: 'section cred-share', 'aria-labelledby': 'cred-qr-h' },
      h('h2', { id: 'cred-qr-h' }, t('cred.share_title')),
      h('div', { class: 'cred-share-body' },
        h('img', { class: 'cred-qr', src: `api/v1/credentials/${id}/qr.svg`, width: 180, height: 180, alt: t('cred.qr_alt') }),
        h('div', {},
          h('p', {}, t('cred.share_text')),
          h('p', { class: 'small' }, h('code', { class: 'cred-url' }, c.verify_url || '')),
          h('div', { class: 'actions' },
            h('button', { type: 'button', class: 'button', onclick: download }, t('cred.download')),
            h('a', { class: 'button', href: '#/verify' }, t('cred.verify_another')))))));
}

export async function render(main, ctx) {
  if (ctx.route === 'credential/:id') return renderCredential(main, ctx);
  return renderVerify(main, ctx);
}
