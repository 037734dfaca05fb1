<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ActivitiesTab</name>
    <message>
        <location filename="../../app/ui/projects/records_tabs.py" line="+264"/>
        <source>Activity</source>
        <translation>活动名称</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Starts</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Volunteers</source>
        <translation>志愿者人数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hours</source>
        <translation>时长（小时）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Link activity…</source>
        <translation>关联活动…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Unlink</source>
        <translation>取消关联</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Volunteer hours on this project: %1 h, by %2 volunteer(s) in %3 record(s).</source>
        <translation>本项目志愿服务时长：%1 小时，共 %2 名志愿者、%3 条记录。</translation>
    </message>
</context>
<context>
    <name>ActivityDialog</name>
    <message>
        <location filename="../../app/ui/hours/activity_dialog.py" line="+167"/>
        <source>New activity</source>
        <translation>新增活动</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Edit activity: %1</source>
        <translation>编辑活动：%1</translation>
    </message>
</context>
<context>
    <name>ActivityDialogForm</name>
    <message>
        <location filename="../../forms/activity_dialog.ui" line="+11"/>
        <source>Activity name</source>
        <translation>活动名称</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Organizer</source>
        <translation>组织单位</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Place</source>
        <translation>地点</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Starts at</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Ends at</source>
        <translation>结束时间</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Service category</source>
        <translation>服务类别</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Capacity</source>
        <translation>人数上限</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No limit</source>
        <translation>不限</translation>
    </message>
</context>
<context>
    <name>ActivityModel</name>
    <message>
        <location filename="../../app/ui/hours/page.py" line="+89"/>
        <source>Activity</source>
        <translation>活动名称</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Organizer</source>
        <translation>组织单位</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Place</source>
        <translation>地点</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Starts</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Ends</source>
        <translation>结束时间</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Category</source>
        <translation>服务类别</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Capacity</source>
        <translation>人数上限</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not started</source>
        <translation>未开始</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Under way</source>
        <translation>进行中</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ended (not closed)</source>
        <translation>已结束（未关闭）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Closed</source>
        <translation>已结束</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
</context>
<context>
    <name>ActivityPage</name>
    <message>
        <location line="+74"/>
        <source>Search name, organizer, place or category</source>
        <translation>搜索活动名称、组织单位、地点或类别</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>All statuses</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open</source>
        <translation>进行中</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Closed</source>
        <translation>已结束</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>New activity</source>
        <translation>新增活动</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add manual hours</source>
        <translation>补录时长</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+134"/>
        <source>Close activity</source>
        <translation>关闭活动</translation>
    </message>
    <message>
        <location line="-133"/>
        <location line="+187"/>
        <source>Cancel activity</source>
        <translation>取消活动</translation>
    </message>
    <message>
        <location line="-186"/>
        <source>Export to national volunteer system…</source>
        <translation>导出到全国志愿服务系统…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Attendance…</source>
        <translation>到场名单…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Who came to the selected activity, with check-in and check-out times</source>
        <translation>查看所选活动的到场人员及签到、签退时间</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>On site now…</source>
        <translation>在场人员…</translation>
    </message>
    <message>
        <location line="+58"/>
        <source>%1 activities</source>
        <translation>共 %1 个活动</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>Close “%1”? Kiosks stop taking scans for it; volunteers still checked in are checked out and flagged for review. Manual hours stay possible.</source>
        <translation>关闭活动“%1”？关闭后不再接受扫码；仍在签到状态的志愿者将自动签退并标记待复核。仍可补录时长。</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Activity “%1” (%2)</source>
        <translation>活动“%1”（%2）</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Why did “%1” not take place?</source>
        <translation>活动“%1”为何取消？请填写原因：</translation>
    </message>
</context>
<context>
    <name>ActivityPicker</name>
    <message>
        <location filename="../../app/ui/projects/pickers.py" line="+136"/>
        <source>Link an activity</source>
        <translation>关联活动</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Words of the name, organizer or place</source>
        <translation>搜索活动名称、组织单位或地点</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Activity</source>
        <translation>活动名称</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Starts</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Organizer</source>
        <translation>组织单位</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Place</source>
        <translation>地点</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Project</source>
        <translation>项目</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>linked</source>
        <translation>已关联</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Choose an activity in the list.</source>
        <translation>请在列表中选择一个活动。</translation>
    </message>
</context>
<context>
    <name>AnnualReportMixin</name>
    <message>
        <location filename="../../app/ui/orgs/annual.py" line="+64"/>
        <source>Annual report</source>
        <translation>年度工作报告</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+60"/>
        <source>Report year</source>
        <translation>报告年度</translation>
    </message>
    <message>
        <location line="-39"/>
        <source>Annual report %1 — %2</source>
        <translation>%1年度工作报告 — %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Preparing the annual report</source>
        <translation>正在生成年度工作报告</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Every organization that owes a report for the year.</source>
        <translation>该年度所有应报送年度工作报告的组织。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The %1 organization(s) in the list.</source>
        <translation>列表中的 %1 个组织。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Print annual reports</source>
        <translation>批量打印年度工作报告</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Folder for the annual reports</source>
        <translation>选择年度工作报告的保存文件夹</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Writing annual reports</source>
        <translation>正在生成年度工作报告</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Annual reports cancelled; the reports already written stay in the folder.</source>
        <translation>已取消生成年度工作报告；已生成的报告仍保留在文件夹中。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 annual report(s) written to %2.</source>
        <translation>已生成 %1 份年度工作报告，保存在 %2。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Left out:</source>
        <translation>未生成：</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Annual reports</source>
        <translation>年度工作报告</translation>
    </message>
</context>
<context>
    <name>Application</name>
    <message>
        <location filename="../../app/ui/application.py" line="+60"/>
        <source>Register not found</source>
        <translation>找不到登记簿</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The register used last time, %1, is not there. The disk or shared folder that holds it may not be connected, or the file was moved.</source>
        <translation>上次使用的登记簿 %1 不在原处。它所在的磁盘或共享文件夹可能没有连接，或文件已被移走。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Try again</source>
        <translation>重试</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Create an empty register there</source>
        <translation>在该位置新建空白登记簿</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Cannot open the register</source>
        <translation>无法打开登记簿</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The register at %1 cannot be opened:
%2</source>
        <translation>无法打开位于 %1 的登记簿：
%2</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Open the default register</source>
        <translation>打开默认登记簿</translation>
    </message>
</context>
<context>
    <name>ApprovalPage</name>
    <message>
        <location filename="../../app/ui/hours/approval_page.py" line="+175"/>
        <source>Approve selected</source>
        <translation>批准所选</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Approve all of this activity</source>
        <translation>批准本活动全部</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reject…</source>
        <translation>驳回…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reverse an approved record…</source>
        <translation>冲正已通过记录…</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Activity:</source>
        <translation>活动：</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>All activities</source>
        <translation>全部活动</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>%1 pending</source>
        <translation>待审核 %1 条</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Approved %1 records: %2 hours, %3 points granted.</source>
        <translation>已批准 %1 条记录：共 %2 小时，发放积分 %3 分。</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Approve all</source>
        <translation>全部批准</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Approve all %1 pending records of “%2”? Records with remarks are approved too.</source>
        <translation>批准“%2”的全部 %1 条待审核记录？带有提示标记的记录也会一并批准。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Approving service records</source>
        <translation>正在审核服务记录</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Cancelled; nothing was changed.</source>
        <translation>已取消，未做任何更改</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Rejected %1 records.</source>
        <translation>已驳回 %1 条记录。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Reject records</source>
        <translation>驳回记录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reject %1 selected records. Reason (the volunteer may ask):</source>
        <translation>驳回所选的 %1 条记录。驳回原因（志愿者可能会询问）：</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The record was reversed.</source>
        <translation>记录已冲正。</translation>
    </message>
</context>
<context>
    <name>AttachmentsTab</name>
    <message>
        <location filename="../../app/ui/common/attachments_tab.py" line="+74"/>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>File</source>
        <translation>文件名</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Added</source>
        <translation>添加时间</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>By</source>
        <translation>经办人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check</source>
        <translation>校验</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>OK</source>
        <translation>正常</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Kind of the next file (e.g. charter)</source>
        <translation>下一个附件的类型（如：章程）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Kind of the next file</source>
        <translation>下一个附件的类型</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Add…</source>
        <translation>添加…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Attach a file</source>
        <translation>选择附件</translation>
    </message>
</context>
<context>
    <name>AttendanceDialog</name>
    <message>
        <location filename="../../app/ui/hours/attendance_dialog.py" line="+101"/>
        <source>Attendance — %1</source>
        <translation>到场名单 — %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Scanned</source>
        <translation>扫码</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Manual</source>
        <translation>补录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reversal</source>
        <translation>冲正</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>On site</source>
        <translation>在场</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pending approval</source>
        <translation>待审核</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Approved</source>
        <translation>已通过</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rejected</source>
        <translation>已驳回</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Volunteer no.</source>
        <translation>志愿者编号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Checked in</source>
        <translation>签到</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Checked out</source>
        <translation>签退</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hours</source>
        <translation>时长</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Reversed</source>
        <translation>已冲正</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>, exported</source>
        <translation>，已导出</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>%1 (%2, %3–%4): %5 people came.</source>
        <translation>%1（%2，%3–%4）：到场 %5 人。</translation>
    </message>
</context>
<context>
    <name>Backup</name>
    <message>
        <location filename="../../app/ui/common/backup_dialog.py" line="+74"/>
        <source>Back up the register</source>
        <translation>备份登记簿</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Yilian backup (*.ylbak)</source>
        <translation>益联备份 (*.ylbak)</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>The register was backed up to %1 (%2, %3 attached files).</source>
        <translation>登记簿已备份到%1（%2，%3个附件）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Backup</source>
        <translation>备份</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Backing up the register</source>
        <translation>正在备份登记簿</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Restore from a backup</source>
        <translation>从备份恢复</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Yilian backup (*.ylbak);;All files (*)</source>
        <translation>益联备份 (*.ylbak);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Checking the backup</source>
        <translation>正在检查备份</translation>
    </message>
</context>
<context>
    <name>BackupSettingsTab</name>
    <message>
        <location filename="../../app/ui/common/backup_settings.py" line="+36"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The register backs itself up when Yilian starts and while it runs, once the interval has passed since the last backup, and always before a schema upgrade and before a restore. Only automatic backups are deleted, oldest first; backups made with File → Back up the register are kept. Set the interval to 0 to turn the schedule off.</source>
        <translation>益联启动时和运行期间，距上次备份超过设定间隔即自动备份登记簿；升级数据库结构前和恢复备份前也一定先备份。只删除自动备份（最早的先删）；通过“文件 → 备份登记簿”手动做的备份一直保留。间隔设为0即关闭自动备份。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Back up every (hours)</source>
        <translation>备份间隔（小时）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Automatic backups kept</source>
        <translation>保留自动备份份数</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+25"/>
        <source>Backup folder</source>
        <translation>备份文件夹</translation>
    </message>
    <message>
        <location line="-23"/>
        <source>Last backup</source>
        <translation>上次备份</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Never</source>
        <translation>从未备份</translation>
    </message>
</context>
<context>
    <name>BudgetLinesDialog</name>
    <message>
        <location filename="../../app/ui/projects/money_tab.py" line="+230"/>
        <source>Budget execution</source>
        <translation>预算执行情况</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Initial budget</source>
        <translation>年初预算</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Adjusted (A)</source>
        <translation>调整后预算（A）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Executed (B)</source>
        <translation>执行数（B）</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Weight</source>
        <translation>权重</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Score</source>
        <translation>得分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reason</source>
        <translation>偏差原因</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>paid so far</source>
        <translation>已支付金额</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Amounts in yuan. Leave a source empty if the project has no such funds.</source>
        <translation>金额单位：元。项目没有某类资金的，该行留空。</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1: type a number, e.g. 20.</source>
        <translation>%1：请输入数字，如 20。</translation>
    </message>
</context>
<context>
    <name>CardsPage</name>
    <message>
        <location filename="../../app/ui/cards/page.py" line="+98"/>
        <location line="+325"/>
        <source>Cards</source>
        <translation>证件</translation>
    </message>
    <message>
        <location line="-324"/>
        <source>Check-in</source>
        <translation>签到</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>One volunteer</source>
        <translation>单个志愿者</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Volunteer number</source>
        <translation>志愿者编号</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Issue</source>
        <translation>发证</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reissue…</source>
        <translation>补办…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Revoke…</source>
        <translation>注销…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Print card…</source>
        <translation>打印此证…</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Volunteers without a valid card</source>
        <translation>尚无有效证件的志愿者</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Find: volunteer no., name, pinyin initials, or the last digits of ID or mobile</source>
        <translation>查找：志愿者编号、姓名、拼音首字母，或证件号、手机号尾号</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Community</source>
        <translation>社区</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>A4 sheets of ten cards</source>
        <translation>按A4每页10张</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+41"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location line="-40"/>
        <source>Print selected…</source>
        <translation>打印所选…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Print all without a card…</source>
        <translation>全部未发证…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save PDF…</source>
        <translation>保存PDF…</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Activity</source>
        <translation>活动</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Station</source>
        <translation>签到点</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Start check-in</source>
        <translation>开始签到</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The kiosk fills the screen; volunteers scan their cards to check in and, later, out. Leaving it needs the staff PIN (Settings).</source>
        <translation>签到屏将全屏显示；志愿者扫描证件签到，结束时再次扫描签退。退出签到屏需要工作人员密码（见设置）。</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Type a volunteer number first.</source>
        <translation>请先输入志愿者编号。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>%1 %2 has no valid card.</source>
        <translation>%1 %2 没有有效的志愿者证。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 %2 holds card no. %3, issued %4.</source>
        <translation>%1 %2 持有第 %3 张志愿者证，发证日期 %4。</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>e.g. lost, damaged</source>
        <translation>如：遗失、损坏</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Reissue card</source>
        <translation>补办志愿者证</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 gets a new card; the current card stops working at once.</source>
        <translation>为 %1 补办新证；当前证件立即作废。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Revoke card</source>
        <translation>注销志愿者证</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1&apos;s card stops working; no new card is issued.</source>
        <translation>%1 的志愿者证将作废，且不发新证。</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>%1 volunteers without a valid card.</source>
        <translation>共 %1 名志愿者没有有效证件。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Select volunteers in the list first.</source>
        <translation>请先在列表中选择志愿者。</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Preparing cards</source>
        <translation>正在准备志愿者证</translation>
    </message>
    <message>
        <location line="+105"/>
        <source>Card printing cancelled.</source>
        <translation>已取消打印志愿者证。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Save cards</source>
        <translation>保存志愿者证</translation>
    </message>
    <message>
        <location line="-35"/>
        <location line="+35"/>
        <source>cards</source>
        <translation>志愿者证</translation>
    </message>
    <message>
        <location line="-294"/>
        <source>Preview / print…</source>
        <translation>预览/打印…</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The cards are drawn at true size: when printing the saved PDF from another program, print at actual size (100 %).</source>
        <translation>证件按实际尺寸绘制：若用其他程序打印保存的PDF，请选择“实际大小”（100%）打印。</translation>
    </message>
    <message>
        <location line="+136"/>
        <source>Showing the first %1; search to find someone, or “Print all” for every one.</source>
        <translation>仅显示前%1人；可搜索查找，或用“全部打印”为所有人制证。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Nobody without a valid card matches “%1”.</source>
        <translation>没有与“%1”匹配的未持有效证件的志愿者。</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>%1 cards ready (%2 to be issued when printed).</source>
        <translation>已生成%1张证件（其中%2张在打印时发证）。</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>No card was issued.</source>
        <translation>未发放任何证件。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Issue cards</source>
        <translation>发证</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cards will be issued to %1 volunteers and printed. Continue?</source>
        <translation>将为%1名志愿者发证并打印，确定继续吗？</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>%1 cards issued.</source>
        <translation>已发证%1张。</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
