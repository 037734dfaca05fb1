"""The 积分与爱心超市 area: goods, redemptions and their dialogs."""
