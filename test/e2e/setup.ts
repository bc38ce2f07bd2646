/** Once for every end-to-end file: build the client, start the server as `npm start` would, stop it after. */
import type { TestProject } from 'vitest/node';
import { cleanScreenshots, startServer } from './harness.js';

declare module 'vitest' {
  export interface ProvidedContext {
    simulUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  cleanScreenshots();
  const server = await startServer();
  project.provide('simulUrl', server.url);
  return async () => {
    await server.stop();
  };
}
