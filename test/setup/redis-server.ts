// Integration layer: make sure redis-server is there before any test starts, since installing it (as root, from
// Debian's package) can take longer than a test hook's timeout. When it cannot be installed the message is printed
// once here, and every test that starts a Redis fails with it.
import { findRedisServer } from '../support/redis-server';

export async function mochaGlobalSetup(): Promise<void> {
  await findRedisServer().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  });
}
