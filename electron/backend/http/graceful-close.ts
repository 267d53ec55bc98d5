import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/**
 * How a server stops when the backend closes (a restart, an upgrade, the app quitting): it
 * takes no new connection, lets the requests in flight finish, and cuts only what is still
 * running after a grace period.
 *
 * Cutting at once would waste a bulk reset's hashing and leave its client unsure what was
 * applied until it sends the batch again. Node's own `close()` is not enough: it closes only
 * idle connections, and a keep-alive connection that finishes its request then stays open and
 * takes the next one. So every answer from the close on says `Connection: close`, and its
 * connection ends with it.
 */
export function closesGracefully(server: Server) {
  const writing = new Set<ServerResponse>();
  let closing = false;
  const lastOnItsConnection = (response: ServerResponse) => {
    if (!response.headersSent) response.setHeader('Connection', 'close');
  };
  server.on('request', (_request: IncomingMessage, response: ServerResponse) => {
    if (closing) lastOnItsConnection(response);
    writing.add(response);
    response.once('close', () => writing.delete(response));
  });

  return {
    /**
     * Resolves once every connection has ended; `cut` is how many answers were still being
     * made when `graceMs` ran out and their connections were closed under them.
     */
    close(graceMs: number): Promise<{ cut: number }> {
      closing = true;
      for (const response of writing) lastOnItsConnection(response);
      return new Promise((resolve) => {
        let cut = 0;
        const overdue = setTimeout(() => {
          cut = writing.size;
          server.closeAllConnections();
        }, graceMs);
        server.close(() => {
          clearTimeout(overdue);
          resolve({ cut });
        });
        server.closeIdleConnections();
      });
    },
  };
}
