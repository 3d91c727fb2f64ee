import { monthlyTrendSql } from '../../core/sql/trend';
import type { AnalysisContext } from './context';

export interface MonthlyPoint {
  month: number;
  revenue: number;
  customers: number;
  orders: number;
}

export async function monthlyTrend(ctx: AnalysisContext, _params: void): Promise<MonthlyPoint[]> {
  return ctx.db.rows<MonthlyPoint>(monthlyTrendSql());
}
