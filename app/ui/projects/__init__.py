"""The 购买服务项目 area: the project register, its panel, the form and the report."""
