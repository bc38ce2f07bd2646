import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HAPROXY_CONFIG, localConfig } from '../../server/cluster/balancer.js';

describe('the balancer of `npm run start:cluster`', () => {
  const config = localConfig(4000, '0.0.0.0', [41001, 41002, 41003]);

  it('listens on the cluster’s port and sends to each local process, sticky by its own cookie', () => {
    expect(config).toMatch(/^ {2}bind 0\.0\.0\.0:4000$/m);
    for (const [i, port] of [41001, 41002, 41003].entries()) {
      expect(config).toContain(`server p${i + 1} 127.0.0.1:${port} check cookie p${i + 1}`);
    }
    expect(config).not.toMatch(/^\s*(server-template|resolvers) /m);
    expect(config).toContain('option httpchk GET /readyz');
  });

  it.skipIf(!existsSync('/usr/sbin/haproxy'))('is a configuration HAProxy accepts, as is the deployed one', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'simul-haproxy-')), 'haproxy.cfg');
    writeFileSync(file, config);
    for (const f of [file, HAPROXY_CONFIG]) execFileSync('/usr/sbin/haproxy', ['-c', '-q', '-f', f]);
  });
});
