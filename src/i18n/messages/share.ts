// Messages of share links and project files.
export const en = {
  'share.button': 'Share',
  'share.copyLink': 'Copy link',
  'share.copied': 'Link copied. Whoever opens it and drops the same file gets the same numbers — the link carries settings only, never data.',
  'share.linkLabel': 'Link to this analysis (settings only)',
  'share.saveProject': 'Save project file',
  'share.openProject': 'Open project file…',
  'share.pending': 'Settings from a shared link or project file are ready. Drop the same file to reproduce the analysis.',
  'share.discard': 'Discard',
  'shareError.format': 'This link or project file is damaged.',
  'shareError.version': 'This link or project file was made by a newer version of the workbench.',
  'shareError.invalid': 'This link or project file contains a setting the workbench does not accept.',
  'shareError.tooLarge': 'This link or project file is too large.',
} as const;

export const zh: Record<keyof typeof en, string> = {
  'share.button': '分享',
  'share.copyLink': '复制链接',
  'share.copied': '链接已复制。对方打开链接并拖入同一文件即可得到相同结果——链接只包含设置，不含任何数据。',
  'share.linkLabel': '本次分析的链接（仅含设置）',
  'share.saveProject': '保存项目文件',
  'share.openProject': '打开项目文件…',
  'share.pending': '已载入分享链接或项目文件中的设置。请拖入同一文件以重现分析。',
  'share.discard': '放弃',
  'shareError.format': '链接或项目文件已损坏。',
  'shareError.version': '链接或项目文件由更新版本的工作台生成。',
  'shareError.invalid': '链接或项目文件中有工作台不接受的设置。',
  'shareError.tooLarge': '链接或项目文件过大。',
};