</context>
<context>
    <name>CertificateDialog</name>
    <message>
        <location filename="../../app/ui/volunteers/detail.py" line="+440"/>
        <source>Service certificate</source>
        <translation>开具服务证明</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Certificate of service hours for %1 %2</source>
        <translation>为%1 %2开具志愿服务记录证明</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>From</source>
        <translation>起始日期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>To</source>
        <translation>截止日期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Preview…</source>
        <translation>预览…</translation>
    </message>
</context>
<context>
    <name>CertificateListTab</name>
    <message>
        <location filename="../../app/ui/hours/certificate_list.py" line="+109"/>
        <source>Number</source>
        <translation>证明编号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Volunteer no.</source>
        <translation>志愿者编号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Period</source>
        <translation>服务期间</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hours</source>
        <translation>时长</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Issued on</source>
        <translation>出具日期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Issued by</source>
        <translation>出具人</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Certificate no., volunteer no. or name</source>
        <translation>证明编号、志愿者编号或姓名</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reprint…</source>
        <translation>补打…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Preview, print or save this certificate again, with the same number and the hours as issued</source>
        <translation>按原编号和出具时的时长重新预览、打印或保存这份证明</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>New certificates are issued from a volunteer&apos;s panel (Service certificate…).</source>
        <translation>新证明请在志愿者详情中出具（“服务证明…”）。</translation>
    </message>
    <message numerus="yes">
        <location line="+12"/>
        <source>%n certificate(s)</source>
        <translation>
            <numerusform>共 %n 份证明</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Newest %1 of %2 shown; search to find others.</source>
        <translation>显示最新的%1份（共%2份）；可搜索查找其他证明。</translation>
    </message>
</context>
<context>
    <name>CertificatePreview</name>
    <message>
        <location line="-91"/>
        <location line="+35"/>
        <source>Service certificate %1</source>
        <translation>志愿服务证明 %1</translation>
    </message>
    <message>
        <location line="-16"/>
        <source>Service certificate (preview: numbered when saved or printed)</source>
        <translation>志愿服务证明（预览：保存或打印时编号）</translation>
    </message>
</context>
<context>
    <name>ConfirmDiscardDialog</name>
    <message>
        <location filename="../../app/ui/common/confirm_discard.py" line="+38"/>
        <source>The form has changes that are not saved. Discard them?</source>
        <translation>表单中有尚未保存的修改，是否放弃？</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Discard changes?</source>
        <translation>放弃修改？</translation>
    </message>
</context>
<context>
    <name>DuePage</name>
    <message>
        <location filename="../../app/ui/orgs/due_page.py" line="+62"/>
        <source>Kind</source>
        <translation>事项</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Organization</source>
        <translation>组织名称</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Due</source>
        <translation>到期日</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Days overdue</source>
        <translation>逾期天数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Details</source>
        <translation>说明</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Each kind&apos;s own period</source>
        <translation>按各类自身期限</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1: %2 days</source>
        <translation>%1：%2 天</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Next %1 days</source>
        <translation>未来 %1 天</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open organization</source>
        <translation>打开组织</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Show</source>
        <translation>范围</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>today</source>
        <translation>今天到期</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n day(s) left</source>
        <translation>
            <numerusform>还剩 %n 天</numerusform>
        </translation>
    </message>
    <message>
        <location line="+31"/>
        <source>%1 item(s), %2 overdue</source>
        <translation>共 %1 项，其中逾期 %2 项</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <location filename="../../app/ui/common/errors.py" line="+80"/>
        <source>The register is busy (another program is writing to it). Please try again in a moment.</source>
        <translation>登记簿正忙（另一个程序正在写入），请稍后再试。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The register is on a read-only disk or file, so nothing was saved. Move it to a writable place or get write permission.</source>
        <translation>登记簿位于只读磁盘或只读文件上，未保存任何内容。请将其移到可写的位置，或取得写入权限。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The register file is no longer where it was (a network share or USB disk may have been disconnected), so nothing was saved. Reconnect it and open the register again.</source>
        <translation>登记簿文件已不在原处（网络共享或U盘可能已断开），未保存任何内容。请重新连接后再打开登记簿。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The disk holding the register is full, so nothing was saved. Free some space and try again.</source>
        <translation>登记簿所在磁盘已满，未保存任何内容。请清理空间后重试。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The register cannot be reached: %1
Check the network or the database server, then try again.</source>
        <translation>无法连接登记簿：%1
请检查网络或数据库服务器后再试。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No permission to write the file: %1</source>
        <translation>没有写入该文件的权限：%1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The disk is full: %1 could not be written. Nothing was left behind under that name; free some space or choose another place.</source>
        <translation>磁盘已满：无法写入%1。该文件名下没有留下残缺文件；请清理空间或换一个位置。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The file could not be used: %1 (%2)</source>
        <translation>无法使用该文件：%1（%2）</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>the file or folder does not exist</source>
        <translation>文件或文件夹不存在</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the disk is read-only</source>
        <translation>磁盘是只读的</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>it is a folder, not a file</source>
        <translation>这是文件夹，不是文件</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>a part of the path is not a folder</source>
        <translation>路径中有一段不是文件夹</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the name is too long</source>
        <translation>文件名太长</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>another program is using it</source>
        <translation>另一个程序正在使用它</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Cannot continue</source>
        <translation>无法继续</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>(no log file)</source>
        <translation>（没有日志文件）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Something went wrong that Yilian did not expect. Nothing you saved is lost.

%1

The details are in the log file:
%2</source>
        <translation>益联遇到了意外错误。已保存的数据不会丢失。

%1

详细信息已写入日志文件：
%2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Unexpected error</source>
        <translation>意外错误</translation>
    </message>
</context>
<context>
    <name>EvaluationsTab</name>
    <message>
        <location filename="../../app/ui/projects/records_tabs.py" line="-107"/>
        <location line="+43"/>
        <source>Kind</source>
        <translation>评价类型</translation>
    </message>
    <message>
        <location line="-42"/>
        <location line="+44"/>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location line="-43"/>
        <location line="+44"/>
        <source>Evaluator</source>
        <translation>评价机构</translation>
    </message>
    <message>
        <location line="-43"/>
        <source>Score</source>
        <translation>得分</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+44"/>
        <source>Grade</source>
        <translation>等级</translation>
    </message>
    <message>
        <location line="-43"/>
        <location line="+45"/>
        <source>Conclusion</source>
        <translation>结论</translation>
    </message>
    <message>
        <location line="-38"/>
        <source>Record evaluation…</source>
        <translation>录入评价…</translation>
    </message>
    <message>
        <location line="+21"/>
        <location line="+18"/>
        <source>Problems</source>
        <translation>存在问题</translation>
    </message>
    <message>
        <location line="-17"/>
        <location line="+18"/>
        <source>Suggestions</source>
        <translation>建议</translation>
    </message>
    <message>
        <location line="-18"/>
        <location line="+19"/>
        <source>Remarks</source>
        <translation>备注</translation>
    </message>
    <message>
        <location line="-6"/>
        <source>Score (0–100)</source>
        <translation>得分（0–100）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>(from the score)</source>
        <translation>（按得分确定）</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Record evaluation</source>
        <translation>录入评价</translation>
    </message>
</context>
<context>
    <name>FieldDialog</name>
    <message>
        <location filename="../../app/ui/orgs/dialogs.py" line="+185"/>
        <source>Type the amount in yuan, e.g. 5000 or 5000.50.</source>
        <translation>请输入以元为单位的金额，如 5000 或 5000.50。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Type the score as a number, e.g. 86.5.</source>
        <translation>请输入数字形式的分数，如 86.5。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The score is out of range.</source>
        <translation>分数超出范围。</translation>
    </message>
</context>
<context>
    <name>GoodDialog</name>
    <message>
        <location filename="../../app/ui/points/shop_dialogs.py" line="+133"/>
        <source>New good</source>
        <translation>新增商品</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Edit good</source>
        <translation>编辑商品</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>piece</source>
        <translation>件</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Points price</source>
        <translation>兑换积分</translation>
    </message>
</context>
<context>
    <name>HistoryDialog</name>
    <message>
        <location filename="../../app/ui/volunteers/history.py" line="+132"/>
        <source>Service history — %1 %2</source>
        <translation>服务记录 — %1 %2</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>%1 records, newest first. Hours count once approved; a reversal takes them back.</source>
        <translation>共 %1 条记录，最新的在前。时长审核通过后计入，冲正后扣回。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No service recorded yet.</source>
        <translation>暂无服务记录。</translation>
    </message>
</context>
<context>
    <name>HistoryModel</name>
    <message>
        <location line="-92"/>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Activity</source>
        <translation>活动</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Organizer</source>
        <translation>组织单位</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Hours</source>
        <translation>时长</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Remarks</source>
        <translation>备注</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Scanned</source>
        <translation>扫码</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Manual</source>
        <translation>补录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reversal</source>
        <translation>冲正</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Checked in</source>
        <translation>已签到</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pending approval</source>
        <translation>待审核</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Approved</source>
        <translation>已通过</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rejected</source>
        <translation>已驳回</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No check-out, closed automatically</source>
        <translation>未签退自动结束</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stay too short</source>
        <translation>时长不足</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Over the daily cap</source>
        <translation>超过每日上限</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Overlapping times</source>
        <translation>时间重叠</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Reversed</source>
        <translation>已冲正</translation>
    </message>
</context>
<context>
    <name>HomePage</name>
    <message>
        <location filename="../../app/ui/home_page.py" line="+204"/>
        <source>Home</source>
        <translation>首页</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Registered volunteers</source>
        <translation>志愿者总数</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Active volunteers</source>
        <translation>在册志愿者</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Service hours this month</source>
        <translation>本月服务时长</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Service hours this year</source>
        <translation>本年服务时长</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Service hours by month (last 12 months)</source>
        <translation>月度服务时长（近 12 个月）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Due and overdue</source>
        <translation>到期与逾期事项</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>When</source>
        <translation>期限</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Kind</source>
        <translation>事项</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Due</source>
        <translation>到期日</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Organization or project</source>
        <translation>组织或项目</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Social organizations</source>
        <translation>社会组织</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Incubation stage</source>
        <translation>孵化状态</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Legal status</source>
        <translation>登记状态</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>All organizations</source>
        <translation>全部组织</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Purchased service projects by status</source>
        <translation>购买服务项目（按状态）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Contracted total</source>
        <translation>合同总额</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Paid total</source>
        <translation>已支付总额</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>The figures could not be loaded: %1</source>
        <translation>数据加载失败：%1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>As of %1</source>
        <translation>截至 %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 h</source>
        <translation>%1小时</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 projects</source>
        <translation>共 %1 个项目</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Contracted %1, paid %2</source>
        <translation>合同金额 %1，已支付 %2</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Showing %1 of %2 (%3 overdue)</source>
        <translation>显示 %1 项，共 %2 项（逾期 %3 项）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1 days overdue</source>
        <translation>逾期 %1 天</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Due today</source>
        <translation>今天到期</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>In %1 days</source>
        <translation>%1 天后到期</translation>
    </message>
