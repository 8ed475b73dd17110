/** The header actions and the Trash banner shared by the entry view and the person page. */
import { useId, type Ref } from 'react';
import { Icon } from '../../components/Icon.tsx';

export function EntryHeaderActions(props: {
  revisionCount: number;
  trashed: boolean;
  onHistory: () => void;
  onEdit: () => void;
  onDelete: () => void;
  editRef?: Ref<HTMLButtonElement>;
}) {
  return (
    <>
      <button type="button" className="button button-ghost" onClick={props.onHistory} data-testid="open-history">
        <Icon name="history" size={15} /> History{props.revisionCount > 0 && <span className="count">{props.revisionCount}</span>}
      </button>
      {!props.trashed && (
        <>
          <button type="button" className="button button-ghost" onClick={props.onEdit} data-testid="edit-entry" ref={props.editRef}>
            <Icon name="edit" size={15} /> Edit
          </button>
          <button type="button" className="button button-ghost button-danger-ghost" onClick={props.onDelete} data-testid="delete-entry">
            <Icon name="trash" size={15} /> Delete
          </button>
        </>
      )}
    </>
  );
}

export function TrashBanner(props: { message: string; onRestore: () => void; onPurge: () => void; restoreRef?: Ref<HTMLButtonElement> }) {
  const messageId = useId();
  return (
    <div className="banner banner-warning" role="status" data-testid="trash-banner">
      <Icon name="trash" />
      <span id={messageId}>{props.message}</span>
      {/* Focus lands here after a delete: the message says what it restores. */}
      <button type="button" className="button" onClick={props.onRestore} data-testid="restore-entry" ref={props.restoreRef} aria-describedby={messageId}>
        <Icon name="restore" size={15} /> Restore
      </button>
      <button type="button" className="button button-danger" onClick={props.onPurge} data-testid="purge-entry">
        Delete forever
      </button>
    </div>
  );
}
