/** Every failure the user meets, said in plain words. */
import type { Problem } from './link.js';

export function explain(problem: Problem): string {
  switch (problem.code) {
    case 'TIMEOUT':
      return 'The server did not answer. Check your connection and try again.';
    case 'NETWORK':
      return 'The server could not be reached. Check your connection and try again.';
    case 'STALE_PLY':
      return 'The position changed before your move arrived; the board now shows the latest position.';
    case 'RATE_LIMITED':
      return 'Too many actions at once. Wait a moment and try again.';
    case 'SERVER_BUSY':
      return 'The server is running as many exhibitions as it can right now. Try again in a while, when one has ended.';
    case 'INTERNAL':
      return 'Something went wrong on the server. Please try again.';
    case 'NOT_FOUND':
      return problem.message === 'No such exhibition.' ? 'This exhibition does not exist (or no longer exists).' : problem.message;
    case 'BAD_REQUEST':
      // the server lists the fields at fault as "field: message"; the field is ours to know
      return problem.message
        .split('; ')
        .map((part) => part.replace(/^[\w.]+: /, ''))
        .join(' ');
    default:
      return problem.message;
  }
}