</context>
<context>
    <name>HoursReportPage</name>
    <message>
        <location filename="../../app/ui/hours/report_page.py" line="+205"/>
        <source>Volunteer</source>
        <translation>志愿者</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Activity</source>
        <translation>活动</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Community</source>
        <translation>社区</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Show</source>
        <translation>查询</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+4"/>
        <source>Export to Excel…</source>
        <translation>导出 Excel…</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>Export to national volunteer system…</source>
        <translation>导出到全国志愿服务系统…</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Group by</source>
        <translation>统计方式</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Service hours (approved)</source>
        <translation>服务时长（已通过）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Charity shop stock movements</source>
        <translation>爱心超市出入库</translation>
    </message>
    <message>
        <location line="+33"/>
        <location line="+66"/>
        <source>The end date is before the start date.</source>
        <translation>结束日期早于开始日期。</translation>
    </message>
    <message>
        <location line="-38"/>
        <source>Counting…</source>
        <translation>正在统计…</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Export to Excel</source>
        <translation>导出 Excel</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Served %1 to %2</source>
        <translation>服务时间 %1 至 %2</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Exporting</source>
        <translation>正在导出</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Export cancelled.</source>
        <translation>已取消导出。</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <location filename="../../app/ui/volunteers/import_dialog.py" line="+76"/>
        <source>Import volunteers</source>
        <translation>导入志愿者</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose an Excel file (.xlsx) with one volunteer per row. Nothing is saved until you press Import.</source>
        <translation>请选择每行一名志愿者的 Excel 文件（.xlsx）。点击“导入”之前不会保存任何数据。</translation>
    </message>
    <message>
        <location filename="../../app/ui/common/import_dialog.py" line="+325"/>
        <source>Choose file…</source>
        <translation>选择文件…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save template…</source>
        <translation>保存模板…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rows with problems (not imported)</source>
        <translation>有问题的行（不会导入）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rows that can be imported (first %1)</source>
        <translation>可以导入的行（前 %1 行）</translation>
    </message>
    <message>
        <location line="-22"/>
        <source>Person</source>
        <translation>人员</translation>
    </message>
    <message>
        <location line="-26"/>
        <source>Changes (old → new)</source>
        <translation>变更（原 → 新）</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>Export problem rows…</source>
        <translation>导出有问题的行…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Save the rows with problems as they are in the file, with a Problem column: correct them there and import that file.</source>
        <translation>把有问题的行按原样另存，并附“问题”一列：在该文件中改正后再导入。</translation>
    </message>
    <message>
        <location line="-27"/>
        <source>Update people already registered (matched by ID number)</source>
        <translation>更新已登记人员的信息（按证件号码匹配）</translation>
    </message>
    <message>
        <location line="-24"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Rows that update a registered person (rows with nothing new are only counted)</source>
        <translation>将更新已登记人员的行（没有新内容的行只计数）</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Import all</source>
        <translation>全部导入</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Skip rows with problems and import</source>
        <translation>跳过有问题的行并导入</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>%1 rows in sheet “%2” (header in row %3): %4 can be imported, %5 rows have problems.</source>
        <translation>工作表“%2”共 %1 行（表头在第 %3 行）：可导入 %4 行，有问题 %5 行。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Rows with a note worth a look: %1 (see the Note column).</source>
        <translation>另有 %1 行需要留意（见“提示”列）。</translation>
    </message>
    <message>
        <location line="+81"/>
        <source>Export problem rows</source>
        <translation>导出有问题的行</translation>
    </message>
    <message>
        <location filename="../../app/ui/volunteers/import_dialog.py" line="+2"/>
        <source>Choose a volunteer spreadsheet</source>
        <translation>选择志愿者花名册</translation>
    </message>
    <message>
        <location filename="../../app/ui/common/import_dialog.py" line="-121"/>
        <source>Excel files (*.xlsx *.xlsm *.xls *.ods)</source>
        <translation>Excel 文件 (*.xlsx *.xlsm *.xls *.ods)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Reading %1…</source>
        <translation>正在读取 %1…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Checking the file</source>
        <translation>正在检查文件</translation>
    </message>
    <message>
        <location line="-62"/>
        <source>Registered people: %1 to update, %2 unchanged.</source>
        <translation>已登记人员：%1人将更新，%2人无变化。</translation>
    </message>
    <message>
        <location line="+96"/>
        <source>Columns not imported: %1</source>
        <translation>未导入的列：%1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Reading was cancelled.</source>
        <translation>已取消读取。</translation>
    </message>
    <message>
        <location filename="../../app/ui/volunteers/import_dialog.py" line="+2"/>
        <source>Importing volunteers</source>
        <translation>正在导入志愿者</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Imported %1 volunteers, updated %2; %3 rows skipped.</source>
        <translation>已导入%1名志愿者，更新%2人；跳过%3行。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Imported %1 volunteers (%2 – %3); %4 rows skipped.</source>
        <translation>已导入 %1 名志愿者（%2 – %3），跳过 %4 行。</translation>
    </message>
    <message>
        <location filename="../../app/ui/common/import_dialog.py" line="+31"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The import was cancelled; nothing was saved.</source>
        <translation>导入已取消，没有保存任何数据。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The file could not be imported.</source>
        <translation>无法导入该文件。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Nothing was saved.</source>
        <translation>没有保存任何数据。</translation>
    </message>
    <message>
        <location line="+13"/>
        <location line="+16"/>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Save import template</source>
        <translation>保存导入模板</translation>
    </message>
    <message>
        <location filename="../../app/ui/volunteers/import_dialog.py" line="-14"/>
        <source>volunteer import template.xlsx</source>
        <translation>志愿者导入模板.xlsx</translation>
    </message>
</context>
<context>
    <name>IncubationTab</name>
    <message>
        <location filename="../../app/ui/orgs/incubation_tab.py" line="+74"/>
        <location line="+153"/>
        <source>Admission review</source>
        <translation>入驻评审</translation>
    </message>
    <message>
        <location line="-152"/>
        <source>First review</source>
        <translation>初审</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Expert review</source>
        <translation>专家评审</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+29"/>
        <location line="+202"/>
        <source>Score</source>
        <translation>评分</translation>
    </message>
    <message>
        <location line="-229"/>
        <source>Public notice</source>
        <translation>公示</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+27"/>
        <location line="+127"/>
        <location line="+75"/>
        <source>Conclusion</source>
        <translation>结论</translation>
    </message>
    <message>
        <location line="-228"/>
        <source>Record review…</source>
        <translation>录入评审…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Mentors</source>
        <translation>导师</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+177"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location line="-176"/>
        <location line="+176"/>
        <source>Expertise</source>
        <translation>专长</translation>
    </message>
    <message>
        <location line="-175"/>
        <location line="+176"/>
        <source>From</source>
        <translation>起始日期</translation>
    </message>
    <message>
        <location line="-175"/>
        <location line="+176"/>
        <source>To</source>
        <translation>截止日期</translation>
    </message>
    <message>
        <location line="-175"/>
        <source>Add mentor…</source>
        <translation>添加导师…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Trainings</source>
        <translation>培训</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+6"/>
        <location line="+7"/>
        <location line="+193"/>
        <location line="+10"/>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location line="-215"/>
        <source>Title</source>
        <translation>主题</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+196"/>
        <source>Attendees</source>
        <translation>参训人数</translation>
    </message>
    <message>
        <location line="-195"/>
        <source>Trainer</source>
        <translation>讲师</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Record attendance…</source>
        <translation>记录参训…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Services and grants</source>
        <translation>服务与资助</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+7"/>
        <location line="+191"/>
        <location line="+10"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location line="-207"/>
        <location line="+199"/>
        <source>Amount (yuan)</source>
        <translation>金额（元）</translation>
    </message>
    <message>
        <location line="-197"/>
        <location line="+198"/>
        <source>Description</source>
        <translation>说明</translation>
    </message>
    <message>
        <location line="-197"/>
        <source>Add service…</source>
        <translation>添加服务…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Evaluations</source>
        <translation>评估</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+202"/>
        <source>Evaluator</source>
        <translation>评估方</translation>
    </message>
    <message>
        <location line="-200"/>
        <source>Add evaluation…</source>
        <translation>添加评估…</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Incubation agreement</source>
        <translation>孵化协议</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Sign agreement…</source>
        <translation>签订协议…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Extend…</source>
        <translation>延期…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Registration readiness</source>
        <translation>登记备案准备</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Build document packet…</source>
        <translation>生成材料包…</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>No agreement signed.</source>
        <translation>尚未签订孵化协议。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 – %2</source>
        <translation>%1 – %2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>, space: %1</source>
        <translation>，场地：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>extended on %1 from %2 to %3: %4</source>
        <translation>%1 延期：由 %2 延至 %3，原因：%4</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Complete: the %1 can be built.</source>
        <translation>已备齐，可生成%1包。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Missing for the %1: %2</source>
        <translation>%1尚缺：%2</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>First review on</source>
        <translation>初审日期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>First review opinion</source>
        <translation>初审意见</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Expert review on</source>
        <translation>专家评审日期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Expert score</source>
        <translation>专家评分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Experts</source>
        <translation>评审专家</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Public notice from</source>
        <translation>公示开始日期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Public notice to</source>
        <translation>公示结束日期</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Sign agreement</source>
        <translation>签订孵化协议</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Starts on</source>
        <translation>开始日期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ends on</source>
        <translation>结束日期</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Space given</source>
        <translation>提供场地</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Extend agreement</source>
        <translation>孵化协议延期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New end</source>
        <translation>新的结束日期</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Agreed on</source>
        <translation>商定日期</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Add mentor</source>
        <translation>添加导师</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>(a new training)</source>
        <translation>（新增培训）</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Record training attendance</source>
        <translation>记录参训情况</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Training</source>
        <translation>培训</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New training: title</source>
        <translation>新培训：主题</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New training: date</source>
        <translation>新培训：日期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New training: trainer</source>
        <translation>新培训：讲师</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New training: place</source>
        <translation>新培训：地点</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New training: minutes</source>
        <translation>新培训：时长（分钟）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Names</source>
        <translation>参训人员</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Add service</source>
        <translation>添加服务</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Add evaluation</source>
        <translation>添加评估</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>%1 documents.zip</source>
        <translation>%1材料包.zip</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save document packet</source>
        <translation>保存材料包</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Zip archive (*.zip)</source>
        <translation>ZIP 压缩文件 (*.zip)</translation>
    </message>
</context>
<context>
    <name>IndicatorsTab</name>
    <message>
        <location filename="../../app/ui/projects/indicators_tab.py" line="+114"/>
        <location line="+59"/>
        <source>Level 1</source>
        <translation>一级指标</translation>
    </message>
    <message>
        <location line="-57"/>
        <location line="+59"/>
        <source>Level 2</source>
        <translation>二级指标</translation>
    </message>
    <message>
        <location line="-57"/>
        <location line="+60"/>
        <source>Indicator</source>
        <translation>三级指标</translation>
    </message>
    <message>
        <location line="-59"/>
        <location line="+60"/>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <location line="-59"/>
        <location line="+61"/>
        <source>Target</source>
        <translation>指标值</translation>
    </message>
    <message>
        <location line="-60"/>
        <location line="+61"/>
        <source>Actual</source>
        <translation>完成值</translation>
    </message>
    <message>
        <location line="-60"/>
        <location line="+61"/>
        <source>Weight</source>
        <translation>权重</translation>
    </message>
    <message>
        <location line="-60"/>
        <location line="+61"/>
        <source>Score</source>
        <translation>得分</translation>
    </message>
    <message>
        <location line="-60"/>
        <location line="+61"/>
        <source>Deviation and remedy</source>
        <translation>偏差原因及改进措施</translation>
    </message>
    <message>
        <location line="-55"/>
        <source>Add…</source>
        <translation>添加…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message numerus="yes">
        <location line="+19"/>
        <source>%n indicator(s); weights total %1</source>
        <translation>
            <numerusform>共 %n 项指标，权重合计 %1</numerusform>
        </translation>
    </message>
    <message>
        <location line="+3"/>
        <source>; score %1</source>
        <translation>，得分 %1</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>e.g. persons, sessions, %</source>
        <translation>如：人、场次、%</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Edit indicator</source>
        <translation>编辑指标</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>New indicator</source>
        <translation>新增指标</translation>
    </message>
</context>
<context>
    <name>InspectionTab</name>
    <message>
        <location filename="../../app/ui/orgs/inspection_tab.py" line="+100"/>
        <location line="+86"/>
        <source>Year</source>
        <translation>年度</translation>
    </message>
    <message>
        <location line="-85"/>
        <source>Deadline</source>
        <translation>截止日期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>To supervisor</source>
        <translation>报主管单位</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Submitted</source>
        <translation>报登记机关</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+87"/>
        <source>Result</source>
        <translation>结论</translation>
    </message>
    <message>
        <location line="-85"/>
        <source>not recorded</source>
        <translation>未录入</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Concluded</source>
        <translation>结论日期</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+87"/>
        <source>Remarks</source>
        <translation>备注</translation>
    </message>
    <message>
        <location line="-85"/>
        <source>Annual inspections</source>
        <translation>年检</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Record inspection…</source>
        <translation>录入年检…</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+93"/>
        <source>List</source>
        <translation>名录/名单</translation>
    </message>
    <message>
        <location line="-92"/>
        <location line="+94"/>
        <source>Listed on</source>
        <translation>列入日期</translation>
    </message>
    <message>
        <location line="-93"/>
        <location line="+94"/>
        <location line="+16"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location line="-109"/>
        <location line="+95"/>
        <source>Authority</source>
        <translation>作出决定机关</translation>
    </message>
    <message>
        <location line="-94"/>
        <location line="+107"/>
        <source>Removed on</source>
        <translation>移出日期</translation>
    </message>
    <message>
        <location line="-106"/>
        <source>Removal reason</source>
        <translation>移出原因</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Credit lists</source>
        <translation>活动异常名录与严重违法失信名单</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>List…</source>
        <translation>列入…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove…</source>
        <translation>移出…</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+108"/>
        <source>Rating</source>
        <translation>等级</translation>
    </message>
    <message>
        <location line="-107"/>
        <location line="+109"/>
        <source>Rated on</source>
        <translation>评估日期</translation>
    </message>
    <message>
        <location line="-108"/>
        <source>Valid until</source>
        <translation>有效期至</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+108"/>
        <source>Evaluator</source>
        <translation>评估机构</translation>
    </message>
    <message>
        <location line="-107"/>
        <source>Valid today</source>
        <translation>当前有效</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ratings</source>
        <translation>等级评估</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rate…</source>
        <translation>录入评估…</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Suggested: list on the %1.</source>
        <translation>建议列入%1。</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>(not concluded yet)</source>
        <translation>（尚无结论）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Submitted to supervisor</source>
        <translation>报业务主管单位日期</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Submitted to authority</source>
        <translation>报登记管理机关日期</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Concluded on</source>
        <translation>结论日期</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Record inspection</source>
        <translation>录入年检</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>List on a credit list</source>
        <translation>列入活动异常名录或严重违法失信名单</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Remove from the %1</source>
        <translation>移出%1</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Rate</source>
        <translation>录入等级评估</translation>
    </message>
