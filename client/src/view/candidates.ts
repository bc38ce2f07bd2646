/** The host's list of visitors asking for a seat, each with Accept and Decline, kept live. */
import type { CandidateInfo } from '../../../shared/protocol.js';
import { listen, request, whenConnected } from '../net.js';
import { explain } from '../problem.js';
import { h, type VNode } from '../vdom.js';

export class CandidatesPanel {
  private waiting: CandidateInfo[] = [];
  private problem = '';
  private readonly stops: (() => void)[];

  constructor(
    private readonly id: string,
    private readonly hostKey: string,
    private readonly redraw: () => void,
  ) {
    this.stops = [
      whenConnected(() => void this.load()),
      listen('host:candidates', (msg) => {
        if (msg.id !== id) return;
        this.waiting = msg.candidates;
        this.redraw();
      }),
    ];
  }

  dispose(): void {
    for (const stop of this.stops) stop();
  }

  view(): VNode {
    return h('section.panel.candidates', { attrs: { 'aria-label': 'Asking to join', 'data-testid': 'candidates' } }, [
      h('h2.panel-title', 'Asking to join'),
      this.waiting.length
        ? h(
            'ul.candidate-list',
            this.waiting.map((c) =>
              h('li.candidate', { key: c.candidate }, [
                h('span.candidate-name', c.name),
                c.color ? h('span.muted', ` plays ${c.color}`) : null,
                h('span.button-row', [
                  h('button.btn.btn-small.btn-primary', { attrs: { type: 'button' }, on: { click: () => void this.answer('host:accept', c.candidate) } }, `Accept ${c.name}`),
                  h('button.btn.btn-small.btn-quiet', { attrs: { type: 'button' }, on: { click: () => void this.answer('host:decline', c.candidate) } }, `Decline ${c.name}`),
                ]),
              ]),
            ),
          )
        : h('p.muted', 'No one is waiting. Visitors ask from the invitation link.'),
      h('p.field-error', { attrs: { role: 'alert' } }, this.problem),
    ]);
  }

  private async load(): Promise<void> {
    const reply = await request('host:candidates', { id: this.id, hostKey: this.hostKey });
    if (!reply.ok) return;
    this.waiting = reply.candidates;
    this.redraw();
  }

  private async answer(command: 'host:accept' | 'host:decline', candidate: string): Promise<void> {
    const reply = await request(command, { id: this.id, hostKey: this.hostKey, candidate });
    this.problem = reply.ok ? '' : explain(reply.error);
    if (reply.ok) this.waiting = this.waiting.filter((c) => c.candidate !== candidate);
    this.redraw();
  }
}
