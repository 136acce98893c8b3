import { Result } from 'antd';

/** Stands in for a feature page that is still being built. */
export function Placeholder({ title }: { title: string }) {
  return <Result status="info" title={`${title}功能正在建设中`} subTitle="这里将放置该业务的录入与查询页面。" />;
}
