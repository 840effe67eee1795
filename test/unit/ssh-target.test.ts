// The SSH details a cloud hands us become ssh's arguments and Remote-SSH's authority only when they are a plain host,
// user and port: a value ssh would read as an option (`-oProxyCommand=…`) or a shell would expand is refused, not
// rewritten. The Remote-SSH authority carries a non-22 port the way Remote-SSH reads it: the hex of
// {"hostName","user","port"} (https://github.com/microsoft/vscode-remote-release/issues/9324,
// https://github.com/jeanp413/open-remote-ssh/blob/master/src/ssh/sshDestination.ts).
import assert from 'node:assert/strict';
import { remoteSshAuthority, sshArgs, sshCommandLine, sshTarget, type SshTarget } from '../../src/vscode/sshTarget';

const ok = (ssh: Parameters<typeof sshTarget>[0]): SshTarget => {
  const target = sshTarget(ssh);
  assert.ok(!('refused' in target), JSON.stringify(target));
  return target;
};

describe('SSH details from a cloud (Connect)', () => {
  it('a Vast.ai instance: ssh -p <port> root@<host>, one argument each', () => {
    const target = ok({ host: 'ssh5.vast.ai', port: 31234, user: 'root' });
    assert.deepEqual(sshArgs(target), ['-p', '31234', 'root@ssh5.vast.ai']);
    assert.equal(sshCommandLine(target), 'ssh -p 31234 root@ssh5.vast.ai');
  });

  it('no user named (Google Cloud): none invented, ssh decides as gcloud compute ssh does; IPv4 and IPv6 addresses pass', () => {
    const target = ok({ host: '203.0.113.7', port: 22 });
    assert.deepEqual(target, { host: '203.0.113.7', port: 22 });
    assert.deepEqual(sshArgs(target), ['-p', '22', '203.0.113.7']);
    assert.deepEqual(JSON.parse(Buffer.from(remoteSshAuthority(target).split('+')[1], 'hex').toString('utf8')), {
      hostName: '203.0.113.7',
    });
    assert.equal(ok({ host: '2001:db8::7', port: 22, user: 'ubuntu' }).host, '2001:db8::7');
  });

  for (const [what, ssh] of [
    ['a host starting with -o (an ssh option)', { host: '-oProxyCommand=touch /tmp/pwned', port: 22 }],
    ['a host squeezed to an option', { host: '-oProxyCommandx', port: 22 }],
    ['a user starting with - (an ssh option)', { host: 'ssh1.vast.ai', port: 22, user: '-oProxyCommand=id' }],
    ['a user with a shell expansion', { host: 'ssh1.vast.ai', port: 22, user: 'root$(id)' }],
    ['a host with a space and a second argument', { host: 'ssh1.vast.ai -L 1:x:1', port: 22 }],
    ['a host with a shell separator', { host: 'h;id', port: 22 }],
    ['a user with an @ (another host)', { host: 'ssh1.vast.ai', port: 22, user: 'a@evil.example' }],
    ['an empty host', { host: '', port: 22 }],
    ['port 0', { host: 'h', port: 0 }],
    ['port 70000', { host: 'h', port: 70000 }],
    ['a fractional port', { host: 'h', port: 22.5 }],
  ] as const)
    it(`refuses ${what}`, () => {
      const target = sshTarget(ssh);
      assert.ok('refused' in target, `refused, not cleaned: ${JSON.stringify(target)}`);
    });

  it('Remote-SSH: a non-22 port travels in the hex-encoded {"hostName","user","port"} authority', () => {
    const authority = remoteSshAuthority(ok({ host: 'ssh5.vast.ai', port: 31234, user: 'root' }));
    assert.equal(
      authority,
      // {"hostName":"ssh5.vast.ai","user":"root","port":31234}
      'ssh-remote+7b22686f73744e616d65223a22737368352e766173742e6169222c2275736572223a22726f6f74222c22706f7274223a33313233347d',
    );
    const [scheme, hex] = authority.split('+');
    assert.equal(scheme, 'ssh-remote');
    assert.deepEqual(JSON.parse(Buffer.from(hex, 'hex').toString('utf8')), { hostName: 'ssh5.vast.ai', user: 'root', port: 31234 });
    assert.match(hex, /^[0-9a-f]+$/, 'lowercase hex only: VS Code lowercases authorities');
  });

  it('Remote-SSH: port 22 is left out, as Remote-SSH leaves it out; capitals survive in the hex', () => {
    const hex = remoteSshAuthority(ok({ host: 'Train-01.example.com', port: 22, user: 'ubuntu' })).split('+')[1];
    assert.deepEqual(JSON.parse(Buffer.from(hex, 'hex').toString('utf8')), { hostName: 'Train-01.example.com', user: 'ubuntu' });
  });
});
