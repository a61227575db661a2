import { InvalidInputError } from '../../../lib/errors';
import type { ConnectorItem } from '../../../lib/items';
import { checkListedItem, formatOverrideWarnings, partitionByPolicy, planExport } from '../../../lib/sync';
import { DOCUMENT_MIME, DOCUMENT_TYPE, FAKE_PROVIDER, FakeProvider, PAGE_MIME } from './fakeProvider';
import { policyWith } from './support';

const MB = 1024 * 1024;

describe('item policy', () => {
	const fake = new FakeProvider()
		.put('doc', { path: '/Plans/Roadmap', mime: DOCUMENT_MIME, size: 5 * MB })
		.put('page', { path: '/Wiki/Getting started', mime: PAGE_MIME, size: 5 * MB })
		.put('text', { path: '/Notes/todo.txt', mime: 'text/plain', size: 10 })
		.put('big', { path: '/Media/film.mp4', mime: 'video/mp4', size: 5 * MB });
	const item = (id: string): ConnectorItem => fake.item(id);

	describe('checkListedItem', () => {
		it('leaves the type rule to export for a type with several export formats', () => {
			const policy = policyWith({ allowedFileTypes: ['pdf'] });
			expect(checkListedItem(policy, fake, item('doc'))).toEqual({ allowed: true });
			expect(checkListedItem(policy, fake, item('text'))).toMatchObject({ allowed: false, skipReason: 'policy_file_type' });
		});

		it('checks a type with a single export format as its default format', () => {
			expect(checkListedItem(policyWith({ allowedFileTypes: ['md'] }), fake, item('page'))).toEqual({ allowed: true });
			expect(checkListedItem(policyWith({ allowedFileTypes: ['pdf'] }), fake, item('page'))).toEqual({
				allowed: false,
				skipReason: 'policy_file_type',
				skipDetail: `Getting started (${PAGE_MIME}) is not an allowed file type: allowed are pdf`,
			});
		});

		it("ignores the listed size of converted items, whose size is their export's", () => {
			const policy = policyWith({ maxFileSizeMb: 1 });
			expect(checkListedItem(policy, fake, item('doc'))).toEqual({ allowed: true });
			expect(checkListedItem(policy, fake, item('page'))).toEqual({ allowed: true });
			expect(checkListedItem(policy, fake, item('big'))).toMatchObject({ allowed: false, skipReason: 'policy_size' });
		});

		it('applies the path rules to every item', () => {
			const policy = policyWith({ paths: { [FAKE_PROVIDER]: { allow: ['/Wiki/**'], deny: [] } } });
			expect(checkListedItem(policy, fake, item('doc'))).toEqual({
				allowed: false,
				skipReason: 'policy_path',
				skipDetail: '/Plans/Roadmap is outside the paths the org policy allows (/Wiki/**)',
			});
			expect(checkListedItem(policy, fake, item('page'))).toEqual({ allowed: true });
		});

		it('lets deletions through whatever the rules, so the document can be removed downstream', () => {
			const policy = policyWith({ allowedFileTypes: [], paths: { [FAKE_PROVIDER]: { allow: null, deny: ['/**'] } } });
			expect(checkListedItem(policy, fake, { ...item('text'), change: 'deleted' })).toEqual({ allowed: true });
		});
	});

	describe('partitionByPolicy', () => {
		it('splits items into allowed and skipped, in order, the skipped ones carrying reason and detail', () => {
			const policy = policyWith({ allowedFileTypes: ['txt'] });
			const { allowed, skipped } = partitionByPolicy(policy, fake, [item('text'), item('big'), item('doc')]);
			expect(allowed.map((entry) => entry.external_id)).toEqual(['text', 'doc']);
			expect(skipped).toEqual([
				{ ...item('big'), skip_reason: 'policy_file_type', skip_detail: 'film.mp4 (video/mp4) is not an allowed file type: allowed are txt' },
			]);
		});
	});

	describe('planExport', () => {
		it("resolves the node's override for the item's type when the policy allows it", () => {
			expect(planExport(policyWith(), fake, item('doc'), { document: 'pdf' })).toEqual({
				allowed: true,
				choices: DOCUMENT_TYPE,
				format: 'pdf',
			});
		});

		it("uses the type's default without an override, and no format for items exported as their own bytes", () => {
			expect(planExport(policyWith(), fake, item('doc'), {})).toEqual({ allowed: true, choices: DOCUMENT_TYPE, format: 'txt' });
			expect(planExport(policyWith(), fake, item('text'), { document: 'pdf' })).toEqual({
				allowed: true,
				choices: undefined,
				format: undefined,
			});
		});

		it('falls back to the default when the policy refuses the override, and says so in a warning', () => {
			const policy = policyWith({ allowedExportFormats: ['txt', 'md'] });
			expect(planExport(policy, fake, item('doc'), { document: 'docx' })).toEqual({ allowed: true, choices: DOCUMENT_TYPE, format: 'txt' });
			expect(formatOverrideWarnings(policy, fake.exportTypes, { document: 'docx' })).toEqual([
				'The org policy does not allow docx: Fake Docs are exported as txt instead',
			]);
		});

		it('skips with policy_export_format when the policy allows neither the override nor the default', () => {
			const policy = policyWith({ allowedExportFormats: ['csv', 'pdf'] });
			const detail = 'the org policy does not allow exporting to docx (nor the default txt): allowed formats are csv, pdf';
			expect(planExport(policy, fake, item('doc'), { document: 'docx' })).toEqual({
				allowed: false,
				skipReason: 'policy_export_format',
				skipDetail: `"Roadmap": ${detail}`,
			});
			expect(formatOverrideWarnings(policy, fake.exportTypes, { document: 'docx' })).toEqual([`Fake Docs go to Skipped: ${detail}`]);
		});

		it('skips with policy_export_format when the policy does not allow the default and there is no override', () => {
			expect(planExport(policyWith({ allowedExportFormats: ['pdf'] }), fake, item('page'), {})).toEqual({
				allowed: false,
				skipReason: 'policy_export_format',
				skipDetail: '"Getting started": the org policy does not allow exporting to md: allowed formats are pdf',
			});
		});

		it('refuses an override the provider cannot produce for the type as a mistake in the workflow, even when the policy allows it', () => {
			expect(() => planExport(policyWith(), fake, item('page'), { page: 'pdf' })).toThrow(InvalidInputError);
			expect(() => planExport(policyWith(), fake, item('page'), { page: '.PDF' })).toThrow('Fake Drive cannot export a page to ".PDF"');
		});

		it('checks the type rule with the format the item is exported to', () => {
			const policy = policyWith({ allowedFileTypes: ['md'] });
			expect(planExport(policy, fake, item('doc'), { document: 'md' })).toMatchObject({ allowed: true, format: 'md' });
			expect(planExport(policy, fake, item('doc'), {})).toMatchObject({ allowed: false, skipReason: 'policy_file_type' });
		});

		it("ignores the listed size of converted items and holds other files to it before download", () => {
			const policy = policyWith({ maxFileSizeMb: 1 });
			expect(planExport(policy, fake, item('doc'), {})).toMatchObject({ allowed: true });
			expect(planExport(policy, fake, item('big'), {})).toMatchObject({ allowed: false, skipReason: 'policy_size' });
		});

		it('gives no warning for types without an override or whose override the policy allows', () => {
			expect(formatOverrideWarnings(policyWith(), fake.exportTypes, { document: 'pdf' })).toEqual([]);
			expect(formatOverrideWarnings(policyWith({ allowedExportFormats: ['pdf'] }), fake.exportTypes, {})).toEqual([]);
		});
	});
});

