import { modKey } from '../lib/format.ts';
import { Dialog } from './Dialog.tsx';

const GROUPS: Array<{ title: string; keys: Array<[string[], string]> }> = [
  {
    title: 'Anywhere',
    keys: [
      [[modKey, 'K'], 'Search'],
      [['/'], 'Search'],
      [['N'], 'New note'],
      [['?'], 'This list'],
    ],
  },
  {
    title: 'Go to',
    keys: [
      [['G', 'T'], 'Timeline'],
      [['G', 'P'], 'People'],
      [['G', 'B'], 'Bookmarks'],
      [['G', 'Q'], 'Questions'],
      [['G', 'D'], 'Trash'],
      [['G', 'S'], 'Settings'],
    ],
  },
  {
    title: 'Writing',
    keys: [
      [['Enter'], 'Save the note'],
      [['Shift', 'Enter'], 'New line'],
      [['#', '@'], 'Complete a tag or person'],
      [[modKey, 'Enter'], 'Save an edit'],
      [['Esc'], 'Cancel or close'],
    ],
  },
  {
    title: 'Lists',
    keys: [
      [['J', 'K'], 'Next / previous in Timeline, People, Bookmarks, Questions and a person’s mentions'],
      [['↑', '↓'], 'Move in search results and in a list you are in; a row up or down in People'],
      [['←', '→'], 'Previous / next in People'],
      [['Enter'], 'Open'],
    ],
  },
];

export function ShortcutsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Dialog open={open} onClose={onClose} title="Keyboard shortcuts" size="medium" testId="shortcuts-dialog">
      <div className="shortcut-groups">
        {GROUPS.map((g) => (
          <section key={g.title} aria-label={g.title}>
            <h3 className="shortcut-group-title">{g.title}</h3>
            <dl className="shortcut-list">
              {g.keys.map(([keys, what]) => (
                <div key={what + keys.join()} className="shortcut-row">
                  <dt>
                    {keys.map((k, i) => (
                      <kbd key={i}>{k}</kbd>
                    ))}
                  </dt>
                  <dd>{what}</dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
      </div>
    </Dialog>
  );
}
