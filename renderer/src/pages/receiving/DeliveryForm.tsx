import { Alert, Button, Card, Form, Input, Select, Space, Tag, Typography } from 'antd';
import { memo, useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { Ingredient } from '../../../../shared/api/masterdata.ts';
import type { DeliveryView, PersonOption } from '../../../../shared/api/receiving.ts';
import type { StorageClass } from '../../../../shared/domain.ts';
import { formatFen } from '../../../../shared/format.ts';
import { call } from '../../api.ts';
import { SupplierSelect } from '../../components/EntitySelect.tsx';
import { enterToNext } from '../../components/enterToNext.ts';
import { pinyinShowSearch, type PinyinOption } from '../../components/pinyinSearch.ts';
import { feedback, showError, toast } from '../../feedback.ts';
import { chinaToday } from '../../labels.ts';
import { navigate } from '../../router.ts';
import { createDeliveryStore, translate, useDelivery, type DeliveryStore } from './deliveryStore.ts';
import { DeliveryLineRow, FindingLine, GRID } from './DeliveryLineRow.tsx';
import { copiedLines, emptyLine, fromDelivery, lineCerts, lineFlow, lineProblem, localAmountFen, showsResidue, type LineField } from './model.ts';

const DEFAULT_STORAGE: Record<string, StorageClass> = { meat: 'chilled', aquatic: 'chilled', dairy: 'chilled' };

/** Focuses the input of a marked field (a select's search box, the checked or first radio), retrying for a few frames
 * while React has not yet drawn it (a reason box appears when a rejected quantity is typed). */
function focusField(root: () => ParentNode | null, selector: string, tries = 10): void {
  const el = root()?.querySelector<HTMLElement>(selector);
  const input =
    el instanceof HTMLInputElement || el instanceof HTMLButtonElement || el instanceof HTMLSelectElement
      ? el
      : (el?.querySelector<HTMLInputElement>('input[type=radio]:checked') ?? el?.querySelector<HTMLInputElement>('input:not([type=hidden])'));
  if (!input) {
    if (tries > 0) requestAnimationFrame(() => focusField(root, selector, tries - 1));
    return;
  }
  input.focus();
  if (input instanceof HTMLInputElement && input.type !== 'radio') input.select();
}
const rowEl = (index: number) => () => document.querySelector(`[data-row-index="${index}"]`);
const rowOf = (key: string) => () => document.querySelector(`[data-row-key="${key}"]`);

/**
 * The kitchen-door form as a keyboard grid (issue 15): one row per line, as on the paper 验收单. Enter moves to the
 * next field that matters for the line (model.ts lineFlow): item → quantity → price → (the 农残快检's rate, tester and
 * time when the item's category needs one) → rejected → (reason → disposition
 * when some is rejected) → (the detail's fields when asked for with F2) → the certificates the item requires → the
 * notes its warnings need → the next line's item; Enter on the empty last line leaves the grid for 过账. Choosing the
 * item of the last row opens a new empty row. The rules run live (the backend's receiving.check, debounced) on every
 * complete line and again when posting; each message sits at the line it concerns.
 */
export function DeliveryForm({ existing, onPosted }: { existing: DeliveryView | null; onPosted?: () => void }) {
  const store = useMemo<DeliveryStore>(() => {
    if (existing) {
      const { values, notes } = fromDelivery(existing);
      return createDeliveryStore({ ...values, lines: [...values.lines, emptyLine()] }, notes);
    }
    return createDeliveryStore(
      { date: chinaToday(), arrivalTime: '', supplierId: null, noteNumber: '', inspectorIds: [], witnessUserId: null, witnessName: '', remark: '', warningNote: '', lines: [emptyLine()] },
      {},
    );
  }, [existing]);
  const idRef = useRef<string | null>(existing?.id ?? null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const ids = [...new Set(existing?.lines.map((l) => l.ingredientId) ?? [])];
    Promise.all(ids.map((i) => call('ingredients.get', { id: i }))).then((list) => list.forEach((i) => store.getState().setIng(i)), showError);
  }, [existing, store]);

  // Live checks: the same rules the backend applies at posting, asked again (debounced) as the form changes.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let seq = 0;
    const run = () => {
      const s = store.getState();
      const tr = translate(s, true);
      if (!tr.draft) return s.applyCheck([], null, tr.problem);
      const mine = ++seq;
      call('receiving.check', { draft: tr.draft, deliveryId: idRef.current }).then(
        (result) => mine === seq && store.getState().applyCheck(tr.keys, result, null),
        (e: { message?: string }) => mine === seq && store.getState().applyCheck([], null, e.message ?? String(e)),
      );
    };
    const unsub = store.subscribe((s, p) => {
      if (s.rows === p.rows && s.header === p.header && s.order === p.order && s.deliveryNotes === p.deliveryNotes) return;
      clearTimeout(timer);
      timer = setTimeout(run, 350);
    });
    run();
    return () => {
      unsub();
      clearTimeout(timer);
    };
  }, [store]);

  const onItemChosen = useCallback(
    async (key: string, item: Ingredient | null) => {
      const st = store.getState();
      if (!item) return st.setLine(key, { ingredientId: null });
      st.setIng(item);
      const index = st.order.indexOf(key);
      st.setLine(key, { ingredientId: item.id, receivedUnit: null, storageClass: DEFAULT_STORAGE[item.category] ?? 'ambient' });
      if (index === st.order.length - 1) st.addLine();
      // Enter in an antd select re-renders its search box, which can leave focus on the page body: the cursor must
      // never be lost between fields.
      setTimeout(() => {
        const a = document.activeElement;
        if (a && a !== document.body && !a.closest('.ant-select')) return;
        focusField(rowOf(key), '[data-field="received"]');
      }, 30);
      if (store.getState().rows[key]?.unitPriceFen == null) {
        try {
          const supplierId = store.getState().header.supplierId;
          const last = await call('receiving.lastPrice', { ingredientId: item.id, ...(supplierId ? { supplierId } : {}) });
          const now = store.getState().rows[key];
          if (last && now && now.ingredientId === item.id && now.unitPriceFen == null) {
            store.getState().setLine(key, { unitPriceFen: last.unitPriceFen });
            // the price box may already hold the cursor: select the prefilled text so typing replaces it
            const a = document.activeElement;
            if (a instanceof HTMLInputElement && a.closest('[data-field="price"]') && a.closest(`[data-row-key="${key}"]`)) requestAnimationFrame(() => a.select());
          }
        } catch (e) {
          showError(e);
        }
      }
    },
    [store],
  );
  const onRemove = useCallback((key: string) => store.getState().removeLine(key), [store]);

  /** Enter, Shift+Enter, ↑/↓ and F2 inside the grid follow the line's flow; elsewhere Enter moves on as in every form. */
  const onKeyDownCapture = useCallback(
    (e: KeyboardEvent<HTMLDivElement>) => {
      const target = e.target as HTMLElement;
      const row = target.closest<HTMLElement>('[data-row-key]');
      if (!row) return enterToNext(e);
      const key = row.dataset.rowKey!;
      const index = Number(row.dataset.rowIndex);
      const st = store.getState();
      const l = st.rows[key];
      if (!l) return;
      if (e.key === 'F2') {
        e.preventDefault();
        if (!l.ingredientId) return;
        st.setLine(key, { detail: !l.detail });
        if (!l.detail) focusField(() => row, '[data-field="production"]');
        return;
      }
      if (e.ctrlKey || e.altKey || e.metaKey || e.nativeEvent.isComposing) return;
      const field = target.closest<HTMLElement>('[data-field]')?.dataset.field;
      if (!field) return;
      const flowOf = (x: typeof l) => {
        const ing = x.ingredientId ? st.ings[x.ingredientId] : undefined;
        return lineFlow(x, lineCerts(x, ing?.effectiveCerts ?? []), showsResidue(x, ing?.category, st.residueCategories));
      };
      // ↑/↓ in a quantity or price box: the same column of the line above or below, as on paper.
      if ((e.key === 'ArrowUp' || e.key === 'ArrowDown') && !e.shiftKey && (field === 'received' || field === 'price' || field === 'rejected')) {
        const other = document.querySelector(`[data-row-index="${index + (e.key === 'ArrowUp' ? -1 : 1)}"]`);
        if (!other?.querySelector(`[data-field="${field}"] input`)) return;
        e.preventDefault();
        return focusField(() => other, `[data-field="${field}"]`);
      }
      if (e.key !== 'Enter') return;
      // Shift+Enter goes back along the same flow (into the line above from its item): no Shift+Tab through every box.
      if (e.shiftKey) {
        if (field === 'item' && target.getAttribute('aria-expanded') === 'true') return;
        e.preventDefault();
        e.stopPropagation();
        const at = flowOf(l).indexOf(field as LineField);
        if (at > 0) return focusField(() => row, `[data-field="${flowOf(l)[at - 1]}"]`);
        const above = document.querySelector<HTMLElement>(`[data-row-index="${index - 1}"]`);
        const prev = above && st.rows[above.dataset.rowKey!];
        if (above && prev) return focusField(() => above, `[data-field="${flowOf(prev).at(-1)}"]`);
        return;
      }
      if (field === 'item' && target.getAttribute('aria-expanded') === 'true') {
        // The list is open: the select takes the Enter (it picks the highlighted item) and onItemChosen moves on.
        e.preventDefault();
        return;
      }
      e.preventDefault();
      e.stopPropagation();
      if (field === 'item' && !l.ingredientId) return leaveGrid();
      if ((field === 'disposition' || field === 'residue-result') && target instanceof HTMLInputElement && !target.checked) target.click();
      const flow: string[] = flowOf(l);
      // The unit cell while it holds the item's own unit is off the flow (reached by Tab): Enter goes on to the price.
      const at = flow.indexOf((field === 'unit' && !flow.includes('unit') ? 'received' : field) as LineField);
      if (at >= 0 && at < flow.length - 1) return focusField(() => row, `[data-field="${flow[at + 1]}"]`);
      // After the line's own fields: the notes its warnings need (posting needs them), then the next line.
      const notes = [...row.querySelectorAll<HTMLElement>('[data-field^="note-"]')];
      const n = notes.findIndex((x) => x.contains(target));
      const nextNote = at >= 0 ? notes[0] : notes[n + 1];
      if (nextNote) return focusField(() => nextNote.parentNode, `[data-field="${nextNote.dataset.field}"]`);
      if (document.querySelector(`[data-row-index="${index + 1}"]`)) return focusField(rowEl(index + 1), '[data-field="item"]');
      leaveGrid();
    },
    [store],
  );
  /** Done with the lines: 过账 when it may post, else the delivery's warning note (then 备注, then 过账). */
  const leaveGrid = () => {
    const post = document.querySelector<HTMLButtonElement>('[data-testid="delivery-post"]');
    if (post && !post.disabled) post.focus();
    else focusField(() => document, '[data-testid="delivery-warning-note"]');
  };

  const save = async (): Promise<DeliveryView | null> => {
    const tr = translate(store.getState());
    if (!tr.draft) {
      showError(new Error(tr.problem ?? '请检查表单'));
      return null;
    }
    const saved = await call('receiving.saveDraft', { id: idRef.current, draft: tr.draft });
    idRef.current = saved.id;
    return saved;
  };
  const onSave = async () => {
    setBusy(true);
    try {
      const s = await save();
      if (s) {
        toast('草稿已保存');
        if (!existing) navigate(`/receiving/${s.id}`);
      }
    } catch (e) {
      showError(e);
    } finally {
      setBusy(false);
    }
  };
  const onPost = async () => {
    setBusy(true);
    try {
      const s = await save();
      if (!s) return;
      const p = await call('receiving.post', { id: s.id });
      toast(`已过账，验收单号 ${p.number}`);
      // An existing draft is already at /receiving/<id>: the page reloads it (now posted) instead of navigating.
      if (existing && onPosted) onPosted();
      else navigate(`/receiving/${p.id}`);
    } catch (e) {
      showError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div onKeyDownCapture={onKeyDownCapture} data-testid="delivery-form">
      {existing?.amends && <Alert type="info" showIcon style={{ marginBottom: 12 }} title={`这是作废验收单 ${existing.amendsNumber} 的更正单，过账后取代原单`} />}
      <HeaderCard store={store} autoFocus={!existing} />
      <Card
        size="small"
        title={
          <Space>
            验收明细
            <CopyLast store={store} />
          </Space>
        }
        style={{ marginBottom: 12 }}
        extra={<Typography.Text type="secondary">Enter 下一项 · F2 本行详情（生产日期、保质期、温度、供应商金额）</Typography.Text>}
      >
        <div style={{ ...GRID, color: '#595959', fontSize: 13, borderBottom: '1px solid #d9d9d9', paddingBottom: 4 }} role="row">
          <span style={{ textAlign: 'right' }}>行</span>
          <span>品名</span>
          <span>送货数量</span>
          <span>单位</span>
          <span>单价（元）</span>
          <span>拒收数量</span>
          <span style={{ textAlign: 'right' }}>合格数量</span>
          <span style={{ textAlign: 'right' }}>金额（元）</span>
          <span />
        </div>
        <Lines store={store} onItemChosen={onItemChosen} onRemove={onRemove} />
      </Card>
      <ChecksCard store={store} />
      <Footer store={store} busy={busy} onSave={onSave} onPost={onPost} />
    </div>
  );
}

