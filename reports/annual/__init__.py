"""The parts of the annual work report; `reports.annual_report` assembles them and is the
module to import (its names are the public ones)."""
