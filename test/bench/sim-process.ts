// The simulated clouds in a process of their own, for benchmarks: a real cloud does not share our CPU, so
// timing the collector against an in-process server would charge it for the server's work too.
// Prints { endpoints, keys } once listening; answers { type: 'count', cloud, route } and { type: 'clear' }
// over IPC with the request log.
import { exampleCloud } from '../sim/example-cloud';
import { startSim } from '../sim/server';

const [clouds, count, latency] = [process.argv[2].split(','), Number(process.argv[3]), Number(process.argv[4])];

void startSim({ clouds: clouds.map((id) => exampleCloud({ id, count })), latencyMs: latency }).then((sim) => {
  process.send?.({ type: 'ready', endpoints: Object.fromEntries(clouds.map((c) => [c, sim.endpoint(c)])), keys: sim.keys() });
  process.on('message', (message: { type: string; cloud?: string; route?: string }) => {
    if (message.type === 'clear') {
      sim.log.clear();
      process.send?.({ type: 'cleared' });
    } else if (message.type === 'count') {
      process.send?.({ type: 'count', value: sim.log.count(message.cloud, message.route) });
    }
  });
  process.on('disconnect', () => void sim.close().then(() => process.exit(0)));
});
