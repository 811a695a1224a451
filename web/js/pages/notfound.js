import { h, append } from '../dom.js';
import { t } from '../i18n.js';
import { pageTitle } from '../ui.js';

export async function render(main, ctx) {
  ctx.setTitle(t('notfound.title'));
  append(main, pageTitle(t('notfound.title')),
    h('p', {}, t('notfound.text')),
    h('p', {}, h('a', { href: '#/' }, t('notfound.home'))));
}
