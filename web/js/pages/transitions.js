// transitions.js — the transitions explorer: from an occupation (GET
// /occupations/{id}/transitions) or from a list of one's own skills (POST
// /transitions); filters safe / strictly safe / desirable / minimum
// similarity / risk model; a ranked list, a Sankey chart of origin →
// destinations, and for each move its skill gap, opened in place.

import { h, append, replace, newId, announce } from '../dom.js';
import { t, tp, tmsg, hasMsg } from '../i18n.js';
import { get, post, occupationId, skillId } from '../api.js';
import { combobox } from '../combobox.js';
import {
  pageTitle, num, int, pct, gbp, tri, errorBox, loading, provenanceNote, exportButtons, occLink, riskBadge, meter,
  modelName, text,
  sim,
} from '../ui.js';
import { chartFigure, shortLabel, axisName, COLOURS } from '../charts.js';
import { renderGap, gapQuery, gapHref } from './gap.js';
import { profileForm, loadProfile, defaultProfileSkills, profileSkillId, profileOccupationId } from './profile-form.js';

const LIMITS = [10, 20, 50];

/** The filters in the hash, with defaults. */
function readFilters(q) {
  const min = parseFloat(q.get('min'));
  const limit = parseInt(q.get('limit'), 10);
  return {
    safe: q.get('safe') === '1',
    strict: q.get('strict') === '1',
    desirable: q.get('desirable') === '1',
    min: Number.isFinite(min) && min >= 0 && min <= 1 ? min : null,
    model: q.get('model') === 'frey-osborne' ? 'frey-osborne' : 'mcc',
    rule: q.get('rule') === 'lower' ? 'lower' : 'margin',
    limit: LIMITS.includes(limit) ? limit : 20,
  };
}

function splitSkills(s) {
  return (s || '').split(/[;\n]/).map((x) => x.trim()).filter(Boolean);
}

/* ---- the form ----------------------------------------------------------- */

function filtersFieldset(f) {
  const ids = { safe: newId('f'), strict: newId('f'), desirable: newId('f'), min: newId('f'), model: newId('f'), limit: newId('f'), minHint: newId('f'), rule: newId('f'), ruleHint: newId('f') };
  const check = (name, id, label, hint) => h('div', { class: 'check' },
    h('input', { type: 'checkbox', id, name, checked: f[name] }),
    h('label', { for: id }, label),
    hint ? h('span', { class: 'hint block' }, hint) : null);
  return h('fieldset', { class: 'filters' },
    h('legend', {}, t('tr.filters')),
    check('safe', ids.safe, t('tr.f_safe'), t('tr.f_safe_hint')),
    check('strict', ids.strict, t('tr.f_strict'), t('tr.f_strict_hint')),
    check('desirable', ids.desirable, t('tr.f_desirable'), t('tr.f_desirable_hint')),
    h('div', { class: 'field' },
      h('label', { for: ids.min }, t('tr.f_min')),
      h('input', {
        type: 'number', id: ids.min, name: 'min', min: '0', max: '1', step: '0.05', inputmode: 'decimal',
        value: f.min === null ? '' : String(f.min), placeholder: num(0.3, 2, { min: 2 }), 'aria-describedby': ids.minHint,
      }),
      h('span', { class: 'hint block', id: ids.minHint }, t('tr.f_min_hint'))),
    h('div', { class: 'field' },
      h('label', { for: ids.model }, t('tr.f_model')),
      h('select', { id: ids.model, name: 'model' },
        h('option', { value: 'mcc', selected: f.model === 'mcc' }, t('model.mcc')),
        h('option', { value: 'frey-osborne', selected: f.model === 'frey-osborne' }, t('model.frey-osborne')))),
    // the rule's options are long sentences: the field takes two columns where there are two
    h('div', { class: 'field wide' },
      h('label', { for: ids.rule }, t('trx.f_rule')),
      h('select', { id: ids.rule, name: 'rule', 'aria-describedby': ids.ruleHint },
        h('option', { value: 'margin', selected: f.rule === 'margin' }, t('trx.rule_margin')),
        h('option', { value: 'lower', selected: f.rule === 'lower' }, t('trx.rule_lower'))),
      h('span', { class: 'hint block', id: ids.ruleHint }, t('trx.f_rule_hint'))),
    h('div', { class: 'field' },
      h('label', { for: ids.limit }, t('tr.f_limit')),
      h('select', { id: ids.limit, name: 'limit' }, LIMITS.map((n) => h('option', { value: String(n), selected: f.limit === n }, String(n))))));
}

