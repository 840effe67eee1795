// Neon's figure for `npm run bench`: the API calls of one refresh of an account with 50 projects. Neon has no
// account-wide list of computes or branches, so this grows with projects (1 organization lookup + 1 project page
// + 2 per project), not only with pages: the number to watch against Neon's 700 requests/minute.
import { neonCloud } from '../sim/neon';
import { providerCalls } from './providers';

type Record = (metric: string, value: number, unit: string) => void;

export async function benchNeon(record: Record): Promise<void> {
  record('refresh.apiCalls.neon.projects50', await providerCalls('neon', neonCloud({ count: 50 })), 'calls');
}
