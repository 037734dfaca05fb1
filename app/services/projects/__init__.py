"""Government-purchased service projects: the register, lifecycle, money, indicators, reports."""
