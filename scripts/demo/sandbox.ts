/**
 * The sandbox the demo, `scripts/dev.sh start` and the browser test run against: the fake Google
 * Drive, Notion and Microsoft Graph servers (test/fakes, strict like the real APIs) seeded with a small company's
 * documents, and a document index standing in for the ingestion API.
 */
import type { CredentialFixture } from '../../test/e2e/harness/n8n';
import { startFakeDropbox, type FakeDropbox } from '../../test/fakes/dropboxApi';
import type { FakeGoogle } from '../../test/fakes/googleApi';
import type { FakeGraph } from '../../test/fakes/graphApi';
import type { FakeNotion } from '../../test/fakes/notionApi';
import { b, rt } from '../../test/fakes/notionBlocks';
import { startFakeServers, type FakeServers } from '../../test/fakes/serve';
import { DocumentIndex } from './documentIndex';
import { editDropbox, seedDropbox, type DropboxSeed } from './dropboxSeed';

/** Ids the example workflows refer to (examples/*.json): fixed, so the examples import as they are. */
export const SANDBOX_IDS = {
	driveFolder: '1AcmeHandbookSandboxFolder000001',
	notionRootPage: '2a9c1d3e-5f60-4b7a-8c9d-0e1f2a3b4c5d',
	driveCredential: { id: 'exampleDriveCred', name: 'Google Drive Connector account' },
	notionCredential: { id: 'exampleNotionCrd', name: 'Notion Connector account' },
	dropboxCredential: { id: 'exampleDbxCred01', name: 'Dropbox Connector account' },
	oneDriveFolder: '01ACMESALESPLAYBOOKSANDBOX000001',
	oneDriveCredential: { id: 'exampleOneDrvCrd', name: 'OneDrive Connector account' },
} as const;

/** Where the examples' Config step points by default: the sandbox's document index. */
export const DEFAULT_INGESTION_PORT = 5690;

const GOOGLE_DOC = 'application/vnd.google-apps.document';
const GOOGLE_SHEET = 'application/vnd.google-apps.spreadsheet';
const GOOGLE_SLIDES = 'application/vnd.google-apps.presentation';

/** A small but valid one-page PDF showing `lines` of text. */
export function samplePdf(lines: string[]): Buffer {
	const text = lines
		.map((line, i) => `BT /F1 12 Tf 72 ${720 - i * 18} Td (${line.replace(/[()\\]/g, (c) => `\\${c}`)}) Tj ET`)
		.join('\n');
	const objects = [
		'<< /Type /Catalog /Pages 2 0 R >>',
		'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
		'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
		`<< /Length ${Buffer.byteLength(text)} >>\nstream\n${text}\nendstream`,
		'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
	];
	let pdf = '%PDF-1.4\n';
	const offsets: number[] = [];
	objects.forEach((body, i) => {
		offsets.push(Buffer.byteLength(pdf));
		pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
	});
	const xref = Buffer.byteLength(pdf);
	pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
	pdf += offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('');
	pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
	return Buffer.from(pdf, 'latin1');
}

export interface DriveSeed {
	folderId: string;
	folderName: string;
	/** Files by a short key, for the demo's edits. */
	files: Record<'onboarding' | 'oldPricing' | 'trainingVideo' | 'readme', { id: string; name: string }>;
	/** Subfolders by a short key, for renames. */
	folders: Record<'people', { id: string; name: string; files: number }>;
	/** Files under the source folder that the import should see (not the skipped video). */
	importable: number;
	subfolders: string[];
}

