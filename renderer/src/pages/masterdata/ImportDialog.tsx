import { Alert, Button, Modal, Select, Space, Switch, Table, Tag, Typography, Upload } from 'antd';
import { useMemo, useState } from 'react';
import { IMPORT_KIND_LABELS, MAX_IMPORT_BASE64 } from '../../../../shared/labels-imports.ts';
import type { ImportKind, ImportPreview, ImportRow } from '../../../../shared/api/imports.ts';
import { call } from '../../api.ts';
import { showError, toast } from '../../feedback.ts';
import { readAsBase64 } from '../../components/files.ts';
import { WorkProgress } from '../../components/WorkProgress.tsx';

function downloadBase64(fileName: string, base64: string): void {
  const bin = atob(base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * 从Excel导入: choose an .xlsx → the backend's preview (header row, suggested column mapping, every row with its
 * errors) → adjust the mapping → import, which stays disabled while any row has an error. The backend checks again
 * and writes all rows or none.
 */
export function ImportDialog({ kind, open, onClose }: { kind: ImportKind; open: boolean; onClose: (imported: boolean) => void }) {
  const label = IMPORT_KIND_LABELS[kind];
  const [fileName, setFileName] = useState<string | null>(null);
  const [fileBase64, setFileBase64] = useState<string | null>(null);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [busy, setBusy] = useState(false);
  // The import itself (issue 19): its progress shown, with 取消, while the backend reads, checks and writes.
  const [committing, setCommitting] = useState(false);
  const [onlyErrors, setOnlyErrors] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const reset = () => {
    setFileName(null);
    setFileBase64(null);
    setPreview(null);
    setProblem(null);
    setOnlyErrors(false);
  };
  const close = (imported: boolean) => {
    reset();
    onClose(imported);
  };

  const runPreview = async (base64: string, mapping?: Record<string, number | null>) => {
    setBusy(true);
    setProblem(null);
    try {
      const p = await call('import.preview', { kind, fileBase64: base64, mapping });
      setPreview(p);
      setOnlyErrors(p.errorCount > 0);
    } catch (e) {
      setPreview(null);
      setProblem((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const choose = async (file: File) => {
    reset();
    setFileName(file.name);
    if (!/\.xlsx$/i.test(file.name)) {
      setProblem(/\.xls$/i.test(file.name) ? '这是旧版 Excel（.xls）文件，请在 Excel 或 WPS 中“另存为” .xlsx 格式后再导入' : '请选择 Excel 工作簿（.xlsx）文件');
      return;
    }
    if (file.size * 4 > MAX_IMPORT_BASE64 * 3) {
      setProblem('文件太大（不能超过约 3.7 MB），请分成几个文件导入');
      return;
    }
    const base64 = await readAsBase64(file);
    setFileBase64(base64);
    await runPreview(base64);
  };

  /** One column serves one field: picking a column taken by another field frees it there. */
  const remap = (key: string, col: number | null) => {
    if (!preview || !fileBase64) return;
    const next: Record<string, number | null> = { ...preview.mapping };
    for (const [k, c] of Object.entries(next)) if (col !== null && c === col && k !== key) next[k] = null;
    next[key] = col;
    void runPreview(fileBase64, next);
  };

  const commit = async () => {
    if (!preview || !fileBase64) return;
    setBusy(true);
    setCommitting(true);
    try {
      const r = await call('import.commit', { kind, fileBase64, mapping: preview.mapping });
      toast(`已导入 ${r.created} 条${label}`);
      close(true);
    } catch (e) {
      setCommitting(false);
      showError(e);
      // Someone may have added a clashing record meanwhile: show the rows as the backend now sees them.
      await runPreview(fileBase64, preview.mapping);
    } finally {
      setCommitting(false);
      setBusy(false);
    }
  };

  const template = async () => {
    try {
      const t = await call('import.template', { kind });
      downloadBase64(t.fileName, t.fileBase64);
    } catch (e) {
      showError(e);
    }
  };

  const mapped = useMemo(() => (preview ? preview.fields.filter((f) => preview.mapping[f.key] !== null) : []), [preview]);
  const rows = preview ? (onlyErrors ? preview.rows.filter((r) => r.errors.length) : preview.rows) : [];
  const blocked = !preview || preview.fileErrors.length > 0 || preview.errorCount > 0 || preview.rows.length === 0;

  return (
    <Modal
      open={open}
      title={`从Excel导入${label}`}
      width={1100}
      onCancel={() => close(false)}
      destroyOnHidden
      footer={
        <Space>
          <Button onClick={() => close(false)}>取消</Button>
          <Button type="primary" disabled={blocked || busy} loading={busy} onClick={commit} data-testid="import-commit">
            {preview && !blocked ? `导入 ${preview.rows.length} 条` : '导入'}
          </Button>
        </Space>
      }
    >
      <Space orientation="vertical" style={{ width: '100%' }} size="middle">
        <WorkProgress op="import" running={committing} testId="import-progress" />
        <WorkProgress op="import" running={busy && !committing} testId="import-preview-progress" />
        <Space wrap>
          <Upload accept=".xlsx" showUploadList={false} maxCount={1} beforeUpload={(f) => (void choose(f), false)}>
            <Button data-testid="import-choose">
              {fileName ? '换一个文件' : '选择 .xlsx 文件'}
            </Button>
          </Upload>
          {fileName && <Typography.Text>{fileName}</Typography.Text>}
          <Button type="link" onClick={template}>
            下载{label}导入模板
          </Button>
        </Space>
        {!fileName && (
          <Upload.Dragger accept=".xlsx" showUploadList={false} maxCount={1} beforeUpload={(f) => (void choose(f), false)}>
            <p className="ant-upload-text">把 Excel 文件拖到这里，或点击选择</p>
            <p className="ant-upload-hint">只读取第一个工作表；表头可在前十行内，列的顺序不限。导入前会逐行检查，有错的行不会写入。</p>
          </Upload.Dragger>
        )}
        {problem && <Alert type="error" showIcon title={problem} data-testid="import-problem" />}
        {preview && (
          <>
            <div data-testid="import-mapping">
              <Typography.Text strong>列对应（工作表“{preview.sheetName}”，第 {preview.headerRow} 行为表头）</Typography.Text>
              <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, marginTop: 8 }}>
                {preview.fields.map((f) => (
                  <Space key={f.key} size={4}>
                    <span style={{ minWidth: 84, display: 'inline-block', textAlign: 'right' }}>
                      {f.required && <span style={{ color: '#ff4d4f' }}>*</span>}
                      {f.label}
                    </span>
                    <Select<number | null>
                      size="small"
                      style={{ width: 170 }}
                      value={preview.mapping[f.key]}
                      onChange={(v) => remap(f.key, v)}
                      disabled={busy}
                      data-testid={`map-${f.key}`}
                      options={[{ value: null as unknown as number, label: '（不导入）' }, ...preview.columns.map((c) => ({ value: c.index, label: `第 ${c.index} 列：${c.header}` }))]}
                    />
                  </Space>
                ))}
              </div>
            </div>
            {preview.fileErrors.map((m) => (
              <Alert key={m} type="error" showIcon title={m} />
            ))}
            {preview.fileErrors.length === 0 && (
              <Space>
                {preview.errorCount > 0 ? (
                  <Alert type="warning" showIcon title={`共 ${preview.rows.length} 行，其中 ${preview.errorCount} 行有问题。请在 Excel 中改正后重新选择文件；有错时不会导入任何一行。`} data-testid="import-summary" />
                ) : (
                  <Alert type="success" showIcon title={`共 ${preview.rows.length} 行，检查无误，可以导入。`} data-testid="import-summary" />
                )}
                {preview.errorCount > 0 && (
                  <Space size={4}>
                    <Switch size="small" checked={onlyErrors} onChange={setOnlyErrors} />
                    只看有问题的行
                  </Space>
                )}
              </Space>
            )}
            {preview.rows.length > 0 && (
              <Table<ImportRow>
                rowKey="row"
                size="small"
                dataSource={rows}
                loading={busy}
                scroll={{ x: 'max-content', y: 380 }}
                pagination={{ pageSize: 50, showSizeChanger: false }}
                data-testid="import-rows"
                columns={[
                  { title: '行号', dataIndex: 'row', width: 64, fixed: 'left' },
                  {
                    title: '检查结果',
                    key: 'errors',
                    width: 300,
                    render: (_: unknown, r: ImportRow) =>
                      r.errors.length ? (
                        <Space orientation="vertical" size={0}>
                          {r.errors.map((e, i) => (
                            <Typography.Text key={i} type="danger">
                              {e.message}
                            </Typography.Text>
                          ))}
                        </Space>
                      ) : (
                        <Tag color="green">可导入</Tag>
                      ),
                  },
                  ...mapped.map((f) => ({
                    title: f.label,
                    key: f.key,
                    render: (_: unknown, r: ImportRow) => {
                      const bad = r.errors.some((e) => e.field === f.key);
                      return <span style={bad ? { color: '#cf1322', fontWeight: 600 } : undefined}>{r.cells[f.key]}</span>;
                    },
                  })),
                ]}
              />
            )}
          </>
        )}
      </Space>
    </Modal>
  );
}
