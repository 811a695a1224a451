// admin.js — imports through the API, for administrators. Each chosen file
// is uploaded as the raw body of POST /api/v1/imports/files?name=F (→
// {"upload": id}); then POST /api/v1/imports {"kind", "files", "lang",
// "model"} starts a job (→ {"job": id}) whose progress GET
// /api/v1/imports/{job} reports until it is done or failed. Every error
// the server gives is shown as it is, with the field it names.
//
// Employment tables (kind "employment", with area, year, skip_unknown and
// illustrative) may be imported by analysts as well as administrators:
// analysts see only that part of the page.

import { h, append, replace, newId, announce } from '../dom.js';
import { t, locale } from '../i18n.js';
import { get, post, upload } from '../api.js';
import { pageTitle, int, pct, text, errorBox, loading, table, roleName } from '../ui.js';
import { session, refreshSession } from '../session.js';

const KINDS = ['bundle', 'esco', 'risk', 'attributes', 'crosswalk', 'employment'];
const EMPLOYMENT_ONLY = ['employment'];
const MULTI = new Set(['bundle', 'esco']);
const NAME_RE = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,95}\.csv$/;

function when(seconds) {
  if (!seconds) return text(null);
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'short', timeStyle: 'medium' }).format(new Date(seconds * 1000));
}

function stateBadge(state) {
  const cls = state === 'done' ? 'badge-yes' : state === 'failed' ? 'badge-no' : 'badge-neutral';
  return h('span', { class: `badge ${cls}` }, t(`admin.state_${state}`).startsWith('[') ? state : t(`admin.state_${state}`));
}

function reportView(report) {
  if (!report) return null;
  const files = report.files || [];
  return h('div', { class: 'report' },
    h('p', {}, t('admin.report_dataset', { dataset: text(report.dataset), source: text(report.source), version: text(report.version) })),
    report.area ? h('p', {}, t('admin.report_area', { area: report.area })) : null,
    report.unchanged ? h('p', {}, t('admin.report_unchanged')) : null,
    report.replaced ? h('p', {}, t('admin.report_replaced')) : null,
    files.length ? table(t('admin.report_caption'), [
      { key: 'file', label: t('admin.col_file') },
      { key: 'read', label: t('admin.col_read'), num: true, render: (r) => int(r.read) },
      { key: 'imported', label: t('admin.col_imported'), num: true, render: (r) => int(r.imported) },
      { key: 'rejected', label: t('admin.col_rejected'), num: true, render: (r) => int(r.rejected) },
      { key: 'reasons', label: t('admin.col_reasons'), render: (r) => ((r.reasons || []).length
        ? h('ul', { class: 'plain', lang: 'en' }, r.reasons.map((x) => h('li', {}, `${x.reason} (${int(x.count)})`))) : '—') },
    ], files) : null,
    (report.notes || []).length ? h('div', {}, h('h4', {}, t('admin.notes')),
      h('ul', { lang: 'en' }, report.notes.map((n) => h('li', {}, n)))) : null);
}

function jobView(box, job, extra) {
  const unknownCodes = job.kind === 'employment' && job.state === 'failed' && /taxonomy|unknown/i.test(job.message || '');
  replace(box,
    h('p', {}, t('admin.job', { job: job.job, kind: job.kind }), ' ', stateBadge(job.state)),
    job.state === 'failed' ? null : h('div', { class: 'progress-row' },
      h('progress', { max: '1', value: String(job.progress ?? 0), 'aria-label': t('admin.progress') }),
      h('span', {}, pct(job.progress ?? 0))),
    job.stage ? h('p', { class: 'muted' }, t('admin.stage'), ' ', h('span', { lang: 'en' }, job.stage)) : null,
    job.state === 'failed'
      ? h('div', { class: 'error-box', role: 'alert' }, h('p', { class: 'error-title' }, t('admin.failed')), h('p', { lang: 'en', class: 'job-message' }, text(job.message)),
        unknownCodes ? h('p', {}, t('admin.unknown_codes_hint')) : null,
        h('p', { class: 'muted small' }, t('admin.failed_note')))
      : job.message ? h('p', {}, t('admin.message_label'), ' ', h('span', { lang: 'en' }, job.message)) : null,
    job.state === 'done' ? reportView(job.report) : null,
    job.state === 'done' && extra ? extra : null);
}

