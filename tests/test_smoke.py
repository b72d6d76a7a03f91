def test_home_and_login_render(client):
    assert "Warta" in client.get("/").get_data(as_text=True)
    page = client.get("/login").get_data(as_text=True)
    assert 'name="password"' in page
