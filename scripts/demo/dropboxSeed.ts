/** Acme's handbook in a Dropbox team space, for the sandbox: a team folder with PDFs, Markdown, a Paper doc and one file Dropbox will not hand out. */
import type { FakeDropbox } from '../../test/fakes/dropboxApi';
import { samplePdf } from './sandbox';

export interface DropboxSeed {
	/** What the example's folder picker holds: the team folder under the team space's namespace. */
	folderValue: string;
	folderName: string;
	files: Record<'onboarding' | 'oldPricing', { path: string; name: string }>;
	/** Files in the team folder the import should see (the non-downloadable one is skipped at export). */
	importable: number;
}

export function seedDropbox(dropbox: FakeDropbox): DropboxSeed {
	dropbox.clock.set('2026-09-14T08:30:00.000Z');
	dropbox.addTeamFolder('Acme Handbook');
	for (const folder of ['People', 'Engineering', 'Sales']) dropbox.addFolder(`/Acme Handbook/${folder}`);
	dropbox.addFile('/Acme Handbook/README.md', '# Acme Handbook\n\n- **People**: onboarding, leave\n- **Engineering**: on-call, decisions\n- **Sales**: pricing\n');
	dropbox.addPaperDoc('/Acme Handbook/People/Onboarding checklist.paper', '# Onboarding checklist\n\n- Week 1: laptop and accounts, meet your buddy\n- Week 2: shadow an on-call shift\n');
	dropbox.addFile('/Acme Handbook/People/Leave policy.pdf', samplePdf(['Acme leave policy', 'Everyone gets 28 days of paid leave a year.']));
	dropbox.addFile('/Acme Handbook/Engineering/On-call runbook.md', '# On-call runbook\n\n1. Acknowledge the page within 5 minutes.\n2. Roll back first, debug later.\n');
	dropbox.addFile('/Acme Handbook/Sales/Pricing 2026.csv', 'plan,monthly,yearly\nStarter,29,290\nTeam,99,990\n');
	dropbox.addFile('/Acme Handbook/Sales/Old pricing 2024.pdf', samplePdf(['Acme pricing 2024 (superseded)']));
	dropbox.addFolder('/Acme Handbook/Engineering/Decisions');
	dropbox.addFile('/Acme Handbook/Engineering/Decisions/ADR-001 Use PostgreSQL.md', '# ADR-001: Use PostgreSQL\n\nStatus: accepted.\n');
	dropbox.addFile('/Acme Handbook/Engineering/Decisions/ADR-002 Event bus.md', '# ADR-002: An event bus between services\n\nStatus: proposed.\n');
	dropbox.addPaperDoc('/Acme Handbook/Engineering/Architecture overview.paper', '# Architecture overview\n\nThe web app talks to one API service; jobs go through a queue to workers.\n');
	dropbox.addFile('/Acme Handbook/People/Holiday calendar 2026.csv', 'date,holiday\n2026-01-01,New Year\n2026-12-25,Christmas\n');
	// Dropbox previews it but will not hand out its bytes: Export sends it to Skipped (not_downloadable).
	dropbox.addFile('/Acme Handbook/People/Security training.mp4', Buffer.alloc(2048, 7), { downloadable: false });
	// The member's own folder, outside the team folder: never imported.
	dropbox.addFile('/Alice Smith/Tax return notes.txt', 'Private notes that must stay out of the index.');
	return {
		folderValue: `ns:${dropbox.rootNamespaceId}/Acme Handbook`,
		folderName: 'Acme Handbook',
		files: {
			onboarding: { path: '/Acme Handbook/People/Onboarding checklist.paper', name: 'Onboarding checklist.paper' },
			oldPricing: { path: '/Acme Handbook/Sales/Old pricing 2024.pdf', name: 'Old pricing 2024.pdf' },
		},
		importable: 10,
	};
}

/** One edit and one deletion between two runs, as people make them. */
export function editDropbox(dropbox: FakeDropbox, seed: DropboxSeed): { edited: string; deleted: string } {
	dropbox.clock.set(new Date().toISOString());
	dropbox.editFile(seed.files.onboarding.path, '# Onboarding checklist\n\n- Week 1: laptop and accounts, meet your buddy\n- Week 2: shadow an on-call shift\n- Week 3: demo what you shipped\n');
	dropbox.remove(seed.files.oldPricing.path);
	return { edited: seed.files.onboarding.name, deleted: seed.files.oldPricing.name };
}