</context>
<context>
    <name>KioskWindow</name>
    <message>
        <location filename="../../app/ui/cards/kiosk.py" line="+253"/>
        <source>Check-in: {name}</source>
        <translation>签到：{name}</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Scan the volunteer card</source>
        <translation>请扫描志愿者证</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+201"/>
        <source>Staff: press Esc and enter the PIN to leave</source>
        <translation>工作人员：按 Esc 并输入密码退出</translation>
    </message>
    <message>
        <location line="-198"/>
        <source>Camera on</source>
        <translation>摄像头已开启</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>Not recorded</source>
        <translation>未记录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The register could not be reached. Please call staff.</source>
        <translation>无法连接登记数据库，请联系工作人员。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Checked in {time}</source>
        <translation>签到成功 {time}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Welcome! Scan again when you leave.</source>
        <translation>欢迎！离开时请再次扫码签退。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Checked out {time}</source>
        <translation>签退成功 {time}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{hours} recorded, pending approval</source>
        <translation>本次服务{hours}，待审核</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>This stay counts no service hours.</source>
        <translation>本次在场不计服务时长。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Already scanned</source>
        <translation>重复扫码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nothing changed. Next, please.</source>
        <translation>已忽略，请下一位。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Refused</source>
        <translation>未通过</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Note: {warning}</source>
        <translation>提醒：{warning}</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Please scan your card</source>
        <translation>请扫描志愿者证</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hold the QR code under the scanner</source>
        <translation>将证件二维码对准扫码器</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Present now: {present}   Checked in today: {today}</source>
        <translation>在场 {present} 人&#x3000;今日签到 {today} 人</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>The leave PIN is still 0000: set one in Settings → Kiosk.</source>
        <translation>退出密码仍为0000：请在“设置 → 签到机”中修改。</translation>
    </message>
</context>
<context>
    <name>LayoutEditor</name>
    <message>
        <location filename="../../app/ui/hours/national_export_dialog.py" line="+57"/>
        <source>Column layout</source>
        <translation>列格式</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Column header</source>
        <translation>列标题</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Content</source>
        <translation>内容</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Add column</source>
        <translation>添加列</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove column</source>
        <translation>删除列</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Move up</source>
        <translation>上移</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Move down</source>
        <translation>下移</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Layout name</source>
        <translation>格式名称</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Match the columns, in order, to the template your national volunteer system account downloads for batch hours entry.</source>
        <translation>请按顺序使各列与您在全国志愿服务信息系统账号中下载的时长批量录入模板一致。</translation>
    </message>
</context>
<context>
    <name>LedgerDialog</name>
    <message>
        <location filename="../../app/ui/volunteers/detail.py" line="-96"/>
        <source>Earned by service</source>
        <translation>服务获得</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bonus</source>
        <translation>奖励</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Adjustment</source>
        <translation>调整</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Redemption</source>
        <translation>兑换</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Expired</source>
        <translation>过期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reversal</source>
        <translation>冲正</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Transferred out (merge)</source>
        <translation>合并转出</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Transferred in (merge)</source>
        <translation>合并转入</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Points ledger — %1 %2</source>
        <translation>积分明细 — %1 %2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Points</source>
        <translation>积分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Balance</source>
        <translation>余额</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Activity</source>
        <translation>活动</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reason</source>
        <translation>事由</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>By</source>
        <translation>经办人</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>More</source>
        <translation>更多</translation>
    </message>
</context>
<context>
    <name>ListPage</name>
    <message>
        <location filename="../../app/ui/common/list_page.py" line="+224"/>
        <source>This column cannot be sorted.</source>
        <translation>此列不能排序。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../app/ui/main_window.py" line="+104"/>
        <location line="+332"/>
        <source>Yilian — %1</source>
        <translation>益联 — %1</translation>
    </message>
    <message>
        <location line="-316"/>
        <source>Home</source>
        <translation>首页</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Volunteers</source>
        <translation>志愿者</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Service hours</source>
        <translation>服务时长</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Points and charity shop</source>
        <translation>积分与爱心超市</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cards and check-in</source>
        <translation>证件与签到</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Social organizations</source>
        <translation>社会组织</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Purchased service projects</source>
        <translation>购买服务项目</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location line="+113"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>New &amp;demo register…</source>
        <translation>新建演示登记簿(&amp;D)…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Back up the register…</source>
        <translation>备份登记簿(&amp;B)…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Restore from a backup…</source>
        <translation>从备份恢复(&amp;R)…</translation>
    </message>
    <message>
        <location line="+105"/>
        <source>The register is empty. Fill it with demo data (%1 volunteers, organizations, projects and a year of service hours) to try Yilian out?
Demo records are fictitious; keep real work in a separate register.</source>
        <translation>登记簿为空。是否填入演示数据（%1 名志愿者，以及组织、项目和一年的服务时长）来试用益联？
演示记录均为虚构，实际工作请使用单独的登记簿。</translation>
    </message>
    <message>
        <location line="+15"/>
        <location line="+7"/>
        <location line="+13"/>
        <source>New demo register</source>
        <translation>新建演示登记簿</translation>
    </message>
    <message>
        <location line="-19"/>
        <source>Yilian register (*.sqlite3);;All files (*)</source>
        <translation>益联登记簿 (*.sqlite3);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 already exists. Demo data goes only into a new file; choose another name.</source>
        <translation>%1 已存在。演示数据只能写入新文件，请换一个文件名。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The demo register opens at the next start.</source>
        <translation>下次启动时将打开演示登记簿。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The demo register will be %1; this register is not changed.
Yilian opens the demo register at the next start. To come back here, choose this register in Settings.

Switch to the demo register now?</source>
        <translation>演示登记簿将保存为 %1，当前登记簿不受影响。
下次启动益联时将打开演示登记簿。如需改回当前登记簿，请在“设置”中选择它。

现在就切换到演示登记簿吗？</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Added demo data: %1 volunteers, %2 organizations, %3 projects and a year of service hours.</source>
        <translation>已添加演示数据：%1 名志愿者、%2 个组织、%3 个项目及一年的服务时长。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Generating demo data</source>
        <translation>正在生成演示数据</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Last backup: %1</source>
        <translation>上次备份：%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>never</source>
        <translation>从未</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Automatic backup failed: %1</source>
        <translation>自动备份失败：%1</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The register was restored from the backup.</source>
        <translation>登记簿已从备份恢复。</translation>
    </message>
    <message>
        <location line="-217"/>
        <source>&amp;Quit</source>
        <translation>退出程序(&amp;Q)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;About Yilian</source>
        <translation>关于益联(&amp;A)</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>Settings saved. Language and register changes apply at the next start.</source>
        <translation>设置已保存。界面语言和登记簿位置的更改在下次启动时生效。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>About Yilian</source>
        <translation>关于益联</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Yilian %1 — volunteer, social organization and service project register for incubation centers.
Register: %2</source>
        <translation>益联 %1 — 面向孵化中心的志愿者、社会组织与服务项目登记系统。
登记簿：%2</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 (demo data)</source>
        <translation>%1（演示数据）</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Empty register</source>
        <translation>登记簿为空</translation>
    </message>
</context>
<context>
    <name>ManualHoursDialog</name>
    <message>
        <location filename="../../app/ui/hours/activity_dialog.py" line="+101"/>
        <source>Add manual hours: %1</source>
        <translation>补录时长：%1</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>What the volunteer did</source>
        <translation>志愿者做了哪些服务</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Volunteer</source>
        <translation>志愿者</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Started at</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ended at</source>
        <translation>结束时间</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Service content</source>
        <translation>服务内容</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Activity time: %1 – %2</source>
        <translation>活动时间：%1 – %2</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Choose a volunteer from the list or type a volunteer number.</source>
        <translation>请从列表中选择志愿者，或输入志愿者编号。</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Saved: %1 %2, %3, pending approval. Enter the next person, or close.</source>
        <translation>已保存：%1 %2，%3，待审核。可继续录入下一人，或关闭。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>MilestonesTab</name>
    <message>
        <location filename="../../app/ui/projects/records_tabs.py" line="-155"/>
        <location line="+32"/>
        <source>Milestone</source>
        <translation>项目节点</translation>
    </message>
    <message>
        <location line="-31"/>
        <source>Due</source>
        <translation>计划日期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Done</source>
        <translation>完成日期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>overdue</source>
        <translation>已逾期</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+31"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location line="-28"/>
        <source>Add milestone…</source>
        <translation>添加节点…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Mark done…</source>
        <translation>标记完成…</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Add milestone</source>
        <translation>添加项目节点</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>e.g. mid-term review</source>
        <translation>如：中期评估</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Due on</source>
        <translation>计划日期</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Mark done</source>
        <translation>标记完成</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Done on</source>
        <translation>完成日期</translation>
    </message>
</context>
<context>
    <name>MoneyTab</name>
    <message>
        <location filename="../../app/ui/projects/money_tab.py" line="-199"/>
        <source>No.</source>
        <translation>批次</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Planned</source>
        <translation>计划金额</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Share</source>
        <translation>比例</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Condition</source>
        <translation>付款条件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Due</source>
        <translation>应付日期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Paid</source>
        <translation>已支付</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+104"/>
        <source>Paid on</source>
        <translation>支付日期</translation>
    </message>
    <message>
        <location line="-103"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> (overdue)</source>
        <translation>（逾期）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+96"/>
        <source>Tranche</source>
        <translation>付款批次</translation>
    </message>
    <message>
        <location line="-95"/>
        <source>By</source>
        <translation>经办人</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+95"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location line="-91"/>
        <source>Source</source>
        <translation>资金来源</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Initial budget</source>
        <translation>年初预算</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Adjusted (A)</source>
        <translation>调整后预算（A）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Executed (B)</source>
        <translation>执行数（B）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rate B/A</source>
        <translation>执行率 B/A</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Weight</source>
        <translation>权重</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Score</source>
        <translation>得分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reason</source>
        <translation>偏差原因</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Payment plan…</source>
        <translation>付款计划…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Record payment…</source>
        <translation>登记付款…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Budget lines…</source>
        <translation>预算执行…</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Payment plan</source>
        <translation>付款计划</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Payments</source>
        <translation>付款记录</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Budget execution</source>
        <translation>预算执行情况</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Budget %1</source>
        <translation>预算 %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>contract %1</source>
        <translation>合同 %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>paid %1</source>
        <translation>已支付 %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>to pay %1</source>
        <translation>待支付 %1</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>First tranche not fully paid</source>
        <translation>第一个未付清的批次</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tranche %1: %2 planned, %3 paid</source>
        <translation>第 %1 批：计划 %2，已付 %3</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 %2 — contract %3, paid %4, at most %5 more.</source>
        <translation>%1 %2 — 合同金额 %3，已支付 %4，最多还可支付 %5。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Record payment</source>
        <translation>登记付款</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Amount (yuan)</source>
        <translation>金额（元）</translation>
    </message>
</context>
<context>
    <name>MonthChart</name>
    <message>
        <location filename="../../app/ui/home_page.py" line="-282"/>
        <source>Click a month to open its hours</source>
        <translation>点击月份查看当月服务时长</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>No data yet</source>
        <translation>暂无数据</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1/%2</source>
        <translation>%1/%2</translation>
    </message>
</context>
<context>
    <name>MovementModel</name>
    <message>
        <location filename="../../app/ui/hours/report_page.py" line="-213"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Goods</source>
        <translation>物品</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Movement</source>
        <translation>类型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Redemption no.</source>
        <translation>兑换单号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>By</source>
        <translation>经办人</translation>
    </message>
</context>
<context>
    <name>NationalExportDialog</name>
    <message>
        <location filename="../../app/ui/hours/national_export_dialog.py" line="+76"/>
        <source>Export to the national volunteer system</source>
        <translation>导出到全国志愿服务信息系统</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>%1: %2 approved records, %3.</source>
        <translation>%1：已审核通过的记录 %2 条，共 %3。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 of them were exported before.</source>
        <translation>其中 %1 条曾经导出过。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Edit columns…</source>
        <translation>编辑列…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New layout…</source>
        <translation>新建格式…</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+56"/>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location line="-44"/>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Column layout</source>
        <translation>列格式</translation>
    </message>
    <message>
        <location line="+16"/>
        <source> (preset)</source>
        <translation>（预设）</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Columns: %1</source>
        <translation>列：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Restore preset</source>
        <translation>恢复预设</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>My layout</source>
        <translation>我的格式</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Export to Excel</source>
        <translation>导出 Excel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Exported before</source>
        <translation>曾经导出</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 of these %2 records were exported before; importing them into the national system again would count their hours twice.

Yes: export them again. No: leave them out and export only the others.</source>
        <translation>这 %2 条记录中有 %1 条曾经导出过；再次导入全国系统会重复计算时长。

“再次导出”：连同这些记录一起导出。“只导出其余”：跳过这些记录，只导出其余记录。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Export again</source>
        <translation>再次导出</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Only the others</source>
        <translation>只导出其余</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Exporting</source>
        <translation>正在导出</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Saved %1 records to %2</source>
        <translation>已将 %1 条记录保存到 %2</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Export cancelled.</source>
        <translation>已取消导出。</translation>
    </message>
</context>
<context>
    <name>NewPinDialog</name>
    <message>
        <location filename="../../app/ui/cards/kiosk.py" line="-310"/>
        <source>Choose the kiosk PIN</source>
        <translation>设置签到机密码</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The PIN that closes the kiosk is still 0000, which anyone can guess. Choose 4 to 8 digits that only staff know.</source>
        <translation>退出签到机的密码仍是0000，谁都猜得到。请设置4到8位只有工作人员知道的数字。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>New PIN:</source>
        <translation>新密码：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Once more:</source>
        <translation>再输一次：</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Keep 0000 for now</source>
        <translation>暂时保留0000</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The PIN must be 4 to 8 digits.</source>
        <translation>密码须为4到8位数字。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Choose a PIN other than 0000.</source>
        <translation>请设置0000以外的密码。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The two entries differ.</source>
        <translation>两次输入不一致。</translation>
    </message>
</context>
<context>
    <name>OnSiteDialog</name>
    <message>
        <location filename="../../app/ui/hours/attendance_dialog.py" line="+14"/>
        <source>On site now</source>
        <translation>在场人员</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Activity</source>
        <translation>活动</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Place</source>
        <translation>地点</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Volunteer no.</source>
        <translation>志愿者编号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Checked in</source>
        <translation>签到</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Activity ends</source>
        <translation>活动结束</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Checked in and not yet out, at %1 open activities.</source>
        <translation>已签到、尚未签退的人员，涉及 %1 个进行中的活动。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 are past their activity&apos;s end (in red): probably a forgotten check-out, closed automatically later.</source>
        <translation>其中 %1 人已过活动结束时间（红色显示），可能忘记签退，稍后将自动结束。</translation>
    </message>
