import type { RequestHandler } from 'express';
import type { Logger } from '../log.js';

/**
 * One line per HTTP answer: method, path, status, time. The path only: a query string may carry
 * what a visitor typed, and keys travel in the URL fragment, which never reaches the server.
 */
export function requestLog(log: Logger, now: () => number): RequestHandler {
  return (req, res, next) => {
    const started = now();
    const path = req.path; // read now: routers mounted below rewrite it while they handle the request
    res.on('finish', () => {
      log.info({ method: req.method, path, status: res.statusCode, ms: Math.round((now() - started) * 10) / 10 }, 'http');
    });
    next();
  };
}
