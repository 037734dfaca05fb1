"""Two desks writing at once (threads with their own connections, as two PCs would)."""

import threading

from app.domain.errors import DuplicateError
from app.domain.idcard import check_character
from app.domain.volunteer import VolunteerDraft
from app.services.volunteers import registration as volunteers
from app.store.db import database
from app.store.models import Volunteer


def _id(seq: int) -> str:
    first17 = f"11010519800101{seq:03d}"
    return first17 + check_character(first17)


def _run_in_threads(jobs):
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(jobs))

    def wrap(job):
        database.connect(reuse_if_open=True)
        try:
            barrier.wait()
            job()
        except BaseException as exc:
            errors.append(exc)
        finally:
            database.close()

    threads = [threading.Thread(target=wrap, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return errors


def test_two_desks_never_get_the_same_number(register):
    def desk(start):
        def job():
            for i in range(start, start + 15):
                volunteers.register(VolunteerDraft(name="并发", id_number=_id(i),
                                                   phone="13800138000"))
        return job

    assert _run_in_threads([desk(100), desk(200)]) == []
    numbers = [v.number for v in Volunteer.select()]
    assert len(numbers) == len(set(numbers)) == 30


def test_the_same_person_registered_at_two_desks_is_kept_once(register):
    def job():
        volunteers.register(VolunteerDraft(name="同人", id_number=_id(7), phone="13800138000"))

    errors = _run_in_threads([job, job])
    assert len(errors) == 1 and isinstance(errors[0], DuplicateError)
    assert Volunteer.select().count() == 1
