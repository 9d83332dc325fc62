// Runs the APIMart simulator by hand: `node main/simulator/main.ts [--port N] [--data-dir DIR]`.
// Prints the URL and key to point a client at, and stops cleanly on SIGINT or SIGTERM. With a data
// directory it carries on where the last simulator on it stopped.
import { parseArgs } from 'node:util';
import { startSimulator } from './simulator.ts';

const { values } = parseArgs({
  options: { port: { type: 'string', default: '0' }, 'data-dir': { type: 'string' } },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a whole number from 0 to 65535, not "${values.port}".`);
  process.exit(2);
}
const dataDir = values['data-dir'];
const simulator = await startSimulator({ port, ...(dataDir !== undefined && { dataDir }) });
console.log(`APIMart simulator listening at ${simulator.url}`);
console.log(`API key: ${simulator.apiKey}`);
console.log('Press Ctrl+C to stop.');
const stop = (): void => {
  void simulator.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
