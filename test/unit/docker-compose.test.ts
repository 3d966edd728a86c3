/**
 * The Docker Compose files, read as Compose reads them (YAML with anchors and merge keys, the
 * cluster file merged over the base file), since Docker itself is not available here: the
 * properties an operator relies on are asserted, and the setup step's script is run for real
 * against a stand-in Elasticsearch with a password that JSON built by hand would break.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { PROJECT_ROOT } from '../support/test-app';

type Service = {
  environment?: Record<string, string>;
  command?: string | string[];
  entrypoint?: string | string[];
  stop_grace_period?: string;
  image?: string;
};
type ComposeFile = { services: Record<string, Service> };

function load(name: string): ComposeFile {
  return parse(fs.readFileSync(path.join(PROJECT_ROOT, name), 'utf8'), { merge: true }) as ComposeFile;
}

/** `docker compose -f base -f override`: maps (environment) merge key by key; other values replace. */
function merged(base: ComposeFile, override: ComposeFile): ComposeFile {
  const services: Record<string, Service> = { ...base.services };
  for (const [name, service] of Object.entries(override.services)) {
    const before = services[name] ?? {};
    services[name] = { ...before, ...service, environment: { ...before.environment, ...service.environment } };
  }
  return { services };
}

/** The value Compose substitutes for "${NAME:-default}" when NAME is not set. */
function withDefaults(value: string | undefined): string | undefined {
  return value?.replace(/\$\{[A-Z0-9_]+:-([^}]*)\}/g, '$1');
}

function seconds(duration: string | undefined): number {
  const m = /^(?:(\d+)m)?(?:(\d+)s)?$/.exec(duration ?? '');
  return m ? Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0) : 0;
}

const base = load('docker-compose.yml');
const cluster = merged(base, load('docker-compose.cluster.yml'));
const NODES = ['elasticsearch', 'es02', 'es03'];

describe('docker-compose.cluster.yml', () => {
  it('points the portal and the ingest service at all three nodes, creating indices with replicas', () => {
    for (const name of ['corridor', 'ingest']) {
      const env = cluster.services[name]!.environment!;
      expect(withDefaults(env.CORRIDOR_ES_NODES)?.split(',')).toEqual(['http://elasticsearch:9200', 'http://es02:9200', 'http://es03:9200']);
      expect(Number(withDefaults(env.CORRIDOR_ES_REPLICAS))).toBeGreaterThanOrEqual(1);
    }
  });

  it('bootstraps the cluster with cluster.initial_master_nodes on the first start only', () => {
    for (const name of NODES) {
      const node = cluster.services[name]!;
      expect(Object.keys(node.environment ?? {})).not.toContain('cluster.initial_master_nodes');
      const command = ([] as string[]).concat(node.command ?? []).join(' ');
      // Set only while the node has no cluster state of its own yet.
      expect(command).toMatch(/if \[ ! -d [^\]]*data\/_state \]/);
      expect(command).toMatch(/cluster\.initial_master_nodes=es01,es02,es03/);
      expect(command).toContain('docker-entrypoint.sh eswrapper');
    }
  });

  it('gives each node time to shut down cleanly', () => {
    for (const name of NODES) expect(seconds(cluster.services[name]!.stop_grace_period)).toBeGreaterThanOrEqual(60);
  });
});

describe('the es-setup step', () => {
  const run = promisify(execFile);

  it('builds its requests with a JSON encoder: a password with quotes and backslashes arrives intact', async () => {
    const setup = base.services['es-setup']!;
    const command = ([] as string[]).concat(setup.command ?? []);
    expect(command[0]).toBe('node');
    const script = command[command.indexOf('-e') + 1]!;
    // Nothing for Compose to interpolate inside the script.
    expect(script).not.toContain('$');

    const bodies: Record<string, unknown> = {};
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        bodies[req.url ?? ''] = JSON.parse(body);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const password = 'pa"ss\\word {x}\n$HOME';
      await run(process.execPath, ['-e', script], {
        env: {
          ...process.env,
          ES_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
          ELASTIC_PASSWORD: 'el"astic',
          CORRIDOR_ES_PASSWORD: password,
          PREFIX: 'corridor',
        },
      });
      expect(bodies['/_security/user/corridor']).toEqual({ password, roles: ['corridor_app'] });
      expect(bodies['/_security/role/corridor_app']).toEqual({
        cluster: ['monitor'],
        indices: [{ names: ['corridor-*'], privileges: ['all'] }],
      });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