function formFilters(form) {
  const fd = new FormData(form);
  const min = fd.get('min');
  return {
    safe: fd.get('safe') ? '1' : null,
    strict: fd.get('strict') ? '1' : null,
    desirable: fd.get('desirable') ? '1' : null,
    min: min !== null && min !== '' ? min : null,
    model: fd.get('model') === 'frey-osborne' ? 'frey-osborne' : null,
    rule: fd.get('rule') === 'lower' ? 'lower' : null,
    limit: fd.get('limit') && fd.get('limit') !== '20' ? fd.get('limit') : null,
  };
}

/* ---- one transition ------------------------------------------------------ */

function destinationRisk(tr, model) {
  if (model === 'frey-osborne') {
    return tr.risk_frey_osborne === null || tr.risk_frey_osborne === undefined ? text(null) : pct(tr.risk_frey_osborne);
  }
  return h('span', {}, tr.risk_mcc == null ? text(null) : t('chart.in_range', { v: num(tr.risk_mcc, 2), min: 1, max: 5 }), ' ', riskBadge(tr.risk_category_mcc));
}

/** The server's filters (its message transitions.filters), worded in the page's language. */
function filtersSentence(f) {
  const parts = [t('trx.filt_min', { v: sim(f.min_similarity) })];
  if (f.viable_only) parts.push(t('trx.filt_viable'));
  if (f.safe) parts.push(t(f.strict ? 'trx.filt_strict' : 'trx.filt_safe', { m: num(f.safe_margin, 2) }));
  if (f.desirable) parts.push(t('trx.filt_desirable'));
  parts.push(t('trx.filt_model', { model: modelName(f.model) }));
  return parts.join(', ');
}

/** The parts of the combined similarity: skills, work context, ISCO group. */
function similarityParts(p) {
  const part = (key, v) => (v === null || v === undefined ? null : t(key, { v: sim(v) }));
  return [part('trx.part_skills', p.skills), part('trx.part_context', p.context), part('trx.part_isco', p.isco)]
    .filter(Boolean).join(' · ');
}

/** When no move passes: the nearest safe and desirable moves with what they
 * lack, and the skill that opens the most doors (never an empty page). */
function whenNone(w, origin, model) {
  const nearest = w.nearest || [];
  const lacking = w.lacking || [];
  const skillName = (s) => s.label_local || s.label;
  return h('section', { class: 'when-none', 'aria-labelledby': 'tr-none-h' },
    h('h3', { id: 'tr-none-h' }, t('trx.none_title')),
    w.message ? h('p', { class: 'none-filters' }, tmsg(w.message)) : null,
    h('p', {}, t('trx.none_text')),
    w.route ? h('p', { class: 'route' }, tp('trx.route', w.route.new_transitions, {
      skill: skillName(w.route), example: w.route.example ? (w.route.example.label_local || w.route.example.label) : '',
    })) : h('p', { class: 'route' }, t('trx.no_route')),
    w.common_gap ? h('p', { class: 'route' }, tp('trx.common_gap', nearest.length, {
      skill: skillName(w.common_gap), n: int(w.common_gap.nearest_lacking), total: int(nearest.length),
    })) : null,
    nearest.length ? h('ol', { class: 'tr-list' }, nearest.map((tr, i) => {
      const card = transitionCard({ ...tr, rank: i + 1 }, origin, model);
      const lack = lacking[i] || [];
      if (lack.length) {
        card.insertBefore(h('div', { class: 'lacking' },
          h('p', { class: 'small' }, t('trx.lacks')),
          h('ul', {}, lack.map((s) => h('li', {}, skillName(s))))), card.querySelector('.gap-toggle'));
      }
      return card;
    })) : h('p', { class: 'empty' }, t('tr.none')));
}

