import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * Security headers on every answer. The console URL carries the host key in its fragment, so no
 * page sends a referrer; nothing may frame the game (a framed board invites clickjacking).
 */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        baseUri: ["'self'"],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        imgSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        // chessground positions pieces through style attributes
        styleSrc: ["'self'", "'unsafe-inline'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    frameguard: { action: 'deny' },
    // plain HTTP on a LAN is a supported setup; HSTS belongs to whoever terminates TLS
    strictTransportSecurity: false,
  });
}
