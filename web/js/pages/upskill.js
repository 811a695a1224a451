// upskill.js — which single skill, once learned, opens the most new safe
// and desirable moves: for one occupation (/occupations/{id}/upskill) or
// for an ISCO-08 group (/groups/{code}/upskill, with the destinations the
// group's occupations reach most: /groups/{code}/transitions).

import { h, append, replace, newId } from '../dom.js';
import { t, tp } from '../i18n.js';
import { get, occupationId } from '../api.js';
import { combobox } from '../combobox.js';
import {
  pageTitle, num, int, errorBox, loading, provenanceNote, exportButtons, occLink, skillLink, table, riskBadge, meter,
  text, msgText,
  sim,
} from '../ui.js';
import { chartFigure, shortLabel, axisName, COLOURS } from '../charts.js';
import { profileForm, loadProfile, defaultProfileSkills } from './profile-form.js';

function readOptions(q) {
  return {
    strict: q.get('strict') === '1',
    any: q.get('any') === '1',
    model: q.get('model') === 'frey-osborne' ? 'frey-osborne' : 'mcc',
  };
}

function optionsFieldset(o) {
  const ids = { strict: newId('u'), any: newId('u'), model: newId('u') };
  return h('fieldset', { class: 'filters' },
    h('legend', {}, t('up.options')),
    h('div', { class: 'check' }, h('input', { type: 'checkbox', id: ids.any, name: 'any', checked: o.any }),
      h('label', { for: ids.any }, t('up.any')), h('span', { class: 'hint block' }, t('up.any_hint'))),
    h('div', { class: 'check' }, h('input', { type: 'checkbox', id: ids.strict, name: 'strict', checked: o.strict }),
      h('label', { for: ids.strict }, t('up.strict'))),
    h('div', { class: 'field' }, h('label', { for: ids.model }, t('tr.f_model')),
      h('select', { id: ids.model, name: 'model' },
        h('option', { value: 'mcc', selected: o.model === 'mcc' }, t('model.mcc')),
        h('option', { value: 'frey-osborne', selected: o.model === 'frey-osborne' }, t('model.frey-osborne')))));
}

function formOptions(form) {
  const fd = new FormData(form);
  return {
    any: fd.get('any') ? '1' : null,
    strict: fd.get('strict') ? '1' : null,
    model: fd.get('model') === 'frey-osborne' ? 'frey-osborne' : null,
  };
}

/**
 * The skills as a chart when their counts differ; when the first ten all
 * open the same number of moves, bars of equal length would say nothing:
 * then a sentence says so, and what does differ (the move each skill opens)
 * is listed instead.
 */
