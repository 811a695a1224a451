// admin.js — imports through the API, for administrators. The kinds of
// import, their options and which the user may start come from the server's
// importer registry (GET /api/v1/import-kinds); the form shows the fields of
// the chosen kind's options. Each chosen file is uploaded as the raw body of
// POST /api/v1/imports/files?name=F (→ {"upload": id}); then POST
// /api/v1/imports {"kind", "files", and the options} starts a job (→
// {"job": id}) whose progress GET /api/v1/imports/{job} reports until it is
// done or failed. Every error the server gives is shown as it is, with the
// field it names.
//
// Employment tables (kind "employment", with area, year, skip_unknown and
// illustrative) may be imported by analysts as well as administrators:
// analysts see only that part of the page.

import { h, append, replace, newId, announce } from '../dom.js';
import { t, has, locale } from '../i18n.js';
import { get, post, upload } from '../api.js';
import { pageTitle, int, pct, text, errorBox, loading, table, roleName, msgText } from '../ui.js';
import { session, refreshSession } from '../session.js';

// the options with a field of their own below; any other text option of the
// registry gets a plain text field under "details of the data set"
const OWN_FIELDS = new Set(['lang', 'model', 'area', 'year', 'skip_unknown', 'illustrative']);
const NAME_RE = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,95}\.csv$/;

function when(seconds) {
  if (!seconds) return text(null);
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'short', timeStyle: 'medium' }).format(new Date(seconds * 1000));
}

function stateBadge(state) {
  const cls = state === 'done' ? 'badge-yes' : state === 'failed' ? 'badge-no' : 'badge-neutral';
  return h('span', { class: `badge ${cls}` }, t(`admin.state_${state}`).startsWith('[') ? state : t(`admin.state_${state}`));
}

// The string for key, or fallback when the strings have none (a kind or an
// option the registry has and the strings do not yet).
function tOr(key, fallback) { return has(key) ? t(key) : fallback; }

function reportView(report, options) {
  if (!report) return null;
  const files = report.files || [];
  const area = options && options.area;
  return h('div', { class: 'report' },
    h('p', { 'data-name': '' }, t('admin.report_dataset', { dataset: text(report.dataset), source: text(report.source), version: text(report.version) })),
    area ? h('p', {}, t('admin.report_area', { area })) : null,
    report.unchanged ? h('p', {}, t('admin.report_unchanged')) : null,
    report.replaced ? h('p', {}, t('admin.report_replaced')) : null,
    files.length ? table(t('admin.report_caption'), [
      { key: 'file', label: t('admin.col_file') },
      { key: 'rows_read', label: t('admin.col_read'), num: true, render: (r) => int(r.rows_read) },
      { key: 'rows_imported', label: t('admin.col_imported'), num: true, render: (r) => int(r.rows_imported) },
      { key: 'rows_rejected', label: t('admin.col_rejected'), num: true, render: (r) => int(r.rows_rejected) },
      { key: 'rejected_because', label: t('admin.col_reasons'), render: (r) => ((r.rejected_because || []).length
        ? h('ul', { class: 'plain' }, r.rejected_because.map((x) => h('li', {}, msgText(x.reason_message || x.reason), ` (${int(x.rows)})`))) : '—') },
    ], files) : null,
    (report.notes || []).length ? h('div', {}, h('h4', {}, t('admin.notes')),
      h('ul', {}, report.notes.map((n, i) => h('li', {}, msgText((report.note_messages || [])[i] || n))))) : null);
}

function jobView(box, job, extra) {
  const unknownCodes = job.kind === 'employment' && job.state === 'failed' && /taxonomy|unknown/i.test(job.message || '');
  replace(box,
    h('p', {}, t('admin.job', { job: job.job, kind: tOr(`admin.kind_${job.kind}`, job.kind) }), ' ', stateBadge(job.state)),
    job.state === 'failed' ? null : h('div', { class: 'progress-row' },
      h('progress', { max: '1', value: String(job.progress ?? 0), 'aria-label': t('admin.progress') }),
      h('span', {}, pct(job.progress ?? 0))),
    job.stage ? h('p', { class: 'muted' }, t('admin.stage'), ' ', msgText(job.stage_message || job.stage)) : null,
    job.state === 'failed'
      ? h('div', { class: 'error-box', role: 'alert' }, h('p', { class: 'error-title' }, t('admin.failed')),
        job.result_message ? h('p', {}, msgText(job.result_message)) : null,
        h('p', { lang: 'en', class: 'job-message', 'data-server-detail': '' }, text(job.message)),
        unknownCodes ? h('p', {}, t('admin.unknown_codes_hint')) : null,
        h('p', { class: 'muted small' }, t('admin.failed_note')))
      : job.message ? h('p', {}, t('admin.message_label'), ' ', msgText(job.result_message || job.message)) : null,
    job.state === 'done' ? reportView(job.report, job.options) : null,
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
        { key: 'kind', label: t('admin.kind') , render: (r) => tOr(`admin.kind_${r.kind}`, r.kind) },
        { key: 'state', label: t('admin.col_state'), render: (r) => stateBadge(r.state) },
        { key: 'by', label: t('admin.col_by'), render: (r) => h('span', { 'data-name': '' }, text(r.by)) },
        { key: 'started_at', label: t('admin.col_started'), render: (r) => when(r.started_at) },
        { key: 'finished_at', label: t('admin.col_finished'), render: (r) => when(r.finished_at) },
        { key: 'message', label: t('admin.message'), render: (r) => msgText(r.result_message || r.message) },
      ], jobs) : h('p', { class: 'muted' }, t('admin.history_none')),
      uploads.length ? h('p', { class: 'muted' }, t('admin.waiting_uploads', { list: uploads.map((u) => u.name).join(', ') })) : null,
      h('button', { type: 'button', class: 'btn-small', onclick: () => historyView(box) }, t('admin.refresh')));
  } catch (err) {
    if (err && err.status === 403) { replace(box); box.hidden = true; return; }
    replace(box, h('h2', { id: 'hist-h' }, t('admin.history')), errorBox(err));
  }
}

