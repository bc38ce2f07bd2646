/**
 * The exhibition's chat panel: the messages, a line to write one, and for the host the means to
 * take a message down, mute a name and turn the chat off. Every message is drawn as text nodes.
 */
import { CHAT_MAX, HOST_NAME, type ChatMessage, type ChatMode, type ChatSettings } from '../../../shared/chat.js';
import { sameName } from '../../../shared/names.js';
import { lastName } from '../keyring.js';
import type { Link } from '../link.js';
import { request as hostRequest, socketLink } from '../net.js';
import { explain } from '../problem.js';
import { h, type VNode } from '../vdom.js';

/** How this page writes: as its seat, as the host, or as a spectator under a name typed here. */
export type ChatWriter = { token: string } | { hostKey: string } | { spectator: true };

const MODES: [ChatMode, string][] = [
  ['players', 'Players and host write'],
  ['everyone', 'Everyone writes'],
  ['off', 'Chat off'],
];

export class ChatPanel {
  private messages: ChatMessage[] = [];
  private settings: ChatSettings | null = null;
  private draft = '';
  private name = lastName();
  private problem = '';
  private sending = false;
  private readonly stops: (() => void)[];

  constructor(
    private readonly id: string,
    private readonly writer: ChatWriter,
    private readonly redraw: () => void,
    /** Reading and writing go over the page's connection; the host's tools always over socket.io, as hosts are there. */
    private readonly link: Link<'chat:watch' | 'chat:send'> = socketLink,
  ) {
    const mine = (msg: { id: string }) => msg.id === id;
    this.stops = [
      link.whenConnected(() => void this.load()),
      link.listen('chat:message', (msg) => {
        if (!mine(msg) || this.messages.some((m) => m.id === msg.message.id)) return;
        this.messages = [...this.messages, msg.message];
        this.redraw();
      }),
      link.listen('chat:deleted', (msg) => {
        if (!mine(msg)) return;
        this.messages = this.messages.filter((m) => m.id !== msg.message);
        this.redraw();
      }),
      link.listen('chat:settings', (msg) => {
        if (!mine(msg)) return;
        this.settings = msg.settings;
        this.redraw();
      }),
    ];
  }

  dispose(): void {
    for (const stop of this.stops) stop();
  }

  view(): VNode {
    const host = 'hostKey' in this.writer;
    const settings = this.settings;
    return h('section.panel.chat', { attrs: { 'aria-label': 'Chat', 'data-testid': 'chat' } }, [
      h('h2.panel-title', ['Chat', settings?.mode === 'off' ? h('span.muted', ' · off') : null]),
      host && settings ? this.hostControls(settings) : null,
      h(
        'ol.chat-messages',
        { attrs: { 'aria-live': 'polite' }, hook: { postpatch: (_old, vnode) => scrollToEnd(vnode.elm as HTMLElement), insert: (vnode) => scrollToEnd(vnode.elm as HTMLElement) } },
        this.messages.length ? this.messages.map((m) => this.messageView(m, host)) : [h('li.chat-empty', 'No messages yet.')],
      ),
      this.form(),
    ]);
  }

  private messageView(m: ChatMessage, host: boolean): VNode {
    const muted = this.settings?.muted.some((n) => sameName(n, m.author)) ?? false;
    return h('li.chat-message', { key: m.id, class: { [`role-${m.role}`]: true }, attrs: { 'data-id': m.id } }, [
      h('span.chat-author', m.author),
      h('span.chat-text', m.text),
      host
        ? h('span.chat-tools', [
            h('button.btn.btn-quiet.btn-small', { attrs: { type: 'button', 'aria-label': `Delete the message from ${m.author}` }, on: { click: () => void this.remove(m.id) } }, 'Delete'),
            m.role === 'host'
              ? null
              : h('button.btn.btn-quiet.btn-small', { attrs: { type: 'button' }, on: { click: () => void this.mute(m.author, !muted) } }, muted ? `Unmute ${m.author}` : `Mute ${m.author}`),
          ])
        : null,
    ]);
  }

