import { describe, expect, it } from 'vitest';
import { createPagesAhead } from '../../../renderer/src/features/users/api/pages-ahead.ts';

interface Page {
  cursor: string | undefined;
  version: number;
  nextCursor: string | null;
}

/** A backend of three pages per list that records each request and can be made to fail. */
function fakeBackend() {
  const asked: string[] = [];
  let version = 0;
  let failNext = false;
  const fetchPage = (list: string, cursor: string | undefined): Promise<Page> => {
    asked.push(`${list}:${cursor ?? 'first'}`);
    if (failNext) {
      failNext = false;
      return Promise.reject(new Error('backend down'));
    }
    const at = cursor === undefined ? 0 : Number(cursor);
    return Promise.resolve({ cursor, version, nextCursor: at < 2 ? String(at + 1) : null });
  };
  return {
    fetchPage,
    asked,
    bump: () => (version += 1),
    failNextRequest: () => (failNext = true),
  };
}

describe('reading pages one ahead', () => {
  it('asks for the next page as soon as a page arrives, and answers from it', async () => {
    const backend = fakeBackend();
    const pages = createPagesAhead(backend.fetchPage);
    await pages.read('all', undefined);
    expect(backend.asked).toEqual(['all:first', 'all:1']);
    const second = await pages.read('all', '1');
    expect(second.cursor).toBe('1');
    expect(backend.asked).toEqual(['all:first', 'all:1', 'all:2']); // page 1 was not asked again
    await pages.read('all', '2');
    expect(backend.asked).toHaveLength(3); // the last page has no next one
  });

  it('drops a page read ahead once users changed, and asks again', async () => {
    const backend = fakeBackend();
    const pages = createPagesAhead(backend.fetchPage);
    await pages.read('all', undefined);
    backend.bump();
    pages.changed();
    const second = await pages.read('all', '1');
    expect(second.version).toBe(1);
    expect(backend.asked.filter((a) => a === 'all:1')).toHaveLength(2);
  });

  it('drops it for a fresh load from the first page, or another cursor', async () => {
    const backend = fakeBackend();
    const pages = createPagesAhead(backend.fetchPage);
    await pages.read('all', undefined);
    await pages.read('all', undefined); // a refetch from the start
    expect(backend.asked).toEqual(['all:first', 'all:1', 'all:first', 'all:1']);
    await pages.read('all', '2');
    expect(backend.asked.at(-1)).toBe('all:2');
  });

  it('keeps each list apart', async () => {
    const backend = fakeBackend();
    const pages = createPagesAhead(backend.fetchPage);
    await pages.read('loc-a', undefined);
    await pages.read('loc-b', undefined);
    await pages.read('loc-a', '1');
    expect(backend.asked.filter((a) => a === 'loc-a:1')).toHaveLength(1);
  });

  it('fails the next read when the page read ahead failed; asking again then works', async () => {
    const backend = fakeBackend();
    const pages = createPagesAhead(backend.fetchPage);
    backend.failNextRequest();
    await expect(pages.read('all', undefined)).rejects.toThrow('backend down');
    await pages.read('all', undefined);
    backend.failNextRequest();
    await pages.read('all', '1'); // read ahead of page 2 fails here, unseen
    await expect(pages.read('all', '2')).rejects.toThrow('backend down');
    await expect(pages.read('all', '2')).resolves.toMatchObject({ cursor: '2' });
  });
});
