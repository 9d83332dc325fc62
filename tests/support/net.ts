// A port on 127.0.0.1 that nothing listens on: a request to it fails at once the way one to an
// unreachable server does, without any traffic leaving this machine.
import { createServer } from 'node:net';

export async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
