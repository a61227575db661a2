import { ConnectorError } from '../../../lib/errors';
import { narrowingFromParameters, POLICY_NARROWING_PARAMETER, policyNarrowingProperty, runPolicy } from '../../../nodes/shared/policy';
import { parameterContext } from '../support';

describe('node policy parameters', () => {
	describe('narrowingFromParameters', () => {
		it('asks for nothing when Restrict Further is empty or blank', () => {
			const nothing = { allowedFileTypes: undefined, allowedExportFormats: undefined, denyPaths: undefined, maxFileSizeMb: undefined, maxFilesPerRun: undefined };
			expect(narrowingFromParameters({})).toEqual(nothing);
			expect(narrowingFromParameters({ allowedFileTypes: ' , ', allowedExportFormats: '', denyPaths: '  ', maxFileSizeMb: 0, maxFilesPerRun: 0 })).toEqual(nothing);
		});

		it('reads lists as trimmed entries and limits as numbers', () => {
			expect(
				narrowingFromParameters({ allowedFileTypes: 'pdf, text/* ', allowedExportFormats: 'md,txt', denyPaths: '/HR/**, **/Private/**', maxFileSizeMb: 12.5, maxFilesPerRun: '100' }),
			).toEqual({
				allowedFileTypes: ['pdf', 'text/*'],
				allowedExportFormats: ['md', 'txt'],
				denyPaths: ['/HR/**', '**/Private/**'],
				maxFileSizeMb: 12.5,
				maxFilesPerRun: 100,
			});
		});

		it('treats a negative or nonsense limit as not set, never as a wider one', () => {
			expect(narrowingFromParameters({ maxFileSizeMb: -1, maxFilesPerRun: 'all' })).toMatchObject({ maxFileSizeMb: undefined, maxFilesPerRun: undefined });
		});

		it('reads every option Restrict Further offers', () => {
			const offered = (policyNarrowingProperty.options ?? []).map((option) => option.name).sort();
			expect(Object.keys(narrowingFromParameters({})).sort()).toEqual(offered);
		});
	});

	describe('runPolicy', () => {
		const saved = { ...process.env };
		afterEach(() => {
			for (const key of Object.keys(process.env).filter((name) => name.startsWith('ORG_CONNECTORS_'))) {
				if (key in saved) process.env[key] = saved[key];
				else delete process.env[key];
			}
		});

		it("narrows the org policy with the node's Restrict Further", () => {
			const ctx = parameterContext({ [POLICY_NARROWING_PARAMETER]: { allowedExportFormats: 'md', maxFilesPerRun: 10 } });
			const { policy, warnings } = runPolicy(ctx, 0, 'google_drive');
			expect(policy).toMatchObject({ allowedExportFormats: ['md'], maxFilesPerRun: 10 });
			expect(warnings).toEqual([]);
		});

		it('never widens it, and warns about what it ignored', () => {
			process.env.ORG_CONNECTORS_ALLOWED_EXPORT_FORMATS = 'md,txt';
			const ctx = parameterContext({ [POLICY_NARROWING_PARAMETER]: { allowedExportFormats: 'md, pdf' } });
			const { policy, warnings } = runPolicy(ctx, 0, 'google_drive');
			expect(policy.allowedExportFormats).toEqual(['md']);
			expect(warnings).toEqual([expect.stringMatching(/allowedExportFormats pdf is ignored/)]);
		});

		it('fails before any request when the org policy disables the provider', () => {
			process.env.ORG_CONNECTORS_ENABLED_PROVIDERS = 'notion';
			let failure: unknown;
			try {
				runPolicy(parameterContext({}), 0, 'google_drive');
			} catch (error) {
				failure = error;
			}
			expect(failure).toBeInstanceOf(ConnectorError);
			expect((failure as Error).message).toMatch(/The Google Drive connector is disabled by the org policy \(enabled providers: notion\)/);
		});
	});
});
