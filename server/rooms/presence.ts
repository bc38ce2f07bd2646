/** Who is at one exhibition now: players' connections per table, host consoles and spectators. */
export class Presence {
  /** Open connections per table. */
  private readonly connections = new Map<number, number>();
  private hostConsoles = 0;
  spectators = 0;
  /** Since when neither the host nor any player has been connected; null while someone is. */
  idleSince: number | null;

  constructor(private readonly now: () => number) {
    this.idleSince = now();
  }

  connectedAt(table: number): number {
    return this.connections.get(table) ?? 0;
  }

  player(table: number, delta: 1 | -1): void {
    this.connections.set(table, Math.max(0, this.connectedAt(table) + delta));
    this.noteIdle();
  }

  host(delta: 1 | -1): void {
    this.hostConsoles = Math.max(0, this.hostConsoles + delta);
    this.noteIdle();
  }

  spectator(delta: 1 | -1): number {
    this.spectators = Math.max(0, this.spectators + delta);
    return this.spectators;
  }

  private noteIdle(): void {
    let present = this.hostConsoles;
    for (const n of this.connections.values()) present += n;
    if (present > 0) this.idleSince = null;
    else this.idleSince ??= this.now();
  }
}
