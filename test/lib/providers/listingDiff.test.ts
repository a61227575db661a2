import type { ConnectorItem } from '../../../lib/items';
import { outgoingItems } from '../../../lib/providers/listingDiff';

interface Known {
	path: string;
	mime: string | null;
}

const item = (id: string, path: string, change: ConnectorItem['change'] = 'upsert', mime: string | null = 'text/plain'): ConnectorItem => ({
	provider: 'test',
	external_id: id,
	source_key: 'test:source',
	name: path.slice(path.lastIndexOf('/') + 1),
	path,
	parents: [],
	mime,
	size: null,
	modified_at: null,
	created_at: null,
	version: null,
	hash: null,
	url: null,
	change,
});

const deletionOf = (id: string, known: Known) => item(id, known.path, 'deleted', known.mime);
const noPdf = (path: string) => !path.endsWith('.pdf');

describe('what a run owes against the previous snapshot', () => {
	it('lists what passes the filters, and deletes what left the source or the filters, once each', () => {
		const previous: Record<string, Known> = {
			kept: { path: '/kept.txt', mime: 'text/plain' },
			gone: { path: '/gone.txt', mime: 'text/plain' },
			renamedToPdf: { path: '/notes.txt', mime: 'text/plain' },
			wasPdf: { path: '/old.pdf', mime: 'application/pdf' },
		};
		const current = { kept: {}, renamedToPdf: {}, added: {} };
		const listed = [item('kept', '/kept.txt'), item('renamedToPdf', '/notes.pdf'), item('added', '/added.txt')];

		const { items, deletions } = outgoingItems(listed, previous, current, noPdf, deletionOf);

		expect(items.map((entry) => entry.external_id)).toEqual(['kept', 'added']);
		expect(deletions.map((entry) => [entry.external_id, entry.path])).toEqual([
			['renamedToPdf', '/notes.txt'],
			['gone', '/gone.txt'],
		]);
	});

	it('names no deletion on a first listing, nor when the files are the very map the previous snapshot held', () => {
		const files = { a: { path: '/a.txt', mime: 'text/plain' } };
		const asked: string[] = [];
		const counting = (id: string, known: Known) => {
			asked.push(id);
			return deletionOf(id, known);
		};
		expect(outgoingItems([item('a', '/a.txt')], null, files, () => true, counting)).toEqual({ items: [item('a', '/a.txt')], deletions: [] });
		expect(outgoingItems([], files, files, () => true, counting)).toEqual({ items: [], deletions: [] });
		expect(asked).toEqual([]);
	});
});