/** Acme's handbook folder in My Drive: Docs, Sheets, Slides, PDFs and Markdown in a few subfolders. */
export function seedDrive(google: FakeGoogle): DriveSeed {
	google.setNow('2026-09-14T08:30:00.000Z');
	const handbook = google.addFolder({ name: 'Acme Handbook', id: SANDBOX_IDS.driveFolder });
	const people = google.addFolder({ name: 'People', parent: handbook.id });
	const engineering = google.addFolder({ name: 'Engineering', parent: handbook.id });
	const decisions = google.addFolder({ name: 'Decisions', parent: engineering.id });
	const sales = google.addFolder({ name: 'Sales', parent: handbook.id });
	const file = (name: string, parent: string, mimeType: string, content: string | Buffer, extra: { canDownload?: boolean } = {}) => {
		google.advanceTime(47 * 60_000);
		return google.addFile({ name, parent, mimeType, content, ...extra });
	};

	file('Welcome to Acme', handbook.id, GOOGLE_DOC, [
		'Welcome to Acme!',
		'',
		'This handbook is where we write down how we work: how we hire and onboard, how we build and',
		'ship software, and how we sell. Everything here is a living document: if something is wrong,',
		'fix it and tell your team.',
	].join('\n'));
	const readme = file('README.md', handbook.id, 'text/markdown', [
		'# Acme Handbook',
		'',
		'- **People**: onboarding, leave, holidays',
		'- **Engineering**: architecture, on-call, decisions (ADRs)',
		'- **Sales**: pricing and the customer pitch',
		'',
		'Owners: people-ops@acme.example, eng-leads@acme.example',
	].join('\n'));
	const onboarding = file('Onboarding checklist', people.id, GOOGLE_DOC, [
		'Onboarding checklist',
		'',
		'Week 1: laptop and accounts, meet your buddy, read the handbook, ship a small change.',
		'Week 2: shadow an on-call shift, pair with two teammates, write down three things to improve.',
	].join('\n'));
	file('Leave policy.pdf', people.id, 'application/pdf', samplePdf([
		'Acme leave policy',
		'Everyone gets 28 days of paid leave a year, plus public holidays.',
		'Book leave in the HR tool at least two weeks ahead for anything longer than three days.',
	]));
	file('Holiday calendar 2026', people.id, GOOGLE_SHEET, [
		'date,holiday,offices',
		'2026-01-01,New Year,all',
		'2026-05-01,Labour Day,Berlin;Paris',
		'2026-07-04,Independence Day,New York',
		'2026-12-25,Christmas,all',
	].join('\n'));
	file('Architecture overview', engineering.id, GOOGLE_DOC, [
		'Architecture overview',
		'',
		'The web app talks to one API service (TypeScript). Jobs go through a queue to workers.',
		'PostgreSQL holds the data; object storage holds uploads. Everything runs in two regions.',
	].join('\n'));
	file('On-call runbook.md', engineering.id, 'text/markdown', [
		'# On-call runbook',
		'',
		'1. Acknowledge the page within 5 minutes.',
		'2. Check the status dashboard and the last deploy.',
		'3. Roll back first, debug later.',
		'',
		'```bash',
		'./deploy rollback --to previous',
		'```',
	].join('\n'));
	file('ADR-001 Use PostgreSQL.md', decisions.id, 'text/markdown', '# ADR-001: Use PostgreSQL\n\nStatus: accepted.\n\nWe need transactions and JSON columns; PostgreSQL gives both.\n');
	file('ADR-002 Event bus.md', decisions.id, 'text/markdown', '# ADR-002: An event bus between services\n\nStatus: proposed.\n\nServices publish domain events; consumers subscribe and keep their own read models.\n');
	file('Pricing 2026', sales.id, GOOGLE_SHEET, 'plan,monthly,yearly\nStarter,29,290\nTeam,99,990\nEnterprise,contact us,contact us\n');
	file('Customer pitch', sales.id, GOOGLE_SLIDES, 'Acme in five slides: the problem, our product, customers, pricing, next steps.');
	const oldPricing = file('Old pricing 2024.pdf', sales.id, 'application/pdf', samplePdf(['Acme pricing 2024 (superseded)', 'Starter 25, Team 89.']));
	// Download disabled by its owner: Export sends it to Skipped (not_downloadable).
	const trainingVideo = file('Security training.mp4', people.id, 'video/mp4', Buffer.alloc(2048, 7), { canDownload: false });

	// Outside the source folder: never imported.
	const personal = google.addFolder({ name: 'Personal' });
	file('Tax return notes', personal.id, GOOGLE_DOC, 'Private notes that must stay out of the index.');
	google.addSharedDrive({ name: 'Marketing' });

	return {
		folderId: handbook.id,
		folderName: handbook.name,
		files: {
			onboarding: { id: onboarding.id, name: onboarding.name },
			oldPricing: { id: oldPricing.id, name: oldPricing.name },
			trainingVideo: { id: trainingVideo.id, name: trainingVideo.name },
			readme: { id: readme.id, name: readme.name },
		},
		folders: { people: { id: people.id, name: people.name, files: 3 } },
		importable: 12,
		subfolders: ['People', 'Engineering', 'Sales'],
	};
}

