import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { baseEnv } from './spawn-node.js';

/** A command and every process it starts, in a process group of their own. */
export interface ProcessGroup {
  child: ChildProcess;
  /** stdout and stderr so far, interleaved as they came. */
  readonly output: string;
  /** The group's processes still running (zombies excluded), by pid. */
  members(): number[];
  /** SIGTERM to the whole group, SIGKILL after `graceMs`; resolves once none of its processes runs. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Read from /proc rather than with `kill(-pgid, 0)`: that also counts zombies, and an orphan's zombie
 * stays one for good where PID 1 does not reap (a container).
 */
function runningInGroup(pgid: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // ended meanwhile
    }
    // pid (comm) state ppid pgrp …; comm may hold spaces and parentheses, so split after its last ')'.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === pgid && state !== 'Z') pids.push(Number(entry));
  }
  return pids;
}

/** Starts `command ...args` in `cwd` with spawn-node's clean environment plus `env`, as a new process group. */
export function startGroup(command: string, args: string[], cwd: string, env: Record<string, string>): ProcessGroup {
  // detached: the group's id is the child's pid, so what it forks (npm → nest → node) is stopped with it.
  const child = spawn(command, args, { cwd, env: baseEnv(env), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const pgid = child.pid ?? 0;
  const members = () => runningInGroup(pgid);
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-pgid, name);
    } catch {} // the group is gone already
  };
  return {
    child,
    get output() {
      return output;
    },
    members,
    async stop(graceMs = 20_000) {
      signal('SIGTERM');
      const killAt = Date.now() + graceMs;
      while (members().length > 0) {
        if (Date.now() > killAt) signal('SIGKILL');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
  };
}
