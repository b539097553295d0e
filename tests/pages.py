"""Helpers that read the HTML pages in the view tests."""


def body(response):
    return response.content.decode()


def assert_edit_pages_open(client, user, edit_pages):
    """Each (url, data) of `edit_pages` shows its form to `user`."""
    client.force_login(user)
    for url, _data in edit_pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "<form" in body(response)


def assert_edit_pages_refused(client, user, edit_pages, snapshot):
    """Each (url, data) of `edit_pages` answers 403 "Acceso denegado" to `user`, on GET and
    on POST, and `snapshot()` (what the pages would change) stays the same."""
    client.force_login(user)
    before = snapshot()
    for url, data in edit_pages:
        assert client.get(url).status_code == 403, url
        response = client.post(url, data)
        assert response.status_code == 403, url
        assert "Acceso denegado" in body(response)
    assert snapshot() == before
