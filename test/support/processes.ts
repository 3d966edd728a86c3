/**
 * Real processes for end-to-end tests: the CLI (`indexer/cli.ts`) and the web process
 * (`src/main.ts`), run by node with tsx as a loader (so a signal reaches the process itself), and
 * a signed-in staff client for a running web process.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], env: Record<string, string>, input?: string): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', 'indexer/cli.ts', ...args],
      { cwd: PROJECT_ROOT, env: { ...process.env, LOG_LEVEL: 'silent', ...env }, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

export interface WebProcess {
  child: ChildProcess;
  /** http://127.0.0.1:<port> */
  url: string;
  output: string[];
  exited: Promise<number | null>;
  /** SIGKILL unless it has exited already. */
  kill(): Promise<void>;
}

/** Starts `src/main.ts` on port 0 and waits for its "serving" line, which names the port. */
export async function startWebProcess(env: Record<string, string>): Promise<WebProcess> {
  const output: string[] = [];
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', CORRIDOR_NIGHTLY: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start:\n${output.join('')}`)), 90_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output.push(chunk.toString());
      const match = /serving (http:\/\/localhost:\d+)/.exec(output.join(''));
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!.replace('localhost', '127.0.0.1'));
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code}):\n${output.join('')}`));
    });
  });
  return {
    child,
    url,
    output,
    exited,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Processes whose parent is `pid` (Linux /proc), with their command lines. */
export function childProcesses(pid: number): { pid: number; command: string[] }[] {
  const children: { pid: number; command: string[] }[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // "pid (comm) state ppid …": comm may contain spaces, so read after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== pid) continue;
      const command = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean);
      children.push({ pid: Number(entry), command });
    } catch {
      // The process ended while the list was read.
    }
  }
  return children;
}

export interface StaffClient {
  get(pathname: string): Promise<Response>;
  postJson(pathname: string, body: unknown): Promise<Response>;
}

/** Signs in through the sign-in form, as a browser would, and keeps the session cookie. */
export async function signInStaff(url: string, name: string, password: string): Promise<StaffClient> {
  const cookies = new Map<string, string>();
  const remember = (res: Response) => {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
  };
  const cookieHeader = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const request = async (pathname: string, init: RequestInit = {}) => {
    const res = await fetch(`${url}${pathname}`, { redirect: 'manual', ...init, headers: { cookie: cookieHeader(), ...(init.headers as Record<string, string>) } });
    remember(res);
    return res;
  };
  const form = await request('/staff/sign-in');
  const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1];
  if (!token) throw new Error('no CSRF token on the sign-in page');
  const signedIn = await request('/staff/sign-in', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: token, username: name, password }).toString(),
  });
  if (signedIn.status !== 303) throw new Error(`sign-in answered ${signedIn.status}`);
  const session = (await (await request('/staff/api/session', { headers: { accept: 'application/json' } })).json()) as { csrfToken: string };
  return {
    get: (pathname) => request(pathname, { headers: { accept: 'application/json' } }),
    postJson: (pathname, body) =>
      request(pathname, {
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
        body: JSON.stringify(body),
      }),
  };
}

/** NDJSON records for runs that last a while: distinct ids, titles and years. */
export function writeRecords(file: string, count: number, prefix: string, extra: (i: number) => Record<string, unknown> = () => ({})): void {
  const out = fs.openSync(file, 'w');
  try {
    let chunk = '';
    for (let i = 0; i < count; i++) {
      chunk += `${JSON.stringify({
        id: `${prefix}-${i}`,
        title: `Recruitment fees paid by migrant workers, survey ${prefix} ${i}`,
        abstract: 'Wage arrears and debt bondage among construction workers from Nepal in Qatar.',
        published: String(1995 + (i % 30)),
        ...extra(i),
      })}\n`;
      if (chunk.length > 1 << 20) {
        fs.writeSync(out, chunk);
        chunk = '';
      }
    }
    fs.writeSync(out, chunk);
  } finally {
    fs.closeSync(out);
  }
}
