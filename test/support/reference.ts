// Reference data for a provider a test initializes by hand (without a collector): the engine's own store over a
// memory cache, so the provider keeps, shares and renews its reference data exactly as it does under the collector.
import { MemoryCache } from '../../src/core/cache/memory';
import type { ProviderContext } from '../../src/core/engine/provider';
import { ReferenceStore } from '../../src/core/engine/reference';
import { silentLogger } from '../../src/core/model/log';
import type { CloudId } from '../../src/core/model/model';

export function testReference(cloud: CloudId, endpoint = ''): ProviderContext['reference'] {
  const store = new ReferenceStore({ cache: new MemoryCache({}), now: Date.now, log: silentLogger, loadTimeoutMs: () => 15_000 });
  return (name, spec) => store.declare(cloud, { account: '', endpoint, who: '' }, name, spec);
}