function transitionCard(tr, origin, model) {
  const panelId = newId('gap');
  const headId = newId('tr');
  const panel = h('div', { id: panelId, class: 'gap-panel', hidden: true });
  let loaded = false;
  const button = h('button', { type: 'button', class: 'btn-small gap-toggle', 'aria-expanded': 'false', 'aria-controls': panelId },
    t('tr.show_gap'));
  button.addEventListener('click', async () => {
    const open = button.getAttribute('aria-expanded') !== 'true';
    button.setAttribute('aria-expanded', open ? 'true' : 'false');
    button.textContent = open ? t('tr.hide_gap') : t('tr.show_gap');
    panel.hidden = !open;
    if (!open || loaded) return;
    loaded = true;
    replace(panel, loading());
    try {
      const g = await get('/gap', gapQuery(origin, occupationId(tr)));
      replace(panel, renderGap(g, { headingLevel: 4, idPrefix: panelId }),
        h('p', {}, h('a', { href: gapHref(origin, occupationId(tr)) }, t('tr.gap_page'))));
      announce(t('tr.gap_loaded', { to: tr.label }));
    } catch (err) {
      loaded = false;
      replace(panel, errorBox(err));
    }
  });
  const earnings = tr.earnings_ratio === null || tr.earnings_ratio === undefined
    ? text(null) : t('tr.earnings_value', { ratio: pct(tr.earnings_ratio) });
  return h('li', { class: 'tr-card', 'aria-labelledby': headId, dataset: { id: occupationId(tr) } },
    h('div', { class: 'tr-head' },
      h('span', { class: 'rank', 'aria-hidden': 'true' }, String(tr.rank)),
      h('h3', { id: headId }, h('span', { class: 'visually-hidden' }, `${t('tr.rank', { n: tr.rank })} `), occLink(tr)),
      h('span', { class: 'muted small' }, `ISCO ${text(tr.code)}`)),
    h('ul', { class: 'badges' },
      h('li', {}, tr.highly_viable ? tri('yes', 'highly') : tri(tr.viable, 'viable')),
      h('li', {}, tri(tr.safe, 'safe')),
      tr.safe_strict === 'yes' ? h('li', {}, tri('yes', 'strict')) : null,
      h('li', {}, tri(tr.desirable, 'desirable'))),
    h('dl', { class: 'tr-facts' },
      h('div', {}, h('dt', {}, t('col.similarity')), h('dd', {}, h('span', { class: 'with-meter' }, meter(tr.similarity), sim(tr.similarity)))),
      h('div', {}, h('dt', {}, t('tr.risk_dest', { model: modelName(model) })), h('dd', {}, destinationRisk(tr, model))),
      h('div', {}, h('dt', {}, t('tr.earnings')), h('dd', {}, earnings, tr.annual_earnings_gbp != null ? h('span', { class: 'muted small block' }, gbp(tr.annual_earnings_gbp)) : null)),
      h('div', {}, h('dt', {}, t('tr.job_zone')), h('dd', {}, tr.job_zone == null ? text(null) : t('tr.job_zone_value', { zone: t('chart.in_range', { v: num(tr.job_zone, 1), min: 1, max: 5 }), diff: num(tr.job_zone_difference, 1, { fmt: { signDisplay: 'exceptZero' } }) }))),
      h('div', {}, h('dt', {}, t('tr.to_learn')), h('dd', {}, tp('tr.to_learn_value', tr.essential_total, { learn: int(tr.essential_missing) }))),
      tr.similarity_parts ? h('div', { class: 'tr-parts' }, h('dt', {}, t('trx.parts')), h('dd', {}, similarityParts(tr.similarity_parts))) : null),
    button,
    panel);
}

