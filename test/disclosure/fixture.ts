import type { DisclosureData, PurchaseLine } from '../../shared/disclosure.ts';

/**
 * A hand-built month (2026-03) whose derived figures are worked out by hand below; the tests compare against these
 * literals, never against the code's output.
 *
 * Month (本月):
 *   一 上月累计结余 1,500.00
 *   收取 100,000.00 − 退费 1,200.00 = 学生伙食费净额 98,800.00
 *   补助 33,000.00 (6,600 受助人日 × 5.00), 其他收入 500.00
 *   二 收入 = 98,800.00 + 33,000.00 + 500.00 = 132,300.00
 *   三 支出 = 20,000.00 + 45,678.90 + 8,000.00 + 30,123.45 + 9,000.00 + 4,000.00 + 2,500.00 + 1,000.00 = 120,302.35
 *   四 结余 = 132,300.00 − 120,302.35 = 11,997.65
 *   五 累计结余 = 1,500.00 + 11,997.65 = 13,497.65
 *   六 结余率 = 11,997.65 ÷ 132,300.00 = 0.090685… → 9.07 % (907 bp)
 *   七 就餐人日数 6,800
 *   八 生均日伙食成本 = 120,302.35 ÷ 6,800 = 17.6915… → 17.69
 *   九 食材占比 = 120,302.35 ÷ 132,300.00 = 0.909315… → 90.93 % (9,093 bp)
 * Year to date (本年累计, Jan–Mar):
 *   一 上年末结余 2,000.00
 *   收取 300,000.00 − 退费 3,000.00 = 297,000.00; 补助 90,000.00; 其他 500.00 → 二 387,500.00
 *   三 = 60,000.00 + 140,000.00 + 25,000.00 + 90,002.35 + 30,000.00 + 15,000.00 + 10,000.00 + 6,000.00 = 376,002.35
 *   四 = 387,500.00 − 376,002.35 = 11,497.65; 五 = 2,000.00 + 11,497.65 = 13,497.65 (= the month's 五)
 *   六 = 11,497.65 ÷ 387,500.00 = 0.029671… → 2.97 %; 七 19,000; 八 = 376,002.35 ÷ 19,000 = 19.7896… → 19.79
 *   九 = 376,002.35 ÷ 387,500.00 = 0.970328… → 97.03 %
 * 分类成本 (opening + purchases − closing = consumed, equal to the month's category rows):
 *   粮油 5,000.00 + 18,000.00 − 3,000.00 = 20,000.00 (adj −50.00); 肉禽蛋 2,000.00 + 44,678.90 − 1,000.00 = 45,678.90;
 *   水产 0 + 8,000.00 − 0 = 8,000.00; 蔬菜水果 500.00 + 30,000.00 − 376.55 = 30,123.45 (adj −12.30);
 *   奶 1,000.00 + 9,000.00 − 1,000.00 = 9,000.00; 豆 0 + 4,000.00 − 0; 调味 1,200.00 + 2,000.00 − 700.00 = 2,500.00;
 *   其他 300.00 + 900.00 − 200.00 = 1,000.00.
 *   Totals: opening 10,000.00; purchases 116,578.90; consumed 120,302.35; adjustments −62.30; closing 6,276.55.
 * 采购明细 (amount = qty × price, half-up to the fen): 大米 3,000 × 6.00 = 18,000.00; 猪肉 1,200.5 × 28.60 = 34,334.30;
 *   鸡蛋 862.05 × 12.00 = 10,344.60; 草鱼 500 × 16.00 = 8,000.00; 青菜 2,345.678 × 3.50 = 8,209.873 → 8,209.87;
 *   土豆 7,263.377 × 3.00 = 21,790.131 → 21,790.13; 牛奶 4,500 × 2.00 = 9,000.00; 豆腐 1,600 × 2.50 = 4,000.00;
 *   酱油 400 × 5.00 = 2,000.00; 淀粉 90 × 10.00 = 900.00. Total 116,578.90 (= the purchases column).
 * 食材价格: 大米 avg 6.00 vs ref 6.20 → −3.2258 % → −3.23 %; 猪肉 avg 28.60 vs ref 26.00 → exactly +10.00 % = the
 *   tolerance, not over; 青菜 avg 8,209.87 ÷ 2,345.678 = 3.49999… → 3.50, vs ref 3.00: exact deviation
 *   (820,987,000 − 703,703,400) ÷ 703,703,400 = 16.6667 % → 16.67 %, over 10 % → marked; 牛奶 no reference → “—”.
 * 供应商 (as of 2026-03-31): 城南粮油 licence until 2026-03-31 → fine; 鲜肉配送 until 2026-03-15 → expired;
 *   绿源农场 no licence → missing. Totals: 20 deliveries, 116,578.90, 12 certificates.
 * 营养改善计划: 一(1)班 2,640 × 5.00 = 13,200.00; 二(1)班 2,420 × 5.00 = 12,100.00; 三(1)班 1,540 × 5.00 = 7,700.00;
 *   totals 300 students, 6,600 人日, 33,000.00 (= the subsidy row).
 * 退费: 100.00 + 400.00 + 700.00 = 1,200.00 (= the refunds row), 5 + 20 + 35 = 60 days.
 */
