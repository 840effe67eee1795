// A session profile's signing (`oci session authenticate` / `oci session refresh` write `security_token_file`): every
// request is signed with the session key and keyId `ST$<token>`, as oci-common 2.139.1 lib/auth/
// session-auth-details-provider.js does. That class reads the token once, in its constructor (through the SDK's own
// config parser, whose errors quote the offending line — a stray pass phrase included), and serves it forever, so a
// token refreshed by the OCI CLI would only be seen after a restart. This one takes the values Cloudtop already read
// (credentials.ts), and re-reads the token file whenever it changed (size, mtime or inode, checked on each signature:
// one stat), so the next request after `oci session refresh` carries the new token. Every token read is registered
// for redaction. A token Oracle refuses (expired) is the provider's 401; api.ts then re-reads the file once.
import { stat } from 'node:fs/promises';
import type * as common from 'oci-common';
import { readSmallFile } from '../../core/credentials/config-files';
import { CloudtopError } from '../../core/errors/errors';
import { registerSecret } from '../../core/errors/redact';

/** A session token is a JWT of a few KB. */
const TOKEN_FILE_BYTES = 64 * 1024;

const configError = (message: string) => new CloudtopError({ category: 'config', cloud: 'oci', message });

export class SessionTokenAuth implements common.AuthenticationDetailsProvider, common.RegionProvider {
  private token = '';
  private stamp = '';
  private reading: Promise<void> | undefined;

  private constructor(
    private readonly file: string,
    private readonly key: string,
    private readonly region: common.Region | undefined,
  ) {}

  /** The provider over a token file (read now: a missing or empty file is a config error naming the file). */
  static async open(file: string, unencryptedKey: string, region: common.Region | undefined): Promise<SessionTokenAuth> {
    const auth = new SessionTokenAuth(file, unencryptedKey, region);
    await auth.fresh();
    return auth;
  }

  async getKeyId(): Promise<string> {
    await this.fresh();
    return `ST$${this.token}`;
  }

  getPrivateKey(): string {
    return this.key;
  }

  getPassphrase(): string | null {
    return null;
  }

  getRegion(): common.Region {
    return this.region as common.Region;
  }

  /** Reads the token file again when it changed since the last read (`force`: whatever its stamp says). */
  fresh(force = false): Promise<void> {
    this.reading ??= this.check(force).finally(() => (this.reading = undefined));
    return this.reading;
  }

  private async check(force: boolean): Promise<void> {
    let stamp: string;
    try {
      const s = await stat(this.file);
      stamp = `${s.size}:${s.mtimeMs}:${s.ino}`;
    } catch {
      throw configError(`The OCI session token file ${this.file} cannot be read: run \`oci session authenticate\` again.`);
    }
    if (!force && stamp === this.stamp) return;
    const text = await readSmallFile(this.file, { maxBytes: TOKEN_FILE_BYTES, cloud: 'oci', what: 'The OCI session token file' });
    const token = text?.trim();
    if (!token)
      throw configError(
        `The OCI session token file ${this.file} is ${text === undefined ? 'missing' : 'empty'}: run \`oci session authenticate\` again.`,
      );
    registerSecret(token);
    this.token = token;
    this.stamp = stamp;
  }
}
