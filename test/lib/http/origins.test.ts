import { isAllowedOrigin, originOf } from '../../../lib/http';

describe('isAllowedOrigin', () => {
	const allowed = ['https://api.notion.com', 'http://127.0.0.1:4100', 'https://*.googleapis.com'];

	it.each(['https://api.notion.com/v1/pages', 'http://127.0.0.1:4100/drive/v3/files', 'https://www.googleapis.com/drive/v3/about'])(
		'accepts %s',
		(url) => expect(isAllowedOrigin(url, allowed)).toBe(true),
	);

	it.each([
		['a look-alike host', 'https://api.notion.com.attacker.test/v1'],
		['a plain-http origin of an https entry', 'http://api.notion.com/v1'],
		['another port', 'http://127.0.0.1:4101/'],
		['a subdomain wildcard over http', 'http://www.googleapis.com/'],
		['a subdomain wildcard with a port', 'https://www.googleapis.com:444/'],
		['the bare domain of a wildcard', 'https://googleapis.com/'],
		['user info', 'https://user:pw@api.notion.com/v1'],
		['an unparsable URL', 'not a url'],
	])('refuses %s', (_, url) => expect(isAllowedOrigin(url, allowed)).toBe(false));

	it('names an origin without its path', () => {
		expect(originOf('http://127.0.0.1:4100/base/')).toBe('http://127.0.0.1:4100');
	});
});
