/**
 * The host's description: plain text, its web addresses made links. Every part becomes a text node
 * or an anchor made by the view, never markup: whatever the host typed is shown as typed.
 */
import { h, type VNode } from '../vdom.js';

export type DescriptionPart = { text: string } | { text: string; href: string };

/** http(s) addresses up to the next space or quote; punctuation that ends a sentence is left out. */
const ADDRESS = /\bhttps?:\/\/[^\s<>"'`]+/giu;
const TRAILING = /[.,;:!?)\]}'"»]+$/u;

/** The text cut into plain runs and links; only http and https addresses become links. */
export function descriptionParts(text: string): DescriptionPart[] {
  const parts: DescriptionPart[] = [];
  let from = 0;
  for (const match of text.matchAll(ADDRESS)) {
    const address = match[0].replace(TRAILING, '');
    const href = safeHref(address);
    if (href === null) continue;
    if (match.index > from) parts.push({ text: text.slice(from, match.index) });
    parts.push({ text: address, href });
    from = match.index + address.length;
  }
  if (from < text.length) parts.push({ text: text.slice(from) });
  return parts;
}

function safeHref(address: string): string | null {
  try {
    const url = new URL(address);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** The description as a paragraph (line breaks kept by its style), or nothing when there is none. */
export function descriptionView(text: string): VNode | null {
  if (!text) return null;
  const children = descriptionParts(text).map((part) =>
    'href' in part ? h('a', { attrs: { href: part.href, rel: 'noopener nofollow ugc', target: '_blank' } }, part.text) : part.text,
  );
  return h('p.description', { attrs: { 'data-testid': 'description' } }, children);
}