function skillsChart(skills, any = false) {
  const top = skills.slice(0, 10).reverse();
  const values = new Set(top.map((s) => s.new_transitions));
  if (values.size === 1) return tiedSkills(skills);
  const narrow = window.matchMedia('(max-width: 600px)').matches;
  return chartFigure({
    caption: t('up.chart_caption'),
    description: t('up.chart_description', {
      list: skills.slice(0, 5).map((s) => `${s.label}: ${s.new_transitions}`).join('; '),
    }),
    height: Math.max(240, top.length * 34 + 64),
    option: () => ({
      aria: { enabled: false },
      grid: { left: 8, right: 24, top: 8, bottom: 36, containLabel: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: {
        type: 'value', min: 0, minInterval: 1, axisLabel: { color: '#1d232b' },
        ...axisName(t(any ? 'chart.up_axis_any' : 'chart.up_axis')),
      },
      yAxis: {
        type: 'category', data: top.map((s) => s.label),
        axisLabel: { color: '#1d232b', formatter: (v) => shortLabel(v, narrow ? 18 : 40) },
      },
      series: [{ type: 'bar', name: t('up.col_new'), data: top.map((s) => s.new_transitions), itemStyle: { color: COLOURS.accent } }],
    }),
  });
}

/** Skills that all open the same number of moves: the count once, then the skills grouped by the move they open. */
function tiedSkills(skills) {
  const n = skills[0].new_transitions;
  const all = skills.every((s) => s.new_transitions === n);
  const groups = new Map();
  for (const s of skills) {
    const key = s.example ? occupationId(s.example) : '';
    if (!groups.has(key)) groups.set(key, { example: s.example, skills: [] });
    groups.get(key).skills.push(s);
  }
  // with one new move each, the example is the move itself: group by it
  const byMove = all && n === 1 && [...groups.keys()].every(Boolean);
  return h('div', { class: 'panel up-tied', dataset: { tied: String(n) } },
    h('p', {}, all
      ? tp('chart.up_tied', skills.length, { count: int(n), k: int(skills.length) })
      : t('chart.up_tied_top', { count: int(n) })),
    byMove ? h('p', {}, t('chart.up_tied_moves')) : null,
    byMove ? h('ul', { class: 'up-groups' }, [...groups.values()].map((g) => h('li', {},
      occLink(g.example), ' (', tp('chart.up_skills', g.skills.length, { k: int(g.skills.length) }), '): ',
      g.skills.map((s, i) => [i ? ', ' : '', skillLink(s)])))) : null);
}

async function showUpskill(box, path, opts, ctx, isGroup, extra = {}) {
  replace(box, loading());
  let res;
  try {
    res = await get(path, { ...extra, limit: 20, any: opts.any, strict: opts.strict, model: opts.model === 'mcc' ? null : opts.model });
  } catch (err) {
    if (ctx.isCurrent()) replace(box, h('h2', { id: 'up-res-h' }, t('up.results')), errorBox(err));
    return null;
  }
  if (!ctx.isCurrent()) return null;
  const skills = res.skills || [];
  const isProfile = Boolean(res.about.skills);
  const about = isGroup ? `ISCO ${res.about.group}` : isProfile ? t('inf.up_about_profile') : res.about.occupation.label;
  replace(box,
    h('h2', { id: 'up-res-h' }, t('up.results')),
    h('p', { class: 'summary' }, isGroup
      ? t('up.summary_group', { group: res.about.group, occupations: tp('count.occupations', res.about.occupations), current: tp('count.moves', res.current_transitions), candidates: int(res.candidates_evaluated) })
      : t('up.summary_occ', { current: tp('count.moves', res.current_transitions), candidates: int(res.candidates_evaluated) })),
    isProfile ? h('p', { class: 'muted' }, res.about.judged_as
      ? t('inf.judged_as', { label: res.about.judged_as.label }) : t('inf.up_judged_none')) : null,
    h('p', { class: 'muted small' }, t('tr.filters_applied'), ' ', res.filters ? msgText(res.filters.message || res.filters.text) : ''),
    provenanceNote(res.provenance),
    skills.length ? skillsChart(skills, opts.any) : null,
    skills.length ? table(t('up.caption', { about }), [
      { key: 'rank', label: '#', num: true, render: (r) => String(r.rank) },
      { key: 'label', label: t('col.skill'), render: (r) => skillLink(r), rowHeader: false },
      { key: 'new_transitions', label: t('up.col_new'), num: true, render: (r) => int(r.new_transitions) },
      isGroup ? { key: 'origins', label: t('up.col_origins'), num: true, render: (r) => int(r.origins) } : null,
      { key: 'example', label: t('up.col_example'), render: (r) => (r.example ? occLink(r.example) : text(null)) },
    ].filter(Boolean), skills) : h('p', { class: 'empty' }, t('up.none')),
    skills.length ? exportButtons(`fow-upskill-${isGroup ? res.about.group : isProfile ? 'profile' : occupationId(res.about.occupation)}`, () => skills.map((s) => ({
      rank: s.rank, skill: s.label, uri: s.uri, new_transitions: s.new_transitions, origins: s.origins,
      example: s.example ? s.example.label : null,
    }))) : null);
  return res;
}

async function showGroupDestinations(box, code, opts, ctx) {
  replace(box, h('h2', { id: 'grp-h' }, t('up.group_dest_title')), loading());
  try {
    const res = await get(`/groups/${encodeURIComponent(code)}/transitions`, {
      limit: 20, safe: !opts.any, desirable: !opts.any, strict: opts.strict, model: opts.model === 'mcc' ? null : opts.model,
    });
    if (!ctx.isCurrent()) return;
    const rows = res.destinations || [];
    replace(box,
      h('h2', { id: 'grp-h' }, t('up.group_dest_title')),
      h('p', {}, t('up.group_dest_text', { group: code, occupations: tp('count.occupations', res.occupations), total: int(res.total) })),
      h('p', { class: 'muted small' }, t('tr.filters_applied'), ' ', res.filters ? msgText(res.filters.message || res.filters.text) : ''),
      rows.length ? table(t('up.group_dest_caption', { group: code }), [
        { key: 'rank', label: '#', num: true, render: (r) => String(r.rank) },
        { key: 'label', label: t('col.occupation'), render: (r) => occLink(r), rowHeader: false },
        { key: 'origins', label: t('up.col_reached_by'), num: true, render: (r) => int(r.origins) },
        { key: 'mean_similarity', label: t('up.col_mean_sim'), num: true, render: (r) => h('span', { class: 'with-meter' }, meter(r.mean_similarity), sim(r.mean_similarity)) },
        { key: 'risk_category_mcc', label: t('col.risk_mcc'), render: (r) => riskBadge(r.risk_category_mcc) },
        { key: 'in_group', label: t('up.col_in_group'), render: (r) => (r.in_group ? t('common.yes') : t('common.no')) },
      ], rows) : h('p', { class: 'empty' }, t('tr.none')),
      rows.length ? exportButtons(`fow-group-${code}-destinations`, () => rows) : null,
      provenanceNote(res.provenance));
  } catch (err) {
    if (ctx.isCurrent()) replace(box, h('h2', { id: 'grp-h' }, t('up.group_dest_title')), errorBox(err));
  }
}

/** The addresses of this page (main.js): #/path, with its menu entry. */
export const routes = [{ path: 'upskill', nav: 'upskill' }];

export async function render(main, ctx) {
  const q = ctx.query;
  const id = q.get('id');
  const group = q.get('group');
  const opts = readOptions(q);
  const as = q.get('as');
  const profileMode = !id && group === null && (q.has('skills') || q.has('as') || q.get('mode') === 'profile');
  const mode = profileMode ? 'profile' : group !== null && !id ? 'group' : 'occupation';
  ctx.setTitle(t('up.title'));
  /* the worker's profile: the occupation's skills and its probable ones until ticked otherwise */
  let profileDoc = null;
  let profileError = null;
  let profileSkills = (q.get('skills') || '').split(';').map((x) => x.trim()).filter(Boolean);
  if (mode === 'profile' && as) {
    try {
      profileDoc = await loadProfile(as);
    } catch (err) {
      profileError = err;
    }
    if (!ctx.isCurrent()) return;
    if (profileDoc && !q.has('skills')) profileSkills = defaultProfileSkills(profileDoc);
  }
  let profile = null;

  const form = h('form', { class: 'panel', novalidate: true });
  const modeName = newId('um');
  let chosen = id;
  const current = h('p', { class: 'muted', id: 'up-current' });
  const groupId = newId('grp');
  const groupHint = newId('grph');
  const groupInput = h('input', {
    id: groupId, name: 'group', type: 'text', class: 'short', inputmode: 'numeric', pattern: '[0-9]{1,4}', maxlength: '4',
    value: group || '', 'aria-describedby': groupHint, autocomplete: 'off',
  });
  const cb = combobox({
    id: 'up-origin', label: t('up.occupation_label'), kind: 'occupation', placeholder: t('tr.origin_placeholder'),
    onSelect: (hit) => { chosen = occupationId(hit); ctx.go('upskill', { id: chosen, ...formOptions(form) }); },
  });
  append(form,
    h('fieldset', { class: 'mode-switch' },
      h('legend', {}, t('up.for')),
      ['occupation', 'group', 'profile'].map((m) => {
        const rid = newId('r');
        return h('span', { class: 'radio' },
          h('input', {
            type: 'radio', name: modeName, id: rid, value: m, checked: mode === m,
            onchange: () => ctx.go('upskill', m === 'group' ? { group: group || '', ...formOptions(form) }
              : m === 'profile' ? { mode: 'profile', ...formOptions(form) } : { ...formOptions(form) }),
          }),
          h('label', { for: rid }, m === 'group' ? t('up.mode_group') : m === 'profile' ? t('inf.up_mode_profile') : t('up.mode_occupation')));
      })),
    mode === 'profile'
      ? (profile = profileForm({
        as, doc: profileDoc, error: profileError, skills: profileDoc && q.has('skills') ? profileSkills : null,
        onOccupation: (occ) => ctx.go('upskill', { ...formOptions(form), mode: 'profile', as: occ }),
      })).element
      : mode === 'occupation'
      ? h('div', {}, cb.element, current)
      : h('div', { class: 'field' },
        h('label', { for: groupId }, t('up.group_label')),
        h('span', { class: 'hint block', id: groupHint }, t('up.group_hint')),
        groupInput,
        h('span', { class: 'field-error', id: `${groupId}-err`, role: 'alert' })),
    optionsFieldset(opts),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button' }, t('up.submit'))));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (mode === 'profile') {
      const ticked = profile.ticked();
      const others = profileDoc ? profile.others(profileSkills) : profileSkills;
      const all = [...ticked, ...others];
      if (!all.length) { profile.focus(); return; }
      ctx.go('upskill', { as, skills: all.join(';'), ...formOptions(form) });
      return;
    }
    if (mode === 'group') {
      const v = groupInput.value.trim();
      if (!/^[0-9]{1,4}$/.test(v)) {
        form.querySelector(`#${groupId}-err`).textContent = t('up.group_invalid');
        groupInput.setAttribute('aria-invalid', 'true');
        groupInput.focus();
        return;
      }
      ctx.go('upskill', { group: v, ...formOptions(form) });
    } else {
      if (!chosen) { replace(current, h('span', { class: 'field-error' }, t('tr.origin_required'))); cb.focus(); return; }
      ctx.go('upskill', { id: chosen, ...formOptions(form) });
    }
  });

  const results = h('section', { class: 'section', 'aria-labelledby': 'up-res-h' });
  const groupBox = h('section', { class: 'section', 'aria-labelledby': 'grp-h' });
  append(main, pageTitle(t('up.title'), t('up.lead')), form, results, mode === 'group' && group ? groupBox : null);

  if (mode === 'profile' && profileSkills.length) {
    const skillsParam = profileSkills.join(';');
    const res = await showUpskill(results, '/upskill', opts, ctx, false, { skills: skillsParam, as });
    if (res && ctx.isCurrent()) {
      results.append(h('p', {}, h('a', { href: `#/skills?${new URLSearchParams(as ? { as, skills: skillsParam } : { skills: skillsParam }).toString()}` },
        t('inf.up_to_moves'))));
    }
  } else if (mode === 'profile') {
    append(results, h('h2', { id: 'up-res-h', class: 'visually-hidden' }, t('up.results')),
      h('p', { class: 'muted' }, t('inf.up_start_hint')));
  } else if (mode === 'occupation' && id) {
    current.textContent = t('tr.origin_loading');
    get(`/occupations/${encodeURIComponent(id)}`).then((d) => {
      if (ctx.isCurrent()) replace(current, t('tr.origin_current'), ' ', h('strong', {}, occLink(d)));
    }).catch(() => { if (ctx.isCurrent()) replace(current, t('tr.origin_unknown', { id })); });
    const res = await showUpskill(results, `/occupations/${encodeURIComponent(id)}/upskill`, opts, ctx, false);
    if (res && res.about && res.about.occupation) ctx.shortenAddress({ query: { id: occupationId(res.about.occupation) } });
  } else if (mode === 'group' && group) {
    await Promise.all([
      showUpskill(results, `/groups/${encodeURIComponent(group)}/upskill`, opts, ctx, true),
      showGroupDestinations(groupBox, group, opts, ctx),
    ]);
  } else {
    append(results, h('h2', { id: 'up-res-h', class: 'visually-hidden' }, t('up.results')),
      h('p', { class: 'muted' }, mode === 'group' ? t('up.start_hint_group') : t('up.start_hint')));
  }
}
