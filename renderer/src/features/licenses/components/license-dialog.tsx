import { useMemo, useState } from 'react';
import type { SelectionSummary } from '../../../../../shared/ipc/index.ts';
import { SaveFooter } from '../../../components/confirm-bar/save-footer.tsx';
import { Modal } from '../../../components/modal/modal.tsx';
import { formatCount, plural } from '../../../lib/format.ts';
import { errorText } from '../../../lib/query.ts';
import { useLicenses } from '../../../lib/use-licenses.ts';
import { useStartJob } from '../../../lib/use-start-job.ts';
import { holdersOf, planLicenses, type LicenseChoice } from '../model/license-plan.ts';
import './license-dialog.css';

export interface LicenseDialogProps {
  userIds: readonly string[];
  /** The selection as main has it loaded: who holds which licenses. */
  summary: SelectionSummary;
  retryOf?: string;
  /** For a retry: what the job it retries did (the choices are then fixed). */
  add?: readonly string[];
  remove?: readonly string[];
  onClose: () => void;
}

const CONFIRM_ABOVE = 1000;
const SHOWN = 8;

/**
 * Update Licenses (N): each license type with assigned / total, to add, remove or keep for
 * the selection. Before Save it says where licenses would run out and who would be left with
 * none; it runs as a bulk job with an outcome per user.
 */
export function LicenseDialog({
  userIds,
  summary,
  retryOf,
  add = [],
  remove = [],
  onClose,
}: LicenseDialogProps) {
  const licenses = useLicenses();
  const starting = useStartJob();
  const fixed = retryOf !== undefined && add.length + remove.length > 0;
  const [choices, setChoices] = useState<ReadonlyMap<string, LicenseChoice>>(
    () =>
      new Map<string, LicenseChoice>([
        ...add.map((id) => [id, 'add'] as const),
        ...remove.map((id) => [id, 'remove'] as const),
      ]),
  );
  const [confirming, setConfirming] = useState(false);
  const list = useMemo(() => licenses.data ?? [], [licenses.data]);
  const plan = useMemo(() => planLicenses(list, choices, summary), [list, choices, summary]);
  const nothing = plan.add.length + plan.remove.length === 0;
  const canSave = !nothing && !starting.isPending;

  const choose = (id: string, choice: LicenseChoice) => {
    setConfirming(false);
    setChoices((previous) => new Map(previous).set(id, choice));
  };
  const start = () => {
    setConfirming(false);
    starting.mutate(
      {
        kind: 'license',
        userIds: [...userIds],
        add: plan.add,
        remove: plan.remove,
        names: Object.fromEntries(list.map((license) => [license.id, license.name])),
        ...(retryOf === undefined ? {} : { retryOf }),
      },
      { onSuccess: onClose },
    );
  };
  const save = () => {
    if (!canSave) return;
    if (userIds.length > CONFIRM_ABOVE && !confirming) setConfirming(true);
    else start();
  };

  return (
    <Modal
      hidden={starting.isPending}
      title="Update licenses"
      description={`Add or remove licenses for the ${plural(userIds.length, 'selected user')}.`}
      width="wide"
      onClose={confirming ? () => setConfirming(false) : onClose}
      footer={
        <SaveFooter
          question={
            confirming
              ? {
                  message: `Update the licenses of ${plural(userIds.length, 'user')}?`,
                  confirmLabel: `Update ${plural(userIds.length, 'user')}`,
                }
              : null
          }
          onConfirm={start}
          onBack={() => setConfirming(false)}
          onCancel={onClose}
          onSave={save}
          canSave={canSave}
          saving={starting.isPending}
        />
      }
    >
      {fixed && (
        <p className="license-dialog__hint">Retrying: the same change as the job it retries.</p>
      )}
      {licenses.error !== null && (
        <p className="banner banner--error" role="alert">
          Could not load the licenses: {errorText(licenses.error)}
        </p>
      )}
      {licenses.isPending ? (
        <p role="status">Loading licenses…</p>
      ) : (
        <table className="license-dialog__table">
          <thead>
            <tr>
              <th scope="col">License</th>
              <th scope="col">Assigned / total</th>
              <th scope="col">In the selection</th>
              <th scope="col">Change</th>
            </tr>
          </thead>
          <tbody>
            {list.map((license) => {
              const choice = choices.get(license.id) ?? 'keep';
              return (
                <tr key={license.id} data-license={license.id}>
                  <th scope="row">{license.name}</th>
                  <td className={license.assigned >= license.total ? 'license-dialog__full' : ''}>
                    {formatCount(license.assigned)} / {formatCount(license.total)}
                  </td>
                  <td>{formatCount(holdersOf(summary, license.id))}</td>
                  <td>
                    <select
                      className="select"
                      disabled={fixed}
                      aria-label={`Change for ${license.name}`}
                      value={choice}
                      onChange={(event) => choose(license.id, event.target.value as LicenseChoice)}
                    >
                      <option value="keep">Keep as is</option>
                      <option value="add">Add</option>
                      <option value="remove">Remove</option>
                    </select>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <div className="license-dialog__preview" aria-live="polite" data-testid="license-preview">
        {plan.shortages.map(({ license, needed, left }) => (
          <p key={license.id} className="license-dialog__warn">
            {license.name}: {formatCount(needed)} of the selected users need one and{' '}
            {left === 0 ? 'none is' : `only ${formatCount(left)} ${left === 1 ? 'is' : 'are'}`}{' '}
            left, so {plural(needed - left, 'user')} would not get it.
          </p>
        ))}
        {plan.leftWithout.count > 0 && (
          <p className="license-dialog__warn">
            {plural(plan.leftWithout.count, 'user')} would be left without any license:{' '}
            {plan.leftWithout.firstIds.slice(0, SHOWN).join(', ')}
            {plan.leftWithout.count > SHOWN &&
              ` and ${formatCount(plan.leftWithout.count - SHOWN)} more`}
            .
          </p>
        )}
        {nothing && <p className="license-dialog__hint">Choose a license to add or remove.</p>}
      </div>
      {starting.error !== null && (
        <p className="banner banner--error" role="alert">
          {errorText(starting.error)}
        </p>
      )}
    </Modal>
  );
}
