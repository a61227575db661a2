import { InvalidInputError } from '../../../../lib/errors';
import { COMPACT_ID_PATTERN, DASHED_ID_PATTERN, notionUrl, parseNotionId } from '../../../../lib/providers/notion';

const DASHED = '01234567-89ab-cdef-0123-456789abcdef';

describe('parseNotionId', () => {
	it.each([
		['0123456789abcdef0123456789abcdef', 'a bare id'],
		['0123456789ABCDEF0123456789ABCDEF', 'upper case'],
		[DASHED, 'a dashed id'],
		[`  ${DASHED}\n`, 'surrounding whitespace'],
		['https://www.notion.so/0123456789abcdef0123456789abcdef', 'a URL of the bare id'],
		['https://www.notion.so/acme/Team-Handbook-0123456789abcdef0123456789abcdef', 'a workspace URL with a title slug'],
		['https://www.notion.so/Handbook-0123456789abcdef0123456789abcdef?pvs=4#fedcba9876543210fedcba9876543210', 'a query and a block anchor'],
		['https://acme.notion.site/Caf%C3%A9-0123456789abcdef0123456789abcdef', 'a public site URL with an encoded slug'],
		[`https://www.notion.so/acme/${DASHED}`, 'a URL with a dashed id'],
	])('reads %s (%s)', (input) => {
		expect(parseNotionId(input, 'page')).toBe(DASHED);
	});

	it('takes the database from a view URL, and the opened page when a page is asked for', () => {
		const url = 'https://www.notion.so/acme/0123456789abcdef0123456789abcdef?v=11111111111111111111111111111111&p=fedcba9876543210fedcba9876543210&pm=s';
		expect(parseNotionId(url, 'database')).toBe(DASHED);
		expect(parseNotionId(url, 'page')).toBe('fedcba98-7654-3210-fedc-ba9876543210');
	});

	it.each([
		['', 'empty'],
		['0123456789abcdef', 'too short'],
		['0123456789abcdef0123456789abcdeg', 'not hex'],
		['https://www.notion.so/acme/Team-Handbook', 'a URL without an id'],
		['https://www.notion.so/acme/Handbook-0123456789abcdef0123456789abcdef00', 'a URL whose id is too long'],
		['notion.so/Handbook', 'neither an id nor a URL'],
	])('rejects %j (%s) naming what was expected', (input) => {
		expect(() => parseNotionId(input, 'database')).toThrow(InvalidInputError);
		expect(() => parseNotionId(input, 'database')).toThrow(/Notion database/);
	});
});

describe('notionUrl', () => {
	it('gives the canonical web address of an id, without its dashes', () => {
		expect(notionUrl(DASHED)).toBe('https://www.notion.so/0123456789abcdef0123456789abcdef');
	});
});

describe('the id patterns the editor validates with', () => {
	it.each([
		['0123456789abcdef0123456789abcdef', true],
		['0123456789ABCDEF0123456789ABCDEF', true],
		[DASHED, true],
		['0123456789abcdef0123456789abcde', false],
		['012345-6789abcdef0123456789abcdef', false],
	])('take %s as an id: %s, as parseNotionId does', (input, accepted) => {
		const matches = new RegExp(`^(?:${COMPACT_ID_PATTERN}|${DASHED_ID_PATTERN})$`).test(input);
		expect(matches).toBe(accepted);
		if (accepted) expect(parseNotionId(input, 'page')).toBe(DASHED);
		else expect(() => parseNotionId(input, 'page')).toThrow(InvalidInputError);
	});
});
