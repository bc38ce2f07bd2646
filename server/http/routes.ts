import compression from 'compression';
import express, { type ErrorRequestHandler, type Request, type Response } from 'express';
import type { RateLimiters } from '../rate-limiters.js';
import { type ErrorCode, fail } from '../../shared/errors.js';
import type { CreatedExhibition } from '../../shared/protocol.js';
import { createExhibitionBody } from '../../shared/schemas.js';
import { exhibitionPgn, boardPgn } from '../pgn.js';
import type { Limits } from '../limits.js';
import type { Directory } from '../rooms/directory.js';
import type { RoomAccess } from '../transport/forward.js';

const STATUS: Partial<Record<ErrorCode, number>> = { NOT_FOUND: 404, FORBIDDEN: 403, RATE_LIMITED: 429, SERVER_BUSY: 503, INTERNAL: 500 };

function sendError(res: Response, code: ErrorCode, message: string): void {
  res.status(STATUS[code] ?? 400).json({ error: fail(code, message).error });
}

const site = (req: Request) => `${req.protocol}://${req.get('host') ?? 'localhost'}`;

/** The JSON API. Input errors are 4xx with a stable code, never a 500. */
export function apiRouter(rooms: Directory, access: RoomAccess, limits: Limits, rateLimiters: RateLimiters): express.Router {
  const api = express.Router();
  api.use(compression());
  api.use(express.json({ limit: '16kb' }));

  const creations = rateLimiters('creates', limits.createsPerMinute, 60);
  const creation: express.RequestHandler = (req, res, next) => {
    creations.consume(req.ip ?? 'unknown').then(
      () => next(),
      (refused: unknown) => {
        if (refused instanceof Error) return next(refused);
        const { msBeforeNext } = refused as { msBeforeNext: number };
        res.set('Retry-After', String(Math.ceil(msBeforeNext / 1000)));
        sendError(res, 'RATE_LIMITED', `At most ${limits.createsPerMinute} exhibitions a minute from one address; try again shortly.`);
      },
    );
  };

  api.post('/exhibitions', creation, async (req, res) => {
    const parsed = createExhibitionBody.safeParse(req.body);
    if (!parsed.success) {
      const detail = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
      return sendError(res, 'BAD_REQUEST', detail);
    }
    const { room, hostKey } = await rooms.create(parsed.data);
    const body: CreatedExhibition = { id: room.id, hostKey, snapshot: room.snapshot() };
    res.status(201).json(body);
  });

  api.get('/exhibitions', (req, res) => {
    const cursor = typeof req.query.cursor === 'string' ? req.query.cursor.slice(0, 200) : undefined;
    res.json(access.lobby(cursor));
  });

  api.get('/house', (_req, res) => {
    const house = rooms.house();
    if (!house) return sendError(res, 'NOT_FOUND', 'This server keeps no house exhibition.');
    res.json(house.summary());
  });

  api.get('/exhibitions/:id', async (req, res) => {
    const found = await access.run(req.params.id, 'snapshot', {});
    if (!found.ok) return sendError(res, found.error.code, found.error.message);
    res.json(found.snapshot);
  });

  api.get('/exhibitions/:id/pgn', async (req, res) => {
    const found = await rooms.read(req.params.id);
    if (!found.ok) return sendError(res, found.error.code, found.error.message);
    res.type('application/x-chess-pgn').attachment(`simul-${found.room.id}.pgn`).send(exhibitionPgn(found.room.exh, site(req)));
  });

  api.get('/exhibitions/:id/timeline', async (req, res) => {
    const found = await access.run(req.params.id, 'timeline', {});
    if (!found.ok) return sendError(res, found.error.code, found.error.message);
    res.json(found.timeline);
  });

  const board = async (req: Request<{ id: string; table: string }>, res: Response) => {
    const found = await rooms.read(req.params.id);
    if (!found.ok) return void sendError(res, found.error.code, found.error.message);
    const table = Number(req.params.table);
    const b = Number.isInteger(table) ? found.room.exh.board(table) : undefined;
    if (!b) return void sendError(res, 'NOT_FOUND', `There is no board ${req.params.table}.`);
    return { room: found.room, board: b };
  };

  api.get('/exhibitions/:id/boards/:table', async (req, res) => {
    const found = await board(req, res);
    if (found) res.json(found.room.detail(found.board.table));
  });

  api.get('/exhibitions/:id/boards/:table/pgn', async (req, res) => {
    const found = await board(req, res);
    if (!found) return;
    const { exh } = found.room;
    res.type('application/x-chess-pgn').attachment(`simul-${exh.id}-${found.board.table}.pgn`).send(boardPgn(exh, found.board, site(req)));
  });

  api.use((_req, res) => sendError(res, 'NOT_FOUND', 'No such endpoint.'));

  const errors: ErrorRequestHandler = (error: { type?: string; status?: number }, _req, res, _next) => {
    if (error.type === 'entity.parse.failed') return sendError(res, 'BAD_REQUEST', 'The body is not valid JSON.');
    if (error.type === 'entity.too.large') return sendError(res, 'BAD_REQUEST', 'The body is too large.');
    if (error.status && error.status < 500) return sendError(res, 'BAD_REQUEST', 'The request could not be read.');
    sendError(res, 'INTERNAL', 'Something went wrong on the server.');
  };
  api.use(errors);
  return api;
}
