// Svelte components rendered in jsdom with a Workbench whose dataset is set directly
// (the engine is exercised by the unit and e2e tests, not here).
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { Workbench } from '../../src/ui/workbench.svelte';
import Overview from '../../src/ui/Overview.svelte';
import QualityReport from '../../src/ui/QualityReport.svelte';
import MappingEditor from '../../src/ui/MappingEditor.svelte';
import { i18n } from '../../src/i18n/index.svelte';
import type { DatasetState } from '../../src/engine/workspace';
import { MAPPING_ERRORS } from '../../src/core/mapping';

function dataset(): DatasetState {
  return {
    files: [
      {
        name: 'orders.csv', format: 'csv', kind: 'transactions', size: 1000, encoding: 'utf-8', delimiter: ',', header: true,
        dateFormat: null, decimalComma: false,
        columns: [{ name: '会员编号', type: 'VARCHAR' }, { name: '下单时间', type: 'VARCHAR' }, { name: '实付金额', type: 'VARCHAR' }, { name: '备注', type: 'VARCHAR' }],
        samples: { 会员编号: ['M1', 'M2'], 下单时间: ['2024-01-01'], 实付金额: ['12.5'], 备注: ['x'] },
      },
    ],
    columns: [{ name: '会员编号', type: 'VARCHAR' }, { name: '下单时间', type: 'VARCHAR' }, { name: '实付金额', type: 'VARCHAR' }, { name: '备注', type: 'VARCHAR' }],
    detected: { mapping: { customer_id: '会员编号', order_date: '下单时间', amount: '实付金额' }, reasons: { customer_id: 'header', order_date: 'header', amount: 'header' }, warnings: [] },
    mapping: { customer_id: '会员编号', order_date: '下单时间', amount: '实付金额' },
    mappingErrors: [],
    kpis: { customers: 1234, orders: 5678, revenue: 1234567.891, aov: 217.43, first_date: Date.UTC(2023, 0, 1), last_date: Date.UTC(2025, 5, 30) },
    quality: {
      counts: { rows_read: 100, rejected: 0, missing_customer: 3, bad_date: 2, bad_amount: 1, extra_fields: 0, returns: 4, cancelled: 0, duplicates: 5, future_date: 0, old_date: 0, return_only_customers: 1, clean_rows: 89, clean_customers: 20, clean_orders: 40 },
      rejectedExamples: [],
    },
    customerAttributes: null,
    timings: {},
  };
}

function workbench(): Workbench {
  const wb = new Workbench();
  wb.dataset = dataset();
  wb.state = 'ready';
  return wb;
}

afterEach(() => {
  cleanup();
  i18n.locale = 'en';
});

describe('Overview', () => {
  it('carries raw numbers in data-value and formats them per locale', async () => {
    i18n.locale = 'en';
    render(Overview, { wb: workbench() });
    expect(screen.getByTestId('kpi-revenue')).toHaveAttribute('data-value', '1234567.891');
    expect(screen.getByTestId('kpi-revenue')).toHaveTextContent('1,234,567.89');
    expect(screen.getByTestId('kpi-first-date')).toHaveAttribute('data-value', '2023-01-01');
    expect(screen.getByTestId('kpi-customers')).toHaveTextContent('Customers');
  });

  it('says why there is nothing to show when the columns cannot be mapped, and leads to Columns', async () => {
    const wb = workbench();
    wb.dataset = {
      ...dataset(),
      kpis: null,
      mappingErrors: [
        { role: null, key: MAPPING_ERRORS.noCustomer },
        { role: 'channel', key: MAPPING_ERRORS.duplicateColumn, params: { column: '渠道', other: 'region' } },
      ],
    };
    render(Overview, { wb });
    const items = screen.getByTestId('mapping-errors').querySelectorAll('li');
    expect(items[0]).toHaveTextContent('No column is mapped to the customer id.');
    expect(items[1]).toHaveTextContent('Column "渠道" is mapped to more than one role (Channel and Region / country).');
    await fireEvent.click(screen.getByRole('button', { name: 'Open Columns' }));
    expect(wb.tab).toBe('mapping');
  });

  it('renders in Chinese', async () => {
    i18n.locale = 'zh-CN';
    render(Overview, { wb: workbench() });
    expect(screen.getByTestId('kpi-customers')).toHaveTextContent('客户数');
    expect(screen.getByTestId('kpi-last-date')).toHaveTextContent('2025/06/30');
  });
});

describe('QualityReport', () => {
  it('lists each check with its count and shows example rows on demand', async () => {
    render(QualityReport, { wb: workbench() });
    expect(screen.getByTestId('quality-rows-read')).toHaveAttribute('data-value', '100');
    expect(screen.getByTestId('quality-duplicates')).toHaveAttribute('data-value', '5');
    expect(screen.queryByText('orders.csv')).toBeNull();
    // The example rows are asked of the engine when first opened, once per dataset and policies.
    const wb = workbench();
    const asked: unknown[] = [];
    wb.analyze = (async (name: string, params: unknown) => {
      asked.push([name, params]);
      return { columns: ['file', 'row', '会员编号'], rows: [['orders.csv', 7, null]] };
    }) as Workbench['analyze'];
    cleanup();
    render(QualityReport, { wb });
    await fireEvent.click(screen.getAllByText('Examples')[0]);
    expect(await screen.findByText('orders.csv')).toBeInTheDocument();
    expect(asked).toEqual([['qualityExamples', { check: 'missing_customer', columns: ['会员编号', '下单时间', '实付金额', '备注'] }]]);
    await fireEvent.click(screen.getByText('Hide examples'));
    await fireEvent.click(screen.getAllByText('Examples')[0]);
    expect(await screen.findByText('orders.csv')).toBeInTheDocument();
    expect(asked).toHaveLength(1);
    expect(screen.getByText('∅')).toBeInTheDocument();
  });
});

describe('MappingEditor', () => {
  it('shows what was detected and why, and gives a column to only one role', async () => {
    render(MappingEditor, { wb: workbench() });
    const customer = screen.getByTestId('map-customer_id') as HTMLSelectElement;
    expect(customer.value).toBe('会员编号');
    expect(screen.getAllByText('header name').length).toBe(3);
    const apply = screen.getByTestId('apply-mapping') as HTMLButtonElement;
    expect(apply.disabled).toBe(true);
    // Taking 会员编号 for the order id releases it from the customer role.
    await fireEvent.change(screen.getByTestId('map-order_id'), { target: { value: '会员编号' } });
    expect(customer.value).toBe('');
    expect(apply.disabled).toBe(false);
  });
});