/* ---- the chart ------------------------------------------------------------ */

function sankey(originName, list, onPick) {
  const top = list.slice(0, 15);
  // one or two destinations make a Sankey a solid block: bars on the similarity scale say more
  if (top.length <= 2) return similarityBars(originName, top, onPick);
  const names = top.map((tr) => `${tr.rank}. ${tr.label}`);
  const narrow = window.matchMedia('(max-width: 600px)').matches;
  const originWidth = narrow ? 96 : 170;
  const description = tp('tr.chart_description', top.length, {
    origin: originName,
    list: top.slice(0, 5).map((tr) => `${tr.label} (${sim(tr.similarity)})`).join('; '),
  });
  return chartFigure({
    caption: t('tr.chart_caption'),
    description,
    height: Math.max(260, top.length * (narrow ? 30 : 34)),
    onClick: (p) => {
      if (p.dataType === 'node' && p.name !== originName) onPick(names.indexOf(p.name));
      else if (p.dataType === 'edge') onPick(names.indexOf(p.data.target));
    },
    option: () => ({
      aria: { enabled: false },
      tooltip: {
        trigger: 'item',
        formatter: (p) => (p.dataType === 'edge'
          ? `${p.data.source} → ${p.data.target}<br>${t('col.similarity')}: ${sim(p.data.value)}`
          : p.name),
      },
      series: [{
        type: 'sankey',
        left: originWidth + 8,
        right: narrow ? 150 : 320,
        top: 8,
        bottom: 8,
        nodeWidth: 14,
        nodeGap: 8,
        draggable: false,
        emphasis: { focus: 'adjacency' },
        label: {
          color: '#1d232b',
          fontSize: narrow ? 11 : 13,
          formatter: (p) => shortLabel(p.name, narrow ? 22 : 44),
        },
        data: [
          // the origin, named on its left
          {
            name: originName,
            itemStyle: { color: COLOURS.primary },
            label: {
              position: 'left', align: 'right', fontWeight: 'bold', width: originWidth, overflow: 'break', lineHeight: narrow ? 14 : 17,
              formatter: () => `${t('chart.from')}\n${originName}`,
            },
          },
          ...top.map((tr, i) => ({ name: names[i], itemStyle: { color: safetyColour(tr.safe) } })),
        ],
        links: top.map((tr, i) => ({ source: originName, target: names[i], value: Math.max(0.001, tr.similarity) })),
        lineStyle: { color: 'target', opacity: 0.35, curveness: 0.5 },
      }],
    }),
  });
}

function safetyColour(s) {
  return s === 'yes' ? COLOURS.yes : s === 'no' ? COLOURS.no : COLOURS.unknown;
}

/** One or two moves: their similarity to the origin as bars on the whole 0–1 scale, the axis named. */
function similarityBars(originName, top, onPick) {
  const narrow = window.matchMedia('(max-width: 600px)').matches;
  return chartFigure({
    caption: t('chart.sim_bars_caption', { origin: originName }),
    description: t('chart.sim_bars_description', {
      origin: originName, n: top.length, list: top.map((tr) => `${tr.label} (${sim(tr.similarity)})`).join('; '),
    }),
    height: 90 + top.length * 44,
    compact: true,
    onClick: (p) => { if (p.componentType === 'series') onPick(p.dataIndex); },
    option: () => ({
      aria: { enabled: false },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => sim(v) },
      grid: { left: 8, right: 48, top: 8, bottom: 40, containLabel: true },
      xAxis: {
        type: 'value', min: 0, max: 1, interval: 0.25,
        axisLabel: { color: '#1d232b', formatter: (v) => sim(v) },
        ...axisName(t('chart.sim_axis', { origin: shortLabel(originName, narrow ? 20 : 48) })),
      },
      yAxis: {
        type: 'category', inverse: true, data: top.map((tr) => `${tr.rank}. ${tr.label}`),
        axisLabel: { color: '#1d232b', formatter: (v) => shortLabel(v, narrow ? 18 : 40) },
      },
      series: [{
        type: 'bar', name: t('col.similarity'), barMaxWidth: 26,
        label: { show: true, position: 'right', color: '#1d232b', formatter: (p) => sim(p.value) },
        data: top.map((tr) => ({ value: tr.similarity, itemStyle: { color: safetyColour(tr.safe) } })),
      }],
    }),
  });
}

