// The simulated clouds in a process of their own, for benchmarks: a real cloud does not share our CPU, so
// timing the collector against an in-process server would charge it for the server's work too.
// Argv: clouds (comma-separated), resources per cloud, latency in ms, and optionally accounts per cloud (scopes).
// Sends { endpoints, keys, accounts } once listening; answers { id, type: 'count', cloud, route } and
// { id, type: 'clear' } over IPC with { id, value } from the request log.
import { exampleCloud, type ExampleState } from '../sim/example-cloud';
import { startSim } from '../sim/server';

const [clouds, count, latency, accounts] = [process.argv[2].split(','), Number(process.argv[3]), Number(process.argv[4]), Number(process.argv[5] ?? 0)];

void startSim({ clouds: clouds.map((id) => exampleCloud({ id, count, ...(accounts > 0 ? { accounts } : {}) })), latencyMs: latency }).then((sim) => {
  process.send?.({
    type: 'ready',
    endpoints: Object.fromEntries(clouds.map((c) => [c, sim.endpoint(c)])),
    keys: sim.keys(),
    accounts: Object.fromEntries(clouds.map((c) => [c, sim.state<ExampleState>(c).accounts.map((a) => a.id)])),
  });
  process.on('message', (message: { id: number; type: string; cloud?: string; route?: string }) => {
    if (message.type === 'clear') sim.log.clear();
    const value = message.type === 'count' ? sim.log.count(message.cloud, message.route) : 0;
    process.send?.({ id: message.id, value });
  });
  process.on('disconnect', () => void sim.close().then(() => process.exit(0)));
});
