def test_it_serves_the_landing_page_to_visitors(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert "参加を申請する" in response.content.decode()
