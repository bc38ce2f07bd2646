/**
 * Where broadcasts go: socket.io's rooms and the feed's topics carry the same names, so one emit
 * reaches a group on either transport.
 */
export const room = {
  exhibition: (id: string) => `x:${id}`,
  board: (id: string, table: number) => `b:${id}:${table}`,
  seat: (id: string, table: number) => `s:${id}:${table}`,
  host: (id: string) => `h:${id}`,
  timeline: (id: string) => `t:${id}`,
  chat: (id: string) => `c:${id}`,
  lobby: 'lobby',
};

/** The exhibition a topic of the feed belongs to (every feed topic is one exhibition's). */
export function exhibitionOf(topic: string): string | undefined {
  return topic.split(':')[1];
}
