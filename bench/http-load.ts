/** JSON-RPC load over keep-alive HTTP connections, shared by the node and scale benchmarks. */
import { Agent, request } from 'node:http';
import { percentile } from './stats.js';

export interface LoadResult { rps: number; p50: number; p99: number; mean: number; errors: number; requests: number }

/**
 * `connections` clients, each with one keep-alive socket to one of `urls` (round robin: a load balancer), sending the
 * bodies `next()` gives until it returns undefined. Latencies in ms; a JSON-RPC error answer counts as an error.
 */
async function drive(urls: readonly string[], next: () => string | undefined, connections: number): Promise<{ latencies: number[]; errors: number; seconds: number }> {
  const agents = urls.map(() => new Agent({ keepAlive: true, maxSockets: connections }));
  const latencies: number[] = [];
  let errors = 0;
  const one = (i: number, body: string) => new Promise<void>((resolve) => {
    const u = new URL(urls[i % urls.length]!);
    const payload = Buffer.from(body);
    const t0 = performance.now();
    const req = request({ host: u.hostname, port: u.port, method: 'POST', path: '/', agent: agents[i % urls.length], headers: { 'content-type': 'application/json', 'content-length': payload.length } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        latencies.push(performance.now() - t0);
        const text = Buffer.concat(chunks).toString();
        if (res.statusCode !== 200 || text.includes('"error"')) errors++;
        resolve();
      });
    });
    req.on('error', () => { errors++; resolve(); });
    req.end(payload);
  });
  const start = performance.now();
  await Promise.all(Array.from({ length: connections }, async (_, i) => {
    for (let body = next(); body !== undefined; body = next()) await one(i, body);
  }));
  const seconds = (performance.now() - start) / 1000;
  for (const a of agents) a.destroy();
  return { latencies, errors, seconds };
}

function summary(r: { latencies: number[]; errors: number; seconds: number }): LoadResult {
  const n = r.latencies.length;
  return {
    rps: n / r.seconds, p50: percentile(r.latencies, 50), p99: percentile(r.latencies, 99),
    mean: r.latencies.reduce((a, b) => a + b, 0) / Math.max(1, n), errors: r.errors, requests: n,
  };
}

/** The same `body` back to back for `seconds`, after a 1 s warm-up (JIT, sockets, caches). */
export async function load(url: string | readonly string[], body: string, seconds: number, connections: number): Promise<LoadResult> {
  const urls = typeof url === 'string' ? [url] : url;
  const until = (end: number) => () => (performance.now() < end ? body : undefined);
  await drive(urls, until(performance.now() + 1000), connections);
  return summary(await drive(urls, until(performance.now() + seconds * 1000), connections));
}

/** Each of `bodies` once (signed writes cannot be repeated), over `connections`. */
export async function burst(urls: readonly string[], bodies: readonly string[], connections: number): Promise<LoadResult> {
  let i = 0;
  return summary(await drive(urls, () => bodies[i++], connections));
}