export const CHECKSUM = '3f9a0c1be27d4e58a6b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9';

export const PURCHASE_LINES: PurchaseLine[] = [
  { date: '2026-03-01', receiptNo: 'YS202603-0001', item: '大米', spec: '25kg/袋', unit: 'kg', qtyMilli: 3_000_000, unitPriceFen: 600, amountFen: 1_800_000, supplier: '城南粮油有限公司', inspectors: '张三、李四', note: '' },
  { date: '2026-03-02', receiptNo: 'YS202603-0002', item: '猪肉', spec: '前腿', unit: 'kg', qtyMilli: 1_200_500, unitPriceFen: 2860, amountFen: 3_433_430, supplier: '鲜肉配送中心', inspectors: '张三、王五', note: '' },
  { date: '2026-03-02', receiptNo: 'YS202603-0002', item: '鸡蛋', spec: '散装', unit: 'kg', qtyMilli: 862_050, unitPriceFen: 1200, amountFen: 1_034_460, supplier: '鲜肉配送中心', inspectors: '张三、王五', note: '' },
  { date: '2026-03-09', receiptNo: 'YS202603-0003', item: '草鱼', spec: '鲜活', unit: 'kg', qtyMilli: 500_000, unitPriceFen: 1600, amountFen: 800_000, supplier: '绿源农场', inspectors: '李四、王五', note: '' },
  { date: '2026-03-16', receiptNo: 'YS202603-0004', item: '青菜', spec: '', unit: 'kg', qtyMilli: 2_345_678, unitPriceFen: 350, amountFen: 820_987, supplier: '绿源农场', inspectors: '李四、王五', note: '部分拒收' },
  { date: '2026-03-16', receiptNo: 'YS202603-0004', item: '土豆', spec: '', unit: 'kg', qtyMilli: 7_263_377, unitPriceFen: 300, amountFen: 2_179_013, supplier: '绿源农场', inspectors: '李四、王五', note: '' },
  { date: '2026-03-23', receiptNo: 'YS202603-0005', item: '牛奶', spec: '250ml', unit: '盒', qtyMilli: 4_500_000, unitPriceFen: 200, amountFen: 900_000, supplier: '绿源农场', inspectors: '张三、李四', note: '' },
  { date: '2026-03-23', receiptNo: 'YS202603-0005', item: '豆腐', spec: '', unit: 'kg', qtyMilli: 1_600_000, unitPriceFen: 250, amountFen: 400_000, supplier: '绿源农场', inspectors: '张三、李四', note: '' },
  { date: '2026-03-31', receiptNo: 'YS202603-0006', item: '酱油', spec: '500ml', unit: '瓶', qtyMilli: 400_000, unitPriceFen: 500, amountFen: 200_000, supplier: '绿源农场', inspectors: '张三、王五', note: '' },
  { date: '2026-03-31', receiptNo: 'YS202603-0006', item: '淀粉', spec: '1kg/袋', unit: 'kg', qtyMilli: 90_000, unitPriceFen: 1000, amountFen: 90_000, supplier: '绿源农场', inspectors: '张三、王五', note: '' },
];