describe('item policy for types whose default is their own bytes (keepsOriginal)', () => {
	const office = {
		id: 'fake',
		displayName: 'Fake Office',
		exportChoices: (listed: ConnectorItem) =>
			listed.name.endsWith('.docx') ? { kind: 'document', label: 'Word documents', default: 'docx', formats: ['docx', 'pdf'], keepsOriginal: true } : undefined,
	};
	const docx: ConnectorItem = {
		provider: 'fake',
		external_id: 'w1',
		source_key: 'fake:test',
		name: 'plan.docx',
		path: '/plan.docx',
		parents: [],
		mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
		size: 2 * MB,
		modified_at: null,
		created_at: null,
		version: '1',
		hash: null,
		url: null,
		change: 'upsert',
	};

	it('keeps the bytes by default although the export-format list does not name their format', () => {
		expect(planExport(policyWith({ allowedExportFormats: ['md', 'txt', 'csv', 'pdf'] }), office, docx, {})).toMatchObject({ allowed: true, format: 'docx' });
	});

	it('converts when the node asks and the policy allows it, and keeps the bytes with a warning when the policy refuses the conversion', () => {
		expect(planExport(policyWith({}), office, docx, { document: 'pdf' })).toMatchObject({ allowed: true, format: 'pdf' });
		const noPdf = policyWith({ allowedExportFormats: ['md'] });
		expect(planExport(noPdf, office, docx, { document: 'pdf' })).toMatchObject({ allowed: true, format: 'docx' });
		expect(formatOverrideWarnings(noPdf, [{ kind: 'document', label: 'Word documents', default: 'original', formats: ['original', 'pdf'], keepsOriginal: true }], { document: 'pdf' })).toEqual([
			'The org policy does not allow pdf: Word documents are exported as original instead',
		]);
	});

	it('converts when the type rule refuses the file as it is but allows the conversion', () => {
		expect(planExport(policyWith({ allowedFileTypes: ['pdf'] }), office, docx, {})).toMatchObject({ allowed: true, format: 'pdf' });
		expect(planExport(policyWith({ allowedFileTypes: ['txt'] }), office, docx, {})).toMatchObject({ allowed: false, skipReason: 'policy_file_type' });
	});

	it('holds the bytes kept as they are to the size cap before download', () => {
		expect(planExport(policyWith({ maxFileSizeMb: 1 }), office, docx, {})).toMatchObject({ allowed: false, skipReason: 'policy_size' });
		expect(planExport(policyWith({ maxFileSizeMb: 1 }), office, docx, { document: 'pdf' })).toMatchObject({ allowed: true, format: 'pdf' });
	});
});
