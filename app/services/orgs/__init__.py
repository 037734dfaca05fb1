"""Social organizations: the register, incubation, legal status, inspections, ratings, reports."""
