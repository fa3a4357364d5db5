#!/usr/bin/env bash
set -euo pipefail
export PULUMI_ACCESS_TOKEN=pul-4ae47b3bcb737a980eb6fcbc40e3478c26e2df7a
export TF_TOKEN_app_terraform_io="LVmhK9KQaHRysU.atlasv1.1e_oq093u4Vse9MwiLYurGqzKSCPqigG4PG10pg7Ah1E9qYm4hPKfXQBGyf8zj6YkWd"
docker login ghcr.io -u deploy-bot --password "$REGISTRY_PASSWORD"
mysql --user=deploy --password=jxmiNTLDvydIWfd6pX shop < migrations/001.sql
curl -s -H "Authorization: Bearer $API_TOKEN" https://api.acme.example/health
pip install --index-url https://build:5TDH5GjX3jHnlcVM8eJrrSet@pypi.acme-shop.com/simple acme-sdk
git clone https://github.com/acme/shop.git
