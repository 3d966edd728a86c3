/**
 * A job run in a child process, so that the process starting it (the web process) never waits
 * for it: parsing, validating and analysing records, writing the index and its final merge all
 * happen elsewhere, while the parent keeps the lease, the history and the live progress. Both
 * sides are here: childProcessJob() in the parent, serveChildJob() in the child.
 *
 * Messages (structured clone over the IPC channel):
 *   parent → child  { type: 'start', runId, mode, trigger, request }   { type: 'cancel', reason }
 *   child → parent  { type: 'progress', sources }                       { type: 'result', result }
 * A child that exits without a result (killed, out of memory) fails the run with the reason; if
 * the parent goes away, the child cancels its run (nothing is committed) and exits.
 */
import { fork, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import type { JobContext, JobFunction, JobResult, SourceProgress } from './job-runner';
import type { RunMode } from './run-history';

type ToChild =
  | { type: 'start'; runId: string; mode: RunMode; trigger: string; request: unknown }
  | { type: 'cancel'; reason: string };
type ToParent = { type: 'progress'; sources: SourceProgress[] } | { type: 'result'; result: JobResult };

export interface ChildCommand {
  /** The module the child runs (node's first argument), e.g. the CLI. */
  modulePath: string;
  args: string[];
  /** Node options of the child, e.g. a loader for TypeScript sources. */
  execArgv: string[];
}

export interface ChildJobOptions {
  command: ChildCommand;
  /** What the child is to do, besides the run's id and mode; must survive structured cloning. */
  request(ctx: JobContext): unknown;
  /** After a cancel, how long the child may take to discard its work before it is killed. */
  cancelGraceMs?: number;
  /** Told the child's process id once it runs (logs). */
  onStart?: (pid: number) => void;
  /**
   * Scheduling priority of the child (nice value, 0 to 19): background work that yields the CPU
   * to the parent's requests on a busy machine.
   */
  niceness?: number;
}

const CANCEL_GRACE_MS = 10_000;

function failed(error: string): JobResult {
  return { outcome: 'failed', rejections: [], rejectionsTotal: 0, error };
}

export function childProcessJob(options: ChildJobOptions): JobFunction {
  return async (ctx) => {
    const request = await options.request(ctx);
    const { modulePath, args, execArgv } = options.command;
    let child: ChildProcess;
    try {
      child = fork(modulePath, args, { execArgv, serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    } catch (err) {
      return failed(`the ingest process could not be started: ${(err as Error).message}`);
    }
    return new Promise<JobResult>((resolve) => {
      let result: JobResult | undefined;
      let killTimer: NodeJS.Timeout | undefined;
      const cancel = () => {
        const reason = ctx.signal.reason instanceof Error ? ctx.signal.reason.message : 'the run was cancelled';
        if (child.connected) child.send({ type: 'cancel', reason } satisfies ToChild);
        killTimer = setTimeout(() => child.kill('SIGKILL'), options.cancelGraceMs ?? CANCEL_GRACE_MS);
      };
      child.on('spawn', () => {
        if (child.pid === undefined) return;
        if (options.niceness !== undefined) {
          try {
            os.setPriority(child.pid, options.niceness);
          } catch {
            // Not permitted on this system: the run goes on at normal priority.
          }
        }
        options.onStart?.(child.pid);
      });
      child.on('message', (message: ToParent) => {
        if (message.type === 'progress') for (const p of message.sources) ctx.onProgress(p);
        else if (message.type === 'result') result = message.result;
      });
      child.on('error', (err) => {
        // Failing to spawn, or to send: 'exit' follows when there was a process.
        if (child.pid === undefined) resolve(failed(`the ingest process could not be started: ${err.message}`));
      });
      child.on('exit', (code, signal) => {
        clearTimeout(killTimer);
        ctx.signal.removeEventListener('abort', cancel);
        if (result !== undefined) return resolve(result);
        const how = signal ? `killed by ${signal}` : `exit code ${code}`;
        resolve(failed(`the ingest process stopped unexpectedly (${how}) before the run finished`));
      });
      if (ctx.signal.aborted) cancel();
      else ctx.signal.addEventListener('abort', cancel, { once: true });
      child.send({ type: 'start', runId: ctx.runId, mode: ctx.mode, trigger: ctx.trigger, request } satisfies ToChild);
    });
  };
}

/**
 * The child's side: waits for the start message, runs the job the request names, sends its
 * progress and result, and resolves when done (the caller then closes what it opened and exits).
 */
export function serveChildJob(jobFor: (request: unknown) => JobFunction): Promise<void> {
  const send = process.send?.bind(process);
  if (!send) return Promise.reject(new Error('this command is started by the web process, with an IPC channel'));
  return new Promise<void>((resolve) => {
    const controller = new AbortController();
    let pending = new Map<string, SourceProgress>();
    let flushing = false;
    // Progress goes out in batches: the newest figures per source, once per turn of the loop.
    const flush = () => {
      flushing = false;
      if (pending.size === 0 || !process.connected) return;
      send({ type: 'progress', sources: [...pending.values()] } satisfies ToParent);
      pending = new Map();
    };
    process.on('message', (message: ToChild) => {
      if (message.type === 'cancel') {
        controller.abort(new Error(message.reason));
        return;
      }
      const ctx: JobContext = {
        runId: message.runId,
        mode: message.mode,
        trigger: message.trigger,
        signal: controller.signal,
        onProgress: (p) => {
          pending.set(p.source, { ...pending.get(p.source), ...p });
          if (!flushing) {
            flushing = true;
            setImmediate(flush);
          }
        },
      };
      void jobFor(message.request)(ctx)
        .catch((err: unknown) => failed(err instanceof Error ? err.message : String(err)))
        .then((result) => {
          flush();
          if (process.connected) send({ type: 'result', result } satisfies ToParent, undefined, {}, () => process.disconnect());
          resolve();
        });
    });
    // The parent went away (it stopped, or was killed): nobody holds the lease for this run any more.
    process.on('disconnect', () => controller.abort(new Error('the process that started the run stopped')));
    // Ctrl-C in a terminal reaches the whole process group: the parent cancels the run and this
    // process winds it down cleanly, instead of dying mid-write. A signal sent to this process
    // alone asks for the same.
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.on(signal, () => controller.abort(new Error(`the ingest process was stopped (${signal}); nothing was committed`)));
    }
  });
}
