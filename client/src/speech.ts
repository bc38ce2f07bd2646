/** Chess as a screen reader should say it: "knight f6", "pawn takes d5, check", "castles kingside". */

const PIECE: Record<string, string> = { K: 'king', Q: 'queen', R: 'rook', B: 'bishop', N: 'knight' };

/** One move in SAN, in words. */
export function sanInWords(san: string): string {
  const suffix = san.endsWith('#') ? ', checkmate' : san.endsWith('+') ? ', check' : '';
  const bare = san.replace(/[+#!?]+$/, '');
  if (bare === 'O-O') return `castles kingside${suffix}`;
  if (bare === 'O-O-O') return `castles queenside${suffix}`;
  const m = /^([KQRBN])?([a-h]?[1-8]?)(x?)([a-h][1-8])(?:=([QRBN]))?$/.exec(bare);
  if (!m) return san;
  const [, piece, from, takes, to, promotion] = m;
  const words = [piece ? PIECE[piece] : 'pawn'];
  if (from) words.push(from);
  if (takes) words.push('takes');
  words.push(to);
  if (promotion) words.push(`promotes to ${PIECE[promotion]}`);
  return words.join(' ') + suffix;
}

/** Where every piece stands, for one side: "king e1, queen d1, rooks a1 and h1…". */
export function piecesInWords(board: ({ type: string; color: 'w' | 'b'; square: string } | null)[][], color: 'w' | 'b'): string {
  const bySquare = new Map<string, string[]>();
  for (const row of board) {
    for (const p of row) {
      if (!p || p.color !== color) continue;
      const name = PIECE[p.type.toUpperCase()] ?? 'pawn';
      bySquare.set(name, [...(bySquare.get(name) ?? []), p.square]);
    }
  }
  const order = ['king', 'queen', 'rook', 'bishop', 'knight', 'pawn'];
  const parts = order
    .filter((name) => bySquare.has(name))
    .map((name) => {
      const squares = bySquare.get(name)!.sort();
      return `${squares.length > 1 ? `${name}s` : name} ${squares.length > 1 ? `${squares.slice(0, -1).join(', ')} and ${squares[squares.length - 1]}` : squares[0]}`;
    });
  return parts.join('; ');
}