export interface NotionSeed {
	rootPageId: string;
	rootTitle: string;
	pages: Record<'gettingStarted' | 'oldVpn', { id: string; title: string }>;
	/** Pages and database rows in the tree (the root included). */
	importable: number;
	childTitles: string[];
}

/** Acme's wiki: a page tree with varied blocks, and a database of meeting notes. */
export function seedNotion(notion: FakeNotion): NotionSeed {
	notion.setNow('2026-09-14T08:30:00.000Z');
	const tick = () => notion.advanceTime(53 * 60_000);
	const root = notion.addPage({
		id: SANDBOX_IDS.notionRootPage,
		title: 'Acme Wiki',
		icon: '🏢',
		children: [
			b.paragraph('Everything the team needs to know, in one place.'),
			b.callout('New here? Start with Getting started.', '👋'),
		],
	});
	tick();
	const gettingStarted = notion.addPage({
		title: 'Getting started',
		parent: root.id,
		icon: '🚀',
		children: [
			b.heading(1, 'Your first week'),
			b.paragraph([rt.text('Welcome! Here is what to do in your '), rt.text('first five days', { bold: true }), rt.text('.')]),
			b.todo('Set up your laptop and accounts', true),
			b.todo('Meet your onboarding buddy'),
			b.todo('Ship a small change to production'),
			b.heading(2, 'Who to ask'),
			b.bulleted('IT: it-help@acme.example'),
			b.bulleted('People team: people-ops@acme.example'),
		],
	});
	tick();
	const engineering = notion.addPage({
		title: 'Engineering',
		parent: root.id,
		icon: '🛠️',
		children: [b.paragraph('How we build, review and ship software.')],
	});
	tick();
	notion.addPage({
		title: 'Coding standards',
		parent: engineering.id,
		children: [
			b.heading(2, 'TypeScript'),
			b.bulleted('Strict mode everywhere; no `any` without a comment.'),
			b.code('export function greet(name: string): string {\n  return `Hello, ${name}`;\n}', 'typescript'),
			b.toggle('Why strict mode?', [b.paragraph('It catches null and undefined bugs at compile time.')]),
		],
	});
	tick();
	notion.addPage({
		title: 'Release process',
		parent: engineering.id,
		children: [
			b.numbered('Merge to main behind a feature flag.'),
			b.numbered('Deploy to staging; run the smoke tests.'),
			b.numbered('Deploy to production in the morning, never on Fridays.'),
			b.quote('Small releases, often.'),
			b.table(
				[
					['Environment', 'URL', 'Owner'],
					['staging', 'https://staging.acme.example', 'Platform'],
					['production', 'https://app.acme.example', 'Platform'],
				],
				{ columnHeader: true },
			),
		],
	});
	tick();
	notion.addPage({
		title: 'Product FAQ',
		parent: root.id,
		icon: '❓',
		children: [
			b.toggle('How is usage billed?', [b.paragraph('Per active seat per month; see the pricing page.')]),
			b.toggle('How do we compute uptime?', [b.equation('\\text{uptime} = 1 - \\frac{\\text{downtime}}{\\text{period}}')]),
			b.divider(),
			b.bookmark('https://status.acme.example', 'Status page'),
		],
	});
	tick();
	const oldVpn = notion.addPage({
		title: 'Old VPN setup (deprecated)',
		parent: root.id,
		children: [b.callout('Deprecated: we moved to zero-trust access in 2025.', '⚠️'), b.paragraph('Install the client, import the profile, connect.')],
	});
	tick();
	notion.addDatabase({
		title: 'Meeting notes',
		parent: root.id,
		icon: '🗓️',
		dataSources: [{ properties: { Name: 'title', Date: 'date', Team: { type: 'select', options: ['Engineering', 'Sales', 'People'] } } }],
		rows: [
			{ title: 'Weekly engineering sync', properties: { Date: '2026-09-07', Team: 'Engineering' }, children: [b.bulleted('Release 4.2 is on track.'), b.bulleted('On-call handover moves to Mondays.')] },
			{ title: 'Sales pipeline review', properties: { Date: '2026-09-08', Team: 'Sales' }, children: [b.paragraph('Three enterprise deals in legal review.')] },
			{ title: 'People team planning', properties: { Date: '2026-09-10', Team: 'People' }, children: [b.todo('Draft the Q4 hiring plan')] },
		],
	});
	// Not shared with the integration: invisible to the import.
	notion.addPage({ title: 'Board minutes', shared: false, children: [b.paragraph('Confidential.')] });

	return {
		rootPageId: root.id,
		rootTitle: 'Acme Wiki',
		pages: {
			gettingStarted: { id: gettingStarted.id, title: 'Getting started' },
			oldVpn: { id: oldVpn.id, title: 'Old VPN setup (deprecated)' },
		},
		importable: 10,
		childTitles: ['Getting started', 'Engineering', 'Product FAQ', 'Meeting notes'],
	};
}