/* ---- results ------------------------------------------------------------- */

function originBox(res, mode, onReplace, asGiven, upskillHref) {
  const o = res.origin;
  if (mode === 'occupation') {
    return h('div', { class: 'origin-box' },
      h('p', {}, t('tr.origin_is'), ' ', h('strong', {}, occLink(o))),
      h('p', {}, h('a', { href: `#/skills?as=${encodeURIComponent(profileOccupationId(o))}` }, t('inf.tick_from_occupation'))),
      h('p', { class: 'muted' }, t('tr.origin_facts', {
        risk: o.risk_mcc == null ? t('common.unknown') : t('chart.in_range', { v: num(o.risk_mcc, 2), min: 1, max: 5 }),
        fo: o.risk_frey_osborne == null ? t('common.unknown') : pct(o.risk_frey_osborne),
        earnings: gbp(o.annual_earnings_gbp), zone: o.job_zone == null ? t('common.unknown') : t('chart.in_range', { v: num(o.job_zone, 1), min: 1, max: 5 }),
      })));
  }
  const rec = (res.skills && res.skills.recognised) || [];
  const unres = (res.skills && res.skills.unresolved) || [];
  return h('div', { class: 'origin-box' },
    h('p', {}, t('tr.skills_recognised', { n: int(rec.length) })),
    h('ul', { class: 'inline-list' }, rec.map((s) => h('li', {}, h('a', { href: `#/skill/${encodeURIComponent(skillId(s))}` }, s.label)))),
    unres.length ? h('div', { class: 'warning', role: 'note' },
      h('p', {}, tp('tr.skills_unresolved', unres.length)),
      h('ul', {}, unres.map((u) => h('li', {}, h('q', { 'data-user-input': '' }, u.input), ' — ',
        u.close_matches && u.close_matches.length
          ? [t('tr.close_matches'), ' ', u.close_matches.map((m, i) => [i ? '; ' : '', h('button', {
            type: 'button', class: 'match-button', 'aria-label': t('tr.use_match', { match: m, input: u.input }),
            onclick: () => onReplace(u.input, m),
          }, m)])]
          : t('tr.no_close_matches'))))) : null,
    (res.best_fits || []).length ? h('div', {},
      h('h3', {}, t('tr.best_fits')),
      h('ol', {}, res.best_fits.map((b) => h('li', {}, occLink(b.occupation), ` · ${t('col.similarity')} ${sim(b.similarity)}`)))) : null,
    o ? h('p', { class: 'muted' }, t(asGiven ? 'inf.judged_as' : 'tr.judged_as', { label: o.label }))
      : h('p', { class: 'muted' }, t('tr.judged_none')),
    upskillHref ? h('p', {}, h('a', { href: upskillHref }, t('inf.to_upskill'))) : null);
}

