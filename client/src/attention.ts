/**
 * "Your move" where a person looks: a badge on the favicon, a title that blinks while the tab is
 * hidden, and a browser notification for a player who asked for one.
 */
import { keepWantsNotifications, wantsNotifications } from './keyring.js';

const BOARD_ICON =
  "<rect width='16' height='16' rx='3' fill='%23b58863'/><path d='M0 0h8v8H0zM8 8h8v8H8z' fill='%23f0d9b5'/>";
const icon = (badge: boolean) =>
  `data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E${BOARD_ICON}${
    badge ? "<circle cx='11.5' cy='4.5' r='4.5' fill='%23e02e2e' stroke='%23fff' stroke-width='1'/>" : ''
  }%3C/svg%3E`.replace(/</g, '%3C').replace(/>/g, '%3E');

const BLINK_MS = 1000;
const YOUR_MOVE = '♟ Your move!';

/** One player's board calling for attention; `clear()` when the move is made or the page left. */
export class Attention {
  private raised = false;
  private blink = 0;
  /** The blink is showing "Your move!". */
  private on = false;
  private notice: Notification | null = null;
  private readonly onVisibility = () => this.drawTitle();

  /** `title()` is the page's title as it stands: the blinking alternates with it. */
  constructor(private readonly title: () => string) {
    document.addEventListener('visibilitychange', this.onVisibility);
  }

  /** It is the player's move: `text` says what happened ("Judit played Nf6 at table 3"). */
  raise(text: string): void {
    this.raised = true;
    setFavicon(true);
    this.drawTitle();
    if (document.hidden && wantsNotifications() && 'Notification' in window && Notification.permission === 'granted') {
      this.notice?.close();
      this.notice = new Notification('Your move', { body: text, tag: 'simul-your-move' });
      this.notice.onclick = () => window.focus();
    }
  }

  clear(): void {
    if (!this.raised) return;
    this.raised = false;
    setFavicon(false);
    this.notice?.close();
    this.notice = null;
    this.drawTitle();
  }

  dispose(): void {
    this.clear();
    document.removeEventListener('visibilitychange', this.onVisibility);
  }

  /** The page's own title changed: shown unless the blink is showing "Your move!" right now. */
  titleChanged(): void {
    document.title = this.on ? YOUR_MOVE : this.title();
  }

  /** While hidden and raised, the title alternates "Your move!" with the page's own. */
  private drawTitle(): void {
    window.clearInterval(this.blink);
    this.blink = 0;
    this.on = false;
    if (this.raised && document.hidden) {
      this.on = true;
      this.blink = window.setInterval(() => {
        this.on = !this.on;
        this.titleChanged();
      }, BLINK_MS);
    }
    this.titleChanged();
  }
}

function setFavicon(badge: boolean): void {
  const link = document.querySelector<HTMLLinkElement>('link[rel=icon]');
  if (!link) return;
  link.href = icon(badge);
  link.dataset.badge = String(badge);
}

/** Whether this browser can notify at all. */
export const canNotify = (): boolean => 'Notification' in window;

/** The player's opt-in: asks the browser's permission only now, on their click. */
export async function optInToNotifications(on: boolean): Promise<boolean> {
  if (!on) {
    keepWantsNotifications(false);
    return false;
  }
  const permission = Notification.permission === 'default' ? await Notification.requestPermission() : Notification.permission;
  keepWantsNotifications(permission === 'granted');
  return permission === 'granted';
}
