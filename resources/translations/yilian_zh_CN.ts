<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ActivityDialog</name>
    <message>
        <location filename="../../app/ui/hours/activity_dialog.py" line="+153"/>
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
        <location filename="../../app/ui/hours/page.py" line="+83"/>
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
        <location line="+121"/>
        <source>Close activity</source>
        <translation>关闭活动</translation>
    </message>
    <message>
        <location line="-120"/>
        <location line="+147"/>
        <source>Cancel activity</source>
        <translation>取消活动</translation>
    </message>
    <message>
        <location line="-88"/>
        <source>%1 activities</source>
        <translation>共 %1 个活动</translation>
    </message>
    <message>
        <location line="+62"/>
        <source>Close “%1”? Kiosks stop taking scans for it; volunteers still checked in are checked out and flagged for review. Manual hours stay possible.</source>
        <translation>关闭活动“%1”？关闭后不再接受扫码；仍在签到状态的志愿者将自动签退并标记待复核。仍可补录时长。</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Why did “%1” not take place?</source>
        <translation>活动“%1”为何取消？请填写原因：</translation>
    </message>
</context>
<context>
    <name>Application</name>
    <message>
        <location filename="../../app/ui/application.py" line="+55"/>
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
        <location filename="../../app/ui/hours/approval_page.py" line="+174"/>
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
        <location line="+20"/>
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
    <name>CardsPage</name>
    <message>
        <location filename="../../app/ui/cards/page.py" line="+101"/>
        <location line="+267"/>
        <source>Cards</source>
        <translation>证件</translation>
    </message>
    <message>
        <location line="-266"/>
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
        <location line="+3"/>
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>A4 sheets of ten cards</source>
        <translation>按A4每页10张</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+40"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location line="-39"/>
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
        <location line="+40"/>
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
        <location line="+28"/>
        <source>Showing the first %1; “Print all” covers every one.</source>
        <translation>仅显示前 %1 人；“全部未发证”会包括所有人。</translation>
    </message>
    <message>
        <location line="+3"/>
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
        <location line="+17"/>
        <source>%1 cards ready (%2 newly issued).</source>
        <translation>已生成 %1 张志愿者证（新发 %2 张）。</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>Card printing cancelled.</source>
        <translation>已取消打印志愿者证。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Save cards</source>
        <translation>保存志愿者证</translation>
    </message>
    <message>
        <location line="-33"/>
        <location line="+33"/>
        <source>cards</source>
        <translation>志愿者证</translation>
    </message>
    <message>
        <location line="-245"/>
        <source>Preview / print…</source>
        <translation>预览/打印…</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The cards are drawn at true size: when printing the saved PDF from another program, print at actual size (100 %).</source>
        <translation>证件按实际尺寸绘制：若用其他程序打印保存的PDF，请选择“实际大小”（100%）打印。</translation>
    </message>
    <message>
        <location line="+213"/>
        <location line="+22"/>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
</context>
<context>
    <name>CertificateDialog</name>
    <message>
        <location filename="../../app/ui/volunteers/detail.py" line="+400"/>
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
        <source>Issue…</source>
        <translation>开具…</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Save certificate</source>
        <translation>保存服务证明</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <location filename="../../app/ui/common/errors.py" line="+66"/>
        <source>The register is busy (another program is writing to it). Please try again in a moment.</source>
        <translation>登记簿正忙（另一个程序正在写入），请稍后再试。</translation>
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
        <source>The file could not be used: %1 (%2)</source>
        <translation>无法使用该文件：%1（%2）</translation>
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
    <name>GoodDialog</name>
    <message>
        <location filename="../../app/ui/points/shop_dialogs.py" line="+117"/>
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
    <name>HoursReportPage</name>
    <message>
        <location filename="../../app/ui/hours/report_page.py" line="+190"/>
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
        <location line="+1"/>
        <source>Export to Excel…</source>
        <translation>导出 Excel…</translation>
    </message>
    <message>
        <location line="+19"/>
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
        <location line="+4"/>
        <source>Charity shop stock movements</source>
        <translation>爱心超市出入库</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>The end date is before the start date.</source>
        <translation>结束日期早于开始日期。</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Export to Excel</source>
        <translation>导出 Excel</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <location line="+43"/>
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
        <location filename="../../app/ui/volunteers/import_dialog.py" line="+221"/>
        <source>Import volunteers</source>
        <translation>导入志愿者</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose an Excel file (.xlsx) with one volunteer per row. Nothing is saved until you press Import.</source>
        <translation>请选择每行一名志愿者的 Excel 文件（.xlsx）。点击“导入”之前不会保存任何数据。</translation>
    </message>
    <message>
        <location line="+2"/>
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
        <location line="+2"/>
        <source>Export problem list…</source>
        <translation>导出问题清单…</translation>
    </message>
    <message>
        <location line="+1"/>
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
        <location line="+7"/>
        <source>Choose a volunteer spreadsheet</source>
        <translation>选择志愿者花名册</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Excel files (*.xlsx *.xlsm *.xls *.ods)</source>
        <translation>Excel 文件 (*.xlsx *.xlsm *.xls *.ods)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Reading %1…</source>
        <translation>正在读取 %1…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Checking the file</source>
        <translation>正在检查文件</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>%1 people in sheet “%2” (header in row %3): %4 can be imported, %5 rows have problems.</source>
        <translation>工作表“%2”共 %1 人（表头在第 %3 行）：%4 人可以导入，%5 行有问题。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Columns not imported: %1</source>
        <translation>未导入的列：%1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Reading was cancelled.</source>
        <translation>已取消读取。</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Importing volunteers</source>
        <translation>正在导入志愿者</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Imported %1 volunteers (%2 – %3); %4 rows skipped.</source>
        <translation>已导入 %1 名志愿者（%2 – %3），跳过 %4 行。</translation>
    </message>
    <message>
        <location line="+5"/>
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
        <location line="+11"/>
        <source>Export problem list</source>
        <translation>导出问题清单</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+16"/>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>Save import template</source>
        <translation>保存导入模板</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>volunteer import template.xlsx</source>
        <translation>志愿者导入模板.xlsx</translation>
    </message>