async function historyView(box) {
  replace(box, h('h2', { id: 'hist-h' }, t('admin.history')), loading());
  try {
    const res = await get('/imports');
    const jobs = res.imports || [];
    const uploads = res.uploads || [];
    replace(box,
      h('h2', { id: 'hist-h' }, t('admin.history')),
      jobs.length ? table(t('admin.history_caption'), [
        { key: 'job', label: t('admin.col_job') },
        { key: 'kind', label: t('admin.kind') , render: (r) => t(`admin.kind_${r.kind}`) },
        { key: 'state', label: t('admin.col_state'), render: (r) => stateBadge(r.state) },
        { key: 'by', label: t('admin.col_by'), render: (r) => text(r.by) },
        { key: 'started_at', label: t('admin.col_started'), render: (r) => when(r.started_at) },
        { key: 'finished_at', label: t('admin.col_finished'), render: (r) => when(r.finished_at) },
        { key: 'message', label: t('admin.message'), render: (r) => h('span', { lang: 'en' }, text(r.message)) },
      ], jobs) : h('p', { class: 'muted' }, t('admin.history_none')),
      uploads.length ? h('p', { class: 'muted' }, t('admin.waiting_uploads', { list: uploads.map((u) => u.name).join(', ') })) : null,
      h('button', { type: 'button', class: 'btn-small', onclick: () => historyView(box) }, t('admin.refresh')));
  } catch (err) {
    if (err && err.status === 403) { replace(box); box.hidden = true; return; }
    replace(box, h('h2', { id: 'hist-h' }, t('admin.history')), errorBox(err));
  }
}

