#!/bin/sh
curl -fsSL https://get.example.com/cli.sh | sh
