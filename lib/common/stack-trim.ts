import { fileURLToPath } from 'node:url';

// A failing check's stack is read by the app's developer: the frames that matter are theirs
// (and their drivers'), not watchman's executor and runner that called the check, nor what
// called those. Watchman's own files are the folder this file sits under (lib/ in a checkout,
// dist/ in the package) — found only when this module is still where it was built to be: in a
// bundle the folder is the app's, and nothing is trimmed.
const HERE = import.meta.url;
const OWN_URL = /\/common\/stack-trim\.[cm]?[jt]s$/.test(HERE) ? new URL('../', HERE).href : undefined;
const OWN_PATH = OWN_URL === undefined ? undefined : fileURLToPath(OWN_URL);

const FRAME = /^\s*at\s/;
// A frame with a file position (not `at async Promise.all (index 0)`).
const LOCATED = /:\d+:\d+\)?\s*$/;
const NODE_INTERNAL = /[( ]node:/;

/** Whether a stack line is a frame of watchman's own code. */
function isOwnFrame(line: string): boolean {
  if (!FRAME.test(line) || OWN_URL === undefined || OWN_PATH === undefined) return false;
  return line.includes(OWN_URL) || line.includes(OWN_PATH);
}

/** A frame in the app's or a driver's file (not watchman's, not Node's own). */
function isForeignFrame(line: string): boolean {
  return FRAME.test(line) && LOCATED.test(line) && !NODE_INTERNAL.test(line) && !isOwnFrame(line);
}

/**
 * A stack cut where watchman called the check: from the first frame of watchman's own code on,
 * the frames are watchman's runner and whatever asked it (Nest's router, the CLI, a timer),
 * which say nothing about the failure. When the check's own frames are all watchman's (a
 * built-in failed in watchman's code), the first of them is kept, so the stack still says
 * where it was thrown.
 */
export function trimOwnFrames(stack: string): string {
  const lines = stack.split('\n');
  const cut = lines.findIndex(isOwnFrame);
  if (cut < 0) return stack;
  const kept = lines.slice(0, cut);
  return (kept.some(isForeignFrame) ? kept : [...kept, lines[cut]]).join('\n');
}
