/**
 * The secrets this browser holds, per exhibition: the seat token (a refresh reclaims the seat) and
 * the host key (the lobby links back to the console). localStorage, so every tab shares them.
 */

const seatKey = (id: string) => `simul:seat:${id}`;
const hostKey = (id: string) => `simul:host:${id}`;
const nameKey = 'simul:name';

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null; // storage disabled: the page still works, a refresh just loses the seat
  }
}

function write(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    /* storage full or disabled */
  }
}

export const seatToken = (id: string): string | null => read(seatKey(id));
export const keepSeatToken = (id: string, token: string | null): void => write(seatKey(id), token);

export const hostKeyOf = (id: string): string | null => read(hostKey(id));
export const keepHostKey = (id: string, key: string): void => write(hostKey(id), key);

/** The name last used to take a seat, offered again next time. */
export const lastName = (): string => read(nameKey) ?? '';
export const keepName = (name: string): void => write(nameKey, name);

/** Whether the player asked for a browser notification when it is their move. */
export const wantsNotifications = (): boolean => read('simul:notify') === 'yes';
export const keepWantsNotifications = (yes: boolean): void => write('simul:notify', yes ? 'yes' : null);
