import type { KeyboardEvent } from 'react';

/**
 * The kitchen-door form is typed without the mouse: Enter moves to the next field instead of submitting, and on the
 * last field lands on the submit button (Enter again saves). Attach to a container, usually the antd Form:
 *
 *   <Form onKeyDownCapture={enterToNext}> … </Form>
 *
 * Selects and date pickers get Enter first (it picks the highlighted option / commits the typed date), then focus
 * moves on. Textareas keep Enter for new lines; buttons keep Enter for clicking (switches excepted: Enter moves on,
 * Space flips them); Shift/Ctrl+Enter are left alone.
 */
export function enterToNext(e: KeyboardEvent<HTMLElement>): void {
  if (e.key !== 'Enter' || e.shiftKey || e.ctrlKey || e.altKey || e.metaKey || e.nativeEvent.isComposing) return;
  const target = e.target as HTMLElement;
  const container = e.currentTarget;
  // A switch is a button, but Enter should move on, not flip it (Space flips it).
  if (target.getAttribute('role') === 'switch') {
    e.preventDefault();
    focusNext(container, target);
    return;
  }
  if (target.tagName !== 'INPUT') return;
  // A multiple/tags select keeps Enter for adding items (禁止采购品种, 签字栏); Tab leaves it.
  if (target.closest('.ant-select-multiple')) return;
  if (target.closest('.ant-select')) {
    if (target.getAttribute('aria-expanded') === 'true') {
      // The list is open: let the select take the Enter (it picks the highlighted option), then move on.
      e.preventDefault(); // no implicit form submission
      setTimeout(() => stillOn(target) && focusNext(container, target), 0);
      return;
    }
    // Closed: keep the Enter from the select (it would open its list and then pull focus back) and move on.
    e.preventDefault();
    e.stopPropagation();
    focusNext(container, target);
    return;
  }
  if (target.closest('.ant-picker')) {
    // Let the date picker take the Enter (it commits the typed date), then move on.
    e.preventDefault(); // no implicit form submission
    setTimeout(() => stillOn(target) && focusNext(container, target), 0);
    return;
  }
  e.preventDefault();
  focusNext(container, target);
}

/**
 * Whether focus is still where the Enter was pressed (or nowhere), so the deferred move after a select or a date picker
 * takes the person on only if they have not moved on themselves. On a loaded PC the timer can fire after the next
 * field was already clicked or typed into: moving then put the typed text in the wrong box (食物成分: 346 kcal landed in
 * 可食部, on a loaded CI run).
 */
function stillOn(target: HTMLElement): boolean {
  const a = document.activeElement;
  return a === null || a === document.body || a === target || target.contains(a);
}

const FIELDS = [
  'input:not([type=hidden]):not([type=radio]):not([disabled])',
  'input[type=radio]:checked:not([disabled])',
  'textarea:not([disabled])',
  'button[type=submit]:not([disabled])',
  'button[role=switch]:not([disabled])',
].join(', ');

/** Moves focus to the field after `from` inside `container`; returns whether it found one. */
export function focusNext(container: HTMLElement, from: HTMLElement): boolean {
  const fields = [...container.querySelectorAll<HTMLElement>(FIELDS)].filter(
    (el) => el.tabIndex >= 0 && el.getClientRects().length > 0 && !el.closest('[aria-hidden=true]'),
  );
  const i = fields.indexOf(from);
  const next = i >= 0 ? fields[i + 1] : undefined;
  if (!next) return false;
  next.focus();
  if (next instanceof HTMLInputElement && next.type === 'text') next.select();
  return true;
}