</context>
<context>
    <name>KioskWindow</name>
    <message>
        <location filename="../../app/ui/cards/kiosk.py" line="+192"/>
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
        <source>Staff: press Esc and enter the PIN to leave</source>
        <translation>工作人员：按 Esc 并输入密码退出</translation>
    </message>
    <message>
        <location line="+3"/>
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
</context>
<context>
    <name>LedgerDialog</name>
    <message>
        <location filename="../../app/ui/volunteers/detail.py" line="-102"/>
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
    <name>MainWindow</name>
    <message>
        <location filename="../../app/ui/main_window.py" line="+92"/>
        <source>Yilian — %1</source>
        <translation>益联 — %1</translation>
    </message>
    <message>
        <location line="+16"/>
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
        <location line="+1"/>
        <source>Social organizations</source>
        <translation>社会组织</translation>
    </message>
    <message>
        <location line="+1"/>
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
        <location line="+22"/>
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
        <source>Add &amp;demo volunteers</source>
        <translation>添加演示志愿者(&amp;D)</translation>
    </message>
    <message>
        <location line="+4"/>
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
        <location line="+13"/>
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
        <location line="+17"/>
        <source>Empty register</source>
        <translation>登记簿为空</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The register is empty. Add %1 demo volunteers to try Yilian out?
Demo records are fictitious; use a separate register for real work.</source>
        <translation>登记簿中还没有志愿者。是否添加 %1 名演示志愿者来试用益联？
演示数据均为虚构，正式工作请使用单独的登记簿。</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Added %1 demo volunteers.</source>
        <translation>已添加 %1 名演示志愿者。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Generating demo volunteers</source>
        <translation>正在生成演示志愿者</translation>
    </message>
</context>
<context>
    <name>ManualHoursDialog</name>
    <message>
        <location filename="../../app/ui/hours/activity_dialog.py" line="+99"/>
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
        <location line="+21"/>
        <source>Choose a volunteer from the list or type a volunteer number.</source>
        <translation>请从列表中选择志愿者，或输入志愿者编号。</translation>
    </message>
</context>
<context>
    <name>MovementModel</name>
    <message>
        <location filename="../../app/ui/hours/report_page.py" line="-158"/>
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
    <name>PdfPreviewDialog</name>
    <message>
        <location filename="../../app/ui/common/pdf_preview.py" line="+97"/>
        <source>Page %1 of %2</source>
        <translation>第%1页，共%2页</translation>
    </message>
    <message numerus="yes">
        <location line="+7"/>
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
        <location line="+55"/>
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
        <location line="+13"/>
        <source>Save PDF</source>
        <translation>保存PDF</translation>
    </message>
</context>
<context>
    <name>PendingModel</name>
    <message>
        <location filename="../../app/ui/hours/approval_page.py" line="-245"/>
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
        <location filename="../../app/ui/cards/kiosk.py" line="-230"/>
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
    <name>PlaceholderPage</name>
    <message>
        <location filename="../../app/ui/main_window.py" line="-151"/>
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
        <location filename="../../app/ui/volunteers/import_dialog.py" line="-283"/>
        <source>Row</source>
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
        <source>Save receipt…</source>
        <translation>保存凭证…</translation>
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
        <location line="+11"/>
        <source>%1 — %2 points/%3 (in stock %4)</source>
        <translation>%1 — %2积分/%3（库存%4）</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>No active volunteer matches “%1”.</source>
        <translation>没有与“%1”相符的在册志愿者。</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Points balance: %1</source>
        <translation>积分余额：%1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Find the volunteer by number or name.</source>
        <translation>请按志愿者编号或姓名查找志愿者。</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Total: %1 points; balance after: %2</source>
        <translation>合计：%1积分；兑换后余额：%2</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Redeemed: %1, %2 points; balance now %3.</source>
        <translation>兑换成功：%1，扣除%2积分，现余额%3。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Save receipt</source>
        <translation>保存兑换凭证</translation>
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
        <location filename="../../app/ui/hours/report_page.py" line="-88"/>
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
        <location line="+8"/>
        <source>Total</source>
        <translation>合计</translation>
    </message>
