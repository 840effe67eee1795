// The one place a cloud's SSH details (`Resource.ssh`) become something ssh or Remote-SSH is handed: Copy SSH Command,
// Open SSH Terminal and Open in Remote-SSH all go through `sshTarget`. The host, port and user come from the cloud's
// API, so they are checked, not cleaned: a value that would change what ssh does (a host or user starting with `-`
// is read by ssh as an option, e.g. `-oProxyCommand=…`, which runs a command) or that is not a plain host name,
// address or user name is refused with the reason, never rewritten into another host. No `vscode` here: unit-tested.
import type { Resource } from '../core/model/model';

export interface SshTarget {
  readonly host: string;
  readonly port: number;
  /** Absent when the cloud names none: ssh then logs in as ssh itself decides (the local user, or ~/.ssh/config). */
  readonly user?: string;
}

/** A host name, an IPv4 address or a bare IPv6 address; never starting with `-`. */
const HOST = /^[A-Za-z0-9_:][A-Za-z0-9._:-]{0,252}$/;
/** A POSIX-style user name (the portable filename character set); never starting with `-`. */
const USER = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}$/;

/** The checked target, or why Cloudtop will not hand these details to ssh. */
export function sshTarget(ssh: Resource['ssh']): SshTarget | { readonly refused: string } {
  if (!ssh) return { refused: 'the cloud gives no SSH details for it' };
  // No user invented: a cloud whose images log in as root says so in its mapping (Vast.ai, RunPod); Google Cloud names
  // none, as `gcloud compute ssh` leaves it to OS Login or the local user name — and its images refuse root.
  const user = ssh.user;
  if (!HOST.test(ssh.host)) return { refused: 'the cloud gave an SSH host that is not a plain host name or address' };
  if (user !== undefined && !USER.test(user)) return { refused: 'the cloud gave an SSH user name that is not a plain user name' };
  if (!Number.isInteger(ssh.port) || ssh.port < 1 || ssh.port > 65535) return { refused: 'the cloud gave an SSH port out of range' };
  return { host: ssh.host, port: ssh.port, ...(user !== undefined ? { user } : {}) };
}

/** ssh's arguments, one per element (no shell ever parses them): `-p <port> [<user>@]<host>`. */
export function sshArgs(target: SshTarget): string[] {
  return ['-p', String(target.port), target.user !== undefined ? `${target.user}@${target.host}` : target.host];
}

/** The command a user pastes into a terminal. Safe to paste: `sshTarget` lets no shell metacharacter through. */
export function sshCommandLine(target: SshTarget): string {
  return ['ssh', ...sshArgs(target)].join(' ');
}

export const REMOTE_SSH_SCHEME = 'ssh-remote';

/**
 * Remote-SSH's remote authority for this target: `ssh-remote+` and the hex of the JSON `{"hostName","user","port"}`.
 * It is the form Remote-SSH itself puts in its authorities (its logs show `ssh-remote+7b22686f73744e616d65…`, the hex
 * of `{"hostName":…`: https://github.com/microsoft/vscode-remote-release/issues/9324 and /issues/1004), and the only one
 * that carries a port: `ssh-remote+user@host:port` is read as a host named `host:port`
 * (https://github.com/microsoft/vscode-remote-release/issues/1900). Hex also keeps capitals, which VS Code lowercases in
 * a plain authority. The open-source reimplementation reads exactly these three fields back
 * (https://github.com/jeanp413/open-remote-ssh/blob/master/src/ssh/sshDestination.ts, `parseEncoded`). Port 22 is
 * left out, as Remote-SSH leaves it out for a host typed without one.
 */
export function remoteSshAuthority(target: SshTarget): string {
  const destination = {
    hostName: target.host,
    ...(target.user !== undefined ? { user: target.user } : {}),
    ...(target.port !== 22 ? { port: target.port } : {}),
  };
  return `${REMOTE_SSH_SCHEME}+${Buffer.from(JSON.stringify(destination), 'utf8').toString('hex')}`;
}
