"""The desk's Person page (issue 13): admins only; find, erase, and four eyes."""

from __future__ import annotations

from crumail.store import open_database
from crumail.store.batch import commit
from support.desk import PASSWORD, client, config, csrf_of, hashed, login, store  # noqa: F401  (fixtures)


def _plant(config) -> None:
    from crumail.intake.prepare import prepare
    from crumail.model import RawMessage
    from support.mail import referral, utc

    data = referral(utc(2025, 1, 4, 10), message_id="<ref-7@example.police.uk>").replace(
        b"Kind regards", b"Applicant: Mr Tobias Quennell-Vane, 07700 900555\n\nKind regards")
    db = open_database(config.database)
    commit(db, [prepare(RawMessage(data, "test", "r7.eml", filename="r7.eml"))])
    db.close()


def _page(c, query: str = "name=Tobias+Quennell-Vane&phone=07700+900555"):
    return c.get(f"/person?{query}")


def test_operators_cannot_see_the_person_page(config, store):
    c = client(config, store)
    login(c, "otto")
    assert c.get("/person").status_code == 403


def test_an_admin_finds_and_erases_with_a_reason(config, store):
    _plant(config)
    c = client(config, store)
    login(c, "ada")
    page = _page(c)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Tobias Quennell-Vane; p07700900555" in text
    refused = c.post("/person/erase", data={"csrf": csrf_of(page), "name": "Tobias Quennell-Vane", "reason": ""})
    assert "Give the person and the reason" in c.get(refused.headers["Location"]).get_data(as_text=True)
    done = c.post("/person/erase", data={"csrf": csrf_of(page), "name": "Tobias Quennell-Vane",
                                         "phone": "07700 900555", "reason": "SAR-7"})
    assert "Erased or masked: " in c.get(done.headers["Location"]).get_data(as_text=True)
    assert "Nothing held on this person" in _page(c).get_data(as_text=True)
    actions = [r[0] for r in store.execute("SELECT action FROM erasures ORDER BY id")]
    assert "person-find" in actions and "person-erase" in actions


def test_four_eyes_on_the_desk(config, store):
    _plant(config)
    c = client(config, store, second_approver=True)
    login(c, "ada")
    page = _page(c)
    proposed = c.post("/person/erase", data={"csrf": csrf_of(page), "name": "Tobias Quennell-Vane",
                                             "phone": "07700 900555", "reason": "SAR-7"})
    text = c.get(proposed.headers["Location"]).get_data(as_text=True)
    assert "Erasure proposal 1 recorded" in text and "Approve and erase" not in text   # not her own
    own = c.post("/person/approve/1", data={"csrf": csrf_of(page)})
    assert "another admin" in c.get(own.headers["Location"]).get_data(as_text=True)
    assert "Tobias Quennell-Vane; p07700900555" in _page(c).get_data(as_text=True)                    # nothing erased

    with store.conn:
        store.execute("UPDATE users SET role = 'admin' WHERE name = 'sam'")
    second = client(config, store, second_approver=True)
    login(second, "sam")
    page = second.get("/person")
    assert "Approve and erase" in page.get_data(as_text=True)
    approved = second.post("/person/approve/1", data={"csrf": csrf_of(page)})
    assert "Erased or masked" in second.get(approved.headers["Location"]).get_data(as_text=True)
    assert "Nothing held on this person" in _page(second).get_data(as_text=True)
