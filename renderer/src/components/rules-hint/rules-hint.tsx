import {
  autoUpdate,
  flip,
  FloatingPortal,
  offset,
  shift,
  useDismiss,
  useFloating,
  useFocus,
  useHover,
  useInteractions,
  useRole,
} from '@floating-ui/react';
import { useId, useState } from 'react';
import {
  describeRules,
  SECRET_NOUNS,
  type RuleSet,
  type SecretKind,
} from '../../../../shared/rules/index.ts';
import './rules-hint.css';

export interface RulesHintProps {
  kind: SecretKind;
  rules: RuleSet;
  /** `help` is the "?" next to a field; `warning` replaces it when the value breaks a rule. */
  variant?: 'help' | 'warning';
}

/** A "?" (or warning) icon whose tooltip lists the rules, on hover and on keyboard focus. */
export function RulesHint({ kind, rules, variant = 'help' }: RulesHintProps) {
  const [open, setOpen] = useState(false);
  const headingId = useId();
  const [reference, setReference] = useState<HTMLButtonElement | null>(null);
  const [floating, setFloating] = useState<HTMLDivElement | null>(null);
  // A modal <dialog> sits in the browser's top layer, above any z-index, and makes everything
  // outside it inert: so inside one the tooltip is portalled into the dialog itself. Fixed
  // positioning takes the viewport as its containing block, so the overflow of the dialog and
  // its body does not clip it (as long as the dialog has no transform).
  const dialog = reference?.closest('dialog') ?? undefined;
  const { floatingStyles, context } = useFloating({
    elements: { reference, floating },
    open,
    onOpenChange: setOpen,
    placement: 'right-start',
    strategy: 'fixed',
    whileElementsMounted: autoUpdate,
    middleware: [offset(8), flip({ padding: 8 }), shift({ padding: 8 })],
  });
  const { getReferenceProps, getFloatingProps } = useInteractions([
    useHover(context, { move: false, delay: { open: 120, close: 0 } }),
    useFocus(context, { visibleOnly: false }),
    useDismiss(context),
    useRole(context, { role: 'tooltip' }),
  ]);
  const title = `${SECRET_NOUNS[kind].title} rules`;
  const label = variant === 'warning' ? `${title} (not met)` : title;

  return (
    <>
      <button
        type="button"
        ref={setReference}
        className={`rules-hint rules-hint--${variant}`}
        aria-label={label}
        {...getReferenceProps()}
      >
        <span aria-hidden="true">{variant === 'warning' ? '!' : '?'}</span>
      </button>
      {open && (
        <FloatingPortal root={dialog}>
          <div
            ref={setFloating}
            style={floatingStyles}
            className="rules-tooltip"
            aria-labelledby={headingId}
            {...getFloatingProps()}
          >
            <p id={headingId} className="rules-tooltip__title">
              {title}
            </p>
            <ul className="rules-tooltip__list">
              {describeRules(kind, rules).map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          </div>
        </FloatingPortal>
      )}
    </>
  );
}