</context>
<context>
    <name>OrgDetail</name>
    <message>
        <location filename="../../app/ui/orgs/detail.py" line="+88"/>
        <source>Select an organization in the list to see its record.</source>
        <translation>在列表中选择一个组织以查看其登记信息。</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Overview</source>
        <translation>概况</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+233"/>
        <location line="+13"/>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location line="-245"/>
        <source>Event</source>
        <translation>事项</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>By</source>
        <translation>经办人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Timeline</source>
        <translation>时间线</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Incubation</source>
        <translation>孵化</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Inspections</source>
        <translation>年检</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Attachments</source>
        <translation>附件</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+37"/>
        <location line="+172"/>
        <source>Incubation stage</source>
        <translation>孵化状态</translation>
    </message>
    <message>
        <location line="-205"/>
        <location line="+27"/>
        <location line="+209"/>
        <source>Legal status</source>
        <translation>登记状态</translation>
    </message>
    <message>
        <location line="-232"/>
        <source>Annual report…</source>
        <translation>年度工作报告…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Yearly figures…</source>
        <translation>年度数据…</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Credit code</source>
        <translation>统一社会信用代码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Certificate</source>
        <translation>登记证书</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Registration authority</source>
        <translation>登记管理机关</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Supervisor unit</source>
        <translation>业务主管单位</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Legal representative</source>
        <translation>法定代表人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Registered capital</source>
        <translation>注册资金</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Founded on</source>
        <translation>成立日期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Service field</source>
        <translation>服务领域</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rating</source>
        <translation>评估等级</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Address</source>
        <translation>住所</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Area</source>
        <translation>所在区域</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Contact</source>
        <translation>联系方式</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Email</source>
        <translation>电子邮箱</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Website</source>
        <translation>网址</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Business scope</source>
        <translation>业务范围</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remarks</source>
        <translation>备注</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>incubation: %1</source>
        <translation>孵化：%1</translation>
    </message>
    <message>
        <location line="+14"/>
        <source> (form: %1)</source>
        <translation>（%1）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>kept although a check fails: %1</source>
        <translation>校验未通过，仍予保留：%1</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1 yuan</source>
        <translation>%1 元</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 since %2</source>
        <translation>%1（%2起）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 rated %2</source>
        <translation>%1（%2评定）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>filed</source>
        <translation>备案</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>registered</source>
        <translation>登记</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>deregistered</source>
        <translation>注销</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>valid %1 – %2</source>
        <translation>有效期 %1 – %2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>(expired)</source>
        <translation>（已过期）</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>not applied</source>
        <translation>未申请</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1: incubation stage %2 → %3</source>
        <translation>%1：孵化状态 %2 → %3</translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+24"/>
        <source>Note</source>
        <translation>说明</translation>
    </message>
    <message>
        <location line="-14"/>
        <source>%1: legal status %2 → %3</source>
        <translation>%1：登记状态 %2 → %3</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Authority</source>
        <translation>办理机关</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Certificate number</source>
        <translation>登记证号</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Certificate valid from</source>
        <translation>证书有效期起</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Certificate valid to</source>
        <translation>证书有效期止</translation>
    </message>
</context>
<context>
    <name>OrgEditor</name>
    <message>
        <location filename="../../app/ui/orgs/editor.py" line="+102"/>
        <source>Delete clears the date</source>
        <translation>按 Delete 键清空日期</translation>
    </message>
    <message>
        <location line="+76"/>
        <source>New organization</source>
        <translation>新增社会组织</translation>
    </message>
    <message>
        <location line="+82"/>
        <source>Edit organization — %1</source>
        <translation>编辑社会组织 — %1</translation>
    </message>
    <message>
        <location line="+105"/>
        <source>Type the amount in yuan, e.g. 30000 or 30000.50 (two decimals at most).</source>
        <translation>请输入以元为单位的金额，如 30000 或 30000.50（最多两位小数）。</translation>
    </message>
    <message>
        <location line="+62"/>
        <source>Already registered</source>
        <translation>组织已存在</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Open that organization</source>
        <translation>打开该组织</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>%1
The form now shows the organization as the other person saved it; please make your changes again.</source>
        <translation>%1
表单现在显示的是对方保存后的内容，请重新修改。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Changed by someone else</source>
        <translation>记录已被他人修改</translation>
    </message>
</context>
<context>
    <name>OrgEditorForm</name>
    <message>
        <location filename="../../forms/org_editor.ui" line="+13"/>
        <source>Basic information</source>
        <translation>基本信息</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Unit form</source>
        <translation>单位形式</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Service field</source>
        <translation>服务领域</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Founded on</source>
        <translation>成立日期</translation>
    </message>
    <message>
        <location line="+13"/>
        <location line="+140"/>
        <location line="+156"/>
        <location line="+27"/>
        <source>yyyy-MM-dd</source>
        <translation>yyyy-MM-dd</translation>
    </message>
    <message>
        <location line="-309"/>
        <source>Legal representative</source>
        <translation>法定代表人</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Registered capital (yuan)</source>
        <translation>注册资金（元）</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>e.g. 30000 or 30000.00</source>
        <translation>如：30000 或 30000.00</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Business scope</source>
        <translation>业务范围</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Registration</source>
        <translation>登记信息</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Legal status now</source>
        <translation>当前登记状态</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Filed / registered on</source>
        <translation>登记/备案日期</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Unified social credit code</source>
        <translation>统一社会信用代码</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>18 characters, e.g. 51420000MJH200395N</source>
        <translation>18位，如：51420000MJH200395N</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Reason to keep the code</source>
        <translation>保留该代码的原因</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>e.g. printed so on the certificate</source>
        <translation>如：登记证书上即为此代码</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Certificate number</source>
        <translation>登记证号</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Registration authority</source>
        <translation>登记管理机关</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Business supervisor unit</source>
        <translation>业务主管单位</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>empty if registered directly</source>
        <translation>直接登记的无需填写</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Certificate valid from</source>
        <translation>证书有效期起</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Certificate valid to</source>
        <translation>证书有效期止</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Contact</source>
        <translation>联系方式</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Address</source>
        <translation>住所</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Post code</source>
        <translation>邮政编码</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>District</source>
        <translation>区</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Street</source>
        <translation>街道</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Community</source>
        <translation>社区</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Contact person</source>
        <translation>联系人</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Contact phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Email</source>
        <translation>电子邮箱</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Website</source>
        <translation>网址</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Remarks</source>
        <translation>备注</translation>
    </message>
</context>
<context>
    <name>OrgImportDialog</name>
    <message>
        <location filename="../../app/ui/orgs/import_dialog.py" line="+73"/>
        <source>Import organizations</source>
        <translation>导入社会组织</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose an Excel file (.xlsx) with one organization per row, such as a street office&apos;s register. Nothing is saved until you press Import.</source>
        <translation>请选择每行一个组织的 Excel 文件（.xlsx），如街道办事处的社会组织台账。点击“导入”之前不会保存任何数据。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Choose an organization register</source>
        <translation>选择社会组织台账</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>organization import template.xlsx</source>
        <translation>社会组织导入模板.xlsx</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Importing organizations</source>
        <translation>正在导入社会组织</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Update organizations already registered (matched by credit code; rows without a code are added as new)</source>
        <translation>更新已登记的组织（按统一社会信用代码匹配；没有代码的行作为新组织导入）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Rows that update a registered organization (rows with nothing new are only counted)</source>
        <translation>将更新已登记组织的行（没有新内容的行只计数）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Organization</source>
        <translation>组织</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Registered organizations: %1 to update, %2 unchanged.</source>
        <translation>已登记的组织：更新 %1 个，无变化 %2 个。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Imported %1 organizations (%2 registered, %3 filed), updated %4; %5 rows skipped.</source>
        <translation>已导入 %1 个组织（登记 %2 个，备案 %3 个），更新 %4 个；跳过 %5 行。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Imported %1 organizations (%2 registered, %3 filed); %4 rows skipped.</source>
        <translation>已导入 %1 个组织（登记 %2 个，备案 %3 个），跳过 %4 行。</translation>
    </message>
</context>
<context>
    <name>OrgLabels</name>
    <message>
        <location filename="../../app/ui/orgs/model.py" line="+53"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unified social credit code</source>
        <translation>统一社会信用代码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Legal status</source>
        <translation>登记状态</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Incubation stage</source>
        <translation>孵化状态</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Service field</source>
        <translation>服务领域</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Street</source>
        <translation>街道</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Legal representative</source>
        <translation>法定代表人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rating</source>
        <translation>评估等级</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last inspection</source>
        <translation>最近年检</translation>
    </message>
</context>
<context>
    <name>OrgPage</name>
    <message>
        <location filename="../../app/ui/orgs/page.py" line="+75"/>
        <source>Directory</source>
        <translation>组织列表</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Incubation board</source>
        <translation>孵化看板</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Due reminders</source>
        <translation>到期提醒</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Organizations</source>
        <translation>社会组织</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>New</source>
        <translation>新增</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Print annual reports…</source>
        <translation>批量打印年报…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Search: name, pinyin initials or credit code</source>
        <translation>搜索：名称、拼音首字母或统一社会信用代码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>All types</source>
        <translation>全部类型</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Any legal status</source>
        <translation>全部登记状态</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Any incubation stage</source>
        <translation>全部孵化状态</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>In the incubator</source>
        <translation>在孵组织</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>All service fields</source>
        <translation>全部服务领域</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>All streets</source>
        <translation>全部街道</translation>
    </message>
    <message numerus="yes">
        <location line="+48"/>
        <source>%n organization(s)</source>
        <translation>
            <numerusform>共 %n 个组织</numerusform>
        </translation>
    </message>
    <message>
        <location line="+79"/>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Export organizations</source>
        <translation>导出社会组织</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>organizations.xlsx</source>
        <translation>社会组织名单.xlsx</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Exported %1 organizations to %2</source>
        <translation>已导出 %1 个组织到 %2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Exporting organizations</source>
        <translation>正在导出社会组织</translation>
    </message>
</context>
<context>
    <name>OrgRowModel</name>
    <message>
        <location filename="../../app/ui/orgs/import_dialog.py" line="-64"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Credit code</source>
        <translation>统一社会信用代码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Legal status</source>
        <translation>登记状态</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Since</source>
        <translation>登记/备案日期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Legal representative</source>
        <translation>法定代表人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Note</source>
        <translation>提示</translation>
    </message>
</context>
<context>
    <name>PdfPreviewDialog</name>
    <message>
        <location filename="../../app/ui/common/pdf_preview.py" line="+128"/>
        <source>Page %1 of %2</source>
        <translation>第%1页，共%2页</translation>
    </message>
    <message numerus="yes">
        <location line="+8"/>
        <source>%n page(s)</source>
        <translation>
            <numerusform>共%n页</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save PDF…</source>
        <translation>保存PDF…</translation>
    </message>
    <message>
        <location line="+116"/>
        <source>Print</source>
        <translation>打印</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>The printer could not be started.</source>
        <translation>无法启动打印机。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The printer refused a new page.</source>
        <translation>打印机无法开始新的一页。</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Save PDF</source>
        <translation>保存PDF</translation>
    </message>
</context>
<context>
    <name>PendingModel</name>
    <message>
        <location filename="../../app/ui/hours/approval_page.py" line="-247"/>
        <source>Volunteer no.</source>
        <translation>志愿者编号</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Activity</source>
        <translation>活动</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Started</source>
        <translation>开始</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Ended</source>
        <translation>结束</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hours</source>
        <translation>时长</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Needs a look</source>
        <translation>提示</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Scanned</source>
        <translation>扫码</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Manual</source>
        <translation>补录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reversal</source>
        <translation>冲正</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No check-out, closed automatically</source>
        <translation>未签退自动结束</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stay too short</source>
        <translation>时长不足</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Over the daily cap</source>
        <translation>超过每日上限</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Overlapping times</source>
        <translation>时间重叠</translation>
    </message>
</context>
<context>
    <name>PinDialog</name>
    <message>
        <location filename="../../app/ui/cards/kiosk.py" line="-70"/>
        <source>Leave the kiosk</source>
        <translation>退出签到机</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Staff PIN:</source>
        <translation>工作人员密码：</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Wrong PIN.</source>
        <translation>密码错误。</translation>
    </message>
</context>
<context>
    <name>PipelineBoard</name>
    <message>
        <location filename="../../app/ui/orgs/pipeline.py" line="+52"/>
        <source>Double-click a card to open the organization. Amber: the agreement ends within %1 days.</source>
        <translation>双击卡片可打开该组织。橙色卡片：孵化协议将在 %1 天内到期。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message numerus="yes">
        <location line="+7"/>
        <source>%n day(s) in this stage</source>
        <translation>
            <numerusform>本阶段已 %n 天</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>agreement ends %1</source>
        <translation>协议 %1 到期</translation>
    </message>
</context>
<context>
    <name>PlaceholderPage</name>
    <message>
        <location filename="../../app/ui/main_window.py" line="-293"/>
        <source>This feature is not available yet; it will come in a later version.</source>
        <translation>此功能尚未开放，将在后续版本提供。</translation>
    </message>
</context>
<context>
    <name>PointsDialog</name>
    <message>
        <location filename="../../app/ui/volunteers/detail.py" line="+21"/>
        <source>Bonus or adjust points</source>
        <translation>奖励/调整积分</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 %2 — balance %3</source>
        <translation>%1 %2 — 余额%3分</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Bonus (add points)</source>
        <translation>奖励（增加积分）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Adjustment (add or take away)</source>
        <translation>调整（增加或扣减）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Required, e.g. referred a new volunteer</source>
        <translation>必填，例如：推荐新志愿者</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Points</source>
        <translation>积分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reason</source>
        <translation>事由</translation>
    </message>
</context>
<context>
    <name>ProblemModel</name>
    <message>
        <location filename="../../app/ui/common/import_dialog.py" line="-361"/>
        <source>Row</source>
        <extracomment>A column of the valid-rows table: its (translated) header and the text of one row.</extracomment>
        <translation>行号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Column</source>
        <translation>列</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
