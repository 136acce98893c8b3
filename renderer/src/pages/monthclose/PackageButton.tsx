import { Button, Input, Modal, Space, Typography } from 'antd';
import { useState } from 'react';
import type { PackageResult } from '../../../../shared/api/monthclose.ts';
import { canCall } from '../../../../shared/access.generated.ts';
import { ApiCallError, call } from '../../api.ts';
import { showError, toast } from '../../feedback.ts';
import { useSession } from '../../session.ts';

/**
 * 生成上报包 (issue 18) for a closed month: the signed package for the town's centre, written to the data folder's
 * packages/ (docs/PACKAGE.md). The first time, the installation has no signing key yet: the core says so with an issue
 * on schoolCode, and the page asks for the school code (学校标识码) and calls again, which makes the key. The result
 * names the file and the key's fingerprint, which the centre enrolled from the school's sheet.
 */
export function PackageButton(props: { month: string }) {
  const roles = useSession((s) => s.session?.roles ?? []);
  const [busy, setBusy] = useState(false);
  const [asking, setAsking] = useState(false);
  const [code, setCode] = useState('');
  const [result, setResult] = useState<PackageResult | null>(null);
  if (!canCall('monthclose.package', roles)) return null;

  const run = (schoolCode?: string) => {
    setBusy(true);
    call('monthclose.package', { month: props.month, ...(schoolCode ? { schoolCode } : {}) })
      .then(
        (r) => {
          setResult(r);
          setAsking(false);
          toast(`已生成上报包（第 ${r.revision} 版）`);
        },
        (e: unknown) => {
          if (e instanceof ApiCallError && e.issues.some((i) => i.path === 'schoolCode') && !schoolCode) setAsking(true);
          else showError(e);
        },
      )
      .finally(() => setBusy(false));
  };

  return (
    <>
      <Button data-testid="close-package" loading={busy} onClick={() => run()}>
        生成上报包
      </Button>
      <Modal
        open={asking}
        title="首次生成上报包：填写学校代码"
        okText="生成密钥并生成上报包"
        cancelText="取消"
        confirmLoading={busy}
        onOk={() => run(code.trim())}
        onCancel={() => setAsking(false)}
      >
        <Space direction="vertical" style={{ width: '100%' }}>
          <Typography.Text>本机将生成上报签名密钥（只保存在本机数据文件夹中）。请填写教育部门分配的学校代码（学校标识码），之后把显示的公钥指纹交给中心登记。</Typography.Text>
          <Input data-testid="package-school-code" value={code} onChange={(e) => setCode(e.target.value.toUpperCase())} onPressEnter={() => run(code.trim())} placeholder="例如 2135000123" maxLength={20} />
        </Space>
      </Modal>
      {/* A dialog rather than a box beside the buttons: the file and fingerprint are long lines. */}
      <Modal open={result !== null} title="已生成上报包" footer={<Button type="primary" onClick={() => setResult(null)}>知道了</Button>} onCancel={() => setResult(null)} width={720}>
        {result && (
          <div data-testid="close-packaged">
            <p>{`已生成上报包：${result.schoolCode}，${result.month}，第 ${result.revision} 版${result.supersedesRevision ? `（取代第 ${result.supersedesRevision} 版）` : ''}`}</p>
            <p>文件：{result.file}</p>
            <p>公钥指纹：{result.fingerprint}</p>
            <Typography.Text type="secondary">请把此文件交乡镇中心导入；中心核对的公钥指纹应与上面一致。</Typography.Text>
          </div>
        )}
      </Modal>
    </>
  );
}
