"""The project lifecycle refuses every move its table does not hold, with a Chinese reason."""

import itertools

import pytest

from app.domain.projects.lifecycle import LIFECYCLE, ProjectStatus, check_move
from app.domain.transitions import IllegalTransition


def test_the_ordinary_life_and_termination():
    path = [ProjectStatus.DRAFT, ProjectStatus.PROCUREMENT, ProjectStatus.CONTRACTED,
            ProjectStatus.IN_SERVICE, ProjectStatus.MID_TERM, ProjectStatus.FINAL_ACCEPTANCE,
            ProjectStatus.EVALUATED, ProjectStatus.CLOSED]
    for current, target in itertools.pairwise(path):
        check_move(current, target)
    check_move(ProjectStatus.IN_SERVICE, ProjectStatus.TERMINATED)


@pytest.mark.parametrize(("current", "target"), [
    (c, t) for c in ProjectStatus for t in ProjectStatus if not LIFECYCLE.allows(c, t)])
def test_every_illegal_move_is_refused(current, target):
    with pytest.raises(IllegalTransition) as exc:
        check_move(current, target)
    assert current.label in exc.value.message and target.label in exc.value.message
