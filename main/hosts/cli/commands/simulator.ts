// `genqueue simulator`: the built-in APIMart stand-in on a local port, for trying GenQueue (or
// another tool) without a key: point APIMART_BASE_URL at the URL it prints.
import { startSimulator } from '../../../simulator/simulator.ts';
import type { Output } from '../reporter.ts';

export async function simulatorCommand(
  args: { port: number },
  io: { stdout: Output },
): Promise<number> {
  const simulator = await startSimulator({ port: args.port });
  io.stdout.write(
    `APIMart simulator at ${simulator.url}\nAPIMART_BASE_URL=${simulator.url} APIMART_API_KEY=${simulator.apiKey}\nPress Ctrl-C to stop.\n`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await simulator.close();
  return 0;
}
