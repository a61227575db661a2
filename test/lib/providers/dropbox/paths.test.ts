import { headerJson, parseDropboxFolder } from '../../../../lib/providers/dropbox';
import { dropboxRetryable } from '../../../../lib/providers/dropbox/resilience';
import { dropboxSourceKey, parseDropboxCursor } from '../../../../lib/providers/dropbox/listing';
import { mimeOf, webUrlOf } from '../../../../lib/providers/dropbox/metadata';

describe('Dropbox folder references', () => {
	it.each([
		['', { path: '', namespaceId: null }],
		['/', { path: '', namespaceId: null }],
		['  /Team Docs/Q1/ ', { path: '/Team Docs/Q1', namespaceId: null }],
		['id:a4ayc_80_OEAAAAAAAAAXw', { path: 'id:a4ayc_80_OEAAAAAAAAAXw', namespaceId: null }],
		['ns:12345', { path: '', namespaceId: '12345' }],
		['ns:12345/Handbook/Policies', { path: '/Handbook/Policies', namespaceId: '12345' }],
		['https://www.dropbox.com/home/Team%20Docs/Q1?preview=x.pdf', { path: '/Team Docs/Q1', namespaceId: null }],
		['https://www.dropbox.com/home', { path: '', namespaceId: null }],
	])('reads %j', (value, expected) => {
		expect(parseDropboxFolder(value)).toEqual(expected);
	});

	it('keeps a shared link with its rlkey and without tracking parameters', () => {
		expect(parseDropboxFolder('https://www.dropbox.com/scl/fo/abc/def?rlkey=k1&st=x&dl=0#frag')).toEqual({
			path: '',
			namespaceId: null,
			sharedLink: 'https://www.dropbox.com/scl/fo/abc/def?rlkey=k1',
		});
	});

	it.each(['Handbook', 'ns:abc/x', 'https://example.com/home/x', '/a//b', 'https://www.dropbox.com/home/%E0%A4%A'])('refuses %j with what would work', (value) => {
		expect(() => parseDropboxFolder(value)).toThrow(expect.objectContaining({ code: 'invalid_input' }));
	});
});

describe('Dropbox request details', () => {
	it('escapes every non-ASCII character of a Dropbox-API-Arg as \\uXXXX, as Dropbox requires', () => {
		const header = headerJson({ path: '/Résumé ✓.pdf' });
		expect(header).toBe('{"path":"/R\\u00e9sum\\u00e9 \\u2713.pdf"}');
		expect(JSON.parse(header)).toEqual({ path: '/Résumé ✓.pdf' });
		expect(/^[\x20-\x7e]*$/.test(header)).toBe(true);
	});

	it('retries 429s, 5xx and busy-namespace 409s, not other route errors or bad requests', async () => {
		const json = (status: number, summary: string) => new Response(JSON.stringify({ error_summary: summary, error: {} }), { status });
		expect(await dropboxRetryable(new Response('', { status: 429 }))).toBe(true);
		expect(await dropboxRetryable(new Response('', { status: 503 }))).toBe(true);
		expect(await dropboxRetryable(json(409, 'path/too_many_write_operations/..'))).toBe(true);
		expect(await dropboxRetryable(json(409, 'too_many_write_operations/...'))).toBe(true);
		expect(await dropboxRetryable(json(409, 'path/not_found/..'))).toBe(false);
		expect(await dropboxRetryable(json(409, 'reset/..'))).toBe(false);
		expect(await dropboxRetryable(new Response('Error in call to API function', { status: 400 }))).toBe(false);
		expect(await dropboxRetryable(new Response('not json', { status: 409 }))).toBe(false);
	});

	it('names a source by account, namespace, folder as given and recursion, and refuses an empty account', () => {
		const source = { path: '/Handbook', namespaceId: null, recursive: true };
		expect(dropboxSourceKey('dbid:AA1', source)).toBe('dropbox:dbid:AA1:home:/handbook');
		expect(dropboxSourceKey('dbid:AA1', { ...source, namespaceId: '77', recursive: false })).toBe('dropbox:dbid:AA1:77:/handbook:direct');
		expect(dropboxSourceKey('dbid:AA1', { path: '', namespaceId: null, recursive: true })).toBe('dropbox:dbid:AA1:home:/');
		expect(() => dropboxSourceKey(' ', source)).toThrow('The Dropbox account id is empty');
	});

	it('reads back only the cursors it wrote', () => {
		expect(parseDropboxCursor({ cursor: 'AAE', snapshot: '3' })).toEqual({ cursor: 'AAE' });
		for (const value of [null, 'AAE', { cursor: '' }, { cursor: 3 }, { pageToken: 'x' }]) expect(parseDropboxCursor(value)).toBeNull();
	});

	it('takes MIME types from extensions, Paper docs their own, and links a file to its preview in its folder', () => {
		expect(mimeOf({ name: 'Q1.PDF' })).toBe('application/pdf');
		expect(mimeOf({ name: 'Plan.paper' })).toBe('application/vnd.dropbox.paper');
		expect(mimeOf({ name: 'README' })).toBe('application/octet-stream');
		expect(webUrlOf('/Team Docs/Q1 #1.pdf')).toBe('https://www.dropbox.com/home/Team%20Docs?preview=Q1%20%231.pdf');
		expect(webUrlOf(undefined)).toBeNull();
	});
});