/**
 * 复制上次送货: the supplier's last posted delivery as new lines (items, prices, storage; quantities and everything
 * particular to a delivery blank), the cursor in the first copied line's quantity.
 */
const CopyLast = memo(function CopyLast({ store }: { store: DeliveryStore }) {
  const supplierId = useDelivery(store, (s) => s.header.supplierId);
  const [busy, setBusy] = useState(false);
  const copy = async () => {
    if (!supplierId) return;
    setBusy(true);
    try {
      const { rows } = await call('receiving.list', { supplierId, status: 'posted', limit: 1 });
      if (!rows[0]) return void feedback.message?.info('该供应商还没有已过账的验收单');
      const d = await call('receiving.get', { id: rows[0].id });
      const ings = await Promise.all([...new Set(d.lines.map((l) => l.ingredientId))].map((id) => call('ingredients.get', { id })));
      for (const i of ings) store.getState().setIng(i);
      const keys = store.getState().fillLines(copiedLines(d));
      toast(`已按 ${d.number}（${d.date}）填入 ${d.lines.length} 个品种，请填写数量`);
      // by key: the empty row the cursor may be in is replaced, and the copied rows are not drawn yet
      focusField(rowOf(keys[0]), '[data-field="received"]');
    } catch (e) {
      showError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button size="small" disabled={!supplierId} loading={busy} onClick={() => void copy()} data-testid="delivery-copy-last">
      复制该供应商上次送货
    </Button>
  );
});

/** The rows: this list renders when lines are added or removed, never when one is typed in. */
const Lines = memo(function Lines({ store, onItemChosen, onRemove }: { store: DeliveryStore; onItemChosen: (key: string, item: Ingredient | null) => void; onRemove: (key: string) => void }) {
  const order = useDelivery(store, (s) => s.order);
  return (
    <>
      {order.map((key, i) => (
        <DeliveryLineRow key={key} store={store} rowKey={key} index={i} onItemChosen={onItemChosen} onRemove={onRemove} />
      ))}
    </>
  );
});

const HeaderCard = memo(function HeaderCard({ store, autoFocus }: { store: DeliveryStore; autoFocus: boolean }) {
  const h = useDelivery(store, (s) => s.header);
  const set = store.getState().setHeader;
  const [people, setPeople] = useState<PersonOption[]>([]);
  useEffect(() => {
    call('receiving.people', {}).then(setPeople, showError);
  }, []);
  const personOption = (p: PersonOption): PinyinOption => ({ value: p.id, label: p.name, pyInitials: p.pyInitials, pyFull: p.pyFull, recent: p.recent });
  const inspectorOptions = people.map(personOption);
  const parentOptions = people.filter((p) => p.roles.includes('parent')).map(personOption);
  /**
   * After a pick, on to the next box — unless the person already moved on: only while focus is still in the select
   * that was picked from (or nowhere). A fast typist's next Enter lands before the 30 ms are up, and focus must not be
   * pulled back from where that Enter took it (it was, from the witness box back to the third inspector).
   */
  const focusTestid = (testid: string) => {
    const from = document.activeElement?.closest('.ant-select') ?? null;
    setTimeout(() => {
      const a = document.activeElement;
      const still = !a || a === document.body || (from !== null && a.closest('.ant-select') === from);
      if (still) focusField(() => document, `[data-testid="${testid}"]`);
    }, 30);
  };
  return (
    <Card size="small" title="送货信息" style={{ marginBottom: 12 }}>
      <Form layout="vertical" component="div">
        <Space wrap align="start" size="middle">
          <Form.Item label="验收日期" required>
            <Input style={{ width: 130 }} placeholder="YYYY-MM-DD" value={h.date} onChange={(e) => set({ date: e.target.value })} data-testid="delivery-date" />
          </Form.Item>
          <Form.Item label="到货时间">
            <Input style={{ width: 90 }} placeholder="HH:MM" value={h.arrivalTime} onChange={(e) => set({ arrivalTime: e.target.value })} data-testid="delivery-time" />
          </Form.Item>
          <Form.Item label="供应商" required>
            <SupplierSelect
              style={{ width: 260 }}
              autoFocus={autoFocus}
              value={h.supplierId}
              data-testid="delivery-supplier"
              onChange={(v) => {
                set({ supplierId: v });
                if (v) focusTestid('delivery-note-number');
              }}
            />
          </Form.Item>
          <Form.Item label="送货单号">
            <Input style={{ width: 150 }} value={h.noteNumber} onChange={(e) => set({ noteNumber: e.target.value })} data-testid="delivery-note-number" />
          </Form.Item>
          {/* one select per inspector: Enter picks the name and moves on, as everywhere in the form */}
          {['验收人（一）', '验收人（二）', '验收人（三，可空）'].map((label, k) => (
            <Form.Item key={label} label={label}>
              <Select
                allowClear
                style={{ width: 130 }}
                options={inspectorOptions}
                showSearch={pinyinShowSearch}
                placeholder="姓名或拼音"
                value={h.inspectorIds[k] ?? undefined}
                data-testid={`delivery-inspector-${k}`}
                onChange={(v: string | undefined) => {
                  const ids = [...store.getState().header.inspectorIds];
                  ids[k] = v as string;
                  set({ inspectorIds: ids });
                  if (v) focusTestid(k < 2 ? `delivery-inspector-${k + 1}` : 'delivery-witness');
                }}
              />
            </Form.Item>
          ))}
          <Form.Item label="家委会代表（在场时）">
            <Select allowClear style={{ width: 150 }} options={parentOptions} showSearch={pinyinShowSearch} placeholder="选择" value={h.witnessUserId ?? undefined} onChange={(v: string | undefined) => set({ witnessUserId: v ?? null })} data-testid="delivery-witness" />
          </Form.Item>
          {!h.witnessUserId && (
            <Form.Item label="或填写姓名">
              <Input style={{ width: 110 }} value={h.witnessName} onChange={(e) => set({ witnessName: e.target.value })} data-testid="delivery-witness-name" />
            </Form.Item>
          )}
        </Space>
      </Form>
    </Card>
  );
});

const ChecksCard = memo(function ChecksCard({ store }: { store: DeliveryStore }) {
  const result = useDelivery(store, (s) => s.result);
  const problem = useDelivery(store, (s) => s.problem);
  const findings = useDelivery(store, (s) => s.deliveryFindings);
  const notes = useDelivery(store, (s) => s.deliveryNotes);
  const warningNote = useDelivery(store, (s) => s.header.warningNote);
  const remark = useDelivery(store, (s) => s.header.remark);
  const set = store.getState().setHeader;
  const lineErrors = result?.findings.filter((f) => f.lineIndex !== undefined && f.level === 'error').length ?? 0;
  const lineWarnings = result?.findings.filter((f) => f.lineIndex !== undefined && f.level === 'warning').length ?? 0;
  return (
    <Card size="small" title="检查结果" style={{ marginBottom: 12 }} data-testid="delivery-checks">
      {problem && <Alert type="info" showIcon title={problem} />}
      {!problem && result && result.findings.length === 0 && <Alert type="success" showIcon title="全部检查通过" />}
      {findings.map((f, j) => (
        <FindingLine key={`${f.code}${j}`} f={f} note={notes[f.code] ?? ''} onNote={(v) => store.getState().setNote(null, f.code, v)} testid={`delivery-finding-${f.code}`} />
      ))}
      {lineErrors + lineWarnings > 0 && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
          明细中有 {lineErrors} 个错误、{lineWarnings} 条警示（见各行）。
        </Typography.Paragraph>
      )}
      <Form layout="vertical" component="div">
        <Space wrap style={{ marginTop: 8 }} align="start">
          <Form.Item label="整单警示说明（可代替逐条说明）" style={{ marginBottom: 0 }}>
            <Input style={{ width: 360 }} value={warningNote} onChange={(e) => set({ warningNote: e.target.value })} data-testid="delivery-warning-note" />
          </Form.Item>
          <Form.Item label="备注" style={{ marginBottom: 0 }}>
            <Input style={{ width: 300 }} value={remark} onChange={(e) => set({ remark: e.target.value })} />
          </Form.Item>
        </Space>
      </Form>
    </Card>
  );
});

