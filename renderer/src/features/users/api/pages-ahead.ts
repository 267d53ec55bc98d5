/**
 * Reads a paged list one page ahead: as soon as a page arrives, the next one is asked for, so
 * that the main process and the backend work on it while this page goes into the table. A load
 * then takes about the longer of the two sides instead of their sum.
 *
 * A page read ahead is used only by the very next request of its list, for its cursor, and
 * only if no user changed since it was asked for (`changed()`): otherwise it is dropped and
 * the page asked for again, so reading ahead never shows older data than asking then would.
 * A failed read ahead fails that next request, which the caller retries as any other.
 */
export function createPagesAhead<Page extends { nextCursor: string | null }>(
  fetchPage: (list: string, cursor: string | undefined) => Promise<Page>,
) {
  const ahead = new Map<string, { cursor: string; epoch: number; page: Promise<Page> }>();
  let epoch = 0;

  return {
    /** The page of `list` at `cursor` (undefined: the first page, which starts a fresh load). */
    async read(list: string, cursor: string | undefined): Promise<Page> {
      const kept = ahead.get(list);
      ahead.delete(list);
      const usable = kept !== undefined && kept.cursor === cursor && kept.epoch === epoch;
      const page = await (usable ? kept.page : fetchPage(list, cursor));
      if (page.nextCursor !== null) {
        const next = fetchPage(list, page.nextCursor);
        // Seen by the request that takes it; one that is dropped must not go unhandled.
        next.catch(() => undefined);
        ahead.set(list, { cursor: page.nextCursor, epoch, page: next });
      }
      return page;
    },
    /** Users changed: pages read ahead before now may hold them as they were. */
    changed(): void {
      epoch += 1;
    },
  };
}
