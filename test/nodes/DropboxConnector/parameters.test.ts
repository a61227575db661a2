import { ConnectorError } from '../../../lib/errors';
import { queryOf } from '../../../nodes/DropboxConnector/actions/browse.operation';
import { listingOptionsOf, sourceOf } from '../../../nodes/DropboxConnector/actions/listChanges.operation';
import { parameterContext, rl } from '../support';

function refusal(read: () => unknown): ConnectorError {
	try {
		read();
	} catch (error) {
		expect(error).toBeInstanceOf(ConnectorError);
		return error as ConnectorError;
	}
	throw new Error('Expected the parameters to be refused');
}

describe('Dropbox Connector parameters', () => {
	it.each([
		[rl('id', '/Handbook/Policies/'), { path: '/Handbook/Policies', namespaceId: null }],
		[rl('id', '/'), { path: '', namespaceId: null }],
		[rl('id', 'id:a4ayc_80_OEAAAAAAAAAXw'), { path: 'id:a4ayc_80_OEAAAAAAAAAXw', namespaceId: null }],
		[rl('list', 'ns:1000001/Handbook'), { path: '/Handbook', namespaceId: '1000001' }],
		[rl('list', 'ns:1000001'), { path: '', namespaceId: '1000001' }],
		[rl('url', 'https://www.dropbox.com/home/Team%20Docs/Q1'), { path: '/Team Docs/Q1', namespaceId: null }],
	])('reads the folder of %j', (folder, expected) => {
		expect(sourceOf(parameterContext({ sourceFolder: folder, recursive: true }), 0)).toEqual({ ...expected, recursive: true });
	});

	it('keeps a shared link, without its tracking parameters, to resolve it when listing', () => {
		const link = 'https://www.dropbox.com/scl/fo/abc123/h?rlkey=xyz&st=track&dl=0';
		expect(sourceOf(parameterContext({ sourceFolder: rl('url', link), recursive: false }), 0)).toEqual({
			path: '',
			namespaceId: null,
			sharedLink: 'https://www.dropbox.com/scl/fo/abc123/h?rlkey=xyz',
			recursive: false,
		});
	});

	it('refuses what is no Dropbox folder before any request, saying what would work', () => {
		const error = refusal(() => sourceOf(parameterContext({ sourceFolder: rl('id', 'Handbook'), recursive: true }), 0));
		expect(error.message).toBe('"Handbook" is not a Dropbox folder');
		expect(error.hint).toContain('/Team/Handbook');
		expect(refusal(() => sourceOf(parameterContext({ sourceFolder: rl('id', '/a//b'), recursive: true }), 0)).code).toBe('invalid_input');
		expect(refusal(() => queryOf(parameterContext({ location: 'folder', folder: rl('url', 'https://example.com/x') }), 0)).code).toBe('invalid_input');
	});

	it('browses the home folder, the team space or a folder', () => {
		expect(queryOf(parameterContext({ location: 'home' }), 0)).toEqual({ kind: 'home' });
		expect(queryOf(parameterContext({ location: 'teamSpace' }), 0)).toEqual({ kind: 'teamSpace' });
		expect(queryOf(parameterContext({ location: 'folder', folder: rl('id', '/Docs') }), 0)).toEqual({ kind: 'folder', folder: '/Docs' });
	});

	it('reads include types, exclude globs and the cap', () => {
		const ctx = parameterContext({ listOptions: { includeTypes: 'pdf, md', excludeGlobs: '/Archive/**', maxItems: 10 } });
		expect(listingOptionsOf(ctx, 0)).toEqual({ includeMimeTypes: ['pdf', 'md'], excludeGlobs: ['/Archive/**'], maxItems: 10 });
	});
});
