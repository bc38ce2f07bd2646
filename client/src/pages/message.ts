/** A page that only says something: not found, no access, and where to go instead. */
import { h, replace } from '../dom.js';
import { type Page, setTitle } from '../page.js';

export interface Message {
  title: string;
  text: string;
  links: { href: string; label: string }[];
}

export function messagePage(root: HTMLElement, message: Message): Page {
  setTitle(message.title);
  replace(
    root,
    h(
      'div',
      { class: 'page message' },
      h(
        'section',
        { class: 'panel message-panel', role: 'alert' },
        h('h1', null, message.title),
        h('p', null, message.text),
        h(
          'p',
          { class: 'button-row' },
          message.links.map((l, i) => h('a', { class: `btn ${i === 0 ? 'btn-primary' : ''}`, href: l.href }, l.label)),
        ),
      ),
    ),
  );
  return { dispose() {} };
}

export function missingPage(root: HTMLElement): Page {
  return messagePage(root, {
    title: 'Nothing here',
    text: 'This address does not lead to a page of Simul.',
    links: [{ href: '/', label: 'Go to the lobby' }],
  });
}
