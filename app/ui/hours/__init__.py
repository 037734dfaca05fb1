"""The 服务时长 area: activities, approval and the hours reports."""
