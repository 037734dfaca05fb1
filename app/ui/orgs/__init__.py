"""The 社会组织 area: the organization register, its detail panel, the incubation board and
the due view."""