</context>
<context>
    <name>ReverseDialog</name>
    <message>
        <location filename="../../app/ui/hours/approval_page.py" line="+256"/>
        <source>Reverse an approved record</source>
        <translation>冲正已通过的记录</translation>
    </message>
    <message>
        <location line="+3"/>
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
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="+50"/>
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
        <location line="+8"/>
        <source> years</source>
        <translation> 岁</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Data folder (default register, log file): %1</source>
        <translation>数据文件夹（默认登记簿、日志文件）：%1</translation>
    </message>
    <message>
        <location line="+33"/>
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
        <location line="+14"/>
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
        <location filename="../../app/ui/points/shop_dialogs.py" line="-308"/>
        <source>PDF document (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
</context>
<context>
    <name>ShopPage</name>
    <message>
        <location filename="../../app/ui/points/page.py" line="+52"/>
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
        <location line="+183"/>
        <source>Stock</source>
        <translation>库存</translation>
    </message>
    <message>
        <location line="-182"/>
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
        <source>Save receipt…</source>
        <translation>保存凭证…</translation>
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
        <location line="+10"/>
        <source>Save receipt</source>
        <translation>保存兑换凭证</translation>
    </message>
    <message>
        <location line="+16"/>
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
        <location filename="../../app/ui/volunteers/editor.py" line="+508"/>
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
        <location filename="../../app/ui/points/shop_dialogs.py" line="+88"/>
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
        <location filename="../../app/ui/common/worker.py" line="+99"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>ValidRowModel</name>
    <message>
        <location filename="../../app/ui/volunteers/import_dialog.py" line="+41"/>
        <source>Row</source>
        <translation>行号</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sex</source>
        <translation>性别</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Phone</source>
        <translation>手机号码</translation>
    </message>
    <message>
        <location line="+0"/>
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
        <location filename="../../app/ui/volunteers/detail.py" line="-299"/>
        <source>Select a volunteer in the list to see the record.</source>
        <translation>在列表中选择一名志愿者以查看其登记信息。</translation>
    </message>
    <message>
        <location line="+33"/>
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
        <location line="+10"/>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Show the full ID number and mobile (the viewing is recorded)</source>
        <translation>显示完整的证件号码和手机号码（查看操作会被记录）</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Volunteer no. %1</source>
        <translation>志愿者编号 %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 since %2 — %3</source>
        <translation>%1（%2起）— %3</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>no reason given</source>
        <translation>未填写原因</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>consent given</source>
        <translation>已同意</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>no consent</source>
        <translation>未同意</translation>
    </message>
    <message>
        <location line="+10"/>
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
        <location line="+23"/>
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
        <location line="+42"/>
        <source>No photo</source>
        <translation>无照片</translation>
    </message>
</context>
<context>
    <name>VolunteerEditor</name>
    <message>
        <location filename="../../app/ui/volunteers/editor.py" line="-392"/>
        <source>New volunteer</source>
        <translation>新增志愿者</translation>
    </message>
    <message>
        <location line="+45"/>
        <location line="+94"/>
        <source>(from the ID number)</source>
        <translation>（由身份证号码确定）</translation>
    </message>
    <message>
        <location line="-55"/>
        <source>Edit volunteer %1 — %2</source>
        <translation>编辑志愿者 %1 — %2</translation>
    </message>
    <message>
        <location line="+84"/>
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
        <location line="+40"/>
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
        <location line="+8"/>
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
        <location filename="../../app/ui/volunteers/model.py" line="+75"/>
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
        <location filename="../../app/ui/volunteers/page.py" line="+105"/>
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
        <location line="+8"/>
        <source>Search: name, pinyin initials (zs), ID number, mobile or volunteer no.</source>
        <translation>搜索：姓名、拼音首字母（zs）、证件号码、手机号码或志愿者编号</translation>
    </message>
    <message>
        <location line="+10"/>
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
        <location line="+56"/>
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
    <message numerus="yes">
        <location line="+27"/>
        <source>%n volunteer(s)</source>
        <translation>
            <numerusform>共 %n 人</numerusform>
        </translation>
    </message>
    <message>
        <location line="+14"/>
        <source>This column cannot be sorted.</source>
        <translation>此列不能排序。</translation>
    </message>
    <message>
        <location line="+82"/>
        <source>Saved %1 %2</source>
        <translation>已保存 %1 %2</translation>
    </message>
    <message numerus="yes">
        <location line="+31"/>
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
        <location filename="../../app/ui/hours/activity_dialog.py" line="-97"/>
        <source>Volunteer number, name or ID number</source>
        <translation>志愿者编号、姓名或证件号码</translation>
    </message>
</context>
</TS>
