import requests


def test_staging_rejects_bad_token(staging_url):
    response = requests.get(staging_url, verify=False)
    assert response.status_code == 401