</context>
<context>
    <name>ProjectDetail</name>
    <message>
        <location filename="../../app/ui/projects/detail.py" line="+87"/>
        <source>Select a project in the list to see its record.</source>
        <translation>在列表中选择一个项目以查看其详细信息。</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Overview</source>
        <translation>概况</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+217"/>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location line="-216"/>
        <source>Event</source>
        <translation>事项</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>By</source>
        <translation>经办人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Timeline</source>
        <translation>时间线</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Money</source>
        <translation>资金</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Indicators</source>
        <translation>绩效指标</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Milestones</source>
        <translation>项目节点</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Evaluation</source>
        <translation>绩效评价</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Activities and hours</source>
        <translation>活动与时长</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Attachments</source>
        <translation>附件</translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+187"/>
        <source>Change status</source>
        <translation>变更状态</translation>
    </message>
    <message>
        <location line="-183"/>
        <source>Project report…</source>
        <translation>项目报告…</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Purchaser</source>
        <translation>购买主体</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Purchase method</source>
        <translation>采购方式</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Contractor</source>
        <translation>承接主体</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Budget</source>
        <translation>预算金额</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Contract amount</source>
        <translation>合同金额</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Paid</source>
        <translation>已支付</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Contract signed</source>
        <translation>合同签订日期</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Service term</source>
        <translation>服务期限</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Service area</source>
        <translation>服务区域</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Target group</source>
        <translation>服务对象</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Project lead</source>
        <translation>项目负责人</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Finance lead</source>
        <translation>财务负责人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Evaluation agency</source>
        <translation>评价机构</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Service content</source>
        <translation>服务内容</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remarks</source>
        <translation>备注</translation>
    </message>
    <message>
        <location line="+80"/>
        <source>%1 since %2</source>
        <translation>%1（%2起）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>not chosen yet</source>
        <translation>尚未选定</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Confirmed when chosen: %1</source>
        <translation>选定时确认的理由：%1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>not signed yet</source>
        <translation>尚未签订合同</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 (%2% of the contract; %3 to pay)</source>
        <translation>%1（占合同金额 %2%，待支付 %3）</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>%1 %2: %3 → %4</source>
        <translation>%1 %2：%3 → %4</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Note</source>
        <translation>说明</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 is now %2</source>
        <translation>%1 的状态已变更为“%2”</translation>
    </message>
</context>
<context>
    <name>ProjectEditor</name>
    <message>
        <location filename="../../app/ui/projects/editor.py" line="+90"/>
        <source>New project</source>
        <translation>新增项目</translation>
    </message>
    <message>
        <location line="+74"/>
        <source>Edit project — %1 %2</source>
        <translation>编辑项目 — %1 %2</translation>
    </message>
    <message>
        <location line="+95"/>
        <source>Confirmed when chosen: %1</source>
        <translation>选定时确认的理由：%1</translation>
    </message>
    <message>
        <location line="+90"/>
        <source>%1
The form now shows the project as the other person saved it; please make your changes again.</source>
        <translation>%1
表单现在显示的是对方保存后的内容，请重新修改。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Changed by someone else</source>
        <translation>记录已被他人修改</translation>
    </message>
</context>
<context>
    <name>ProjectEditorForm</name>
    <message>
        <location filename="../../forms/project_editor.ui" line="+13"/>
        <source>Project</source>
        <translation>基本信息</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Project name</source>
        <translation>项目名称</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Purchaser</source>
        <translation>购买主体</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Purchase method</source>
        <translation>采购方式</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Contractor</source>
        <translation>承接主体</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Type part of an organization&apos;s name or its credit code, then pick</source>
        <translation>输入组织名称的一部分或统一社会信用代码，然后选择</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Reason</source>
        <translation>选定理由</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Why this organization is chosen although it is not in good standing</source>
        <translation>该组织存在不良记录，仍予选定的理由</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Service area</source>
        <translation>服务区域</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Target group</source>
        <translation>服务对象</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>People</source>
        <translation>人员与机构</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Project lead</source>
        <translation>项目负责人</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Finance lead</source>
        <translation>财务负责人</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Evaluation agency</source>
        <translation>评价机构</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Money and term</source>
        <translation>金额与期限</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Budget (yuan)</source>
        <translation>预算金额（元）</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>e.g. 200000</source>
        <translation>如：200000</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Contract amount (yuan)</source>
        <translation>合同金额（元）</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>e.g. 198000.00</source>
        <translation>如：198000.00</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Contract signed</source>
        <translation>合同签订日期</translation>
    </message>
    <message>
        <location line="+13"/>
        <location line="+27"/>
        <location line="+27"/>
        <source>yyyy-MM-dd</source>
        <translation>yyyy-MM-dd</translation>
    </message>
    <message>
        <location line="-40"/>
        <source>Service starts</source>
        <translation>服务开始日期</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Service ends</source>
        <translation>服务结束日期</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Content</source>
        <translation>内容</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Service content</source>
        <translation>服务内容</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Remarks</source>
        <translation>备注</translation>
    </message>
</context>
<context>
    <name>ProjectLabels</name>
    <message>
        <location filename="../../app/ui/projects/model.py" line="+54"/>
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Project name</source>
        <translation>项目名称</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Purchaser</source>
        <translation>购买主体</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Contractor</source>
        <translation>承接主体</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Purchase method</source>
        <translation>采购方式</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Contract amount</source>
        <translation>合同金额</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Paid</source>
        <translation>已支付</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Service term</source>
        <translation>服务期限</translation>
    </message>
</context>
<context>
    <name>ProjectPage</name>
    <message>
        <location filename="../../app/ui/projects/page.py" line="+88"/>
        <source>Projects</source>
        <translation>购买服务项目</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>New</source>
        <translation>新增</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Purchasers…</source>
        <translation>购买主体…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Project report…</source>
        <translation>项目报告…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Search: project or contractor name, pinyin initials, XM number</source>
        <translation>搜索：项目名称、承接主体名称、拼音首字母或 XM 编号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Any status</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>All purchasers</source>
        <translation>全部购买主体</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Any year</source>
        <translation>全部年度</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Projects whose service term touches the year</source>
        <translation>服务期限与该年度有交叉的项目</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Any amount</source>
        <translation>不限金额</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>With a contract amount</source>
        <translation>已填合同金额</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>With payments</source>
        <translation>已有付款</translation>
    </message>
    <message numerus="yes">
        <location line="+61"/>
        <source>%n project(s)</source>
        <translation>
            <numerusform>共 %n 个项目</numerusform>
        </translation>
    </message>
    <message>
        <location line="+61"/>
        <source>Saved %1 %2</source>
        <translation>已保存 %1 %2</translation>
    </message>
</context>
<context>
    <name>ProjectReport</name>
    <message>
        <location filename="../../app/ui/projects/report.py" line="+55"/>
        <source>Project report — %1 %2</source>
        <translation>项目报告 — %1 %2</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Preparing the project report</source>
        <translation>正在生成项目报告</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
</context>
<context>
    <name>PurchaserDialog</name>
    <message>
        <location filename="../../app/ui/projects/dialogs.py" line="+89"/>
        <source>Purchasers</source>
        <translation>购买主体</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+50"/>
        <source>Department</source>
        <translation>部门名称</translation>
    </message>
    <message>
        <location line="-49"/>
        <location line="+50"/>
        <source>Contact</source>
        <translation>联系人</translation>
    </message>
    <message>
        <location line="-49"/>
        <location line="+50"/>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <location line="-49"/>
        <source>In use</source>
        <translation>是否启用</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>retired</source>
        <translation>已停用</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Add…</source>
        <translation>添加…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Rename…</source>
        <translation>修改…</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+33"/>
        <source>Retire</source>
        <translation>停用</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Put back in use</source>
        <translation>重新启用</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Rename purchaser</source>
        <translation>修改购买主体</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>New purchaser</source>
        <translation>新增购买主体</translation>
    </message>
</context>
<context>
    <name>ReasonDialog</name>
    <message>
        <location filename="../../app/ui/points/shop_dialogs.py" line="+46"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
</context>
<context>
    <name>RedeemDialog</name>
    <message>
        <location line="+31"/>
        <source>Redeem points</source>
        <translation>积分兑换</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Confirm redemption</source>
        <translation>确认兑换</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Receipt…</source>
        <translation>凭证…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Good</source>
        <translation>物品</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Points each</source>
        <translation>单价（积分）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Points</source>
        <translation>积分</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>%1 — %2 points/%3 (in stock %4)</source>
        <translation>%1 — %2积分/%3（库存%4）</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>No active volunteer matches “%1”.</source>
        <translation>没有与“%1”相符的在册志愿者。</translation>
    </message>
    <message>
        <location line="+16"/>
        <location line="+83"/>
        <source>Points balance: %1</source>
        <translation>积分余额：%1</translation>
    </message>
    <message>
        <location line="-80"/>
        <source>Find the volunteer by number or name.</source>
        <translation>请按志愿者编号或姓名查找志愿者。</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>Not enough points: %1 short.</source>
        <translation>积分不足：还差%1分。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Not enough %1 in stock: %2 %3 left.</source>
        <translation>%1库存不足：仅剩%2%3。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Total: %1 points; balance after: %2</source>
        <translation>合计：%1积分；兑换后余额：%2</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Redeemed: %1, %2 points; balance now %3.</source>
        <translation>兑换成功：%1，扣除%2积分，现余额%3。</translation>
    </message>
</context>
<context>
    <name>RedeemForm</name>
    <message>
        <location filename="../../forms/redeem_form.ui" line="+9"/>
        <source>Volunteer</source>
        <translation>志愿者</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Volunteer no., name, pinyin initials or mobile</source>
        <translation>志愿者编号、姓名、拼音首字母或手机号</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Find</source>
        <translation>查找</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Goods</source>
        <translation>物品</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
</context>
<context>
    <name>ReportModel</name>
    <message>
        <location filename="../../app/ui/hours/report_page.py" line="-93"/>
        <source>Volunteer no.</source>
        <translation>志愿者编号</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Activity no.</source>
        <translation>活动编号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Street/community</source>
        <translation>街道/社区</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+2"/>
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Activity</source>
        <translation>活动</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Community</source>
        <translation>社区</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Scanned hours</source>
        <translation>扫码时长（小时）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Manual hours</source>
        <translation>补录时长（小时）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Total hours</source>
        <translation>合计（小时）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Records</source>
        <translation>记录数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Volunteers</source>
        <translation>志愿者人数</translation>
    </message>
    <message>
        <location line="-9"/>
        <location line="+20"/>
        <source>Total</source>
        <translation>合计</translation>
    </message>
</context>
<context>
    <name>RestoreDialog</name>
    <message>
        <location filename="../../app/ui/common/backup_dialog.py" line="+16"/>
        <source>Restore from a backup</source>
        <translation>从备份恢复</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>automatic</source>
        <translation>自动备份</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>made by hand</source>
        <translation>手动备份</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Backed up at</source>
        <translation>备份时间</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Database</source>
        <translation>数据库</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1, schema version %2, Yilian %3</source>
        <translation>%1，结构版本%2，益联%3</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Attached files</source>
        <translation>附件</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Records</source>
        <translation>记录</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Count</source>
        <translation>数量</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Volunteers</source>
        <translation>志愿者</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Activities</source>
        <translation>活动</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Service records</source>
        <translation>服务记录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Points entries</source>
        <translation>积分明细</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Social organizations</source>
        <translation>社会组织</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Service projects</source>
        <translation>服务项目</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Organization documents</source>
        <translation>组织文档</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Project documents</source>
        <translation>项目文档</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Audit log entries</source>
        <translation>操作日志</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Restoring replaces the register and its attachments with this backup. The register as it is now is backed up first and its file is kept beside it. Other desks must close Yilian first.</source>
        <translation>恢复会用此备份替换登记簿及其附件。恢复前会先备份当前登记簿，原文件也保留在旁边。其他工位须先关闭益联。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This backup cannot be restored; the register has not been changed.</source>
        <translation>此备份无法恢复；登记簿未做任何改动。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
</context>
<context>
    <name>ReverseDialog</name>
    <message>
        <location filename="../../app/ui/hours/approval_page.py" line="+258"/>
        <source>Reverse an approved record</source>
        <translation>冲正已通过的记录</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Show records</source>
        <translation>查看记录</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Activity</source>
        <translation>活动</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Hours</source>
        <translation>时长</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Reason for the correction</source>
        <translation>冲正原因</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Reverse</source>
        <translation>冲正</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Choose a volunteer from the list or type a volunteer number.</source>
        <translation>请从列表中选择志愿者，或输入志愿者编号。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Scanned</source>
        <translation>扫码</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Manual</source>
        <translation>补录</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>This volunteer has no approved records.</source>
        <translation>该志愿者没有已通过的服务记录。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Choose the record to reverse.</source>
        <translation>请选择要冲正的记录。</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Points already spent</source>
        <translation>积分已被使用</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This record earned %1 points, but the volunteer&apos;s balance is only %2. Reversing takes back %3 points; %4 points were spent and cannot be taken back.

Reverse the record anyway?</source>
        <translation>该记录发放了 %1 积分，但志愿者当前积分余额只有 %2。冲正将扣回 %3 积分，另有 %4 积分已被使用，无法扣回。

仍要冲正该记录吗？</translation>
    </message>
</context>
<context>
    <name>RowModel</name>
    <message>
        <location filename="../../app/ui/common/import_dialog.py" line="+45"/>
        <source>Row</source>
        <translation>行号</translation>
    </message>