function importForm(ctx, historyBox, kinds) {
  const ids = {
    kind: newId('k'), lang: newId('l'), model: newId('m'), files: newId('f'), filesHint: newId('fh'),
    area: newId('area'), areaHint: newId('ah'), year: newId('y'), yearHint: newId('yh'), skip: newId('skip'), illus: newId('ill'),
  };
  const wanted = ctx.query.get('kind');
  const kind = h('select', { id: ids.kind, name: 'kind' }, kinds.map((k) => h('option', { value: k, selected: k === wanted }, t(`admin.kind_${k}`))));
  const langInput = h('input', { id: ids.lang, name: 'lang', type: 'text', class: 'short', value: 'en', maxlength: '7', autocomplete: 'off', spellcheck: 'false' });
  const model = h('select', { id: ids.model, name: 'model' },
    h('option', { value: 'mcc' }, t('model.mcc')), h('option', { value: 'frey-osborne' }, t('model.frey-osborne')));
  const files = h('input', { id: ids.files, name: 'files', type: 'file', accept: '.csv,text/csv', multiple: true, 'aria-describedby': ids.filesHint });
  const filesHint = h('p', { class: 'hint', id: ids.filesHint });
  const langField = h('div', { class: 'field' }, h('label', { for: ids.lang }, t('admin.lang')), langInput, h('span', { class: 'hint block' }, t('admin.lang_hint')));
  const modelField = h('div', { class: 'field' }, h('label', { for: ids.model }, t('admin.model')), model);
  const areaInput = h('input', {
    id: ids.area, name: 'area', type: 'text', maxlength: '100', autocomplete: 'off', required: true,
    'aria-describedby': ids.areaHint, value: ctx.query.get('area') || '',
  });
  const yearInput = h('input', { id: ids.year, name: 'year', type: 'number', min: '1900', max: '2100', step: '1', inputmode: 'numeric', 'aria-describedby': ids.yearHint });
  const skipInput = h('input', { id: ids.skip, name: 'skip_unknown', type: 'checkbox' });
  const illusInput = h('input', { id: ids.illus, name: 'illustrative', type: 'checkbox' });
  const employmentFields = h('div', { class: 'employment-fields' },
    h('div', { class: 'field' }, h('label', { for: ids.area }, t('admin.area')), h('span', { class: 'hint block', id: ids.areaHint }, t('admin.area_hint')), areaInput),
    h('div', { class: 'field' }, h('label', { for: ids.year }, t('admin.year')), h('span', { class: 'hint block', id: ids.yearHint }, t('admin.year_hint')), yearInput),
    h('div', { class: 'check' }, skipInput, h('label', { for: ids.skip }, t('admin.skip_unknown')), h('span', { class: 'hint block' }, t('admin.skip_unknown_hint'))),
    h('div', { class: 'check' }, illusInput, h('label', { for: ids.illus }, t('admin.illustrative')), h('span', { class: 'hint block' }, t('admin.illustrative_hint'))));
  const errors = h('div', { class: 'form-errors' });
  const uploadsBox = h('ul', { class: 'uploads plain' });
  const jobBox = h('div', { class: 'job', 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'button' }, t('admin.submit'));

  const sync = () => {
    const k = kind.value;
    files.multiple = MULTI.has(k);
    filesHint.textContent = t(`admin.files_hint_${k}`);
    langField.hidden = !MULTI.has(k);
    modelField.hidden = k !== 'risk';
    employmentFields.hidden = k !== 'employment';
  };
  kind.addEventListener('change', sync);
  sync();

  const form = h('form', { class: 'panel import-form', novalidate: true },
    h('div', { class: 'field', hidden: kinds.length === 1 }, h('label', { for: ids.kind }, t('admin.kind')), kind),
    langField, modelField, employmentFields,
    h('div', { class: 'field' }, h('label', { for: ids.files }, t('admin.files')), filesHint, files),
    errors,
    h('div', { class: 'actions' }, submit),
    uploadsBox,
    jobBox);

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    replace(errors);
    replace(jobBox);
    const chosen = [...files.files];
    const k = kind.value;
    areaInput.removeAttribute('aria-invalid');
    yearInput.removeAttribute('aria-invalid');
    if (k === 'employment' && !areaInput.value.trim()) {
      areaInput.setAttribute('aria-invalid', 'true');
      replace(errors, h('p', { class: 'field-error', role: 'alert' }, t('admin.area_required')));
      areaInput.focus();
      return;
    }
    const year = yearInput.value.trim();
    if (k === 'employment' && year && !/^\d{4}$/.test(year)) {
      yearInput.setAttribute('aria-invalid', 'true');
      replace(errors, h('p', { class: 'field-error', role: 'alert' }, t('admin.year_invalid')));
      yearInput.focus();
      return;
    }
    if (!chosen.length) {
      replace(errors, h('p', { class: 'field-error', role: 'alert' }, t('admin.no_files')));
      files.focus();
      return;
    }
    if (!MULTI.has(k) && chosen.length !== 1) {
      replace(errors, h('p', { class: 'field-error', role: 'alert' }, t('admin.one_file')));
      files.focus();
      return;
    }
    const bad = chosen.filter((f) => !NAME_RE.test(f.name));
    if (bad.length) {
      replace(errors, h('p', { class: 'field-error', role: 'alert' }, t('admin.bad_names', { list: bad.map((f) => f.name).join(', ') })));
      files.focus();
      return;
    }
    submit.disabled = true;
    try {
      const ids2 = [];
      replace(uploadsBox);
      for (const f of chosen) {
        const bar = h('progress', { max: '1', value: '0', 'aria-label': t('admin.uploading', { name: f.name }) });
        const status = h('span', {}, t('admin.uploading', { name: f.name }));
        uploadsBox.appendChild(h('li', {}, status, bar));
        const res = await upload('/imports/files', { name: f.name }, f, (p) => { bar.value = p; });
        bar.value = 1;
        status.textContent = t('admin.uploaded', { name: f.name, size: int(res && res.bytes != null ? res.bytes : f.size) });
        ids2.push(res.upload);
      }
      const body = { kind: k, files: ids2 };
      if (MULTI.has(k) && langInput.value.trim()) body.lang = langInput.value.trim();
      if (k === 'risk') body.model = model.value;
      let extra = null;
      if (k === 'employment') {
        const area = areaInput.value.trim();
        body.area = area;
        if (year) body.year = Number(year);
        body.skip_unknown = skipInput.checked;
        body.illustrative = illusInput.checked;
        extra = h('p', {}, h('a', { class: 'button secondary', href: `#/observatory?area=${encodeURIComponent(area)}${year ? `&year=${year}` : ''}` },
          t('admin.see_observatory', { area })));
      }
      const started = await post('/imports', body);
      announce(t('admin.started', { job: started.job }));
      let job = { job: started.job, kind: k, state: 'queued', progress: 0, stage: 'queued', message: '' };
      jobView(jobBox, job, extra);
      while (job.state === 'queued' || job.state === 'running') {
        await new Promise((r) => setTimeout(r, 500));
        if (!form.isConnected) return;
        job = await get(`/imports/${encodeURIComponent(started.job)}`);
        jobView(jobBox, job, extra);
      }
      announce(job.state === 'done' ? t('admin.done_announce') : t('admin.failed'));
      historyView(historyBox);
    } catch (err) {
      replace(errors, errorBox(err));
      const box = errors.querySelector('.error-box');
      if (box) { box.tabIndex = -1; box.focus(); }
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

/** The addresses of this page (main.js): #/path, with its menu entry. */
export const routes = [{ path: 'admin', nav: 'admin' }];

export async function render(main, ctx) {
  let s = session();
  if (!s.checked) s = await refreshSession();
  if (!ctx.isCurrent()) return;
  const analyst = !!(s.user && s.user.role === 'analyst');
  ctx.setTitle(analyst ? t('admin.title_employment') : t('admin.title'));
  append(main, analyst ? pageTitle(t('admin.title_employment'), t('admin.lead_employment')) : pageTitle(t('admin.title'), t('admin.lead')));
  if (!s.available) {
    append(main, h('div', { class: 'error-box', role: 'alert' }, h('p', { class: 'error-title' }, t('admin.no_auth'))));
    return;
  }
  if (!s.user) {
    append(main, h('p', {}, t('admin.sign_in_first')), h('p', {}, h('a', { class: 'button', href: '#/login?next=admin' }, t('account.login'))));
    return;
  }
  if (s.user.role !== 'admin' && !analyst) {
    append(main, h('div', { class: 'warning', role: 'note' }, t('admin.not_admin', { role: roleName(s.user.role) })));
    return;
  }
  const historyBox = h('section', { class: 'section', 'aria-labelledby': 'hist-h' });
  append(main,
    h('section', { class: 'section', 'aria-labelledby': 'imp-h' },
      h('h2', { id: 'imp-h' }, analyst ? t('admin.import_employment_title') : t('admin.import_title')),
      h('p', {}, t('admin.import_text')),
      h('p', {}, t('admin.employment_text'), ' ', h('a', { href: '#/observatory' }, t('admin.observatory_link'))),
      importForm(ctx, historyBox, analyst ? EMPLOYMENT_ONLY : KINDS)),
    historyBox);
  historyView(historyBox);
}