export function fixture(): DisclosureData {
  return {
    schoolName: '阳光小学',
    month: '2026-03',
    revision: 2,
    checksumHex: CHECKSUM,
    usesStoreroom: true,
    allowedNonFood: [],
    surplusLimitBp: 200,
    surplusPeriod: 'term',
    priceToleranceBp: 1000,
    notes: ['依据《学校食品安全与营养健康管理规定》及本地校园餐专项整治要求公示。', '公示期为七日，如有疑问请向学校膳食委员会反映。'],
    complaintPhone: '0571-12345678',
    signatures: ['编制人', '审核人', '膳食委员会（家委会）代表', '校长'],
    monthFigures: {
      previousBalanceFen: 150_000,
      feesCollectedFen: 10_000_000,
      refundsFen: 120_000,
      subsidyFen: 3_300_000,
      otherIncomeFen: 50_000,
      expenseByCategoryFen: { grain: 2_000_000, meat: 4_567_890, aquatic: 800_000, vegetable: 3_012_345, dairy: 900_000, soy: 400_000, seasoning: 250_000, other: 100_000 },
      nonFoodFen: {},
      mealDays: 6_800,
    },
    yearToDate: {
      previousBalanceFen: 200_000,
      feesCollectedFen: 30_000_000,
      refundsFen: 300_000,
      subsidyFen: 9_000_000,
      otherIncomeFen: 50_000,
      expenseByCategoryFen: { grain: 6_000_000, meat: 14_000_000, aquatic: 2_500_000, vegetable: 9_000_235, dairy: 3_000_000, soy: 1_500_000, seasoning: 1_000_000, other: 600_000 },
      nonFoodFen: {},
      mealDays: 19_000,
    },
    categoryCosts: [
      { category: 'grain', openingFen: 500_000, purchasesFen: 1_800_000, adjustmentsFen: -5_000, closingFen: 300_000 },
      { category: 'meat', openingFen: 200_000, purchasesFen: 4_467_890, adjustmentsFen: 0, closingFen: 100_000 },
      { category: 'aquatic', openingFen: 0, purchasesFen: 800_000, adjustmentsFen: 0, closingFen: 0 },
      { category: 'vegetable', openingFen: 50_000, purchasesFen: 3_000_000, adjustmentsFen: -1_230, closingFen: 37_655 },
      { category: 'dairy', openingFen: 100_000, purchasesFen: 900_000, adjustmentsFen: 0, closingFen: 100_000 },
      { category: 'soy', openingFen: 0, purchasesFen: 400_000, adjustmentsFen: 0, closingFen: 0 },
      { category: 'seasoning', openingFen: 120_000, purchasesFen: 200_000, adjustmentsFen: 0, closingFen: 70_000 },
      { category: 'other', openingFen: 30_000, purchasesFen: 90_000, adjustmentsFen: 0, closingFen: 20_000 },
    ],
    adjustmentNotes: ['粮油：受潮报废大米 8.333 kg，计 50.00 元。', '蔬菜水果：盘点损耗 12.30 元。'],
    purchases: PURCHASE_LINES,
    rejected: [
      { item: '青菜', unit: 'kg', qtyMilli: 12_500, reason: '腐烂变质', disposition: '退回供应商' },
      { item: '鸡蛋', unit: 'kg', qtyMilli: 30_000, reason: '破损', disposition: '退回供应商' },
    ],
    prices: [
      { item: '大米', category: 'grain', unit: 'kg', qtyMilli: 3_000_000, amountFen: 1_800_000, referencePriceFen: 620, previousAvgPriceFen: 610 },
      { item: '猪肉', category: 'meat', unit: 'kg', qtyMilli: 1_200_500, amountFen: 3_433_430, referencePriceFen: 2600, previousAvgPriceFen: 2750 },
      { item: '青菜', category: 'vegetable', unit: 'kg', qtyMilli: 2_345_678, amountFen: 820_987, referencePriceFen: 300, previousAvgPriceFen: null },
      { item: '牛奶', category: 'dairy', unit: '盒', qtyMilli: 4_500_000, amountFen: 900_000, referencePriceFen: null, previousAvgPriceFen: 200 },
    ],
    suppliers: [
      { name: '城南粮油有限公司', creditCode: '91330100MA2H000001', licenceNo: 'JY13301000000001', licenceValidUntil: '2026-03-31', deliveries: 4, amountFen: 1_800_000, certificates: 4 },
      { name: '鲜肉配送中心', creditCode: '91330100MA2H000002', licenceNo: 'JY13301000000002', licenceValidUntil: '2026-03-15', deliveries: 6, amountFen: 4_467_890, certificates: 6 },
      { name: '绿源农场', creditCode: '93330100MA2H000003', licenceNo: '', licenceValidUntil: null, deliveries: 10, amountFen: 5_390_000, certificates: 2 },
    ],
    subsidy: [
      { className: '一(1)班', students: 120, days: 22, studentDays: 2_640, rateFen: 500 },
      { className: '二(1)班', students: 110, days: 22, studentDays: 2_420, rateFen: 500 },
      { className: '三(1)班', students: 70, days: 22, studentDays: 1_540, rateFen: 500 },
    ],
    refunds: [
      { studentNo: '2025010101', name: '张小明', className: '一(1)班', days: 5, amountFen: 10_000, reason: '病假', appliedOn: '2026-03-02', paidOn: '2026-03-10' },
      { studentNo: '2025010102', name: '李小红', className: '一(1)班', days: 20, amountFen: 40_000, reason: '转学', appliedOn: '2026-03-05', paidOn: '2026-03-12' },
      { studentNo: '2024020103', name: '王刚', className: '二(1)班', days: 35, amountFen: 70_000, reason: '长期病假', appliedOn: '2026-03-20', paidOn: '2026-03-31' },
    ],
  };
}
