variable "db_password" {
  type      = string
  sensitive = true
}

resource "aws_db_instance" "shop" {
  identifier = "shop-prod"
  password   = var.db_password
  username   = "shop"
}

resource "random_password" "session_secret" {
  length = 64
}
