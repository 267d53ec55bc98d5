import http from 'node:http';
import type { Answer } from './harness.ts';

export interface RequestInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * A request to `url` whose socket comes from the local address `from`, so the backend sees
 * another client: on Linux every 127.x.y.z address reaches a server on 127.0.0.1.
 */
export function requestFrom(from: string, url: string, init: RequestInit = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method: init.method ?? 'GET', headers: init.headers, localAddress: from, agent: false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const headers = new Headers();
          for (const [name, value] of Object.entries(response.headers)) {
            if (value !== undefined)
              headers.set(name, Array.isArray(value) ? value.join(', ') : value);
          }
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = null;
          }
          resolve({ status: response.statusCode ?? 0, headers, json, text });
        });
      },
    );
    request.on('error', reject);
    request.end(init.body);
  });
}

/** A client at `from`: requests to the backend at `base`, with an optional bearer token. */
export function clientAt(from: string, base: string) {
  return (pathname: string, token?: string, init: RequestInit = {}): Promise<Answer> =>
    requestFrom(from, `${base}${pathname}`, {
      ...init,
      headers: {
        ...(token === undefined ? {} : { Authorization: `Bearer ${token}` }),
        ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...init.headers,
      },
    });
}

/** `count` requests made `batch` at a time; their statuses in order. */
export async function statusesOf(
  count: number,
  send: (i: number) => Promise<Answer>,
  batch = 25,
): Promise<number[]> {
  const statuses: number[] = [];
  for (let start = 0; start < count; start += batch) {
    const answers = await Promise.all(
      Array.from({ length: Math.min(batch, count - start) }, (_, j) => send(start + j)),
    );
    statuses.push(...answers.map((a) => a.status));
  }
  return statuses;
}