/** The total of what is typed (the core's formula, at once), and what still stops posting. */
const Footer = memo(function Footer({ store, busy, onSave, onPost }: { store: DeliveryStore; busy: boolean; onSave: () => void; onPost: () => void }) {
  const rows = useDelivery(store, (s) => s.rows);
  const order = useDelivery(store, (s) => s.order);
  const result = useDelivery(store, (s) => s.result);
  const problem = useDelivery(store, (s) => s.problem);
  let total = 0;
  let incomplete = 0;
  for (const k of order) {
    const l = rows[k];
    if (!l?.ingredientId) continue;
    if (lineProblem(l)) incomplete++;
    else total += localAmountFen(l) ?? 0;
  }
  const canPost = !!result?.canPost && !problem && incomplete === 0;
  return (
    <Space>
      <Typography.Text strong data-testid="delivery-total">
        合格金额合计：¥{formatFen(total)}
      </Typography.Text>
      {incomplete > 0 && <Tag color="red">{incomplete} 行未填完（见各行）</Tag>}
      {incomplete === 0 && result && !result.canPost && <Tag color="red">{result.findings.some((f) => f.level === 'error') ? '有错误，不能过账' : `还有 ${result.unnotedWarnings} 条警示未说明`}</Tag>}
      <Button onClick={onSave} loading={busy} data-testid="delivery-save">
        保存草稿
      </Button>
      {/* a submit button (there is no form element to submit): Enter from 备注 lands here, as in every form */}
      <Button type="primary" htmlType="submit" onClick={(e) => { e.preventDefault(); onPost(); }} loading={busy} disabled={!canPost} data-testid="delivery-post">
        过账
      </Button>
    </Space>
  );
});