async function showResults(box, state, ctx) {
  const { mode, from, skills, f } = state;
  replace(box, loading());
  box.setAttribute('aria-busy', 'true');
  const fetchPage = (offset) => {
    if (mode === 'occupation') {
      return get(`/occupations/${encodeURIComponent(from)}/transitions`, {
        safe: f.safe, strict: f.strict, desirable: f.desirable, min_similarity: f.min, model: f.model === 'mcc' ? null : f.model,
        safe_rule: f.rule === 'lower' ? 'lower' : null, limit: f.limit, offset,
      });
    }
    const body = { skills, limit: f.limit, offset, model: f.model };
    if (state.as) body.as = state.as;
    if (f.safe) body.safe = true;
    if (f.strict) body.strict = true;
    if (f.desirable) body.desirable = true;
    if (f.min !== null) body.min_similarity = f.min;
    if (f.rule === 'lower') body.safe_rule = 'lower';
    return post('/transitions', body);
  };
  let res;
  try {
    res = await fetchPage(0);
  } catch (err) {
    if (!ctx.isCurrent()) return;
    box.removeAttribute('aria-busy');
    replace(box, errorBox(err));
    return;
  }
  if (!ctx.isCurrent()) return;
  box.removeAttribute('aria-busy');
  const all = [...(res.transitions || [])];
  // the short id of the origin in the address and in the links to gaps (an older link may give a whole URI)
  if (mode === 'occupation' && res.origin && occupationId(res.origin) !== from) ctx.shortenAddress({ query: { from: occupationId(res.origin) } });
  const origin = mode === 'occupation' ? { from: res.origin ? occupationId(res.origin) : from } : {
    skills: ((res.skills && res.skills.recognised) || []).map(profileSkillId),
    as: state.as || null,
  };
  const originName = mode === 'occupation' ? res.origin.label : t('tr.your_skills');
  const list = h('ol', { class: 'tr-list', 'aria-labelledby': 'tr-results-h' });
  const cards = [];
  const addCards = (items) => {
    for (const tr of items) {
      const c = transitionCard(tr, origin, f.model);
      cards.push(c);
      list.appendChild(c);
    }
  };
  addCards(all);
  const pick = (i) => {
    const c = cards[i];
    if (!c) return;
    const btn = c.querySelector('.gap-toggle');
    if (btn.getAttribute('aria-expanded') !== 'true') btn.click();
    c.scrollIntoView({ behavior: 'smooth', block: 'start' });
    btn.focus({ preventScroll: true });
  };
  const summary = h('p', { class: 'summary', id: 'tr-summary' }, tp('tr.summary', res.total, { shown: int(all.length) }));
  let more = null;
  let next = res.next_offset;
  const updateMore = () => {
    summary.textContent = tp('tr.summary', res.total, { shown: int(all.length) });
    if (more) more.hidden = next === null || next === undefined;
  };
  more = h('button', {
    type: 'button', class: 'button secondary',
    onclick: async () => {
      more.disabled = true;
      try {
        const page = await fetchPage(next);
        const items = page.transitions || [];
        all.push(...items);
        const firstNew = cards.length;
        addCards(items);
        next = page.next_offset;
        updateMore();
        announce(tp('tr.loaded_more', items.length));
        const link = cards[firstNew] && cards[firstNew].querySelector('h3 a');
        if (link) link.focus();
      } catch (err) {
        more.after(errorBox(err));
      } finally {
        more.disabled = false;
      }
    },
  }, t('tr.more'));
  updateMore();
  const filtersText = res.filters ? (hasMsg(res.filters.message) ? tmsg(res.filters.message) : filtersSentence(res.filters)) : '';
  replace(box,
    h('h2', { id: 'tr-results-h' }, t('tr.results')),
    originBox(res, mode, (input, match) => {
      const list = state.skills.map((s) => (s === input ? match : s));
      ctx.go('skills', { ...state.hashFilters, as: state.as, skills: list.join(';') });
    }, Boolean(state.as), mode === 'skills'
      ? `#/upskill?${new URLSearchParams(state.as ? { as: state.as, skills: state.skills.join(';') } : { skills: state.skills.join(';') }).toString()}`
      : null),
    summary,
    h('p', { class: 'muted small' }, t('tr.filters_applied'), ' ', filtersText),
    provenanceNote(res.provenance),
    all.length ? sankey(originName, all, pick) : null,
    all.length ? list : (res.when_none ? whenNone(res.when_none, origin, f.model) : h('p', { class: 'empty' }, t('tr.none'))),
    more,
    all.length ? exportButtons(`fow-transitions-${mode === 'occupation' ? from : 'skills'}`, () => all.map((tr) => ({
      origin: originName, ...tr,
    }))) : null);
  announce(summary.textContent);
}

