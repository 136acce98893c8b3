import { App as AntApp, ConfigProvider, type ConfigProviderProps } from 'antd';
import zhCNModule from 'antd/locale/zh_CN.js';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Shell } from './Shell.tsx';

type Locale = NonNullable<ConfigProviderProps['locale']>;
// antd's locale file is CommonJS: TypeScript sees its exports object, the bundler hands over the default export.
const zhCN: Locale = (zhCNModule as { default?: Locale }).default ?? (zhCNModule as unknown as Locale);

dayjs.locale('zh-cn');

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ConfigProvider locale={zhCN} button={{ autoInsertSpace: false }} theme={{ token: { colorPrimary: '#d4380d', fontSize: 14 } }}>
      <AntApp style={{ height: '100%' }}>
        <Shell />
      </AntApp>
    </ConfigProvider>
  </StrictMode>,
);
