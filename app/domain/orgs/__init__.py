"""Rules for social organizations: types, credit codes, incubation and legal status,
annual inspection and rating. Pure functions over dates and enums, so the service layer
and the printed reports apply one set of rules."""
