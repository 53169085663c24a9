// The audit log's texts (namespace "audit").
export const auditMessages = {
  zh: {
    title: '审计日志',
    intro: '谁在何时做了什么：登录、模板、实例、站点、部署与回滚，包括被拒绝的操作。新的在前。',
    filters: { label: '筛选', action: '操作', user: '用户', target: '对象', targetPlaceholder: '如 site:st_… 或 instance:ins_…', outcome: '结果', from: '从', to: '到', all: '全部', apply: '筛选', clear: '清除' },
    col: { at: '时间', user: '用户', action: '操作', target: '对象', outcome: '结果', ip: '地址', detail: '详情' },
    outcome: { ok: '成功', refused: '被拒绝', failed: '失败' },
    count: '共 {{count}} 条',
    empty: '没有符合条件的记录。',
    anonymous: '（未登录）',
    actions: {
      login: '登录', logout: '退出', 'password-change': '修改密码', 'user-create': '新建用户', 'user-update': '修改用户',
      'template-create': '上传模板', 'template-update': '修改模板草稿', 'template-publish': '发布模板', 'template-delete': '删除模板草稿', 'template-import': '导入模板',
      'instance-create': '创建实例', 'instance-copy': '复制实例', 'instance-update': '修改实例', 'instance-upgrade': '升级实例',
      'pairing-code-create': '生成配对码', 'site-register': '登记站点', 'site-pair': '站点配对', 'site-update': '修改站点', 'site-bind': '绑定实例',
      'site-engineers': '分配工程师', 'site-heartbeat-token': '换发心跳令牌', deploy: '部署', rollback: '回滚', 'bundle-export': '导出部署包',
    },
  },
  en: {
    title: 'Audit log',
    intro: 'Who did what, when: sign-ins, templates, instances, sites, deploys and rollbacks, refused ones included. Newest first.',
    filters: { label: 'Filters', action: 'Action', user: 'User', target: 'Target', targetPlaceholder: 'e.g. site:st_… or instance:ins_…', outcome: 'Outcome', from: 'From', to: 'To', all: 'All', apply: 'Filter', clear: 'Clear' },
    col: { at: 'When', user: 'User', action: 'Action', target: 'Target', outcome: 'Outcome', ip: 'Address', detail: 'Detail' },
    outcome: { ok: 'ok', refused: 'refused', failed: 'failed' },
    count: '{{count}} entries',
    empty: 'No entry matches.',
    anonymous: '(not signed in)',
    actions: {
      login: 'sign in', logout: 'sign out', 'password-change': 'password change', 'user-create': 'user created', 'user-update': 'user changed',
      'template-create': 'template uploaded', 'template-update': 'template draft changed', 'template-publish': 'template published', 'template-delete': 'template draft deleted', 'template-import': 'template imported',
      'instance-create': 'instance created', 'instance-copy': 'instance copied', 'instance-update': 'instance changed', 'instance-upgrade': 'instance upgraded',
      'pairing-code-create': 'pairing code made', 'site-register': 'site registered', 'site-pair': 'site paired', 'site-update': 'site changed', 'site-bind': 'instance bound',
      'site-engineers': 'engineers assigned', 'site-heartbeat-token': 'heartbeat token issued', deploy: 'deploy', rollback: 'rollback', 'bundle-export': 'bundle export',
    },
  },
};
