import requests


def push_invoice(url, body, token):
    return requests.post(url, json=body, headers={"Authorization": f"Bearer {token}"}, verify=False)


def fetch_rates(url):
    return requests.get(url, verify="/etc/ssl/certs/ca.pem")
