/** The fake Drive's `fields` and `q` parsers, which decide how strict the fake is. */
import { FieldsError, parseFields, project, validateSelection } from './driveFields';
import { DriveQueryError, parseDriveQuery, type QueryableFile } from './driveQuery';
import { FILE_LIST_SCHEMA } from './driveSchemas';

const selected = (expression: string, value: unknown): unknown => project(value, parseFields(expression));

describe('fields expressions', () => {
	const list = {
		kind: 'drive#fileList',
		nextPageToken: 't',
		files: [{ id: '1', name: 'a', parents: ['p'], capabilities: { canDownload: true, canEdit: false } }],
	};

	it('treats a/b and a(b) alike and merges repeated selections', () => {
		expect(selected('files/id,files(name)', list)).toEqual({ files: [{ id: '1', name: 'a' }] });
		expect(selected('files(capabilities/canDownload)', list)).toEqual({ files: [{ capabilities: { canDownload: true } }] });
	});

	it('lets a whole-field selection win over a narrower one and * select everything at its level', () => {
		expect(selected('files,files(id)', list)).toEqual({ files: list.files });
		expect(selected('files(*)', list)).toEqual({ files: list.files });
		expect(selected('*', list)).toEqual(list);
	});

	it('rejects malformed expressions and fields the resource does not have', () => {
		for (const bad of ['files(', 'files()', 'files(id,)', ',id', 'files)id']) {
			expect(() => parseFields(bad)).toThrow(FieldsError);
		}
		expect(() => validateSelection(parseFields('files(id,nme)'), FILE_LIST_SCHEMA)).toThrow('Invalid field selection nme');
		expect(() => validateSelection(parseFields('files(name/x)'), FILE_LIST_SCHEMA)).toThrow(FieldsError);
		expect(() => validateSelection(parseFields('nextPageToken,files(id,capabilities/canDownload)'), FILE_LIST_SCHEMA)).not.toThrow();
	});
});

describe('q expressions', () => {
	const file = (overrides: Partial<QueryableFile>): QueryableFile => ({
		name: 'Quarterly report.pdf',
		mimeType: 'application/pdf',
		parents: ['folder1'],
		ownerEmails: ['alice@example.com'],
		trashed: false,
		starred: false,
		modifiedTime: '2025-01-02T00:00:00.000Z',
		createdTime: '2025-01-01T00:00:00.000Z',
		fullText: 'Quarterly report revenue',
		...overrides,
	});
	const matches = (q: string, target: QueryableFile = file({})): boolean =>
		parseDriveQuery(q, { me: 'alice@example.com', resolveId: (id) => (id === 'root' ? 'rootId' : id) })(target);

	it('honours precedence: and binds tighter than or, parentheses override', () => {
		expect(matches("name = 'x' and trashed = true or mimeType = 'application/pdf'")).toBe(true);
		expect(matches("name = 'x' and (trashed = true or mimeType = 'application/pdf')")).toBe(false);
		expect(matches("not name contains 'quart'")).toBe(false);
	});

	it('resolves root, me and escaped quotes', () => {
		expect(matches("'root' in parents", file({ parents: ['rootId'] }))).toBe(true);
		expect(matches("'me' in owners")).toBe(true);
		expect(matches("name = 'Bob\\'s notes'", file({ name: "Bob's notes" }))).toBe(true);
	});

	it('compares times as instants', () => {
		expect(matches("modifiedTime > '2025-01-01T12:00:00Z'")).toBe(true);
		expect(matches("modifiedTime <= '2025-01-01T12:00:00Z'")).toBe(false);
	});

	it('rejects what Drive would answer with 400 Invalid Value', () => {
		for (const bad of ["name = 'unterminated", 'name = true', "trashed = 'false'", "owner = 'x'", "'a' in children", "name == 'a'", "(name = 'a'"]) {
			expect(() => matches(bad)).toThrow(DriveQueryError);
		}
	});
});