export interface OneDriveSeed {
	folderId: string;
	folderName: string;
	files: Record<'objections' | 'oldPrices', { id: string; name: string }>;
	/** Files the import sends to the index (the OneNote notebook goes to Skipped). */
	importable: number;
}

/** Acme's sales playbook in the user's OneDrive (Office files, a PDF, Markdown, a OneNote notebook), and an intranet site in SharePoint. */
export function seedOneDrive(graph: FakeGraph): OneDriveSeed {
	const playbook = graph.addFolder({ name: 'Sales Playbook', id: SANDBOX_IDS.oneDriveFolder });
	const stories = graph.addFolder({ name: 'Customer stories', parent: playbook.id });
	const file = (name: string, parent: string, content: string | Buffer) => graph.addFile({ name, parent, content });
	file('README.md', playbook.id, '# Sales Playbook\n\nHow Acme sells: the pitch, pricing, objections and customer stories.\n');
	const objections = file('Objection handling.docx', playbook.id, 'Objection handling\n\n"Too expensive": show the ROI calculator; never discount in the first call.\n');
	file('Pitch deck.pptx', playbook.id, 'Acme pitch: one platform, two regions, zero downtime deploys.\n');
	file('Pricing 2026.xlsx', playbook.id, 'plan,seat price (EUR)\nTeam,12\nBusiness,24\nEnterprise,custom\n');
	file('Discount policy.pdf', playbook.id, samplePdf(['Acme discount policy', 'Up to 10% for annual prepay; anything more needs the sales lead.']));
	const oldPrices = file('Old price list.pdf', playbook.id, samplePdf(['Acme price list 2025 (superseded)']));
	file('Globex.md', stories.id, '# Globex\n\nMoved 400 seats from the legacy suite in six weeks.\n');
	file('Initech.docx', stories.id, 'Initech: cut ticket handling time by 35% with Acme workflows.\n');
	// A OneNote notebook: Graph has no bytes for it, the export sends it to Skipped.
	graph.addNotebook({ name: 'Sales team notes', parent: playbook.id });
	const { drives } = graph.addSite({ displayName: 'Acme Intranet', name: 'intranet', libraries: ['Documents'] });
	graph.addFile({ name: 'Office locations.md', drive: drives[0].id, content: '# Offices\n\nBerlin, Paris, New York.\n' });
	return {
		folderId: playbook.id,
		folderName: 'Sales Playbook',
		files: { objections: { id: objections.id, name: objections.name }, oldPrices: { id: oldPrices.id, name: oldPrices.name } },
		importable: 8,
	};
}

export interface Sandbox {
	fakes: FakeServers;
	index: DocumentIndex;
	drive: DriveSeed;
	notion: NotionSeed;
	/** The fake Dropbox (a team account) and what it was seeded with. */
	dropbox: { fake: FakeDropbox; seed: DropboxSeed };
	/** Documents the first import of each provider's example indexes. */
	importable: Record<string, number>;
	/** The user's OneDrive (and a SharePoint site) in the fake Microsoft Graph, and what it was seeded with. */
	oneDrive: OneDriveSeed;
	/** The connectors' settings that point n8n at the fakes (CONNECTORS_*_API_URL). */
	env: Record<string, string>;
	/** Credentials for the examples, connected to the fakes (re-import on every start: tokens are new). */
	credentials(): CredentialFixture[];
	/** Edits one document and deletes another in each provider, as people do between two runs. */
	editUpstream(): {
		drive: { edited: string; deleted: string };
		notion: { edited: string; deleted: string };
		dropbox: { edited: string; deleted: string };
		oneDrive: { edited: string; deleted: string };
	};
	/** Metadata only: renames the Drive folder People and shares the README with the domain. */
	renameUpstream(): { renamedFolder: string; to: string; shared: string };
	close(): Promise<void>;
}

