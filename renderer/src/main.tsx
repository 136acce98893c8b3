import { App as AntApp, ConfigProvider, type ConfigProviderProps } from 'antd';
import zhCNModule from 'antd/locale/zh_CN.js';
// antd's prebuilt stylesheet with zeroRuntime below: components no longer build, hash and inject their CSS while the
// first screen renders (that was ~1/5 of the delivery page's renderer CPU); our theme still reaches them as CSS vars.
import 'antd/dist/antd.css';
import './contrast.css';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Root } from './Root.tsx';
import { THEME } from './theme.ts';

type Locale = NonNullable<ConfigProviderProps['locale']>;
// antd's locale file is CommonJS: TypeScript sees its exports object, the bundler hands over the default export.
const zhCN: Locale = (zhCNModule as { default?: Locale }).default ?? (zhCNModule as unknown as Locale);

dayjs.locale('zh-cn');

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ConfigProvider locale={zhCN} button={{ autoInsertSpace: false }} theme={THEME}>
      <AntApp style={{ height: '100%' }}>
        <Root />
      </AntApp>
    </ConfigProvider>
  </StrictMode>,
);