// kinds: the entries of GET /api/v1/import-kinds the user may start.
function importForm(ctx, historyBox, kinds) {
  const ids = {
    kind: newId('k'), lang: newId('l'), model: newId('m'), files: newId('f'), filesHint: newId('fh'),
    area: newId('area'), areaHint: newId('ah'), year: newId('y'), yearHint: newId('yh'), skip: newId('skip'), illus: newId('ill'),
  };
  const byName = new Map(kinds.map((k) => [k.name, k]));
  const option = (k, name) => ((byName.get(k) || {}).options || []).find((o) => o.name === name);
  const folder = (k) => (byName.get(k) || {}).input === 'folder';
  const wanted = ctx.query.get('kind');
  const kind = h('select', { id: ids.kind, name: 'kind' },
    kinds.map((k) => h('option', { value: k.name, selected: k.name === wanted }, tOr(`admin.kind_${k.name}`, k.description))));
  const langInput = h('input', { id: ids.lang, name: 'lang', type: 'text', class: 'short', value: 'en', maxlength: '7', autocomplete: 'off', spellcheck: 'false' });
  const choices = [...new Set(kinds.flatMap((k) => (k.options || []).filter((o) => o.name === 'model').flatMap((o) => o.choices || [])))];
  const model = h('select', { id: ids.model, name: 'model' }, choices.map((c) => h('option', { value: c }, tOr(`model.${c}`, c))));
  // the other text options of the registry (the data set's name, version, ...)
  const otherNames = [...new Set(kinds.flatMap((k) => (k.options || []).filter((o) => !OWN_FIELDS.has(o.name) && o.type === 'text').map((o) => o.name)))];
  const otherInputs = new Map();
  // each field's label and hint, worded for an optional field or for one an upload must fill
  const otherWording = new Map();
  const otherFields = otherNames.map((name) => {
    const o = kinds.map((k) => option(k.name, name)).find(Boolean);
    const id = newId(`o-${name}`), hint = newId(`oh-${name}`);
    const input = h('input', { id, name, type: 'text', maxlength: String(o.max_length || 255), autocomplete: 'off', 'aria-describedby': hint });
    otherInputs.set(name, input);
    const labelEl = h('label', { for: id }, tOr(`admin.opt_${name}`, name));
    const hintEl = h('span', { class: 'hint block', id: hint, lang: has(`admin.opt_${name}_hint`) ? undefined : 'en' }, tOr(`admin.opt_${name}_hint`, o.description));
    otherWording.set(name, (required) => {
      labelEl.textContent = required ? `${tOr(`admin.opt_${name}`, name)} (${t('prov.required')})` : tOr(`admin.opt_${name}`, name);
      const key = required && has(`prov.hint_${name}_required`) ? `prov.hint_${name}_required` : `admin.opt_${name}_hint`;
      hintEl.textContent = tOr(key, o.description);
      if (has(key)) hintEl.removeAttribute('lang'); else hintEl.setAttribute('lang', 'en');
    });
    return h('div', { class: 'field', 'data-option': name }, labelEl, hintEl, input);
  });
  const details = otherFields.length ? h('details', { class: 'dataset-details' }, h('summary', {}, t('admin.details')), ...otherFields) : null;
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
  const areaField = h('div', { class: 'field' }, h('label', { for: ids.area }, t('admin.area')), h('span', { class: 'hint block', id: ids.areaHint }, t('admin.area_hint')), areaInput);
  const yearField = h('div', { class: 'field' }, h('label', { for: ids.year }, t('admin.year')), h('span', { class: 'hint block', id: ids.yearHint }, t('admin.year_hint')), yearInput);
  const skipField = h('div', { class: 'check' }, skipInput, h('label', { for: ids.skip }, t('admin.skip_unknown')), h('span', { class: 'hint block' }, t('admin.skip_unknown_hint')));
  const illusField = h('div', { class: 'check' }, illusInput, h('label', { for: ids.illus }, t('admin.illustrative')), h('span', { class: 'hint block' }, t('admin.illustrative_hint')));
  const employmentFields = h('div', { class: 'employment-fields' }, areaField, yearField, skipField, illusField);
  const errors = h('div', { class: 'form-errors' });
  const uploadsBox = h('ul', { class: 'uploads plain' });
  const jobBox = h('div', { class: 'job', 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'button' }, t('admin.submit'));

  // each field is shown when the chosen kind takes its option
  const sync = () => {
    const k = kind.value;
    files.multiple = folder(k);
    filesHint.textContent = tOr(`admin.files_hint_${k}`, (byName.get(k) || {}).description || '');
    langField.hidden = !option(k, 'lang');
    modelField.hidden = !option(k, 'model');
    areaField.hidden = !option(k, 'area');
    yearField.hidden = !option(k, 'year');
    skipField.hidden = !option(k, 'skip_unknown');
    illusField.hidden = !option(k, 'illustrative');
    employmentFields.hidden = [areaField, yearField, skipField, illusField].every((f) => f.hidden);
    for (const field of otherFields) field.hidden = !option(k, field.dataset.option);
    // an uploaded file cannot say where it comes from: the server asks for its
    // source, version and licence (required_for_upload), and so does the form
    let needed = false;
    for (const [name, input] of otherInputs) {
      const required = Boolean((option(k, name) || {}).required_for_upload);
      input.required = required;
      if (required) input.setAttribute('aria-required', 'true'); else input.removeAttribute('aria-required');
      otherWording.get(name)(required);
      needed = needed || required;
    }
    if (details) {
      if (needed) details.open = true;
      details.querySelector('summary').textContent = needed ? t('prov.details_required') : t('admin.details');
    }
  };
  kind.addEventListener('change', sync);
  sync();

  const form = h('form', { class: 'panel import-form', novalidate: true },
    h('div', { class: 'field', hidden: kinds.length === 1 }, h('label', { for: ids.kind }, t('admin.kind')), kind),
    langField, modelField, employmentFields,
    h('div', { class: 'field' }, h('label', { for: ids.files }, t('admin.files')), filesHint, files),
    details,
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
    if (option(k, 'area') && option(k, 'area').required && !areaInput.value.trim()) {
      areaInput.setAttribute('aria-invalid', 'true');
      replace(errors, h('p', { class: 'field-error', role: 'alert' }, t('admin.area_required')));
      areaInput.focus();
      return;
    }
    const year = yearInput.value.trim();
    if (option(k, 'year') && year && !/^\d{4}$/.test(year)) {
      yearInput.setAttribute('aria-invalid', 'true');
      replace(errors, h('p', { class: 'field-error', role: 'alert' }, t('admin.year_invalid')));
      yearInput.focus();
      return;
    }
    for (const [name, input] of otherInputs) {
      input.removeAttribute('aria-invalid');
      if (!input.required || input.value.trim()) continue;
      input.setAttribute('aria-invalid', 'true');
      replace(errors, h('p', { class: 'field-error', role: 'alert' }, t('prov.field_required', { field: tOr(`admin.opt_${name}`, name) })));
      input.focus();
      return;
    }
    if (!chosen.length) {
      replace(errors, h('p', { class: 'field-error', role: 'alert' }, t('admin.no_files')));
      files.focus();
      return;
    }
    if (!folder(k) && chosen.length !== 1) {
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
      // the options the chosen kind takes, from their fields
      const body = { kind: k, files: ids2 };
      if (option(k, 'lang') && langInput.value.trim()) body.lang = langInput.value.trim();
      if (option(k, 'model')) body.model = model.value;
      const area = areaInput.value.trim();
      if (option(k, 'area') && area) body.area = area;
      if (option(k, 'year') && year) body.year = Number(year);
      if (option(k, 'skip_unknown')) body.skip_unknown = skipInput.checked;
      if (option(k, 'illustrative')) body.illustrative = illusInput.checked;
      for (const [name, input] of otherInputs) if (option(k, name) && input.value.trim()) body[name] = input.value.trim();
      let extra = null;
      if (k === 'employment') { // the observatory shows what was imported
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
  let kinds;
  try {
    kinds = ((await get('/import-kinds')).kinds || []).filter((k) => k.allowed);
  } catch (err) {
    if (ctx.isCurrent()) append(main, errorBox(err));
    return;
  }
  if (!ctx.isCurrent()) return;
  const historyBox = h('section', { class: 'section', 'aria-labelledby': 'hist-h' });
  append(main,
    h('section', { class: 'section', 'aria-labelledby': 'imp-h' },
      h('h2', { id: 'imp-h' }, analyst ? t('admin.import_employment_title') : t('admin.import_title')),
      h('p', {}, t('admin.import_text')),
      h('p', {}, t('admin.employment_text'), ' ', h('a', { href: '#/observatory' }, t('admin.observatory_link'))),
      importForm(ctx, historyBox, kinds)),
    historyBox);
  historyView(historyBox);
}
