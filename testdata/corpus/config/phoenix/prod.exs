import Config

config :shop, ShopWeb.Endpoint,
  url: [host: "shop.acme.example", port: 443],
  secret_key_base: "+U8BWAflWbKo14OrODhRAMJO8Xhbs7x1xtUrQ2YIwF/oU6vYheuMFGhzxCbRdOKp"

config :shop, Shop.Repo, password: System.get_env("DB_PASSWORD")
