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
