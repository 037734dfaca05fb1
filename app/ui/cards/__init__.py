"""The 证件与签到 area: cards, the check-in kiosk and its optional camera."""
