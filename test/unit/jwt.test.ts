import assert from 'node:assert/strict';
import { jwtClaims, jwtExpiresAt } from '../../src/core/credentials/jwt';

const jwt = (payload: unknown) =>
  ['{"alg":"RS256","typ":"JWT"}', JSON.stringify(payload)].map((p) => Buffer.from(p).toString('base64url')).join('.') + '.c2lnbmF0dXJl';

describe('JWT claims (core/credentials/jwt.ts)', () => {
  it('reads the payload of an access token: tenant, application and expiry', () => {
    const token = jwt({
      aud: 'https://management.azure.com',
      tid: '72f988bf-86f1-41af-91ab-2d7cd011db47',
      appid: 'aebc6443-996d-45c2-90f0-388ff96faa56',
      exp: 1_796_000_000,
    });
    assert.equal(jwtClaims(token)?.tid, '72f988bf-86f1-41af-91ab-2d7cd011db47');
    assert.equal(jwtClaims(token)?.appid, 'aebc6443-996d-45c2-90f0-388ff96faa56');
    assert.equal(jwtExpiresAt(token), 1_796_000_000_000);
  });

  it('answers undefined for an opaque token, a broken payload, an array payload or a missing or odd exp', () => {
    for (const token of ['opaque-token', 'a.b', 'a..c', `x.${Buffer.from('{not json').toString('base64url')}.y`, jwt([1, 2])])
      assert.equal(jwtClaims(token), undefined, token);
    assert.equal(jwtExpiresAt('opaque-token'), undefined);
    assert.equal(jwtExpiresAt(jwt({ tid: 't' })), undefined);
    assert.equal(jwtExpiresAt(jwt({ exp: '1796000000' })), undefined, 'a string exp is not read');
  });
});