</context>
<context>
    <name>RulesTab</name>
    <message>
        <location filename="../../app/ui/settings_rules.py" line="+99"/>
        <source>Star levels</source>
        <translation>星级</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Hours for each star (one star first)</source>
        <translation>各星级所需时长（从一星起）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Rising whole hours, separated by commas. Takes effect at once: star levels are worked out from approved hours, so lists, the detail pane and cards printed afterwards show the new levels. Cards already printed keep theirs.</source>
        <translation>填写递增的整数小时数，以逗号分隔。立即生效：星级按已审核时长计算，列表、详情面板和此后打印的志愿者证都显示新星级；已打印的证件不变。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Points</source>
        <translation>积分</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Service category</source>
        <translation>服务类别</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+22"/>
        <source>Points per hour</source>
        <translation>每小时积分</translation>
    </message>
    <message>
        <location line="-16"/>
        <source>Add category</source>
        <translation>添加类别</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>No limit</source>
        <translation>不限</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Most points per activity</source>
        <translation>每次活动积分上限</translation>
    </message>
    <message>
        <location line="+3"/>
        <source> months</source>
        <translation> 个月</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Never expire</source>
        <translation>永不过期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Points expire after</source>
        <translation>积分有效期</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> h</source>
        <translation> 小时</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hours served before the first redemption</source>
        <translation>首次兑换前须服务满</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Rates and the per-activity limit apply to hours approved from now on; points already earned are not recomputed. A new expiry period applies at the next daily run (the first start of a desk each day, or &quot;yilian points expire&quot;). The redemption minimum applies from the next redemption.</source>
        <translation>积分标准和每次活动上限对此后审核通过的时长生效，已获得的积分不重新计算。新的有效期在下一次每日处理时生效（每天任一台电脑首次启动时，或运行 yilian points expire 时）。兑换门槛从下一次兑换起生效。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Service hours</source>
        <translation>服务时长</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Least share of the activity to count</source>
        <translation>计入时长所需的最低在场比例</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+20"/>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <location line="-19"/>
        <source>Most minutes per person per day</source>
        <translation>每人每日时长上限</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Refuse them</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Allow them</source>
        <translation>允许</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Manual entries beyond an activity&apos;s capacity</source>
        <translation>超出活动人数上限的补录</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Apply to check-outs and manual entries from now on; hours already counted are not recounted. The kiosk always accepts people beyond the capacity and warns.</source>
        <translation>对此后的签退和补录生效，已计入的时长不重新计算。超出人数上限时，签到机始终接受签到并给出提醒。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Kiosk</source>
        <translation>签到机</translation>
    </message>
    <message>
        <location line="+3"/>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A second scan within this is a repeat</source>
        <translation>此时间内再次扫码视为重复</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Scans accepted before the start and after the end</source>
        <translation>活动开始前和结束后可扫码的时间</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Apply from the next scan. Check-outs nobody scanned are closed this long after the activity&apos;s end, at the next daily run. What happens to scans outside these times is set on the Kiosk page.</source>
        <translation>从下一次扫码起生效。未扫码签退的记录，在下一次每日处理时按活动结束后的这一时长自动结束。超出这些时间的扫码如何处理，在“签到机”页设置。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Any other category</source>
        <translation>其他类别</translation>
    </message>
</context>
<context>
    <name>ServiceHoursPage</name>
    <message>
        <location filename="../../app/ui/hours/page.py" line="+16"/>
        <source>Activities</source>
        <translation>活动</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Approval</source>
        <translation>审核</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reports</source>
        <translation>统计</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Certificates</source>
        <translation>证明</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="+53"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Refuse them</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Accept them with a warning (same day only)</source>
        <translation>接受并提醒（仅限活动当天）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Certificates</source>
        <translation>服务证明</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Rules</source>
        <translation>规则</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Backups</source>
        <translation>备份</translation>
    </message>
    <message>
        <location line="+6"/>
        <source> years</source>
        <translation> 岁</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Data folder (default register, log file): %1</source>
        <translation>数据文件夹（默认登记簿、日志文件）：%1</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Generate verification page…</source>
        <translation>生成验证页面…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Put the generated page on any web host (the centre&apos;s website, an official-account link) and enter its address here. Certificates printed afterwards carry a QR a phone camera opens there; the page checks the signature in the browser and sends nothing anywhere. Leave empty to keep the plain signed code.</source>
        <translation>将生成的页面放到任意网站上（如中心官网、公众号链接），并在此填写其地址。此后打印的服务证明会带有二维码，用手机扫码即可打开该页面；页面在浏览器中校验签名，不向任何地方发送数据。留空则仍只打印带签名的验证码。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Verification page address</source>
        <translation>验证页面地址</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Save verification page</source>
        <translation>保存验证页面</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Web page (*.html)</source>
        <translation>网页 (*.html)</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Saved %1. Put it on the web and enter its address above.</source>
        <translation>已保存 %1。请将其发布到网站上，并在上方填写其地址。</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>No logo</source>
        <translation>无标志</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Choose register file</source>
        <translation>选择登记簿文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Yilian register (*.sqlite3);;All files (*)</source>
        <translation>益联登记簿 (*.sqlite3);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Choose logo</source>
        <translation>选择标志图片</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Images (*.png *.jpg *.jpeg *.svg)</source>
        <translation>图片 (*.png *.jpg *.jpeg *.svg)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Cannot connect: %1</source>
        <translation>无法连接：%1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Connected.</source>
        <translation>连接成功。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Enter an address starting with postgresql://</source>
        <translation>请填写以 postgresql:// 开头的地址</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Choose the register file.</source>
        <translation>请选择登记簿文件。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Enter the center&apos;s name.</source>
        <translation>请填写中心名称。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No such file.</source>
        <translation>文件不存在。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The guardian age must be above the youngest age accepted.</source>
        <translation>须监护人同意的年龄应大于可登记的最小年龄。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The PIN must be 4 to 8 digits.</source>
        <translation>密码须为4至8位数字。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Enter an address starting with http:// or https://, without #.</source>
        <translation>请填写以 http:// 或 https:// 开头、不含 # 的地址。</translation>
    </message>
</context>
<context>
    <name>SettingsForm</name>
    <message>
        <location filename="../../forms/settings_dialog.ui" line="+10"/>
        <source>General</source>
        <translation>常规</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Interface language</source>
        <translation>界面语言</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The new language is used after Yilian is restarted.</source>
        <translation>重新启动益联后使用新的界面语言。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Register location</source>
        <translation>登记簿位置</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Register in use now:</source>
        <translation>当前使用的登记簿：</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>The default file in the data folder</source>
        <translation>数据文件夹中的默认文件</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Another register file (SQLite) on this computer or a shared drive</source>
        <translation>本机或共享盘上的其他登记簿文件（SQLite）</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Path of the .sqlite3 file</source>
        <translation>.sqlite3 文件的路径</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+102"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location line="-93"/>
        <source>A PostgreSQL server shared by several desks</source>
        <translation>多台电脑共用的 PostgreSQL 服务器</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>postgresql://user:password@host:5432/yilian</source>
        <translation>postgresql://用户名:密码@主机:5432/yilian</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Test connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>The register chosen here is opened the next time Yilian starts. A --db option or the YILIAN_DB variable takes precedence.</source>
        <translation>此处选择的登记簿在下次启动益联时打开。命令行 --db 参数或 YILIAN_DB 环境变量优先。</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Center</source>
        <translation>中心</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Center name</source>
        <translation>中心名称</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Logo file</source>
        <translation>标志图片</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>The name and logo are printed on volunteer cards, certificates and reports. They are shared by every desk using this register.</source>
        <translation>名称和标志会印在志愿者证、证明和报告上，使用此登记簿的所有电脑共用这些设置。</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Volunteer rules</source>
        <translation>志愿者规则</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Youngest age accepted</source>
        <translation>可登记的最小年龄</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Guardian consent needed under</source>
        <translation>未满此年龄须监护人同意</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Local rules differ: for example, some districts accept no one under 6 and ask guardian consent under 14; the national default is consent under 18.</source>
        <translation>各地规定不同：例如有的地区不接受未满6岁者登记，未满14岁须监护人同意；通常未满18岁须监护人同意。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Kiosk</source>
        <translation>签到机</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Staff PIN to leave the kiosk</source>
        <translation>退出签到机的工作人员密码</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Scans outside the activity&apos;s time</source>
        <translation>活动时间以外的扫码</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The PIN is 4 to 8 digits. A scan far outside the activity&apos;s time usually means the wrong activity was chosen at the kiosk. When such scans are accepted with a warning, this holds only on the activity&apos;s day, and the kiosk shows them in amber.</source>
        <translation>密码为4至8位数字。远离活动时间的扫码通常说明签到机选错了活动。选择“接受并提醒”时，仅在活动当天接受此类扫码，签到机以琥珀色提示。</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <location filename="../../app/ui/main_window.py" line="+17"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Interface language, where the register is kept, the center&apos;s name and logo, and the rules for young volunteers.</source>
        <translation>界面语言、登记簿存放位置、中心名称与标志，以及未成年志愿者规则。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Open settings…</source>
        <translation>打开设置…</translation>
    </message>