/* ---- the page ------------------------------------------------------------ */

/** The addresses of this page (main.js): #/path, with its menu entry. */
export const routes = [{ path: 'transitions', nav: 'transitions' }, { path: 'skills', nav: 'skills' }];

export async function render(main, ctx) {
  const q = ctx.query;
  const mode = (q.has('skills') || ctx.route === 'skills') && !q.has('from')
    ? 'skills' : 'occupation';
  const f = readFilters(q);
  const from = q.get('from');
  const as = mode === 'skills' ? q.get('as') : null;
  let skills = splitSkills(q.get('skills'));
  let profileDoc = null;
  let profileError = null;
  if (as) {
    try {
      profileDoc = await loadProfile(as);
    } catch (err) {
      profileError = err;
    }
    if (!ctx.isCurrent()) return;
    /* the occupation's skills and its probable ones, until the counsellor ticks otherwise */
    if (profileDoc && !q.has('skills')) skills = defaultProfileSkills(profileDoc);
  }
  ctx.setTitle(mode === 'skills' ? t('tr.title_skills') : t('tr.title'));

  const form = h('form', { class: 'panel tr-form', novalidate: true });
  const results = h('section', { class: 'section results', 'aria-labelledby': 'tr-results-h', 'aria-live': 'off' });
  const modeName = newId('mode');
  const modeSwitch = h('fieldset', { class: 'mode-switch' },
    h('legend', {}, t('tr.start_from')),
    ['occupation', 'skills'].map((m) => {
      const id = newId('m');
      return h('span', { class: 'radio' },
        h('input', {
          type: 'radio', name: modeName, id, value: m, checked: mode === m,
          onchange: () => {
            const filters = formFilters(form);
            ctx.go(m === 'skills' ? 'skills' : 'transitions', filters);
          },
        }),
        h('label', { for: id }, m === 'skills' ? t('tr.mode_skills') : t('tr.mode_occupation')));
    }));

  let originPart;
  let chosen = from;
  let skillList = [...skills];
  let profile = null;
  if (mode === 'occupation') {
    const current = h('p', { class: 'muted', id: 'origin-current' }, from ? t('tr.origin_loading') : t('tr.origin_none'));
    const cb = combobox({
      id: 'origin-search', label: t('tr.origin_label'), hint: t('tr.origin_hint'), kind: 'occupation',
      placeholder: t('tr.origin_placeholder'),
      onSelect: (hit) => {
        chosen = occupationId(hit);
        ctx.go('transitions', { from: chosen, ...formFilters(form) });
      },
    });
    originPart = h('div', {}, cb.element, current);
    if (from) {
      get(`/occupations/${encodeURIComponent(from)}`).then((d) => {
        if (ctx.isCurrent()) replace(current, t('tr.origin_current'), ' ', h('strong', {}, occLink(d)));
      }).catch(() => { if (ctx.isCurrent()) replace(current, t('tr.origin_unknown', { id: from })); });
    }
  } else {
    profile = profileForm({
      as, doc: profileDoc, error: profileError, skills: profileDoc && q.has('skills') ? skills : null,
      onOccupation: (id) => ctx.go('skills', { ...formFilters(form), as: id }),
    });
    if (profileDoc) skillList = profile.others(skills);
    const chips = h('ul', { class: 'chips', 'aria-label': t('tr.skills_list') });
    const countText = h('p', { class: 'muted small', 'aria-live': 'polite' });
    const drawChips = () => {
      replace(chips, skillList.map((s, i) => h('li', { class: 'chip' },
        h('span', { 'data-user-input': '' }, s),
        h('button', {
          type: 'button', class: 'chip-remove', 'aria-label': t('tr.remove_skill', { skill: s }),
          onclick: () => {
            skillList.splice(i, 1);
            drawChips();
            announce(t('tr.skill_removed', { skill: s }));
            const rest = chips.querySelectorAll('.chip-remove');
            if (rest.length) rest[Math.min(i, rest.length - 1)].focus();
            else cb.focus();
          },
        }, '×'))));
      countText.textContent = skillList.length ? tp('tr.skills_count', skillList.length)
        : profileDoc ? '' : t('tr.skills_empty');
    };
    const addSkill = (label) => {
      const v = label.trim();
      if (!v || skillList.some((s) => s.toLowerCase() === v.toLowerCase())) return;
      skillList.push(v);
      drawChips();
      announce(t('tr.skill_added', { skill: v }));
    };
    const cb = combobox({
      id: 'skill-search', label: t('tr.skill_label'), hint: t('tr.skill_hint'), kind: 'skill', clearOnSelect: true,
      placeholder: t('tr.skill_placeholder'),
      onSelect: (hit) => addSkill(hit.label),
      onEnter: (text) => { addSkill(text); cb.setValue(''); },
    });
    const pasteId = newId('paste');
    const paste = h('textarea', { id: pasteId, rows: '3', class: 'paste' });
    originPart = h('div', {},
      profile.element,
      cb.element,
      h('h3', { class: 'small-h' }, profileDoc ? t('inf.other_skills') : t('tr.your_list')),
      chips, countText,
      h('details', { class: 'paste-box' },
        h('summary', {}, t('tr.paste_summary')),
        h('label', { for: pasteId }, t('tr.paste_label')),
        paste,
        h('button', {
          type: 'button', class: 'btn-small',
          onclick: () => { splitSkills(paste.value).forEach(addSkill); paste.value = ''; },
        }, t('tr.paste_add'))));
    drawChips();
  }

  append(form,
    modeSwitch,
    originPart,
    filtersFieldset(f),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button' }, mode === 'skills' ? t('tr.submit_skills') : t('tr.submit'))));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const filters = formFilters(form);
    if (mode === 'occupation') {
      if (!chosen) {
        const input = form.querySelector('#origin-search');
        replace(form.querySelector('#origin-current'), h('span', { class: 'field-error' }, t('tr.origin_required')));
        input.focus();
        return;
      }
      ctx.go('transitions', { from: chosen, ...filters });
    } else {
      const all = [...(profile ? profile.ticked() : []), ...skillList];
      if (!all.length) {
        form.querySelector('#skill-search').focus();
        announce(t('tr.skills_empty'));
        return;
      }
      /* profile.ticked() may be empty while the occupation stays: keep `skills` present */
      ctx.go('skills', { as, skills: all.join(';'), ...filters });
    }
  });

  append(main,
    pageTitle(mode === 'skills' ? t('tr.title_skills') : t('tr.title'), mode === 'skills' ? t('tr.lead_skills') : t('tr.lead')),
    form,
    results);

  const hashFilters = formFilters(form);
  if (mode === 'occupation' && from) await showResults(results, { mode, from, f, hashFilters }, ctx);
  else if (mode === 'skills' && skills.length) await showResults(results, { mode, skills, as, f, hashFilters }, ctx);
  else append(results, h('h2', { id: 'tr-results-h', class: 'visually-hidden' }, t('tr.results')), h('p', { class: 'muted' }, mode === 'skills' ? t('tr.start_hint_skills') : t('tr.start_hint')));
}
