import { codeFenceLanguage, stableFileUrl } from '../../../../../lib/providers/notion/markdown';
import { signedUrl } from './blocks.fixtures';

describe('stableFileUrl', () => {
	it('drops the signature from an S3-signed Notion file URL', () => {
		expect(stableFileUrl(signedUrl('a b.png', 'sig-1'))).toBe(
			'https://prod-files-secure.s3.us-west-2.amazonaws.com/5e5e0000-0000-4000-8000-000000000005/f1e00000-0000-4000-8000-000000000001/a%20b.png',
		);
		expect(stableFileUrl(signedUrl('a b.png', 'sig-2'))).toBe(stableFileUrl(signedUrl('a b.png', 'sig-1')));
	});

	it("drops the expiry and signature from Notion's file.notion.so URLs", () => {
		expect(stableFileUrl('https://file.notion.so/f/f/ws/file-id/doc.pdf?table=block&id=b1&expirationTimestamp=1&signature=x#page=2')).toBe(
			'https://file.notion.so/f/f/ws/file-id/doc.pdf',
		);
	});

	it('leaves a URL without a query as it is', () => {
		expect(stableFileUrl('https://e.com/a.png')).toBe('https://e.com/a.png');
	});
});

describe('codeFenceLanguage', () => {
	it('lower-cases unknown names and joins words with dashes', () => {
		expect(codeFenceLanguage('Some New Lang')).toBe('some-new-lang');
	});

	it('gives no info string for a missing language', () => {
		expect(codeFenceLanguage('')).toBe('');
		expect(codeFenceLanguage(undefined)).toBe('');
	});
});