export async function startSandbox(options: { indexPort?: number } = {}): Promise<Sandbox> {
	const fakes = await startFakeServers({ notion: { workspaceName: 'Acme', integrationName: 'Acme Import' } });
	const index = await new DocumentIndex(options.indexPort ?? 0).start().catch(async (error: unknown) => {
		await fakes.close();
		throw error;
	});
	const dropboxFake = await startFakeDropbox({ team: { name: 'Acme', memberFolder: 'Alice Smith' } });
	const dropboxSeed = seedDropbox(dropboxFake);
	const drive = seedDrive(fakes.google);
	const notion = seedNotion(fakes.notion);
	const oneDrive = seedOneDrive(fakes.graph);
	// From here on the fakes' clocks follow the real one: what people edit is stamped "now".
	const syncClocks = () => {
		const now = new Date().toISOString();
		fakes.google.setNow(now);
		fakes.notion.setNow(now);
	};
	syncClocks();
	return {
		fakes,
		index,
		drive,
		notion,
		dropbox: { fake: dropboxFake, seed: dropboxSeed },
		oneDrive,
		importable: { google_drive: drive.importable, notion: notion.importable, dropbox: dropboxSeed.importable, onedrive: oneDrive.importable },
		env: { ...fakes.env, ...dropboxFake.env },
		credentials: () => [
			{
				...SANDBOX_IDS.driveCredential,
				type: 'googleDriveConnectorOAuth2Api',
				data: { clientId: fakes.google.clientId, clientSecret: fakes.google.clientSecret, oauthTokenData: { ...fakes.google.issueTokens() } },
			},
			{ ...SANDBOX_IDS.notionCredential, type: 'notionConnectorApi', data: { apiKey: fakes.notion.issueToken() } },
			{
				...SANDBOX_IDS.dropboxCredential,
				type: 'dropboxConnectorOAuth2Api',
				data: { clientId: dropboxFake.clientId, clientSecret: dropboxFake.clientSecret, oauthTokenData: { ...dropboxFake.issueTokens() } },
			},
			{
				...SANDBOX_IDS.oneDriveCredential,
				type: 'microsoftOneDriveConnectorOAuth2Api',
				data: { tenantId: 'common', clientId: fakes.graph.clientId, clientSecret: fakes.graph.clientSecret, oauthTokenData: { ...fakes.graph.issueTokens() } },
			},
		],
		editUpstream: () => {
			syncClocks();
			fakes.google.editContent(
				drive.files.onboarding.id,
				'Onboarding checklist\n\nWeek 1: laptop and accounts, meet your buddy, read the handbook, ship a small change.\n' +
					'Week 2: shadow an on-call shift, pair with two teammates.\nWeek 3: present what you shipped at the Friday demo.\n',
			);
			fakes.google.trash(drive.files.oldPricing.id);
			fakes.notion.appendBlocks(notion.pages.gettingStarted.id, [b.todo('Present what you shipped at the Friday demo')]);
			fakes.notion.archivePage(notion.pages.oldVpn.id);
			fakes.graph.editContent(oneDrive.files.objections.id, 'Objection handling\n\n"Too expensive": show the ROI calculator.\n"We build it ourselves": show the total cost over three years.\n');
			fakes.graph.remove(oneDrive.files.oldPrices.id);
			return {
				drive: { edited: drive.files.onboarding.name, deleted: drive.files.oldPricing.name },
				notion: { edited: notion.pages.gettingStarted.title, deleted: notion.pages.oldVpn.title },
				dropbox: editDropbox(dropboxFake, dropboxSeed),
				oneDrive: { edited: oneDrive.files.objections.name, deleted: oneDrive.files.oldPrices.name },
			};
		},
		renameUpstream: () => {
			syncClocks();
			fakes.google.rename(drive.folders.people.id, 'Team');
			fakes.google.share(drive.files.readme.id, { type: 'domain', role: 'reader', domain: 'acme.example', allowFileDiscovery: false });
			return { renamedFolder: drive.folders.people.name, to: 'Team', shared: drive.files.readme.name };
		},
		close: async () => {
			await Promise.all([fakes.close(), index.close(), dropboxFake.close()]);
		},
	};
}
