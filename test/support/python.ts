/**
 * The Python tools CI reads Corridor's outputs with (test/python/requirements.txt): feedparser,
 * rispy, bibtexparser, sickle, schemathesis. They live in a virtual environment, `.venv-python`
 * in the project (`.ci/run` creates it), or the one CORRIDOR_PYTHON names (its python binary).
 * Without them a suite is reported as skipped, with the reason and the command that installs
 * them; in CI (CI=true) a missing tool fails the run instead.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describeIfAvailable } from './skip';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
export const PYTHON_DIR = path.join(PROJECT_ROOT, 'test', 'python');
const INSTALL_HINT =
  'python3 -m venv .venv-python && .venv-python/bin/pip install -r test/python/requirements.txt (Debian: apt-get install python3-venv)';

export function pythonBinary(): string {
  return process.env.CORRIDOR_PYTHON || path.join(PROJECT_ROOT, '.venv-python', 'bin', 'python');
}

/** Why the given modules cannot be used, or undefined when they can. */
export function missingPython(modules: string[]): string | undefined {
  const python = pythonBinary();
  if (!fs.existsSync(python)) return `no Python virtual environment at ${python}`;
  const probe = spawnSync(python, ['-c', modules.map((m) => `import ${m}`).join('; ')], { encoding: 'utf8', timeout: 60_000 });
  if (probe.status !== 0) return `cannot import ${modules.join(', ')}: ${(probe.stderr || '').trim().split('\n').pop()}`;
  return undefined;
}

/** describe() when the modules import; otherwise as describeIfAvailable (skipped with the reason, failing in CI). */
export function describeWithPython(name: string, modules: string[], body: () => void): void {
  describeIfAvailable(missingPython(modules), name, body, `Install them with: ${INSTALL_HINT}`);
}

export interface PythonResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs test/python/<script> with arguments and optional standard input. */
export function runPython(script: string, args: string[] = [], input?: string, timeoutMs = 120_000): Promise<PythonResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(pythonBinary(), [path.join(PYTHON_DIR, script), ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
    child.stdin.end(input ?? '');
  });
}

/** Runs a reader script that prints JSON, and returns the parsed JSON (failing with its stderr otherwise). */
export async function readWithPython<T>(script: string, args: string[] = [], input?: string): Promise<T> {
  const result = await runPython(script, args, input);
  if (result.status !== 0) throw new Error(`${script} exited with ${result.status}:\n${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}
