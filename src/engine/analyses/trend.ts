import { CLEAN_ORDERS } from '../../core/schema';
import { ident } from '../../core/sql/ident';
import { orderSlices } from '../../core/sql/slices';
import { monthlyTrendStatements } from '../../core/sql/trend';
import type { AnalysisContext } from './context';

export interface MonthlyPoint {
  month: number;
  revenue: number;
  customers: number;
  orders: number;
}

export async function monthlyTrend(ctx: AnalysisContext, _params: void): Promise<MonthlyPoint[]> {
  const { db } = ctx;
  const [{ n }] = await db.unrecorded(() => db.rows<{ n: number }>(`SELECT CAST(count(*) AS DOUBLE) AS n FROM ${ident(CLEAN_ORDERS)}`));
  const { statements, resultIndex } = monthlyTrendStatements(orderSlices(n));
  let points: MonthlyPoint[] = [];
  for (const [i, sql] of statements.entries()) {
    if (i === resultIndex) points = await db.rows<MonthlyPoint>(sql);
    else await db.exec(sql);
  }
  return points;
}