  private hostControls(settings: ChatSettings): VNode {
    return h('div.chat-host', [
      h('label', { attrs: { for: 'chat-mode' } }, 'Who writes '),
      h(
        'select#chat-mode',
        { attrs: { 'data-testid': 'chat-mode' }, on: { change: (e) => void this.setMode((e.target as HTMLSelectElement).value as ChatMode) } },
        MODES.map(([mode, label]) => h('option', { attrs: { value: mode }, props: { selected: mode === settings.mode } }, label)),
      ),
      settings.muted.length ? h('p.muted', `Muted: ${settings.muted.join(', ')}`) : null,
    ]);
  }

  private form(): VNode | null {
    const mode = this.settings?.mode;
    const spectator = 'spectator' in this.writer;
    if (!mode) return null;
    if (mode === 'off') return h('p.muted.chat-note', 'The host has turned the chat off.');
    if (spectator && mode !== 'everyone') return h('p.muted.chat-note', 'The players and the host write here; you read along.');
    return h('form.chat-form', { attrs: { novalidate: true }, on: { submit: (e) => this.submitted(e) } }, [
      spectator
        ? h('input.chat-name', {
            attrs: { type: 'text', 'aria-label': 'Your name in the chat', placeholder: 'Your name', maxlength: 40, autocomplete: 'nickname' },
            props: { value: this.name },
            on: { input: (e) => (this.name = (e.target as HTMLInputElement).value) },
          })
        : null,
      h('input.chat-input', {
        attrs: { type: 'text', 'aria-label': 'Message', placeholder: 'Say something…', maxlength: CHAT_MAX, autocomplete: 'off', 'data-testid': 'chat-input' },
        props: { value: this.draft, disabled: this.sending },
        on: { input: (e) => (this.draft = (e.target as HTMLInputElement).value) },
      }),
      h('button.btn', { attrs: { type: 'submit' }, props: { disabled: this.sending } }, 'Send'),
      h('p.field-error', { attrs: { role: 'alert' } }, this.problem),
    ]);
  }

  private async load(): Promise<void> {
    const reply = await this.link.request('chat:watch', { id: this.id });
    if (!reply.ok) return;
    this.messages = reply.messages;
    this.settings = reply.settings;
    this.redraw();
  }

  private submitted(event: Event): void {
    event.preventDefault();
    if (this.sending || !this.draft.trim()) return;
    void this.send();
  }

  private async send(): Promise<void> {
    this.sending = true;
    this.problem = '';
    this.redraw();
    const who = 'token' in this.writer ? { token: this.writer.token } : 'hostKey' in this.writer ? { hostKey: this.writer.hostKey } : { name: this.name };
    const reply = await this.link.request('chat:send', { id: this.id, text: this.draft, ...who });
    this.sending = false;
    if (reply.ok) {
      this.draft = '';
      if (!this.messages.some((m) => m.id === reply.message.id)) this.messages = [...this.messages, reply.message];
    } else this.problem = explain(reply.error);
    this.redraw();
  }

  private async remove(message: number): Promise<void> {
    if (!('hostKey' in this.writer)) return;
    const reply = await hostRequest('host:chatDelete', { id: this.id, hostKey: this.writer.hostKey, message });
    if (reply.ok) this.messages = this.messages.filter((m) => m.id !== message);
    else this.problem = explain(reply.error);
    this.redraw();
  }

  private async mute(name: string, muted: boolean): Promise<void> {
    if (!('hostKey' in this.writer) || sameName(name, HOST_NAME)) return;
    const reply = await hostRequest('host:chatMute', { id: this.id, hostKey: this.writer.hostKey, name, muted });
    if (reply.ok) this.settings = reply.settings;
    else this.problem = explain(reply.error);
    this.redraw();
  }

  private async setMode(mode: ChatMode): Promise<void> {
    if (!('hostKey' in this.writer)) return;
    const reply = await hostRequest('host:chatMode', { id: this.id, hostKey: this.writer.hostKey, mode });
    if (reply.ok) this.settings = reply.settings;
    else this.problem = explain(reply.error);
    this.redraw();
  }
}

function scrollToEnd(el: HTMLElement): void {
  el.scrollTop = el.scrollHeight;
}