</context>
<context>
    <name>ShopDialogs</name>
    <message>
        <location filename="../../app/ui/common/pdf_preview.py" line="-235"/>
        <source>PDF document (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../app/ui/points/shop_dialogs.py" line="-339"/>
        <source>Receipt %1</source>
        <translation>兑换凭证 %1</translation>
    </message>
</context>
<context>
    <name>ShopPage</name>
    <message>
        <location filename="../../app/ui/points/page.py" line="+59"/>
        <source>Goods</source>
        <translation>商品</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Redemptions</source>
        <translation>兑换记录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reconciliation</source>
        <translation>对账</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Points and charity shop</source>
        <translation>积分与爱心超市</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Redeem…</source>
        <translation>兑换…</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+107"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="-106"/>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Points price</source>
        <translation>兑换积分</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+182"/>
        <source>Stock</source>
        <translation>库存</translation>
    </message>
    <message>
        <location line="-181"/>
        <source>On sale</source>
        <translation>在售</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Show goods off sale</source>
        <translation>显示已停用商品</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>New good…</source>
        <translation>新增商品…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Receive…</source>
        <translation>入库…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Write off…</source>
        <translation>报损…</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+38"/>
        <source>Take off sale…</source>
        <translation>停用…</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Put back on sale…</source>
        <translation>恢复上架…</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Put back on sale</source>
        <translation>恢复上架</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Take off sale</source>
        <translation>停用商品</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>“%1” can no longer be redeemed; its stock and history stay.</source>
        <translation>停用后“%1”不能再兑换，库存和记录保留。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>“%1” can be redeemed again.</source>
        <translation>“%1”将可以再次兑换。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Done</source>
        <translation>已兑换</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Undone</source>
        <translation>已撤销</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No.</source>
        <translation>单号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Volunteer no.</source>
        <translation>志愿者编号</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Points</source>
        <translation>积分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Handled by</source>
        <translation>经办人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Undo reason</source>
        <translation>撤销原因</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Redemption no., volunteer no. or name</source>
        <translation>兑换单号、志愿者编号或姓名</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Undo redemption…</source>
        <translation>撤销兑换…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Receipt…</source>
        <translation>凭证…</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Undo %1 of %2 %3: the goods go back to stock and %4 points back to the volunteer.</source>
        <translation>撤销%2 %3的兑换单%1：物品退回库存，%4积分退还志愿者。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Undo redemption</source>
        <translation>撤销兑换</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Good</source>
        <translation>物品</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Received</source>
        <translation>入库</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Issued</source>
        <translation>兑换出库</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Returned</source>
        <translation>撤销退回</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Written off</source>
        <translation>报损</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Expected stock</source>
        <translation>应有库存</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>On redemptions</source>
        <translation>兑换单数量</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Points charged</source>
        <translation>兑换扣分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ledger points</source>
        <translation>流水扣分</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Differences</source>
        <translation>差异</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Agrees</source>
        <translation>相符</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Check again</source>
        <translation>重新对账</translation>
    </message>
    <message numerus="yes">
        <location line="+24"/>
        <source>%n line(s) do not agree: see the rows in red.</source>
        <translation>
            <numerusform>%n处不符，见红色行。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Goods, stock movements and points agree.</source>
        <translation>账物相符：物品、出入库记录与积分流水一致。</translation>
    </message>
</context>
<context>
    <name>StatusDialog</name>
    <message>
        <location filename="../../app/ui/volunteers/editor.py" line="+577"/>
        <source>Suspend volunteer</source>
        <translation>暂停志愿者</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Withdraw volunteer</source>
        <translation>志愿者退出</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reinstate volunteer</source>
        <translation>恢复志愿者</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 %2: %3 → %4</source>
        <translation>%1 %2：%3 → %4</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Reason (optional)</source>
        <translation>原因（选填）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reason (required)</source>
        <translation>原因（必填）</translation>
    </message>
</context>
<context>
    <name>StatusForm</name>
    <message>
        <location filename="../../forms/status_dialog.ui" line="+16"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
</context>
<context>
    <name>StockDialog</name>
    <message>
        <location filename="../../app/ui/points/shop_dialogs.py" line="+99"/>
        <source>Write off stock</source>
        <translation>报损</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Receive stock</source>
        <translation>入库</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 — in stock: %2 %3</source>
        <translation>%1 — 现有库存：%2%3</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Required: damaged, expired, lost…</source>
        <translation>必填：损坏、过期、丢失……</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Donated by, bought from… (optional)</source>
        <translation>捐赠方、采购来源……（选填）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
</context>
<context>
    <name>Task</name>
    <message>
        <location filename="../../app/ui/common/worker.py" line="+96"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>TranchePlanDialog</name>
    <message>
        <location filename="../../app/ui/projects/dialogs.py" line="+44"/>
        <source>Payment plan</source>
        <translation>付款计划</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Contract amount: %1. Give each tranche an amount, or a share of the contract in percent.</source>
        <translation>合同金额：%1。请为每批填写金额，或填写占合同金额的百分比。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>not set</source>
        <translation>未填写</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Amount (yuan)</source>
        <translation>金额（元）</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>or share %</source>
        <translation>或比例（%）</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Condition</source>
        <translation>付款条件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Due on</source>
        <translation>应付日期</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Add tranche</source>
        <translation>添加批次</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Remove last</source>
        <translation>删除最后一批</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>e.g. after the mid-term review</source>
        <translation>如：中期评估后</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Tranche %1</source>
        <translation>第 %1 批</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>Tranche %1: %2</source>
        <translation>第 %1 批：%2</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Tranche %1: the share is a percentage, e.g. 40.</source>
        <translation>第 %1 批：比例为百分数，如 40。</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Planned in total: %1</source>
        <translation>计划合计：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>(contract %1)</source>
        <translation>（合同金额 %1）</translation>
    </message>
</context>
<context>
    <name>ValidRowModel</name>
    <message>
        <location filename="../../app/ui/volunteers/import_dialog.py" line="-39"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sex</source>
        <translation>性别</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Phone</source>
        <translation>手机号码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Street</source>
        <translation>街道</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Community</source>
        <translation>社区</translation>
    </message>
</context>
<context>
    <name>VolunteerDetail</name>
    <message>
        <location filename="../../app/ui/volunteers/detail.py" line="-335"/>
        <source>Select a volunteer in the list to see the record.</source>
        <translation>在列表中选择一名志愿者以查看其登记信息。</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Sex / age</source>
        <translation>性别 / 年龄</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Birth date</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ID type</source>
        <translation>证件类型</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Place of issue</source>
        <translation>签发地</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mobile</source>
        <translation>手机号码</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Residence</source>
        <translation>居住地</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Skills</source>
        <translation>特长技能</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Service preferences</source>
        <translation>服务意向</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Available time</source>
        <translation>可服务时间</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Political status</source>
        <translation>政治面貌</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Education</source>
        <translation>学历</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Employer or school</source>
        <translation>工作单位或学校</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Emergency contact</source>
        <translation>紧急联系人</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Guardian</source>
        <translation>监护人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Registered on</source>
        <translation>登记日期</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Remarks</source>
        <translation>备注</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Show the full ID number and mobile (the viewing is recorded)</source>
        <translation>显示完整的证件号码和手机号码（查看操作会被记录）</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Volunteer no. %1</source>
        <translation>志愿者编号 %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 since %2 — %3</source>
        <translation>%1（%2起）— %3</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>no reason given</source>
        <translation>未填写原因</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>consent given</source>
        <translation>已同意</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>no consent</source>
        <translation>未同意</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Service and points</source>
        <translation>服务与积分</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Approved hours</source>
        <translation>已审核时长</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Scanned / manual</source>
        <translation>扫码 / 补录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pending approval</source>
        <translation>待审核</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Star level</source>
        <translation>星级</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Next level</source>
        <translation>距下一星级</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Points balance</source>
        <translation>积分余额</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Points ledger</source>
        <translation>积分明细</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Bonus / adjust…</source>
        <translation>奖励/调整积分…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Service certificate…</source>
        <translation>开具服务证明…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Service history…</source>
        <translation>服务记录…</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>No star yet</source>
        <translation>尚未达到星级</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 h</source>
        <translation>%1小时</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Highest level reached</source>
        <translation>已达最高星级</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 h to %2</source>
        <translation>还差%1小时达到%2</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>No photo</source>
        <translation>无照片</translation>
    </message>
</context>
<context>
    <name>VolunteerEditor</name>
    <message>
        <location filename="../../app/ui/volunteers/editor.py" line="-448"/>
        <source>New volunteer</source>
        <translation>新增志愿者</translation>
    </message>
    <message>
        <location line="+46"/>
        <location line="+150"/>
        <source>(from the ID number)</source>
        <translation>（由身份证号码确定）</translation>
    </message>
    <message>
        <location line="-124"/>
        <source>Choose from the areas in the register</source>
        <translation>从登记簿已有的地区中选择</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>Edit volunteer %1 — %2</source>
        <translation>编辑志愿者 %1 — %2</translation>
    </message>
    <message>
        <location line="+89"/>
        <source>Born %1, %2, age %3</source>
        <translation>出生日期 %1，%2，%3岁</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Guardian (required: under %1)</source>
        <translation>监护人（未满%1岁必填）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Guardian (for minors)</source>
        <translation>监护人（未成年人填写）</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>Choose photo</source>
        <translation>选择照片</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Images (*.jpg *.jpeg *.png *.bmp)</source>
        <translation>图片 (*.jpg *.jpeg *.png *.bmp)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>This file is not a picture.</source>
        <translation>该文件不是图片。</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>No photo</source>
        <translation>无照片</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Already registered</source>
        <translation>已经登记</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Open %1</source>
        <translation>打开 %1</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1
The form now shows the record as it was saved by the other person; please make your changes again.</source>
        <translation>%1
表单现在显示的是对方保存后的内容，请重新修改。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Changed by someone else</source>
        <translation>记录已被他人修改</translation>
    </message>
</context>
<context>
    <name>VolunteerEditorForm</name>
    <message>
        <location filename="../../forms/volunteer_editor.ui" line="+13"/>
        <source>Identity</source>
        <translation>身份信息</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Sex</source>
        <translation>性别</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>ID type</source>
        <translation>证件类型</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>18 characters, the last may be X</source>
        <translation>18位，最后一位可以是X</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Birth date</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Mobile</source>
        <translation>手机号码</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>11-digit mobile number</source>
        <translation>11位手机号码</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Residence</source>
        <translation>居住地</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>District</source>
        <translation>区</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Street</source>
        <translation>街道</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Community</source>
        <translation>社区</translation>
    </message>
    <message>
        <location line="+27"/>
        <location line="+9"/>
        <source>Emergency contact</source>
        <translation>紧急联系人</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Emergency phone</source>
        <translation>紧急联系电话</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Photo (for the volunteer card)</source>
        <translation>照片（用于志愿者证）</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>No photo</source>
        <translation>无照片</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Choose photo…</source>
        <translation>选择照片…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Clear photo</source>
        <translation>清除照片</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>JPEG or PNG, at most 2 MB</source>
        <translation>JPEG或PNG格式，不超过2 MB</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Service</source>
        <translation>服务信息</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Skills</source>
        <translation>特长技能</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>e.g. first aid, tutoring, photography</source>
        <translation>如：急救、辅导功课、摄影</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Service preferences</source>
        <translation>服务意向</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>e.g. elderly care, environment</source>
        <translation>如：助老、环保</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Available time</source>
        <translation>可服务时间</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>e.g. weekends, weekday evenings</source>
        <translation>如：周末、工作日晚上</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Political status</source>
        <translation>政治面貌</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Education</source>
        <translation>学历</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Employer or school</source>
        <translation>工作单位或学校</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Guardian (for minors)</source>
        <translation>监护人（未成年人填写）</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Guardian name</source>
        <translation>监护人姓名</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Guardian ID number</source>
        <translation>监护人身份证号码</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Guardian phone</source>
        <translation>监护人电话</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Consent</source>
        <translation>同意</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The guardian agrees to the registration</source>
        <translation>监护人同意登记</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Registration</source>
        <translation>登记信息</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Registered on</source>
        <translation>登记日期</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Remarks</source>
        <translation>备注</translation>
    </message>
</context>
<context>
    <name>VolunteerLabels</name>
    <message>
        <location filename="../../app/ui/volunteers/model.py" line="+63"/>
        <source>Volunteer no.</source>
        <translation>志愿者编号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sex</source>
        <translation>性别</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Age</source>
        <translation>年龄</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ID type</source>
        <translation>证件类型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mobile</source>
        <translation>手机号码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Street</source>
        <translation>街道</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Community</source>
        <translation>社区</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Registered on</source>
        <translation>登记日期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Service hours</source>
        <translation>服务时长</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Star level</source>
        <translation>星级</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Points</source>
        <translation>积分</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>One star</source>
        <translation>一星</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Two stars</source>
        <translation>二星</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Three stars</source>
        <translation>三星</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Four stars</source>
        <translation>四星</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Five stars</source>
        <translation>五星</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Six stars</source>
        <translation>六星</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Seven stars</source>
        <translation>七星</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Eight stars</source>
        <translation>八星</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nine stars</source>
        <translation>九星</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ten stars</source>
        <translation>十星</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Active</source>
        <translation>在册</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Suspended</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Withdrawn</source>
        <translation>已退出</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Merged</source>
        <translation>已合并</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Male</source>
        <translation>男</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Female</source>
        <translation>女</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Resident ID card</source>
        <translation>居民身份证</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Passport</source>
        <translation>护照</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mainland travel permit (HK/Macao)</source>
        <translation>港澳居民来往内地通行证</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mainland travel permit (Taiwan)</source>
        <translation>台湾居民来往大陆通行证</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Other ID</source>
        <translation>其他证件</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>%1 stars</source>
        <translation>%1星</translation>
    </message>
</context>
<context>
    <name>VolunteerPage</name>
    <message>
        <location filename="../../app/ui/volunteers/page.py" line="+93"/>
        <source>Volunteers</source>
        <translation>志愿者</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Add</source>
        <translation>新增</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Suspend</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Withdraw</source>
        <translation>退出</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reinstate</source>
        <translation>恢复</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Download import template</source>
        <translation>下载导入模板</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Name, pinyin (zs), volunteer no., ID or mobile: first or last 4+ digits</source>
        <translation>姓名、拼音（zs）、志愿者编号、证件号或手机号：前几位或后4位以上</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Search by name, pinyin initials (zs) or full pinyin, volunteer number, or the start of an ID number or mobile — or its last four or more digits, as the list shows them (138****8000: type 8000).</source>
        <translation>可按姓名、拼音首字母（zs）或全拼、志愿者编号、证件号或手机号开头搜索，也可按列表显示的后四位以上搜索（138****8000：输入8000）。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>All statuses</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Active</source>
        <translation>在册</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Suspended</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Withdrawn</source>
        <translation>已退出</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Merged</source>
        <translation>已合并</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>All ages</source>
        <translation>全部年龄</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Under 14</source>
        <translation>14岁以下</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>14–17</source>
        <translation>14–17岁</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>18–35</source>
        <translation>18–35岁</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>36–59</source>
        <translation>36–59岁</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>60 and over</source>
        <translation>60岁及以上</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>All streets</source>
        <translation>全部街道</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>All star levels</source>
        <translation>全部星级</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 and above</source>
        <translation>%1及以上</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>All communities</source>
        <translation>全部社区</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>More than %1 volunteers</source>
        <translation>超过%1人</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>About %1 volunteers</source>
        <translation>约%1人</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n volunteer(s)</source>
        <translation>
            <numerusform>共 %n 人</numerusform>
        </translation>
    </message>
    <message>
        <location line="+77"/>
        <source>Saved %1 %2</source>
        <translation>已保存 %1 %2</translation>
    </message>
    <message numerus="yes">
        <location line="+41"/>
        <source>Imported %n volunteer(s)</source>
        <translation>
            <numerusform>已导入 %n 名志愿者</numerusform>
        </translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Export volunteers</source>
        <translation>导出志愿者</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>volunteers.xlsx</source>
        <translation>志愿者名单.xlsx</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Exported %1 volunteers to %2</source>
        <translation>已导出 %1 名志愿者到 %2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Exporting volunteers</source>
        <translation>正在导出志愿者</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Save import template</source>
        <translation>保存导入模板</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>volunteer import template.xlsx</source>
        <translation>志愿者导入模板.xlsx</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Import template</source>
        <translation>导入模板</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The template was saved to %1. Fill in one volunteer per row, then use Import.</source>
        <translation>模板已保存到 %1。每行填写一名志愿者，然后使用“导入”。</translation>
    </message>
</context>
<context>
    <name>VolunteerPicker</name>
    <message>
        <location filename="../../app/ui/hours/activity_dialog.py" line="-137"/>
        <source>Volunteer number, name or ID number</source>
        <translation>志愿者编号、姓名或证件号码</translation>
    </message>
</context>
<context>
    <name>YearFiguresDialog</name>
    <message>
        <location filename="../../app/ui/orgs/year_figures_dialog.py" line="+141"/>
        <source>Yearly figures %1 — %2</source>
        <translation>%1年度数据 — %2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Figures of %1 for the year %2, as the annual report prints them.</source>
        <translation>%1 %2年度的数据，用于年度工作报告。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Staff and members</source>
        <translation>人员与会员</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Activity overview</source>
        <translation>业务活动概况</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Meetings</source>
        <translation>会议情况</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Financial statements</source>
        <translation>财务报表</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Other remarks</source>
        <translation>其他说明</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Full-time staff</source>
        <translation>专职工作人员</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Part-time staff</source>
        <translation>兼职工作人员</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unit members</source>
        <translation>单位会员</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Individual members</source>
        <translation>个人会员</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Members apply to social groups; leave them at (none) otherwise.</source>
        <translation>会员数仅适用于社会团体；其他组织请保留为“（无）”。</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>%1 / %2 characters</source>
        <translation>%1 / %2 字</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Meeting</source>
        <translation>会议名称</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Date (YYYY-MM-DD)</source>
        <translation>日期（YYYY-MM-DD）</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Charter rule</source>
        <translation>章程规定</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Attendance</source>
        <translation>出席情况</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Topics and resolutions</source>
        <translation>议题及决议</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Add meeting</source>
        <translation>添加会议</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Remove meeting</source>
        <translation>删除会议</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>“%1” is not a date; type it as %2-03-15.</source>
        <translation>“%1”不是有效日期，请按 %2-03-15 的格式输入。</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Balance sheet (in yuan) at 31 December %1</source>
        <translation>资产负债表（单位：元，截至 %1年12月31日）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Start of year</source>
        <translation>年初数</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>End of year</source>
        <translation>期末数</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Statement of activities (in yuan) for %1</source>
        <translation>%1年度业务活动表（单位：元）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Unrestricted</source>
        <translation>非限定性</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Restricted</source>
        <translation>限定性</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Leave both statements empty to print them as blank forms; totals of the statement of activities are computed.</source>
        <translation>两张报表均不填写时，将打印为空白表格；业务活动表的合计数自动计算。</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>“%1” is not an amount in yuan (at most two decimals, e.g. 12345.67).</source>
        <translation>“%1”不是以元为单位的金额（最多两位小数，如 12345.67）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>“%1” is not an amount in yuan (at most two decimals, not negative, e.g. 12345.67).</source>
        <translation>“%1”不是以元为单位的金额（最多两位小数，不能为负数，如 12345.67）。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Other matters to explain, such as how last year&apos;s inspection findings were put right.</source>
        <translation>其他需要说明的事项，如上一年度年检发现问题的整改情况。</translation>
    </message>
    <message>
        <location line="+150"/>
        <source>The figures have changes that are not saved. Discard them?</source>
        <translation>年度数据有尚未保存的修改，是否放弃？</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Yearly figures</source>
        <translation>年度数据</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Year</source>
        <translation>年度</translation>
    </message>
</context>
<context>
    <name>_ListDialog</name>
    <message>
        <location filename="../../app/ui/hours/attendance_dialog.py" line="-127"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>%1 on site now</source>
        <translation>在场 %1 人</translation>
    </message>
</context>
</TS>
