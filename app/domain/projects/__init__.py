"""Government-purchased service projects (政府购买服务项目): lifecycle, vocabularies, money."""
