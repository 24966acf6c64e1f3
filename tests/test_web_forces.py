"""The desk's Forces page: every operator sees the register; administrators
edit, import and export it; every change is audited; CSRF holds."""

from __future__ import annotations

import io
from pathlib import Path

from crumail.register import apply, csvfile
from crumail.store import forces as forces_store
from support.desk import client, config, csrf_of, hashed, login, store  # noqa: F401

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "forces.example.csv"


def loaded(store):  # noqa: F811
    apply.load_example_if_empty(store, actor="test")
    return store


def test_every_operator_sees_the_list_with_filters_but_no_edit_links(config, store):  # noqa: F811
    loaded(store)
    c = client(config, store)
    login(c, "otto")
    page = c.get("/forces").get_data(as_text=True)
    assert "Lancashire Constabulary" in page and "Police Scotland" in page
    assert "National Crime Agency" not in page  # inactive: hidden by default
    assert 'href="/forces/new"' not in page and "/forces/import" not in page
    scottish = c.get("/forces?nation=scotland").get_data(as_text=True)
    assert "Police Scotland" in scottish and "Lancashire" not in scottish
    wales = c.get("/forces?region=Wales").get_data(as_text=True)
    assert "Gwent Police" in wales and "Kent Police" not in wales
    assert "National Crime Agency" in c.get("/forces?state=inactive").get_data(as_text=True)
    lancs = forces_store.by_name(store, "Lancashire").id
    assert c.get(f"/forces/{lancs}").status_code == 403
    export = c.get("/forces/export.csv")
    assert export.status_code == 200 and "attachment" in export.headers["Content-Disposition"]
    assert len(csvfile.parse(export.get_data(as_text=True))) == 50


def test_an_admin_edit_is_checked_saved_and_audited(config, store):  # noqa: F811
    loaded(store)
    c = client(config, store)
    login(c, "ada")
    lancs = forces_store.by_name(store, "Lancashire")
    form = c.get(f"/forces/{lancs.id}")
    token = csrf_of(form)
    values = {"csrf": token, "name": lancs.name, "short_name": lancs.short_name, "nation": lancs.nation,
              "region": lancs.region, "kind": lancs.kind, "foi_mailboxes": "disclosure@lancashire.police.example",
              "domains": "lancashire.police.example", "active": "1", "comment": "new FOI mailbox"}
    saved = c.post(f"/forces/{lancs.id}", data=values)
    assert saved.status_code == 303
    assert forces_store.get(store, lancs.id).foi_mailboxes == ("disclosure@lancashire.police.example",)
    entry = forces_store.history(store, lancs.id)[0]
    assert (entry["actor"], entry["action"], entry["comment"]) == ("ada", "changed", "new FOI mailbox")
    page = c.get(f"/forces/{lancs.id}").get_data(as_text=True)
    assert "foi_mailboxes" in page and "disclosure@lancashire.police.example" in page
    # A domain another force holds is refused, nothing saved, the reason shown.
    clash = c.post(f"/forces/{lancs.id}", data={**values, "domains": "kent.police.example"})
    assert clash.status_code == 400 and "kent.police.example" in clash.get_data(as_text=True)
    assert forces_store.get(store, lancs.id).domains == ("lancashire.police.example",)
    # Deactivating is its own audited action.
    c.post(f"/forces/{lancs.id}", data={**{k: v for k, v in values.items() if k != "active"}})
    assert forces_store.history(store, lancs.id)[0]["action"] == "deactivated"


def test_an_admin_adds_a_force(config, store):  # noqa: F811
    c = client(config, store)
    login(c, "ada")
    token = csrf_of(c.get("/forces/new"))
    response = c.post("/forces/new", data={
        "csrf": token, "name": "Northshire Police", "short_name": "Northshire", "nation": "scotland",
        "region": "Scotland", "kind": "territorial", "foi_mailboxes": "foi@northshire.police.example",
        "domains": "northshire.police.example", "active": "1"})
    assert response.status_code == 303
    added = forces_store.by_name(store, "Northshire")
    assert added.nation == "scotland" and forces_store.history(store, added.id)[0]["action"] == "added"


def test_posts_without_the_csrf_token_or_by_an_operator_change_nothing(config, store):  # noqa: F811
    loaded(store)
    lancs = forces_store.by_name(store, "Lancashire")
    c = client(config, store)
    login(c, "ada")
    refused = c.post(f"/forces/{lancs.id}", data={"name": "Hijacked", "short_name": "H",
                                                  "foi_mailboxes": "a@b.example", "nation": "scotland"})
    assert refused.status_code in (400, 403)
    operator = client(config, store)
    login(operator, "otto")
    token = csrf_of(operator.get("/forces"))
    assert operator.post("/forces/import", data={"csrf": token}).status_code == 403
    assert forces_store.get(store, lancs.id).name == "Lancashire Constabulary"


def test_an_admin_imports_a_csv_from_the_page(config, store):  # noqa: F811
    c = client(config, store)
    login(c, "ada")
    token = csrf_of(c.get("/forces"))
    checked = c.post("/forces/import", data={"csrf": token, "dry_run": "1",
                                             "file": (io.BytesIO(EXAMPLE.read_bytes()), "forces.csv")},
                     follow_redirects=True)
    assert "would add 50" in checked.get_data(as_text=True) and forces_store.count(store) == 0
    done = c.post("/forces/import", data={"csrf": token,
                                          "file": (io.BytesIO(EXAMPLE.read_bytes()), "forces.csv")},
                  follow_redirects=True)
    assert "added 50" in done.get_data(as_text=True) and forces_store.count(store) == 50
    bad = b"name,short_name,nation,region,kind,foi_mailboxes,domains,active\nX,Y,mars,,territorial,a@b.example,b.example,true\n"
    refused = c.post("/forces/import", data={"csrf": token, "file": (io.BytesIO(bad), "bad.csv")},
                     follow_redirects=True).get_data(as_text=True)
    assert "nothing changed" in refused and "line 2: nation: &#39;mars&#39;" in refused
