// Messages of "Show SQL" and "Copy as DuckDB script".
export const en = {
  'sql.show': 'Show SQL',
  'sql.hide': 'Hide SQL',
  'sql.setup': 'Reading the files into the clean view',
  'sql.analysis': 'This analysis',
  'sql.none': 'Run the analysis first; its statements appear here.',
  'sql.copy': 'Copy as DuckDB script',
  'sql.download': 'Download .sql',
  'sql.copied': 'Copied. Run it with the DuckDB CLI in the folder that holds your files.',
  'sql.ms': 'Computed in {ms} ms in this tab ({sqlMs} ms of it in DuckDB).',
} as const;

export const zh: Record<keyof typeof en, string> = {
  'sql.show': '查看 SQL',
  'sql.hide': '隐藏 SQL',
  'sql.setup': '读取文件并生成清洗视图',
  'sql.analysis': '本项分析',
  'sql.none': '请先运行分析，其 SQL 语句会显示在这里。',
  'sql.copy': '复制为 DuckDB 脚本',
  'sql.download': '下载 .sql',
  'sql.copied': '已复制。请在存放文件的文件夹中用 DuckDB 命令行运行。',
  'sql.ms': '本标签页内计算用时 {ms} 毫秒（其中 DuckDB {sqlMs} 毫秒）。',
};
